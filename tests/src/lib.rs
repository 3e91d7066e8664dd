//! Contract tests for the MiniMax bindings: every example of
//! `openapi/minimax.json` replayed through the generated client
//! (`minimax-api`) and the SDK (`minimax-sdk`) against a local mock server,
//! and cross-checked with Stoplight Prism.
//!
//! The examples are data (`openapi/examples/<operationId>.json`, attached by
//! `cargo xtask generate`); this library is the harness that reads them back
//! from the spec and drives every stage through one helper, [`check::check`]:
//!
//! - [`spec`]: the operations and their cases (a case is a named request and
//!   the response it gets);
//! - [`schema`]: JSON Schema validation of examples and of what the clients send;
//! - [`compare`]: the documented normalisation under which a decoded and
//!   re-encoded value must equal its example;
//! - [`mock`]: an httpmock mock that answers a case only to exactly its request;
//! - [`adapters`]: the one line per operation that turns a case into a typed call;
//! - [`mod@check`]: the stages and their expectations, and the known issues;
//! - [`report`]: the coverage gate and table (`target/contract-coverage.md`);
//! - [`prism`]: installing and running the pinned Prism for the cross-check;
//! - [`types`]: the generated types' `schemars` schemas against the spec's.
//!
//! The test files under `tests/tests/` are thin: each calls into this library.

pub mod adapters;
pub mod check;
pub mod compare;
pub mod mock;
pub mod prism;
pub mod report;
pub mod schema;
pub mod spec;
pub mod types;

pub use check::{check, Stage, Verdict};
pub use spec::{contract, Case, Contract, Operation};
