//! The independent cross-check: Stoplight Prism (pinned in
//! `tests/prism/package.json`), started on a free local port with `prism
//! mock --errors openapi/minimax.json`, validates every request the
//! generated client sends against the spec on its own; a 422 from it means
//! the client sent something the spec forbids.
//!
//! [`ensure_installed`] runs `npm ci --prefix tests/prism --no-audit
//! --no-fund --ignore-scripts` (with `SCARF_ANALYTICS=false`) when
//! `tests/prism/node_modules` is missing or holds another
//! `@stoplight/prism-cli` than the one `tests/prism/package.json` pins, so a
//! fresh checkout needs nothing but node and npm; without them it fails with
//! a message saying so. No install script runs: Prism needs none, and the
//! one dependency that has one (`@scarf/scarf`) only reports the install
//! over the network, which CI does not have beyond the package registry.

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

/// The `npm ci` arguments of the install (after `npm`).
pub const NPM_CI_ARGS: [&str; 6] = [
    "ci",
    "--prefix",
    "tests/prism",
    "--no-audit",
    "--no-fund",
    "--ignore-scripts",
];

/// The package whose version is pinned.
const PRISM_PACKAGE: &str = "@stoplight/prism-cli";

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    serde_json::from_str(&text).map_err(|err| format!("{} is not JSON: {err}", path.display()))
}

/// The `@stoplight/prism-cli` version `<dir>/package.json` pins; an error
/// unless it is an exact version (`5.16.0`, not a range).
pub fn pinned_version(dir: &Path) -> Result<String, String> {
    let manifest = dir.join("package.json");
    let value = read_json(&manifest)?;
    let version = value
        .pointer(&format!(
            "/dependencies/{}",
            PRISM_PACKAGE.replace('/', "~1")
        ))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{} does not depend on {PRISM_PACKAGE}", manifest.display()))?;
    let exact = !version.is_empty()
        && version.split('.').count() == 3
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()));
    if exact {
        Ok(version.to_owned())
    } else {
        Err(format!(
            "{} must pin {PRISM_PACKAGE} to an exact version, not {version:?}",
            manifest.display()
        ))
    }
}

/// The `@stoplight/prism-cli` version installed under `<dir>/node_modules`, if any.
pub fn installed_version(dir: &Path) -> Option<String> {
    let manifest = dir
        .join("node_modules")
        .join(PRISM_PACKAGE)
        .join("package.json");
    read_json(&manifest)
        .ok()?
        .get("version")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Why `<dir>` needs `npm ci`: `None` when its `prism` executable exists
/// and its `@stoplight/prism-cli` is the pinned version.
pub fn needs_install(dir: &Path) -> Result<Option<String>, String> {
    let pinned = pinned_version(dir)?;
    if !dir.join("node_modules/.bin/prism").exists() {
        return Ok(Some(format!("{PRISM_PACKAGE} is not installed")));
    }
    match installed_version(dir) {
        Some(installed) if installed == pinned => Ok(None),
        Some(installed) => Ok(Some(format!(
            "node_modules holds {PRISM_PACKAGE} {installed}, not the pinned {pinned}"
        ))),
        None => Ok(Some(format!(
            "node_modules has no readable {PRISM_PACKAGE}/package.json"
        ))),
    }
}

fn install() -> Result<PathBuf, String> {
    const NEEDS_NODE: &str = "the Prism cross-check needs Node.js: `node` (and, to install @stoplight/prism-cli from tests/prism/package-lock.json, `npm`) must be on PATH; install Node.js 18 or newer and rerun `cargo test --workspace --locked`";
    if !runs("node") {
        return Err(NEEDS_NODE.to_owned());
    }
    let dir = prism_dir();
    let bin = prism_bin();
    let Some(why) = needs_install(&dir)? else {
        return Ok(bin);
    };
    if !runs("npm") {
        return Err(NEEDS_NODE.to_owned());
    }
    let command = format!("SCARF_ANALYTICS=false npm {}", NPM_CI_ARGS.join(" "));
    // `npm ci` removes an existing node_modules first, so a stale version goes.
    let output = Command::new("npm")
        .args(NPM_CI_ARGS)
        .env("SCARF_ANALYTICS", "false")
        .current_dir(workspace_root())
        .output()
        .map_err(|err| format!("cannot run `{command}` ({why}): {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{command}` ({why}) failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    match needs_install(&dir)? {
        None => Ok(bin),
        Some(still) => Err(format!("after `{command}` ({why}): {still}")),
    }
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

/// A free local port (the OS picks it; another process may still take it
/// before Prism binds it, which [`start`] retries once).
pub fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|err| format!("cannot find a free port: {err}"))
}

/// The path of the readiness request; Prism answers it with its own 404.
pub const READINESS_PATH: &str = "/__contract_tests_readiness";

/// What Prism's 404 for a path outside the spec carries.
const PRISM_404_MARKER: &str = "https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR";

/// What answers on a local port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// Nothing accepts connections there.
    NotListening,
    /// Prism: `GET` [`READINESS_PATH`] got its `NO_PATH_MATCHED_ERROR` 404.
    Prism,
    /// Something else (or nothing yet), and what it answered.
    Other(String),
}

/// Sends `GET` [`READINESS_PATH`] to `127.0.0.1:port` and says whether the
/// answer is Prism's: an HTTP 404 problem whose type is Prism's
/// `NO_PATH_MATCHED_ERROR`. A bare TCP connect proves nothing (another
/// process may hold the port, or Prism may not serve yet).
pub fn probe(port: u16) -> Probe {
    use std::io::{Read, Write};
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else {
        return Probe::NotListening;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "GET {READINESS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    );
    if let Err(err) = stream.write_all(request.as_bytes()) {
        return Probe::Other(format!("the request could not be sent: {err}"));
    }
    // Prism keeps the connection alive despite `Connection: close`, so stop
    // reading once its answer is complete enough to judge.
    let mut answer = Vec::new();
    let mut chunk = [0_u8; 4096];
    while answer.len() < 64 * 1024 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
        }
        if String::from_utf8_lossy(&answer).contains(PRISM_404_MARKER) {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer);
    let status_line = text.lines().next().unwrap_or("").to_owned();
    if status_line.starts_with("HTTP/1.1 404") && text.contains(PRISM_404_MARKER) {
        Probe::Prism
    } else if status_line.is_empty() {
        Probe::Other("no HTTP answer".to_owned())
    } else {
        Probe::Other(format!("answered {status_line:?}, not Prism's 404"))
    }
}

/// Why one start failed, and whether another port may help.
enum StartError {
    /// Prism exited before serving (the port was taken, or it crashed): retry once.
    Retry(String),
    /// Anything else.
    Fatal(String),
}

/// Installs Prism if needed and starts `prism mock --errors <spec>` on a
/// free port; when Prism exits before serving (the port was taken between
/// choosing and binding it, or a crash), tries once more on another port.
pub fn start(spec: &Path) -> Result<Prism, String> {
    start_on(spec, &mut free_port)
}

/// [`start`], taking each attempt's port from `ports` (at most two attempts).
pub fn start_on(
    spec: &Path,
    ports: &mut dyn FnMut() -> Result<u16, String>,
) -> Result<Prism, String> {
    let bin = ensure_installed()?;
    let mut failures = Vec::new();
    for _attempt in 0..2 {
        match start_once(&bin, spec, ports()?) {
            Ok(prism) => return Ok(prism),
            Err(StartError::Fatal(why)) => {
                failures.push(why);
                break;
            }
            Err(StartError::Retry(why)) => failures.push(why),
        }
    }
    Err(failures.join("\nthen "))
}

fn start_once(bin: &Path, spec: &Path, port: u16) -> Result<Prism, StartError> {
    let target = crate::report::target_dir();
    std::fs::create_dir_all(&target)
        .map_err(|err| StartError::Fatal(format!("cannot create {}: {err}", target.display())))?;
    let log = target.join(format!("contract-prism-{port}.log"));
    let out = File::create(&log)
        .map_err(|err| StartError::Fatal(format!("cannot create {}: {err}", log.display())))?;
    let err = out
        .try_clone()
        .map_err(|err| StartError::Fatal(format!("cannot share {}: {err}", log.display())))?;
    let child = Command::new(bin)
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
        .map_err(|err| StartError::Fatal(format!("cannot start {}: {err}", bin.display())))?;
    let mut prism = Prism {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
        log,
    };
    let started = Instant::now();
    let mut last = Probe::NotListening;
    loop {
        if let Ok(Some(status)) = prism.child.try_wait() {
            let output = std::fs::read_to_string(&prism.log).unwrap_or_default();
            let cause = if output.contains("EADDRINUSE") {
                format!("port {port} was taken")
            } else {
                format!("it exited ({status})")
            };
            return Err(StartError::Retry(format!(
                "prism did not serve on port {port}: {cause} (last probe: {last:?}):\n{output}"
            )));
        }
        last = probe(port);
        // Prism's answer, and Prism still running (not a process that held
        // the port while Prism failed to bind it).
        if last == Probe::Prism && matches!(prism.child.try_wait(), Ok(None)) {
            return Ok(prism);
        }
        if started.elapsed() > START_TIMEOUT {
            return Err(StartError::Fatal(format!(
                "prism did not answer on port {port} within {START_TIMEOUT:?} (last probe: {last:?}):\n{}",
                std::fs::read_to_string(&prism.log).unwrap_or_default()
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One Prism for every test of a process that runs at the same time: the
/// first caller starts it, later callers get the same server while any
/// caller still holds it, and it stops when the last one drops it (a
/// `static` that owned it would leave the process running after the tests).
pub fn shared(spec: &Path) -> Result<Arc<Prism>, String> {
    static SHARED: Mutex<Option<(PathBuf, std::sync::Weak<Prism>)>> = Mutex::new(None);
    let mut slot = SHARED
        .lock()
        .map_err(|_| "a test panicked while starting Prism".to_owned())?;
    if let Some((path, weak)) = slot.as_ref() {
        if let Some(prism) = weak.upgrade().filter(|_| path == spec) {
            return Ok(prism);
        }
    }
    let prism = Arc::new(start(spec)?);
    *slot = Some((spec.to_owned(), Arc::downgrade(&prism)));
    Ok(prism)
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
            let mut response = client.execute(request).await?;
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
                return Ok(minimax_api::body::Executed::new(response));
            }
            let status = response.status();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                body.extend_from_slice(&chunk);
            }
            if let Ok(mut rejections) = self.rejections.lock() {
                rejections.push(describe_problem(status.as_u16(), &body));
            }
            // The generated code decodes (or hands on) the body read here.
            Ok(minimax_api::body::Executed::buffered(
                response,
                bytes::Bytes::from(body),
            ))
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failure is a failed test
mod tests {
    use super::*;

    /// A scratch `tests/prism` look-alike: a package.json pinning `pin`, and
    /// optionally an installed prism-cli of version `installed`.
    fn layout(name: &str, pin: &str, installed: Option<&str>) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "minimax-contract-prism-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = serde_json::json!({"dependencies": {PRISM_PACKAGE: pin}});
        std::fs::write(dir.join("package.json"), manifest.to_string()).unwrap();
        if let Some(version) = installed {
            let package = dir.join("node_modules").join(PRISM_PACKAGE);
            std::fs::create_dir_all(&package).unwrap();
            let manifest = serde_json::json!({"name": PRISM_PACKAGE, "version": version});
            std::fs::write(package.join("package.json"), manifest.to_string()).unwrap();
            std::fs::create_dir_all(dir.join("node_modules/.bin")).unwrap();
            std::fs::write(dir.join("node_modules/.bin/prism"), "").unwrap();
        }
        dir
    }

    #[test]
    fn a_stale_or_missing_prism_is_reinstalled() {
        let current = layout("current", "5.16.0", Some("5.16.0"));
        assert_eq!(needs_install(&current), Ok(None));
        let stale = layout("stale", "5.16.0", Some("5.15.1"));
        assert_eq!(
            needs_install(&stale),
            Ok(Some(
                "node_modules holds @stoplight/prism-cli 5.15.1, not the pinned 5.16.0".to_owned()
            ))
        );
        let missing = layout("missing", "5.16.0", None);
        assert!(needs_install(&missing).unwrap().is_some());
        let range = layout("range", "^5.16.0", Some("5.16.0"));
        assert!(needs_install(&range).unwrap_err().contains("exact version"));
        for dir in [current, stale, missing, range] {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// The real pin is exact and agrees with the committed lock file.
    #[test]
    fn the_pin_is_exact_and_locked() {
        let pinned = pinned_version(&prism_dir()).unwrap();
        let lock = read_json(&prism_dir().join("package-lock.json")).unwrap();
        assert_eq!(
            lock.pointer("/packages/node_modules~1@stoplight~1prism-cli/version")
                .and_then(Value::as_str),
            Some(pinned.as_str())
        );
    }

    /// A local server that answers every connection with `answer`; its port.
    fn answering(answer: &'static str) -> u16 {
        use std::io::{Read, Write};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = [0_u8; 1024];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        port
    }

    /// Readiness is Prism's answer, not a bare TCP connect: another HTTP
    /// server, or one that accepts and says nothing, is not Prism.
    #[test]
    fn only_prisms_own_404_counts_as_ready() {
        let prism = answering(
            "HTTP/1.1 404 Not Found\r\ncontent-type: application/problem+json\r\nConnection: keep-alive\r\n\r\n{\"type\":\"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR\",\"title\":\"Route not resolved, no path matched\",\"status\":404}",
        );
        assert_eq!(probe(prism), Probe::Prism);
        let other = answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assert!(
            matches!(probe(other), Probe::Other(ref why) if why.contains("200 OK")),
            "{:?}",
            probe(other)
        );
        let plain_404 = answering("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assert!(matches!(probe(plain_404), Probe::Other(_)));
        let silent = answering("");
        assert!(matches!(probe(silent), Probe::Other(_)));
        let closed = free_port().unwrap();
        assert_eq!(probe(closed), Probe::NotListening);
    }

    /// No install script runs (`@scarf/scarf` would report the install over
    /// the network).
    #[test]
    fn npm_ci_runs_no_install_script() {
        assert_eq!(&NPM_CI_ARGS[..3], ["ci", "--prefix", "tests/prism"]);
        assert!(NPM_CI_ARGS.contains(&"--ignore-scripts"));
    }
}
