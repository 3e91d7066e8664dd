//! `Client::from_env` against the real process environment.
//!
//! Its own test binary with a single test, because the environment is
//! process-wide.

// Tests may unwrap: a panic is a test failure with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use minimax_sdk::{Client, Error, Region};

const VARIABLES: [&str; 4] = [
    "MINIMAX_API_KEY",
    "MINIMAX_REGION",
    "MINIMAX_BASE_URL",
    "MINIMAX_GROUP_ID",
];

fn set(values: &[(&str, &str)]) {
    for name in VARIABLES {
        std::env::remove_var(name);
    }
    for (name, value) in values {
        std::env::set_var(name, value);
    }
}

fn config_error() -> String {
    match Client::from_env() {
        Err(Error::Config(message)) => message,
        Err(other) => panic!("expected a config error, got {other}"),
        Ok(client) => panic!("expected a config error, got {client:?}"),
    }
}

#[test]
fn from_env_reads_validates_and_names_the_variables() {
    set(&[]);
    assert!(config_error().contains("MINIMAX_API_KEY"));

    set(&[("MINIMAX_API_KEY", "")]);
    assert!(config_error().contains("MINIMAX_API_KEY"));

    set(&[("MINIMAX_API_KEY", "sk-env"), ("MINIMAX_REGION", "moon")]);
    let message = config_error();
    assert!(
        message.contains("MINIMAX_REGION")
            && message.contains("`global`")
            && message.contains("`china`"),
        "{message}"
    );

    set(&[
        ("MINIMAX_API_KEY", "sk-env"),
        ("MINIMAX_REGION", "china"),
        ("MINIMAX_BASE_URL", "https://proxy.example"),
    ]);
    let message = config_error();
    assert!(
        message.contains("MINIMAX_REGION") && message.contains("MINIMAX_BASE_URL"),
        "{message}"
    );

    set(&[
        ("MINIMAX_API_KEY", "sk-env"),
        ("MINIMAX_BASE_URL", "http://api.example.com"),
    ]);
    let message = config_error();
    assert!(
        message.contains("MINIMAX_BASE_URL") && message.contains("http://"),
        "{message}"
    );

    set(&[
        ("MINIMAX_API_KEY", "sk-env"),
        ("MINIMAX_BASE_URL", "http://127.0.0.1:9"),
    ]);
    assert_eq!(
        Client::from_env().unwrap().config().base_url(),
        "http://127.0.0.1:9"
    );

    set(&[
        ("MINIMAX_API_KEY", "sk-env"),
        ("MINIMAX_BASE_URL", "http://localhost:9/prefix/"),
    ]);
    assert_eq!(
        Client::from_env().unwrap().config().base_url(),
        "http://localhost:9/prefix"
    );

    set(&[
        ("MINIMAX_API_KEY", "sk-env"),
        ("MINIMAX_REGION", "CHINA"),
        ("MINIMAX_GROUP_ID", "g-1"),
    ]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.config().region(), Some(Region::China));
    assert_eq!(client.config().base_url(), "https://api.minimaxi.com");
    assert_eq!(client.config().group_id(), Some("g-1"));

    set(&[("MINIMAX_API_KEY", "sk-env")]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.config().base_url(), "https://api.minimax.io");
    assert!(!format!("{client:?}").contains("sk-env"));
    set(&[]);
}
