//! [`Client`]: the entry point, a cheap handle on the configuration, the
//! HTTP client and the executor.
//!
//! It offers the building blocks every resource uses:
//!
//! - [`Client::call`] (and [`Client::call_response`],
//!   [`Client::call_unchecked`]) wrap a generated `minimax_api` call: they
//!   install the per-call context the executor reads (per-request options),
//!   then map progenitor's error and a non-zero `base_resp` to [`Error`];
//! - [`Client::send`] and [`Client::send_with`] send a hand-written request
//!   (multipart, SSE, raw) through the same executor and return the
//!   response, or a typed error for a failed status or a non-zero `base_resp`;
//! - [`Client::raw`] is the generated `minimax_api::Client`, built with
//!   [`minimax_api::Hooks`] carrying the SDK's executor, so its calls take
//!   the same path.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use minimax_api::HasBaseResp;
use progenitor_client::ResponseValue;
use serde::Serialize;

use crate::config::{
    ClientBuilder, Config, RequestOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_USER_AGENT,
};
use crate::error::{
    check_base_resp_with, from_failed_response, from_progenitor_with, from_reqwest, Error,
};
use crate::executor::{CallContext, CallRecord, Finish, RequestSource, RunError, SdkExecutor};
use crate::response::{Response, TraceId};

/// A MiniMax API client.
///
/// Cloning is cheap (an `Arc`); clones share the connection pool.
/// [`Client::with_options`] returns a clone with per-request overrides.
///
/// ```no_run
/// # async fn run() -> Result<(), minimax_sdk::Error> {
/// use minimax_sdk::{Client, RequestOptions};
///
/// let client = Client::from_env()?;
/// let patient = client.with_options(RequestOptions::new().max_retries(5));
/// # let _ = patient;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Shared with every call's context rather than copied into it.
    options: Arc<RequestOptions>,
}

struct Inner {
    config: Arc<Config>,
    http: reqwest::Client,
    executor: Arc<SdkExecutor>,
    raw: minimax_api::Client,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("options", &self.options)
            .finish()
    }
}

impl Client {
    /// A builder with nothing preset.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `MINIMAX_API_KEY`, `MINIMAX_REGION`,
    /// `MINIMAX_BASE_URL` and `MINIMAX_GROUP_ID` (see [`crate::config`]).
    ///
    /// Fails with [`Error::Config`] naming the variable when the key is
    /// missing or a value is invalid.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// A `reqwest::ClientBuilder` preloaded with the SDK's defaults (rustls,
    /// a [`DEFAULT_CONNECT_TIMEOUT`] connect timeout, the SDK's user agent,
    /// and `reqwest`'s own retries turned off: the SDK retries, HTTP/2
    /// refusals included, so `reqwest` need not copy every request for a
    /// retry of its own), for building a customised client to pass to
    /// [`ClientBuilder::http_client`].
    pub fn http_client_builder() -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .tls_backend_rustls()
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .user_agent(DEFAULT_USER_AGENT)
            .retry(reqwest::retry::never().max_retries_per_request(0))
    }

    pub(crate) fn from_parts(config: Config, http: reqwest::Client) -> Client {
        let config = Arc::new(config);
        let executor = Arc::new(SdkExecutor::new(Arc::clone(&config)));
        let hooks = minimax_api::Hooks::with_executor(executor.clone());
        let raw = minimax_api::Client::new_with_client(config.base_url(), http.clone(), hooks);
        Client {
            inner: Arc::new(Inner {
                config,
                http,
                executor,
                raw,
            }),
            options: Arc::default(),
        }
    }

    /// The resolved configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The HTTP client all requests use. One the SDK built has the
    /// per-attempt timeout as its default total timeout.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The generated low-level client, sending through this client's
    /// executor (auth, retries, timeouts, tracing). Wrap its calls in
    /// [`Client::call`] to apply this handle's [`RequestOptions`] and turn
    /// a non-zero `base_resp` into an error:
    ///
    /// ```no_run
    /// # async fn run(client: minimax_sdk::Client) -> Result<(), minimax_sdk::Error> {
    /// let file = client
    ///     .call("retrieve_file", client.raw().retrieve_file().file_id(205258526306433_i64).send())
    ///     .await?;
    /// println!("{:?}", file.file);
    /// # Ok(()) }
    /// ```
    pub fn raw(&self) -> &minimax_api::Client {
        &self.inner.raw
    }

    /// The per-request overrides of this handle.
    pub fn options(&self) -> &RequestOptions {
        &self.options
    }

    /// A handle sharing this client's connection pool and configuration,
    /// with `options` applied to every call made through it (later
    /// `with_options` calls override earlier ones field by field).
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            options: Arc::new(RequestOptions::clone(&self.options).merge(&options)),
        }
    }

    /// Hooks that route another generated `minimax_api::Client` (for example
    /// one with a different base URL) through this client's executor:
    /// `minimax_api::Client::new_with_client(url, client.http_client().clone(), client.hooks())`.
    /// [`Client::raw`] is already built this way.
    pub fn hooks(&self) -> minimax_api::Hooks {
        let executor: Arc<dyn minimax_api::Executor> = self.inner.executor.clone();
        minimax_api::Hooks::with_executor(executor)
    }

    /// The absolute URL of an API path (`/v1/files/upload`).
    pub fn url(&self, path: &str) -> Result<reqwest::Url, Error> {
        let joined = format!(
            "{}/{}",
            self.inner.config.base_url(),
            path.trim_start_matches('/')
        );
        reqwest::Url::parse(&joined)
            .map_err(|error| Error::InvalidArgument(format!("invalid API path {path:?}: {error}")))
    }

    /// A request builder for an API path on this client's HTTP client, to
    /// pass to [`Client::send`].
    pub fn request(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> Result<reqwest::RequestBuilder, Error> {
        Ok(self.inner.http.request(method, self.url(path)?))
    }

    /// Sends a hand-written request through the executor (auth, `GroupId`,
    /// timeouts, retries while the body can be replayed, tracing).
    ///
    /// Returns the response when it succeeded; a non-2xx status or a JSON
    /// body with a non-zero `base_resp` (or an error object) becomes
    /// [`Error::Api`]. SSE and binary bodies are returned unread.
    pub async fn send(
        &self,
        operation: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error> {
        let (http, request) = request.build_split();
        let request = request.map_err(|error| from_reqwest(operation, error, None))?;
        self.execute(&http, operation, RequestSource::Once(request))
            .await
    }

    /// Like [`Client::send`], building a fresh request for every attempt
    /// with `build`, so requests whose bodies cannot be cloned (multipart
    /// uploads streamed from a file) are still retried. An error from
    /// `build` ends the call.
    pub async fn send_with<F, Fut>(
        &self,
        operation: &'static str,
        build: F,
    ) -> Result<reqwest::Response, Error>
    where
        F: Fn() -> Fut + Send + Sync,
        Fut: Future<Output = Result<reqwest::Request, Error>> + Send,
    {
        let factory = || -> BoxFuture<'_, Result<reqwest::Request, Error>> { Box::pin(build()) };
        self.execute(
            &self.inner.http,
            operation,
            RequestSource::Factory(&factory),
        )
        .await
    }

    /// Runs hand-written requests through the executor under this handle's
    /// options, turning the final response or error into the caller's result.
    async fn execute(
        &self,
        http: &reqwest::Client,
        operation: &'static str,
        source: RequestSource<'_, Error>,
    ) -> Result<reqwest::Response, Error> {
        let ctx = CallContext::new(Arc::clone(&self.options));
        // Hand-written responses reach the caller (`Client::send`), so a
        // buffered body is put back into a readable response.
        let result = self
            .inner
            .executor
            .run(http, operation, Arc::clone(&ctx), source)
            .await;
        let record = ctx.take_record();
        match result {
            Ok(executed) => finish(operation, executed.into_response(), record).await,
            Err(RunError::Http(error)) => Err(from_reqwest(operation, error, Some(&record))),
            Err(RunError::Source(error)) => Err(error),
        }
    }

    // The call wrappers are plain functions that combine futures, not
    // `async fn`s: an `async fn` keeps every by-value argument in its state
    // beside the future it awaits, so a generated future passed down three
    // layers was held several times over (a 6.8 KB future that every poll
    // and move copied, rust-lang/rust#62958) unless it was boxed. This way
    // the generated future is held once, inline, and never boxed.

    /// Runs a generated call (`raw.retrieve_file().file_id(id).send()`)
    /// with this handle's options, and returns its value once its
    /// `base_resp` reports success.
    pub fn call<'a, T, E, F>(
        &'a self,
        operation: &'static str,
        call: F,
    ) -> impl Future<Output = Result<T, Error>> + 'a
    where
        F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + 'a,
        T: HasBaseResp + 'a,
        E: Serialize + 'a,
    {
        // Only the value is returned: the headers need not be kept.
        self.generated(operation, call, true, move |value, record| {
            check_base_resp_with(operation, value, Some(&record)).map(ResponseValue::into_inner)
        })
    }

    /// Like [`Client::call`], keeping the response's status and headers
    /// (for the `Trace-Id` of a successful call).
    pub fn call_response<'a, T, E, F>(
        &'a self,
        operation: &'static str,
        call: F,
    ) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a
    where
        F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + 'a,
        T: HasBaseResp + 'a,
        E: Serialize + 'a,
    {
        self.generated(operation, call, false, move |value, record| {
            check_base_resp_with(operation, value, Some(&record))
        })
    }

    /// Runs a generated call whose success type has no `base_resp` (a byte
    /// stream, an empty body), mapping only its errors.
    pub fn call_unchecked<'a, T, E, F>(
        &'a self,
        operation: &'static str,
        call: F,
    ) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a
    where
        F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + 'a,
        T: 'a,
        E: Serialize + 'a,
    {
        self.generated(operation, call, false, |value, _| Ok(value))
    }

    /// Like [`Client::call`], returning a [`Response`] that carries the
    /// trace id (the `Trace-Id` header, else the body's `trace_id`), the
    /// HTTP status and the headers. Every resource method built on a
    /// generated call goes through here.
    pub(crate) fn call_traced<'a, T, E, F>(
        &'a self,
        operation: &'static str,
        call: F,
    ) -> impl Future<Output = Result<Response<T>, Error>> + 'a
    where
        F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + 'a,
        T: HasBaseResp + 'a,
        E: Serialize + 'a,
    {
        self.generated(operation, call, true, move |value, mut record| {
            let value = check_base_resp_with(operation, value, Some(&record))?;
            let status = value.status();
            // A successful JSON response left its headers in the record;
            // any other kept them.
            let headers = record
                .headers
                .take()
                .unwrap_or_else(|| value.headers().clone());
            // The executor recorded it from those headers (or the body).
            let trace_id = record.trace_id;
            Ok(Response::with_trace_id(
                value.into_inner(),
                trace_id,
                status,
                headers,
            ))
        })
    }

    /// Runs a generated call whose success body is a byte stream
    /// (`retrieve_file_content`). A JSON body answering it is read and
    /// checked: a non-zero `base_resp` or an error object becomes
    /// [`Error::Api`]; any other JSON (a stored `.json` file) is handed on
    /// as one chunk. Returns the stream's response and the trace id.
    pub(crate) fn call_bytes<E, F>(
        &self,
        operation: &'static str,
        call: F,
    ) -> impl Future<
        Output = Result<(ResponseValue<progenitor_client::ByteStream>, Option<String>), Error>,
    >
    where
        F: Future<
            Output = Result<
                ResponseValue<progenitor_client::ByteStream>,
                progenitor_client::Error<E>,
            >,
        >,
        E: Serialize,
    {
        self.generated(operation, call, false, |value, mut record| {
            // The executor judged a JSON body as it buffered it; the stream
            // hands the same bytes on.
            if let Some(error) = record.take_api_error() {
                return Err(error);
            }
            Ok((value, record.trace_id.map(TraceId::into_string)))
        })
    }

    /// Runs a generated call under this handle's options; `finish` turns
    /// its value and what the executor recorded into the result, and an
    /// error from the call is mapped to [`Error`]. With
    /// `headers_in_record`, a successful JSON response's headers are in
    /// [`CallRecord::headers`], not in the value.
    fn generated<T, E, F, O, K>(
        &self,
        operation: &'static str,
        call: F,
        headers_in_record: bool,
        finish: K,
    ) -> impl Future<Output = Result<O, Error>>
    where
        F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
        E: Serialize,
        K: Fn(ResponseValue<T>, CallRecord) -> Result<O, Error>,
    {
        let options = Arc::clone(&self.options);
        let ctx = if headers_in_record {
            CallContext::taking_headers(options)
        } else {
            CallContext::new(options)
        };
        ctx.run(call, move |result, mut record| match result {
            Ok(value) => Finish::Now(finish(value, record)),
            // The response the generated code refused or could not decode is
            // the one the executor judged: its verdict stands, and the body
            // is not read and judged again.
            Err(error) => match record.take_api_error() {
                Some(judged) => Finish::Now(Err(judged)),
                // Reading an unexpected response's body is boxed: only errors need it.
                None => Finish::Later(Box::pin(async move {
                    Err(from_progenitor_with(operation, error, Some(&record)).await)
                })),
            },
        })
    }
}

/// Turns the executor's final response into the caller's result.
async fn finish(
    operation: &'static str,
    response: reqwest::Response,
    mut record: CallRecord,
) -> Result<reqwest::Response, Error> {
    if let Some(error) = record.take_api_error() {
        return Err(error);
    }
    if !response.status().is_success() {
        return Err(Box::pin(from_failed_response(
            operation,
            response,
            Some(&record),
            "error status",
        ))
        .await);
    }
    Ok(response)
}
