//! Client configuration: [`ClientBuilder`] (settings in code and from the
//! environment), [`Region`], the resolved [`Config`], and per-request
//! overrides in [`RequestOptions`].
//!
//! # Environment variables
//!
//! | variable | meaning |
//! |---|---|
//! | `MINIMAX_API_KEY` | the API key (required) |
//! | `MINIMAX_REGION` | `global` (default, `https://api.minimax.io`) or `china` (`https://api.minimaxi.com`), any case |
//! | `MINIMAX_BASE_URL` | any other base URL (a proxy, a mock server); exclusive with `MINIMAX_REGION` |
//! | `MINIMAX_GROUP_ID` | legacy accounts only: sent as the `GroupId` query parameter |
//!
//! A setting made in code replaces the environment's value; choosing the
//! endpoint in code (region or base URL) replaces both endpoint variables.
//! Choosing a region and a base URL in the same place is an error that names
//! both settings, never "last one wins".
//!
//! # Defaults
//!
//! | setting | default |
//! |---|---|
//! | endpoint | [`Region::Global`] |
//! | per-attempt timeout | [`DEFAULT_TIMEOUT`] (10 min; covers connecting, sending and receiving the whole body) |
//! | connect timeout | [`DEFAULT_CONNECT_TIMEOUT`] (10 s) |
//! | retries | [`RetryPolicy::default`] |
//! | TLS | rustls |
//! | user agent | `minimax-sdk-rust/<version>` |

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::client::Client;
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::secret::ApiKey;

/// The environment variable holding the API key.
pub const ENV_API_KEY: &str = "MINIMAX_API_KEY";
/// The environment variable choosing the region.
pub const ENV_REGION: &str = "MINIMAX_REGION";
/// The environment variable overriding the base URL.
pub const ENV_BASE_URL: &str = "MINIMAX_BASE_URL";
/// The environment variable holding a legacy `GroupId`.
pub const ENV_GROUP_ID: &str = "MINIMAX_GROUP_ID";

/// The default limit on one attempt: connecting, sending the request and
/// receiving the whole response body (long speech, music and streamed chat
/// responses need minutes).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The default limit on establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("minimax-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// A MiniMax deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// The international platform, `https://api.minimax.io`.
    Global,
    /// The mainland China platform, `https://api.minimaxi.com`.
    China,
}

impl Region {
    /// The region's API base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Global => "https://api.minimax.io",
            Region::China => "https://api.minimaxi.com",
        }
    }

    /// The name used in `MINIMAX_REGION`.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Global => "global",
            Region::China => "china",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Region {
    type Err = Error;

    /// Parses `global` or `china`, ignoring ASCII case and surrounding spaces.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("global") {
            Ok(Region::Global)
        } else if text.eq_ignore_ascii_case("china") {
            Ok(Region::China)
        } else {
            Err(Error::Config(format!(
                "unknown region {text:?}; expected `global` or `china`"
            )))
        }
    }
}

/// Where a setting came from, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Env(&'static str),
    Code(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Env(variable) => write!(f, "{variable}"),
            Source::Code(method) => write!(f, "ClientBuilder::{method}"),
        }
    }
}

/// Builds a [`Client`]. Start from [`Client::builder`] (nothing preset) or
/// [`ClientBuilder::from_env`] (preset from the environment).
///
/// ```
/// use std::time::Duration;
/// use minimax_sdk::{Client, Region, RetryPolicy};
///
/// let client = Client::builder()
///     .api_key("sk-example")
///     .region(Region::China)
///     .timeout(Duration::from_secs(120))
///     .retry_policy(RetryPolicy::default().max_retries(4))
///     .build()?;
/// assert_eq!(client.config().base_url(), "https://api.minimaxi.com");
/// # Ok::<(), minimax_sdk::Error>(())
/// ```
pub struct ClientBuilder {
    api_key: Option<(SecretString, Source)>,
    region: Option<(Region, Source)>,
    base_url: Option<(String, Source)>,
    group_id: Option<(String, Source)>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    user_agent: Option<String>,
    deferred: Option<Error>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("group_id", &self.group_id)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            api_key: None,
            region: None,
            base_url: None,
            group_id: None,
            http_client: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: None,
            retry_policy: RetryPolicy::default(),
            user_agent: None,
            deferred: None,
        }
    }
}

impl ClientBuilder {
    /// A builder with nothing preset (the API key must be set in code).
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder preset from `MINIMAX_API_KEY`, `MINIMAX_REGION`,
    /// `MINIMAX_BASE_URL` and `MINIMAX_GROUP_ID`. Invalid values are reported
    /// by [`ClientBuilder::build`], naming the variable.
    pub fn from_env() -> Self {
        let mut unreadable = None;
        let builder = Self::from_env_vars(|name| match std::env::var(name) {
            Ok(value) => Some(value),
            Err(std::env::VarError::NotPresent) => None,
            Err(std::env::VarError::NotUnicode(_)) => {
                unreadable.get_or_insert(name.to_owned());
                None
            }
        });
        match unreadable {
            Some(name) => builder.defer(Error::Config(format!("{name} is not valid UTF-8"))),
            None => builder,
        }
    }

    /// Like [`ClientBuilder::from_env`], reading the variables through
    /// `lookup` instead of the process environment (for configuration kept
    /// elsewhere, and for tests). Empty values count as unset, except for
    /// `MINIMAX_API_KEY`, where an empty value is an error.
    pub fn from_env_vars(mut lookup: impl FnMut(&str) -> Option<String>) -> Self {
        let mut builder = Self::new();
        if let Some(key) = lookup(ENV_API_KEY) {
            if key.trim().is_empty() {
                builder = builder.defer(Error::Config(format!(
                    "{ENV_API_KEY} is set but empty; set it to your MiniMax API key"
                )));
            } else {
                builder.api_key = Some((SecretString::from(key), Source::Env(ENV_API_KEY)));
            }
        }
        if let Some(region) = lookup(ENV_REGION).filter(|value| !value.trim().is_empty()) {
            match region.parse::<Region>() {
                Ok(region) => builder.region = Some((region, Source::Env(ENV_REGION))),
                Err(_) => {
                    builder = builder.defer(Error::Config(format!(
                        "{ENV_REGION} has the unsupported value {:?}; allowed values are `global` and `china`",
                        region.trim()
                    )))
                }
            }
        }
        if let Some(url) = lookup(ENV_BASE_URL).filter(|value| !value.trim().is_empty()) {
            builder.base_url = Some((url.trim().to_owned(), Source::Env(ENV_BASE_URL)));
        }
        if let Some(group) = lookup(ENV_GROUP_ID).filter(|value| !value.trim().is_empty()) {
            builder.group_id = Some((group.trim().to_owned(), Source::Env(ENV_GROUP_ID)));
        }
        builder
    }

    fn defer(mut self, error: Error) -> Self {
        self.deferred.get_or_insert(error);
        self
    }

    /// Sets the API key (replacing `MINIMAX_API_KEY`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some((SecretString::from(key.into()), Source::Code("api_key")));
        self
    }

    /// Chooses the MiniMax deployment (replacing `MINIMAX_REGION` and
    /// `MINIMAX_BASE_URL`). Exclusive with [`ClientBuilder::base_url`].
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some((region, Source::Code("region")));
        if matches!(self.base_url, Some((_, Source::Env(_)))) {
            self.base_url = None;
        }
        self
    }

    /// Sends requests to `url` instead of a region's host (a proxy, a mock
    /// server), replacing `MINIMAX_REGION` and `MINIMAX_BASE_URL`. Exclusive
    /// with [`ClientBuilder::region`].
    ///
    /// The URL must be `https://`, except for loopback hosts (`localhost`,
    /// `127.0.0.0/8`, `::1`), which may use `http://`. A path prefix is kept.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some((url.into().trim().to_owned(), Source::Code("base_url")));
        if matches!(self.region, Some((_, Source::Env(_)))) {
            self.region = None;
        }
        self
    }

    /// Sends `GroupId=<id>` with every API request (legacy accounts only).
    pub fn group_id(mut self, group_id: impl Into<String>) -> Self {
        self.group_id = Some((group_id.into().trim().to_owned(), Source::Code("group_id")));
        self
    }

    /// Uses `client` for all HTTP traffic (proxies, TLS roots, pools).
    ///
    /// The SDK's per-attempt timeout, retries, authentication and tracing
    /// still apply. Connection settings (connect timeout, TLS, user agent)
    /// are the client's own: start from [`Client::http_client_builder`] to
    /// keep the SDK's defaults.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sets the per-attempt timeout (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Removes the per-attempt timeout (an overall deadline set in the
    /// [`RetryPolicy`] still applies).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Sets the connect timeout (default [`DEFAULT_CONNECT_TIMEOUT`]).
    /// Cannot be combined with [`ClientBuilder::http_client`]; set it on
    /// the `reqwest::ClientBuilder` instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Shorthand for changing only [`RetryPolicy::max_retries`].
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry_policy.max_retries = max_retries;
        self
    }

    /// Sends `user_agent` as the `User-Agent` of every request (also with a
    /// client passed to [`ClientBuilder::http_client`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] when the API key is missing or empty, a
    /// region and a base URL are both chosen, the base URL is invalid or
    /// plain `http://` to a non-loopback host, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let (config, http) = self.resolve()?;
        Ok(Client::from_parts(config, http))
    }

    fn resolve(self) -> Result<(Config, reqwest::Client), Error> {
        if let Some(error) = self.deferred {
            return Err(error);
        }
        let api_key = match &self.api_key {
            None => {
                return Err(Error::Config(format!(
                    "no API key: set {ENV_API_KEY} or call ClientBuilder::api_key"
                )))
            }
            Some((key, source)) => ApiKey::new(key.expose_secret().to_owned())
                .map_err(|error| Error::Config(format!("{source}: {}", config_message(error))))?,
        };

        let (base_url, region) = match (self.region, &self.base_url) {
            (Some((_, region_source)), Some((_, url_source))) => {
                return Err(Error::Config(format!(
                    "{region_source} and {url_source} both choose the API endpoint; \
                     set only one (a region picks a MiniMax host, a base URL names any host)"
                )))
            }
            (Some((region, _)), None) => (
                parse_base_url(region.base_url(), Source::Code("region"))?,
                Some(region),
            ),
            (None, Some((url, source))) => (parse_base_url(url, *source)?, None),
            (None, None) => (
                parse_base_url(Region::Global.base_url(), Source::Code("region"))?,
                Some(Region::Global),
            ),
        };

        let group_id = match self.group_id {
            Some((group, source)) if group.is_empty() => {
                return Err(Error::Config(format!("{source}: the group id is empty")))
            }
            Some((group, _)) => Some(group),
            None => None,
        };

        let user_agent = match &self.user_agent {
            Some(agent) => Some(HeaderValue::from_str(agent).map_err(|_| {
                Error::Config(
                    "ClientBuilder::user_agent: the user agent contains characters that cannot be sent in an HTTP header"
                        .to_owned(),
                )
            })?),
            None => None,
        };

        // The per-attempt timeout is also the default of a client built
        // here, so the executor only sets a timeout on requests that need
        // a different one (a reqwest per-request timeout costs a small map
        // on every request).
        let mut client_timeout = None;
        let mut connect_timeout = None;
        let http = match self.http_client {
            Some(client) => {
                if self.connect_timeout.is_some() {
                    return Err(Error::Config(
                        "ClientBuilder::connect_timeout and ClientBuilder::http_client conflict: a connect timeout \
                         cannot be added to a ready-made reqwest::Client; set it on the reqwest::ClientBuilder \
                         (start from Client::http_client_builder())"
                            .to_owned(),
                    ));
                }
                client
            }
            None => {
                let connect = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
                connect_timeout = Some(connect);
                let mut builder = Client::http_client_builder().connect_timeout(connect);
                if let Some(agent) = &user_agent {
                    builder = builder.user_agent(agent.clone());
                }
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                    client_timeout = Some(timeout);
                }
                builder.build().map_err(|error| {
                    Error::Config(format!("could not build the HTTP client: {error}"))
                })?
            }
        };

        let bearer = api_key.bearer_header()?;
        let config = Config {
            api_key,
            bearer,
            origin: base_url.origin(),
            base_url: base_url.as_str().trim_end_matches('/').to_owned(),
            region,
            group_id,
            timeout: self.timeout,
            client_timeout,
            connect_timeout,
            retry_policy: self.retry_policy,
            user_agent,
        };
        Ok((config, http))
    }
}

fn config_message(error: Error) -> String {
    match error {
        Error::Config(message) => message,
        other => other.to_string(),
    }
}

/// Whether `host` is a loopback host (`localhost`, `127.0.0.0/8`, `::1`).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

fn parse_base_url(text: &str, source: Source) -> Result<Url, Error> {
    let invalid = |why: &str| Error::Config(format!("{source}: invalid base URL {text:?}: {why}"));
    let url = Url::parse(text).map_err(|error| invalid(&error.to_string()))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(invalid(
                "plain http:// is only allowed for loopback hosts (localhost, 127.0.0.1, ::1); use https://",
            ))
        }
        _ => return Err(invalid("the scheme must be https://")),
    }
    if url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "credentials in the URL are not supported; use the API key",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query string or fragment"));
    }
    Ok(url)
}

/// The resolved configuration of a [`Client`]. `Debug` shows
/// `api_key: "[redacted]"`.
#[derive(Clone)]
pub struct Config {
    pub(crate) api_key: ApiKey,
    pub(crate) bearer: HeaderValue,
    pub(crate) origin: url::Origin,
    pub(crate) base_url: String,
    pub(crate) region: Option<Region>,
    pub(crate) group_id: Option<String>,
    pub(crate) timeout: Option<Duration>,
    /// The total timeout built into the `reqwest::Client` (`None` for a
    /// client the caller brought): what a request without its own
    /// timeout gets.
    pub(crate) client_timeout: Option<Duration>,
    /// The connect timeout of a client built here (`None` for a client
    /// the caller brought, whose settings are its own).
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) user_agent: Option<HeaderValue>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("region", &self.region)
            .field("group_id", &self.group_id)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl Config {
    /// The API base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The region, when the endpoint was chosen by region (or by default).
    pub fn region(&self) -> Option<Region> {
        self.region
    }

    /// The legacy `GroupId`, when configured.
    pub fn group_id(&self) -> Option<&str> {
        self.group_id.as_deref()
    }

    /// The per-attempt timeout; `None` when disabled.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The connect timeout of the HTTP client the SDK built (the builder's
    /// value, or 10 s by default); `None` when the caller brought their
    /// own `reqwest::Client`, whose settings are its own.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry_policy
    }

    /// Whether `url` points at the API origin (scheme, host and port of the
    /// base URL): only such requests carry the API key.
    pub fn is_api_url(&self, url: &Url) -> bool {
        match &self.origin {
            url::Origin::Tuple(scheme, host, port) => {
                url.scheme() == scheme
                    && url.port_or_known_default() == Some(*port)
                    && match (url.host(), host) {
                        (Some(url::Host::Domain(a)), url::Host::Domain(b)) => a == b,
                        (Some(url::Host::Ipv4(a)), url::Host::Ipv4(b)) => a == *b,
                        (Some(url::Host::Ipv6(a)), url::Host::Ipv6(b)) => a == *b,
                        _ => false,
                    }
            }
            url::Origin::Opaque(_) => false,
        }
    }
}

/// Per-request overrides of the client's settings, applied with
/// [`Client::with_options`]. Unset fields keep the client's values.
///
/// ```
/// use std::time::Duration;
/// use minimax_sdk::RequestOptions;
///
/// let options = RequestOptions::new()
///     .max_retries(0)
///     .timeout(Duration::from_secs(30))
///     .retry_paid_requests(true);
/// assert_eq!(options.max_retries, Some(0));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Overrides [`RetryPolicy::max_retries`].
    pub max_retries: Option<u32>,
    /// Overrides the per-attempt timeout.
    pub timeout: Option<Duration>,
    /// Overrides [`RetryPolicy::overall_deadline`].
    pub overall_deadline: Option<Duration>,
    /// Overrides [`RetryPolicy::retry_paid_requests`].
    pub retry_paid_requests: Option<bool>,
    /// Extra headers sent with every request (they never replace `Authorization`).
    pub headers: HeaderMap,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`RequestOptions::max_retries`].
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Sets [`RequestOptions::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets [`RequestOptions::overall_deadline`].
    pub fn overall_deadline(mut self, deadline: Duration) -> Self {
        self.overall_deadline = Some(deadline);
        self
    }

    /// Sets [`RequestOptions::retry_paid_requests`].
    pub fn retry_paid_requests(mut self, retry: bool) -> Self {
        self.retry_paid_requests = Some(retry);
        self
    }

    /// Adds a header to every request.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// These options with `other`'s set fields taking precedence.
    pub fn merge(mut self, other: &RequestOptions) -> Self {
        self.max_retries = other.max_retries.or(self.max_retries);
        self.timeout = other.timeout.or(self.timeout);
        self.overall_deadline = other.overall_deadline.or(self.overall_deadline);
        self.retry_paid_requests = other.retry_paid_requests.or(self.retry_paid_requests);
        for (name, value) in &other.headers {
            self.headers.insert(name.clone(), value.clone());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> ClientBuilder {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        ClientBuilder::from_env_vars(|name| vars.get(name).cloned())
    }

    fn config_error(builder: ClientBuilder) -> String {
        match builder.resolve() {
            Err(Error::Config(message)) => message,
            Err(other) => panic!("expected a config error, got {other}"),
            Ok(_) => panic!("expected a config error"),
        }
    }

    #[test]
    fn missing_or_empty_key_names_the_variable() {
        assert!(config_error(env(&[])).contains("MINIMAX_API_KEY"));
        assert!(config_error(env(&[("MINIMAX_API_KEY", "  ")])).contains("MINIMAX_API_KEY"));
        assert!(config_error(ClientBuilder::new().api_key("")).contains("ClientBuilder::api_key"));
    }

    #[test]
    fn region_is_case_insensitive_and_validated() {
        let (config, _) = env(&[("MINIMAX_API_KEY", "k"), ("MINIMAX_REGION", "China")])
            .resolve()
            .unwrap();
        assert_eq!(config.base_url(), "https://api.minimaxi.com");
        assert_eq!(config.region(), Some(Region::China));
        let (config, _) = env(&[("MINIMAX_API_KEY", "k"), ("MINIMAX_REGION", "GLOBAL")])
            .resolve()
            .unwrap();
        assert_eq!(config.base_url(), "https://api.minimax.io");
        let message = config_error(env(&[("MINIMAX_API_KEY", "k"), ("MINIMAX_REGION", "mars")]));
        assert!(
            message.contains("MINIMAX_REGION")
                && message.contains("global")
                && message.contains("china"),
            "{message}"
        );
    }

    #[test]
    fn region_and_base_url_conflict_names_both_settings() {
        let message = config_error(env(&[
            ("MINIMAX_API_KEY", "k"),
            ("MINIMAX_REGION", "china"),
            ("MINIMAX_BASE_URL", "https://proxy.example"),
        ]));
        assert!(
            message.contains("MINIMAX_REGION") && message.contains("MINIMAX_BASE_URL"),
            "{message}"
        );
        let message = config_error(
            ClientBuilder::new()
                .api_key("k")
                .region(Region::China)
                .base_url("https://proxy.example"),
        );
        assert!(
            message.contains("ClientBuilder::region")
                && message.contains("ClientBuilder::base_url"),
            "{message}"
        );
    }

    #[test]
    fn code_replaces_the_environment_endpoint() {
        let (config, _) = env(&[("MINIMAX_API_KEY", "k"), ("MINIMAX_REGION", "china")])
            .base_url("https://proxy.example/minimax/")
            .resolve()
            .unwrap();
        assert_eq!(config.base_url(), "https://proxy.example/minimax");
        assert_eq!(config.region(), None);
        let (config, _) = env(&[
            ("MINIMAX_API_KEY", "k"),
            ("MINIMAX_BASE_URL", "https://proxy.example"),
        ])
        .region(Region::Global)
        .resolve()
        .unwrap();
        assert_eq!(config.base_url(), "https://api.minimax.io");
    }

    #[test]
    fn plain_http_is_only_allowed_for_loopback_hosts() {
        for url in [
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://localhost:1234/x",
            "http://[::1]:99",
        ] {
            let (config, _) = ClientBuilder::new()
                .api_key("k")
                .base_url(url)
                .resolve()
                .unwrap();
            assert!(config.base_url().starts_with("http://"), "{url}");
        }
        for url in [
            "http://api.minimax.io",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://x",
            "https://u:p@host",
            "https://h/?q=1",
            "not a url",
        ] {
            let message = config_error(ClientBuilder::new().api_key("k").base_url(url));
            assert!(
                message.contains("ClientBuilder::base_url"),
                "{url}: {message}"
            );
        }
        let message = config_error(env(&[
            ("MINIMAX_API_KEY", "k"),
            ("MINIMAX_BASE_URL", "http://example.com"),
        ]));
        assert!(
            message.contains("MINIMAX_BASE_URL") && message.contains("loopback"),
            "{message}"
        );
    }

    #[test]
    fn group_id_comes_from_env_or_code() {
        let (config, _) = env(&[("MINIMAX_API_KEY", "k"), ("MINIMAX_GROUP_ID", " 123 ")])
            .resolve()
            .unwrap();
        assert_eq!(config.group_id(), Some("123"));
        let (config, _) = env(&[("MINIMAX_API_KEY", "k"), ("MINIMAX_GROUP_ID", "")])
            .resolve()
            .unwrap();
        assert_eq!(config.group_id(), None);
    }

    #[test]
    fn connect_timeout_conflicts_with_a_custom_client() {
        let message = config_error(
            ClientBuilder::new()
                .api_key("k")
                .http_client(reqwest::Client::new())
                .connect_timeout(Duration::from_secs(1)),
        );
        assert!(
            message.contains("connect_timeout") && message.contains("http_client"),
            "{message}"
        );
    }

    #[test]
    fn the_config_reports_the_connect_timeout_that_applies() {
        let (config, _) = ClientBuilder::new().api_key("k").resolve().unwrap();
        assert_eq!(config.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));
        let (config, _) = ClientBuilder::new()
            .api_key("k")
            .connect_timeout(Duration::from_secs(3))
            .resolve()
            .unwrap();
        assert_eq!(config.connect_timeout(), Some(Duration::from_secs(3)));
        assert!(format!("{config:?}").contains("connect_timeout: Some(3s)"));
        let (config, _) = ClientBuilder::new()
            .api_key("k")
            .http_client(reqwest::Client::new())
            .resolve()
            .unwrap();
        assert_eq!(config.connect_timeout(), None);
    }

    #[test]
    fn debug_never_shows_the_key() {
        let builder = ClientBuilder::new().api_key("sk-hidden-123");
        assert!(!format!("{builder:?}").contains("sk-hidden-123"));
        let (config, _) = builder.resolve().unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("sk-hidden-123"), "{shown}");
        assert!(shown.contains("api_key: \"[redacted]\""), "{shown}");
    }

    #[test]
    fn options_merge_with_later_values_winning() {
        let base = RequestOptions::new()
            .max_retries(1)
            .timeout(Duration::from_secs(5));
        let merged = base.merge(
            &RequestOptions::new()
                .max_retries(0)
                .retry_paid_requests(true),
        );
        assert_eq!(merged.max_retries, Some(0));
        assert_eq!(merged.timeout, Some(Duration::from_secs(5)));
        assert_eq!(merged.retry_paid_requests, Some(true));
    }
}
