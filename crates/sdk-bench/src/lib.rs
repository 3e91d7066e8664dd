//! The `minimax-sdk` benchmark lives in `benches/sdk/`; run it with
//! `cargo bench -p sdk-bench`. This library is empty: a package needs a
//! library or binary target beside its benches.
