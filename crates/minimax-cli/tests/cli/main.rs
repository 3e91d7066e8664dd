//! End-to-end tests: the built `minimax` binary against a local httpmock
//! server (`--base-url http://127.0.0.1:<port> --api-key test-key`).
//! No test reaches the network or sleeps for long: polls use
//! `--poll-interval 0.01`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chat;
mod common;
mod errors;
mod files;
mod general;
mod image;
mod music;
mod speech;
mod video;
mod voice;
