//! Exit codes: the one place where a failure is classified.
//!
//! [`classify`] walks an `anyhow` error chain and finds the first error it
//! knows: the SDK's typed [`minimax_sdk::Error`] (classified by variant and
//! [`ErrorCode`]), the CLI's own [`CliError`], or a local [`std::io::Error`].
//! [`hint`] picks the one-line suggestion printed after the error.
//! The table is [`EXIT_CODES_HELP`], shown by `minimax --help` and copied in
//! the README.

use std::path::PathBuf;

use minimax_sdk::{Error as SdkError, ErrorCode};

/// The exit-code table, printed at the end of `minimax --help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success (also when stdout is closed early, as by `| head`)
  1  any other failure
  2  usage or configuration error (bad flag or value, no API key, --region with --base-url)
  3  authentication refused (MiniMax 1004, 2049; HTTP 401, 403)
  4  rate limited (MiniMax 1002, 1039; HTTP 429) after the retries
  5  invalid input refused (MiniMax 2013 invalid parameters, 1026 sensitive input)
  6  the task failed (status Fail, failed or expired)
  7  any other API error (balance 1008, server errors, unexpected responses, ...)
  8  network failure or timeout (connection, --timeout, --wait-timeout)
  9  local file error (cannot read input, cannot write output, output exists without --force)
  130  interrupted (Ctrl-C); a download in progress leaves no file behind

Environment:
  MINIMAX_API_KEY   the API key (or --api-key)
  MINIMAX_REGION    global or china (or --region)
  MINIMAX_BASE_URL  another endpoint (or --base-url)
  MINIMAX_GROUP_ID  legacy GroupId (or --group-id)";

/// What kind of failure ended the command; the discriminant is the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitClass {
    /// Anything not classified below.
    Other = 1,
    /// A bad flag or value, or an invalid configuration.
    Usage = 2,
    /// The API refused the credentials.
    Auth = 3,
    /// The API rate limit was hit and the retries ran out.
    RateLimited = 4,
    /// The API (or the SDK, before sending) refused the input.
    InvalidInput = 5,
    /// An asynchronous task ended in failure.
    TaskFailed = 6,
    /// Any other API error.
    Api = 7,
    /// The network failed or a time limit expired.
    Network = 8,
    /// A local file could not be read or written.
    LocalIo = 9,
}

impl ExitClass {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Failures the CLI itself detects.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The output file exists and `--force` was not given.
    #[error("{} already exists", path.display())]
    OutputExists {
        /// The existing file.
        path: PathBuf,
    },
    /// An argument combination or value clap cannot check.
    #[error("{0}")]
    Usage(String),
    /// The API answered successfully but without something the command needs.
    #[error("{0}")]
    Unexpected(String),
}

/// Classifies an error by the first error in its chain that says what
/// kind of failure it is.
pub fn classify(error: &anyhow::Error) -> ExitClass {
    for cause in error.chain() {
        if let Some(sdk) = cause.downcast_ref::<SdkError>() {
            return classify_sdk(sdk);
        }
        if let Some(cli) = cause.downcast_ref::<CliError>() {
            return match cli {
                CliError::OutputExists { .. } => ExitClass::LocalIo,
                CliError::Usage(_) => ExitClass::Usage,
                CliError::Unexpected(_) => ExitClass::Api,
            };
        }
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return ExitClass::LocalIo;
        }
    }
    ExitClass::Other
}

/// Classifies an SDK error.
pub fn classify_sdk(error: &SdkError) -> ExitClass {
    match error {
        SdkError::Api(api) => match api.code {
            ErrorCode::Auth => ExitClass::Auth,
            ErrorCode::RateLimited => ExitClass::RateLimited,
            ErrorCode::InvalidInput | ErrorCode::SensitiveInput => ExitClass::InvalidInput,
            ErrorCode::Timeout => ExitClass::Network,
            _ => ExitClass::Api,
        },
        SdkError::TaskFailed { .. } => ExitClass::TaskFailed,
        SdkError::Transport { .. }
        | SdkError::Timeout { .. }
        | SdkError::WaitTimeout { .. }
        | SdkError::SizeMismatch { .. } => ExitClass::Network,
        SdkError::Decode { .. } => ExitClass::Api,
        SdkError::Io { .. } => ExitClass::LocalIo,
        SdkError::Config(_) => ExitClass::Usage,
        SdkError::InvalidArgument(_) => ExitClass::InvalidInput,
        _ => ExitClass::Other,
    }
}

/// The one-line suggestion for an error, if there is a useful one.
pub fn hint(error: &anyhow::Error) -> Option<String> {
    for cause in error.chain() {
        if let Some(sdk) = cause.downcast_ref::<SdkError>() {
            return hint_sdk(sdk);
        }
        if let Some(CliError::OutputExists { .. }) = cause.downcast_ref::<CliError>() {
            return Some("pass --force to replace it, or choose another output path".to_owned());
        }
    }
    None
}

fn hint_sdk(error: &SdkError) -> Option<String> {
    let text = match error {
        SdkError::Api(api) => match api.code {
            ErrorCode::Auth => "check the API key in MINIMAX_API_KEY (or --api-key); a key from platform.minimaxi.com needs --region china",
            ErrorCode::RateLimited => match api.retry_after {
                Some(delay) => {
                    return Some(format!(
                        "the server asks to wait {}s; try again later or raise --max-retries",
                        delay.as_secs().max(1)
                    ))
                }
                None => "wait a moment and try again, or raise --max-retries",
            },
            ErrorCode::InsufficientBalance => "top up the account balance on the MiniMax platform",
            ErrorCode::InvalidInput => "check the values passed to the command (see its --help)",
            ErrorCode::SensitiveInput => "the content filter refused the input; rephrase it",
            ErrorCode::Timeout => "the server timed out; try again later",
            _ => return None,
        },
        SdkError::Transport { .. } => {
            "check the network connection and the endpoint (--region, --base-url, MINIMAX_BASE_URL)"
        }
        SdkError::Timeout { .. } => "raise the time limit with --timeout SECS",
        SdkError::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => {
            "pass --force to replace it, or choose another output path"
        }
        SdkError::WaitTimeout { .. } => {
            "the task may still finish: check it later with its status command, or raise --wait-timeout"
        }
        SdkError::Config(message) if message.contains("API key") => {
            "export MINIMAX_API_KEY=<your key> (keys from platform.minimaxi.com also need --region china)"
        }
        SdkError::Config(_) => "see `minimax --help` for the endpoint and key settings",
        _ => return None,
    };
    Some(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use minimax_sdk::{ApiError, TaskStatus};

    fn api(code: i64) -> anyhow::Error {
        let mut error = ApiError::new("op", ErrorCode::from_code(code), "message");
        error.status_code = Some(code);
        anyhow::Error::new(SdkError::Api(error)).context("the command failed")
    }

    fn sdk(error: SdkError) -> anyhow::Error {
        anyhow::Error::new(error)
    }

    #[test]
    fn auth_is_3() {
        assert_eq!(classify(&api(1004)), ExitClass::Auth);
        assert_eq!(classify(&api(2049)), ExitClass::Auth);
        let http = ApiError::new("op", ErrorCode::from_http_status(401), "unauthorized");
        assert_eq!(classify(&sdk(SdkError::Api(http))).code(), 3);
        assert!(hint(&api(1004)).is_some_and(|hint| hint.contains("MINIMAX_API_KEY")));
    }

    #[test]
    fn rate_limited_is_4() {
        assert_eq!(classify(&api(1002)).code(), 4);
        assert_eq!(classify(&api(1039)), ExitClass::RateLimited);
    }

    #[test]
    fn invalid_input_is_5() {
        assert_eq!(classify(&api(2013)).code(), 5);
        assert_eq!(classify(&api(1026)), ExitClass::InvalidInput);
        let local = sdk(SdkError::InvalidArgument("not a regular file".into()));
        assert_eq!(classify(&local), ExitClass::InvalidInput);
    }

    #[test]
    fn task_failed_is_6() {
        let failed = sdk(SdkError::TaskFailed {
            task_id: "1".into(),
            status: TaskStatus::new("Fail"),
            message: None,
        });
        assert_eq!(classify(&failed).code(), 6);
    }

    #[test]
    fn other_api_errors_are_7() {
        assert_eq!(classify(&api(1008)).code(), 7);
        assert_eq!(classify(&api(1000)), ExitClass::Api);
        assert_eq!(classify(&api(424242)), ExitClass::Api);
        let unexpected = anyhow::Error::new(CliError::Unexpected("no task id".into()));
        assert_eq!(classify(&unexpected), ExitClass::Api);
    }

    #[test]
    fn network_and_timeouts_are_8() {
        assert_eq!(classify(&api(1001)).code(), 8);
        let waited = sdk(SdkError::WaitTimeout {
            task_id: "1".into(),
            waited: std::time::Duration::from_secs(1),
            last_status: None,
        });
        assert_eq!(classify(&waited), ExitClass::Network);
        let short = sdk(SdkError::SizeMismatch {
            operation: "download",
            expected: 2,
            received: 1,
        });
        assert_eq!(classify(&short), ExitClass::Network);
    }

    #[test]
    fn local_io_is_9() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let error = anyhow::Error::new(io).context("could not read prompt.txt");
        assert_eq!(classify(&error).code(), 9);
        let sdk_io = sdk(SdkError::Io {
            action: "open",
            path: "x".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "missing"),
        });
        assert_eq!(classify(&sdk_io), ExitClass::LocalIo);
        let exists = anyhow::Error::new(CliError::OutputExists {
            path: "out.mp3".into(),
        });
        assert_eq!(classify(&exists), ExitClass::LocalIo);
        assert!(hint(&exists).is_some_and(|hint| hint.contains("--force")));
    }

    #[test]
    fn usage_and_configuration_are_2() {
        let config = sdk(SdkError::Config(
            "no API key: set MINIMAX_API_KEY or call ClientBuilder::api_key".into(),
        ));
        assert_eq!(classify(&config).code(), 2);
        assert!(hint(&config).is_some_and(|hint| hint.contains("export MINIMAX_API_KEY")));
        let usage = anyhow::Error::new(CliError::Usage("-o needs --wait".into()));
        assert_eq!(classify(&usage), ExitClass::Usage);
    }

    #[test]
    fn anything_else_is_1() {
        assert_eq!(classify(&anyhow::anyhow!("something odd")).code(), 1);
    }

    #[test]
    fn the_help_table_lists_every_code() {
        for code in 0..=9 {
            assert!(
                EXIT_CODES_HELP.contains(&format!("\n  {code}  ")),
                "exit code {code} is missing from the help"
            );
        }
    }
}
