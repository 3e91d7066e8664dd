//! Reading OpenAPI documents, and down-converting OpenAPI 3.1 to 3.0.3.
//!
//! The MiniMax specs are published as OpenAPI 3.1 (and 3.2) while the Rust
//! tooling (`openapiv3`, progenitor) reads 3.0. This crate is the one place
//! where documents are read ([`load`], [`parse`]) and where 3.1 constructs are
//! rewritten into their 3.0.3 equivalents ([`downconvert`]), so the generator
//! and the drift engine see every document in the same dialect.
//!
//! ```
//! let mut doc = spec_compat::parse(
//!     r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
//!         "components": {"schemas": {"Name": {"type": ["string", "null"]}}}}"#,
//!     "inline.json",
//! )?;
//! let report = spec_compat::downconvert(&mut doc, "inline.json")?;
//! assert_eq!(doc["openapi"], "3.0.3");
//! assert_eq!(doc["components"]["schemas"]["Name"], serde_json::json!({"type": "string", "nullable": true}));
//! assert_eq!(report.count("type-array-null"), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod downconvert;
mod load;
pub mod pointer;

pub use downconvert::{downconvert, ConvertError, Downconversion, CONSTRUCTS, METHODS};
pub use load::{load, parse, parse_as, Format, LoadError};
