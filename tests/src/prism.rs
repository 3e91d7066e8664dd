//! The independent cross-check: Stoplight Prism (pinned in
//! `tests/prism/package.json`), started on a free local port with `prism
//! mock --errors openapi/minimax.json`, validates every request the
//! generated client sends against the spec on its own; a 422 from it means
//! the client sent something the spec forbids.
//!
//! [`ensure_installed`] runs `npm ci --prefix tests/prism --no-audit
//! --no-fund` when `tests/prism/node_modules` is missing, so a fresh checkout
//! needs nothing but node and npm; without them it fails with a message
//! saying so.

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use serde_json::Value;

use crate::adapters;
use crate::check::{
    api_client_with_hooks, expect_api, expect_sdk, sdk_client, with_known_issues, Stage, Verdict,
};
use crate::spec::{workspace_root, Case, Operation};

/// How long Prism may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// `tests/prism`.
pub fn prism_dir() -> PathBuf {
    workspace_root().join("tests/prism")
}

fn prism_bin() -> PathBuf {
    prism_dir().join("node_modules/.bin/prism")
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Installs the pinned Prism with `npm ci` unless it is already installed;
/// returns the path of the `prism` executable. Runs once per process, so
/// tests starting Prism in parallel do not race two installs.
pub fn ensure_installed() -> Result<PathBuf, String> {
    static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    INSTALLED.get_or_init(install).clone()
}

fn install() -> Result<PathBuf, String> {
    const NEEDS_NODE: &str = "the Prism cross-check needs Node.js: `node` (and, to install @stoplight/prism-cli from tests/prism/package-lock.json, `npm`) must be on PATH; install Node.js 18 or newer and rerun `cargo test --workspace --locked`";
    if !runs("node") {
        return Err(NEEDS_NODE.to_owned());
    }
    let bin = prism_bin();
    if bin.exists() {
        return Ok(bin);
    }
    if !runs("npm") {
        return Err(NEEDS_NODE.to_owned());
    }
    let output = Command::new("npm")
        .args(["ci", "--prefix", "tests/prism", "--no-audit", "--no-fund"])
        .current_dir(workspace_root())
        .output()
        .map_err(|err| format!("cannot run npm ci: {err}"))?;
    if !output.status.success() || !bin.exists() {
        return Err(format!(
            "`npm ci --prefix tests/prism --no-audit --no-fund` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(bin)
}

/// A running Prism mock server; stopped (by its process id) when dropped.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// Where Prism's output goes.
    pub log: PathBuf,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|err| format!("cannot find a free port: {err}"))
}

/// Installs Prism if needed and starts `prism mock --errors <spec>` on a free port.
pub fn start(spec: &Path) -> Result<Prism, String> {
    let bin = ensure_installed()?;
    let port = free_port()?;
    let target = crate::report::target_dir();
    std::fs::create_dir_all(&target)
        .map_err(|err| format!("cannot create {}: {err}", target.display()))?;
    let log = target.join(format!("contract-prism-{port}.log"));
    let out =
        File::create(&log).map_err(|err| format!("cannot create {}: {err}", log.display()))?;
    let err = out
        .try_clone()
        .map_err(|err| format!("cannot share {}: {err}", log.display()))?;
    let child = Command::new(&bin)
        .args([
            "mock",
            "--errors",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .arg(spec)
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .map_err(|err| format!("cannot start {}: {err}", bin.display()))?;
    let mut prism = Prism {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
        log,
    };
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = prism.child.try_wait() {
            return Err(format!(
                "prism exited ({status}) before listening:\n{}",
                std::fs::read_to_string(&prism.log).unwrap_or_default()
            ));
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(prism);
        }
        if started.elapsed() > START_TIMEOUT {
            return Err(format!(
                "prism did not listen on port {port} within {START_TIMEOUT:?}:\n{}",
                std::fs::read_to_string(&prism.log).unwrap_or_default()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The `Prefer` header that makes Prism answer with `case`'s response.
pub fn prefer(case: &Case) -> String {
    format!("code={}, example={}", case.response.status, case.name)
}

/// Records Prism's verdicts on a request (its `sl-violations` header and its
/// own problem+json answers), which the generated client would otherwise
/// decode as an error body or discard.
#[derive(Default)]
struct Recorder {
    rejections: Mutex<Vec<String>>,
}

impl minimax_api::Executor for Recorder {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        _operation_id: &'static str,
    ) -> minimax_api::ExecuteFuture<'a> {
        Box::pin(async move {
            let response = client.execute(request).await?;
            if let Some(violations) = response
                .headers()
                .get("sl-violations")
                .and_then(|value| value.to_str().ok())
            {
                let found = describe_violations(violations);
                if let Ok(mut rejections) = self.rejections.lock() {
                    rejections.push(format!(
                        "Prism answered HTTP {} with violations: {found}",
                        response.status().as_u16()
                    ));
                }
            }
            let is_problem = response
                .headers()
                .get("content-type")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.starts_with("application/problem+json"));
            if !is_problem {
                return Ok(response);
            }
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            if let Ok(mut rejections) = self.rejections.lock() {
                rejections.push(describe_problem(status.as_u16(), &body));
            }
            let mut rebuilt = http::Response::builder().status(status);
            for (name, value) in &headers {
                rebuilt = rebuilt.header(name, value);
            }
            match rebuilt.body(body) {
                Ok(rebuilt) => Ok(reqwest::Response::from(rebuilt)),
                // Cannot happen for parts taken from a valid response; fall
                // back to an empty body rather than panic.
                Err(_) => Ok(reqwest::Response::from(http::Response::new(
                    bytes::Bytes::new(),
                ))),
            }
        })
    }
}

fn describe_validation(items: &[Value]) -> String {
    items
        .iter()
        .map(|item| {
            let location = item
                .get("location")
                .and_then(Value::as_array)
                .map(|parts| {
                    parts
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .unwrap_or_default();
            format!(
                "{location}: {}",
                item.get("message").and_then(Value::as_str).unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `sl-violations` header Prism adds when it answers an invalid request
/// with a response the spec declares (a 400), as `location: message` lines.
pub fn describe_violations(header: &str) -> String {
    match serde_json::from_str::<Vec<Value>>(header) {
        Ok(items) => describe_validation(&items),
        Err(_) => header.to_owned(),
    }
}

/// Prism's problem+json answer, reduced to its status and validation messages.
pub fn describe_problem(status: u16, body: &[u8]) -> String {
    let Ok(problem) = serde_json::from_slice::<Value>(body) else {
        return format!("HTTP {status}: {}", String::from_utf8_lossy(body));
    };
    let title = problem.get("title").and_then(Value::as_str).unwrap_or("");
    let detail = problem.get("detail").and_then(Value::as_str).unwrap_or("");
    let messages = problem
        .get("validation")
        .and_then(Value::as_array)
        .map(|items| describe_validation(items))
        .unwrap_or_default();
    if messages.is_empty() {
        format!("Prism answered HTTP {status} {title}: {detail}")
    } else {
        format!("Prism answered HTTP {status} {title}: {messages}")
    }
}

/// [`Stage::Prism`]: replays `case` against Prism at `base_url`.
pub async fn check_prism(op: &Operation, case: &Case, base_url: &str) -> Verdict {
    let verdict = match adapters::api(&op.id) {
        Some(call) => {
            let recorder = Arc::new(Recorder::default());
            let hooks = minimax_api::Hooks::with_executor(recorder.clone());
            match api_client_with_hooks(base_url, &[("prefer", prefer(case))], hooks) {
                Err(err) => Verdict::Fail(err),
                Ok(client) => match call(&client, &case.request).await {
                    Err(err) => Verdict::Fail(err),
                    Ok(outcome) => {
                        let rejections = recorder
                            .rejections
                            .lock()
                            .map(|rejections| rejections.clone())
                            .unwrap_or_default();
                        if rejections.is_empty() {
                            verdict_of(expect_api(case, &outcome))
                        } else {
                            Verdict::Fail(rejections.join("; "))
                        }
                    }
                },
            }
        }
        None => match adapters::sdk_core(&op.id) {
            // No generated method (the multipart upload): send it the SDK's way.
            Some(call) => prism_through_sdk(call, case, base_url).await,
            None => Verdict::Fail(format!("no adapter for {}", op.id)),
        },
    };
    with_known_issues(case, Stage::Prism, verdict)
}

fn verdict_of(problems: Vec<String>) -> Verdict {
    if problems.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(problems.join("; "))
    }
}

fn prism_through_sdk<'a>(
    call: adapters::SdkCall,
    case: &'a Case,
    base_url: &'a str,
) -> BoxFuture<'a, Verdict> {
    Box::pin(async move {
        let sdk = match sdk_client(base_url, None) {
            Ok(sdk) => sdk,
            Err(err) => return Verdict::Fail(err),
        };
        let Ok(value) = HeaderValue::from_str(&prefer(case)) else {
            return Verdict::Fail("the Prefer header is not a valid header value".to_owned());
        };
        let sdk = sdk.with_options(
            minimax_sdk::RequestOptions::new()
                .header(reqwest::header::HeaderName::from_static("prefer"), value),
        );
        match call(&sdk, &case.request).await {
            Err(err) => Verdict::Fail(err),
            Ok(Err(minimax_sdk::Error::Api(api))) if api.http_status == Some(422) => {
                Verdict::Fail(format!("Prism rejected the request: {}", api.message))
            }
            // Prism answers with the example's body but not its headers.
            Ok(result) => verdict_of(expect_sdk(case, &result, adapters::whole_body, false)),
        }
    })
}
