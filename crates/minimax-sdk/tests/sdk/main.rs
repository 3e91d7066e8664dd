//! Integration tests of the public API against a real local `httpmock`
//! server. One binary with a module per concern keeps link time down.

// Tests may unwrap: a panic is a test failure with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod chat;

mod download;
mod errors;
mod executor;
mod files;
mod http2;
mod image;
mod music;
mod poll;
mod resource_errors;
mod retry;
mod spawn;
mod speech;
mod sse;
mod upload;
mod video;
mod video_v2;
mod voice;
