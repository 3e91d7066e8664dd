//! The executor: the single path every request takes, generated or
//! hand-written.
//!
//! Generated calls reach it through [`minimax_api::Hooks`] (the generated
//! client's `exec` hook forwards to [`minimax_api::Executor::execute`]);
//! hand-written requests (multipart uploads, SSE streams, downloads) call
//! [`SdkExecutor::run`] through [`crate::Client`]'s `send` helpers. Per
//! attempt it:
//!
//! 1. sets `Authorization: Bearer <key>`, only when the request URL has the
//!    configured API origin (scheme, host and port): the key is never sent
//!    anywhere else, and a copy of it in a request to another origin is removed;
//! 2. appends `GroupId=<id>` to API requests when a group id is configured;
//! 3. gives the attempt the smallest of the per-attempt timeout, a timeout
//!    the caller put on the request, and the time left before the overall
//!    deadline, so a deadline expiry is a genuine `reqwest` timeout (a
//!    client the SDK built has the per-attempt timeout as its default, so
//!    only a different limit is set on the request);
//! 4. sends it inside a `minimax.request` tracing span (operation, method,
//!    path without query, attempt, HTTP status, MiniMax status code, trace
//!    id, duration);
//! 5. for a JSON response, reads the body, checks `base_resp.status_code`,
//!    and (when not retrying) hands it on with the response as a
//!    [`minimax_api::body::Executed`]: the generated decoders read the bytes
//!    from it, and a hand-written request gets a response rebuilt around them
//!    ([`Executed::into_response`]); SSE and binary bodies are never
//!    buffered;
//! 6. retries according to [`crate::RetryPolicy`] and [`crate::retry`]'s
//!    classification, rebuilding the request for each attempt with
//!    `Request::try_clone` (a streaming body cannot be cloned and is sent
//!    once) or with a caller-supplied factory (multipart uploads that reopen
//!    their file).
//!
//! The first attempt of a single request is prepared and handed to
//! `reqwest` when [`SdkExecutor::run`] is called, so the call's future
//! holds `reqwest`'s in-flight request rather than the request: every
//! generated call's future is allocated and moved whole.
//!
//! # Per-call context
//!
//! The [`minimax_api::Executor`] signature carries no per-call settings, so
//! [`crate::Client`] installs a [`CallContext`] in a `tokio` task-local
//! around each poll of the call ([`CallContext::run`], which also turns the
//! call's output and record into the wrapper's result, so that a call is
//! one future rather than a stack of combinators). The executor reads
//! overrides from it (retries, timeouts, deadline, paid-request opt-in,
//! extra headers) and writes back what happened (attempts, last HTTP
//! status, trace id, which timeout applied), which the error mapping uses.
//! A generated call made without the wrapper gets the client's defaults.
//!
//! A wrapper that reads the response headers from the record rather than
//! from the generated `ResponseValue` ([`CallContext::taking_headers`])
//! saves two copies of them: for a successful JSON response the executor
//! moves the headers into the record and hands the generated decoder a
//! response without them (it reads only the status and the body). Error
//! responses always keep their headers.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use futures::future::{BoxFuture, FutureExt};
use minimax_api::body::Executed;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use reqwest::{Method, Url, Version};
use smallvec::SmallVec;
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument;

use crate::config::{Config, RequestOptions};
use crate::error::{judge_json_body, trace_id_in_headers, ApiError, BodyVerdict, TimeoutKind};
use crate::response::TraceId;
use crate::retry::{self, Failure};

tokio::task_local! {
    static CALL: Arc<CallContext>;
}

/// Settings and observations of one logical call (all its attempts).
pub(crate) struct CallContext {
    /// Shared with the handle the call was made through, not copied.
    options: Arc<RequestOptions>,
    /// Whether the caller takes a successful response's headers from
    /// [`CallRecord::headers`] instead of from the response.
    headers_in_record: bool,
    record: Mutex<CallRecord>,
}

/// What [`InContext`] does once the call has its output: a result ready
/// now, or a future to wait for (an error whose body must still be read).
pub(crate) enum Finish<O, L> {
    /// The call's result.
    Now(O),
    /// A future yielding the call's result.
    Later(L),
}

pin_project_lite::pin_project! {
    /// A generated call running with its [`CallContext`] installed
    /// ([`CallContext::run`]); `finish` turns the call's output and what
    /// the executor recorded into the result.
    pub(crate) struct InContext<F, K, L> {
        #[pin]
        stage: Stage<F, L>,
        ctx: Arc<CallContext>,
        finish: K,
    }
}

pin_project_lite::pin_project! {
    #[project = StageProj]
    enum Stage<F, L> {
        Call { #[pin] call: F },
        Later { #[pin] later: L },
        Done,
    }
}

impl<F, K, L, O> Future for InContext<F, K, L>
where
    F: Future,
    K: Fn(F::Output, CallRecord) -> Finish<O, L>,
    L: Future<Output = O>,
{
    type Output = O;

    /// Polled again once complete, it stays pending.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<O> {
        let mut this = self.project();
        loop {
            match this.stage.as_mut().project() {
                StageProj::Call { call } => {
                    let ctx: &Arc<CallContext> = this.ctx;
                    let output =
                        std::task::ready!(CALL.sync_scope(Arc::clone(ctx), || call.poll(cx)));
                    match (this.finish)(output, ctx.take_record()) {
                        Finish::Now(result) => {
                            this.stage.set(Stage::Done);
                            return Poll::Ready(result);
                        }
                        Finish::Later(later) => this.stage.set(Stage::Later { later }),
                    }
                }
                StageProj::Later { later } => {
                    let result = std::task::ready!(later.poll(cx));
                    this.stage.set(Stage::Done);
                    return Poll::Ready(result);
                }
                StageProj::Done => return Poll::Pending,
            }
        }
    }
}

/// What the executor observed during a call, for error messages.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    /// Attempts made so far.
    pub(crate) attempts: u32,
    /// The HTTP status of the last response.
    pub(crate) http_status: Option<u16>,
    /// The last trace id seen.
    pub(crate) trace_id: Option<TraceId>,
    /// The last server-requested delay.
    pub(crate) retry_after: Option<Duration>,
    /// The limit that applied to the last attempt, and its configured length.
    pub(crate) timeout: Option<(TimeoutKind, Duration)>,
    /// The headers of a successful JSON response, for a context made with
    /// [`CallContext::taking_headers`] (the response handed on has none).
    pub(crate) headers: Option<HeaderMap>,
    /// The error the JSON body or the status of the last response reported,
    /// judged once by the executor; the caller turns it into
    /// [`crate::Error::Api`] instead of judging the body again.
    /// Boxed: only an error has one, and the record is moved on every call.
    pub(crate) api_error: Option<Box<ApiError>>,
}

impl CallRecord {
    /// The error the executor judged the last response to report, as the
    /// call's [`crate::Error::Api`] with what this record observed; taken,
    /// so the record is left without one.
    pub(crate) fn take_api_error(&mut self) -> Option<crate::Error> {
        let api = self.api_error.take()?;
        Some(crate::Error::Api(api.with_record(Some(self))))
    }
}

impl CallContext {
    /// A context for a call starting now.
    pub(crate) fn new(options: Arc<RequestOptions>) -> Arc<Self> {
        Self::with(options, false)
    }

    /// A context for a call whose caller reads a successful response's
    /// headers from [`CallRecord::headers`] (see the module docs).
    pub(crate) fn taking_headers(options: Arc<RequestOptions>) -> Arc<Self> {
        Self::with(options, true)
    }

    fn with(options: Arc<RequestOptions>, headers_in_record: bool) -> Arc<Self> {
        Arc::new(Self {
            options,
            headers_in_record,
            record: Mutex::new(CallRecord::default()),
        })
    }

    /// Runs `call` (one generated call) with this context installed for
    /// the executor; once it is over, `finish` turns its output and what
    /// the executor recorded into the result. A plain future rather than
    /// `async` blocks and combinators, so that the call is held inline,
    /// once, need not be boxed, and its output is moved once.
    pub(crate) fn run<F, K, L, O>(self: Arc<Self>, call: F, finish: K) -> InContext<F, K, L>
    where
        F: Future,
        K: Fn(F::Output, CallRecord) -> Finish<O, L>,
        L: Future<Output = O>,
    {
        InContext {
            stage: Stage::Call { call },
            ctx: self,
            finish,
        }
    }

    /// The context installed around the current task, if any.
    fn current() -> Option<Arc<Self>> {
        CALL.try_with(Arc::clone).ok()
    }

    /// What was recorded, once the call is over (the context is left
    /// with an empty record).
    pub(crate) fn take_record(&self) -> CallRecord {
        match self.record.lock() {
            Ok(mut record) => std::mem::take(&mut *record),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }

    fn update(&self, change: impl FnOnce(&mut CallRecord)) {
        match self.record.lock() {
            Ok(mut record) => change(&mut record),
            Err(poisoned) => change(&mut poisoned.into_inner()),
        }
    }
}

/// Why [`SdkExecutor::run`] produced no response.
pub(crate) enum RunError<E> {
    /// The last attempt failed in `reqwest` (connect, timeout, body read).
    Http(reqwest::Error),
    /// The request factory failed (for example, a file could not be reopened).
    Source(E),
}

/// A factory building a fresh request for each attempt.
pub(crate) type RequestFactory<'a, E> =
    dyn Fn() -> BoxFuture<'a, Result<reqwest::Request, E>> + Send + Sync + 'a;

/// Where the requests of a call come from.
// Short-lived and moved once per attempt; boxing the request would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub(crate) enum RequestSource<'a, E> {
    /// One request, replayed with `try_clone` while its body allows.
    Once(reqwest::Request),
    /// A factory called once per attempt.
    Factory(&'a RequestFactory<'a, E>),
}

/// The SDK's [`minimax_api::Executor`].
pub(crate) struct SdkExecutor {
    config: Arc<Config>,
    /// For a generated call made without a wrapper's context.
    default_options: Arc<RequestOptions>,
}

impl std::fmt::Debug for SdkExecutor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SdkExecutor").finish_non_exhaustive()
    }
}

/// The effective settings of one call.
struct Plan {
    /// The retries allowed (the policy's, or the call's override).
    max_retries: u32,
    /// Whether paid work may be repeated (the policy's, or the override).
    retry_paid_requests: bool,
    attempt_timeout: Option<Duration>,
    deadline: Option<(Instant, Duration)>,
    /// Whether the call starts paid work, when already known (a factory's
    /// calls); otherwise it is worked out from the replay copy only when a
    /// failure makes it matter.
    paid: Option<bool>,
}

/// Where the next attempt comes from.
enum Next<'a, E, P> {
    /// The first attempt (`reqwest`'s in-flight request and the attempt's
    /// span), sent before the call's future was polled.
    Sent((P, tracing::Span)),
    /// A copy of the template, made before the backoff delay.
    Ready(Box<reqwest::Request>),
    /// Built by the factory after the backoff delay.
    Build(&'a RequestFactory<'a, E>),
}

/// The result of one attempt, before the retry decision.
// Short-lived and moved once per attempt; boxing the request would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Attempt {
    Response {
        /// For JSON, with the body read; what the body reported is in
        /// [`CallRecord::api_error`].
        response: Executed,
        failure: Option<Failure>,
        retry_after: Option<Duration>,
    },
    Error(reqwest::Error),
}

impl SdkExecutor {
    pub(crate) fn new(config: Arc<Config>) -> Self {
        Self {
            config,
            default_options: Arc::default(),
        }
    }

    /// Sends a request (from `source`) with retries, returning the final
    /// response (successful or not) or the final transport error.
    ///
    /// A request from [`RequestSource::Once`] is copied for retries and
    /// sent before the returned future is first polled; the future then
    /// holds the in-flight request (a few bytes), not the request itself.
    /// Every generated call's future is allocated and moved whole, so it is
    /// kept small: nothing is stored twice across an `await`.
    pub(crate) fn run<'s, 'f, E, C>(
        &'s self,
        http: &'s reqwest::Client,
        operation: &'static str,
        ctx: C,
        source: RequestSource<'f, E>,
    ) -> impl Future<Output = Result<Executed, RunError<E>>> + Send + use<'s, 'f, E, C>
    where
        E: Send + 'f,
        C: std::ops::Deref<Target = CallContext> + Send,
    {
        let (mut next, template, factory, mut plan) = match source {
            RequestSource::Once(request) => {
                // Boxed: inline, the copy made the executor's future (boxed
                // behind the generated client's hook on every call) over
                // 1,032 bytes, the largest size glibc's per-thread cache
                // serves; boxed, both allocations come from that cache.
                let template = Replay::of(&request).map(Box::new);
                let plan = self.plan(&ctx, None);
                let sent = self.send(http, request, operation, &ctx, &plan, 1);
                (Next::Sent(sent), template, None, plan)
            }
            RequestSource::Factory(factory) => (
                Next::Build(factory),
                None,
                Some(factory),
                self.plan(&ctx, None),
            ),
        };
        async move {
            let ctx: &CallContext = &ctx;
            let mut retry_index = 0u32;
            loop {
                let (pending, span) = match next {
                    Next::Sent(sent) => sent,
                    Next::Ready(request) => {
                        self.send(http, *request, operation, ctx, &plan, retry_index + 1)
                    }
                    Next::Build(factory) => {
                        let request = factory().await.map_err(RunError::Source)?;
                        if plan.paid.is_none() {
                            plan.paid = Some(retry::is_paid(operation, request.url().path()));
                        }
                        self.send(http, request, operation, ctx, &plan, retry_index + 1)
                    }
                };
                // Entering a span on every poll costs even when no subscriber
                // listens; only instrument the attempt when someone does.
                let attempt = if span.is_disabled() {
                    self.attempt(pending, operation, &span, ctx).await
                } else {
                    // Boxed: a second inline copy of the attempt's state would
                    // double the size of every call's future.
                    Box::pin(self.attempt(pending, operation, &span, ctx))
                        .instrument(span.clone())
                        .await
                };

                let (failure, retry_after) = match &attempt {
                    Attempt::Response {
                        failure,
                        retry_after,
                        ..
                    } => (*failure, *retry_after),
                    Attempt::Error(error) => (Some(retry::failure_of(error)), None),
                };
                let finish = |attempt: Attempt| match attempt {
                    Attempt::Response { response, .. } => Ok(response),
                    Attempt::Error(error) => Err(RunError::Http(error)),
                };

                let Some(failure) = failure else {
                    return finish(attempt);
                };
                if retry_index >= plan.max_retries
                    || !retry::should_retry(
                        failure,
                        plan.paid.unwrap_or_else(|| {
                            // A request without a replay copy is not retried anyway.
                            let path = template.as_ref().map_or("", |copy| copy.path());
                            retry::is_paid(operation, path)
                        }),
                        plan.retry_paid_requests,
                    )
                {
                    tracing::debug!(parent: &span, %failure, "not retrying");
                    return finish(attempt);
                }
                next = match (factory, &template) {
                    (Some(factory), _) => Next::Build(factory),
                    // Boxed: only a retry holds a copy while it waits.
                    (None, Some(template)) => match template.request() {
                        Some(request) => Next::Ready(Box::new(request)),
                        None => return finish(attempt),
                    },
                    (None, None) => {
                        tracing::debug!(parent: &span, %failure, "not retrying: the request body cannot be replayed");
                        return finish(attempt);
                    }
                };
                let policy = &self.config.retry_policy;
                let random = if policy.jitter { fastrand::f64() } else { 0.0 };
                let Some(delay) = policy.delay(retry_index, retry_after, random) else {
                    tracing::debug!(parent: &span, %failure, ?retry_after, "not retrying: the server asked to wait longer than max_retry_after");
                    return finish(attempt);
                };
                if let Some((deadline, _)) = plan.deadline {
                    if Instant::now() + delay >= deadline {
                        tracing::debug!(parent: &span, %failure, "not retrying: the overall deadline would pass");
                        return finish(attempt);
                    }
                }
                tracing::info!(
                    parent: &span,
                    %failure,
                    delay_ms = delay.as_millis() as u64,
                    "retrying MiniMax request"
                );
                drop(attempt);
                drop(span);
                // Boxed: only retries wait, and the timer's state would
                // otherwise be part of every call's future.
                Box::pin(tokio::time::sleep(delay)).await;
                retry_index += 1;
            }
        }
    }

    /// Prepares and sends attempt `attempt_number` of a call: headers,
    /// timeout, the record, and the attempt's span. Returns the in-flight
    /// request with its span.
    fn send(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        operation: &'static str,
        ctx: &CallContext,
        plan: &Plan,
        attempt_number: u32,
    ) -> (
        impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
        tracing::Span,
    ) {
        self.prepare(&mut request, &ctx.options);
        let limit = self.apply_timeout(&mut request, plan);
        ctx.update(|record| {
            record.attempts = attempt_number;
            record.timeout = limit;
            // Only the response handed on reports an error.
            record.api_error = None;
        });
        let span = tracing::debug_span!(
            "minimax.request",
            operation,
            method = %request.method(),
            path = %request.url().path(),
            attempt = attempt_number,
            http.status = Empty,
            minimax.status_code = Empty,
            trace_id = Empty,
            duration_ms = Empty,
        );
        let pending = if span.is_disabled() {
            http.execute(request)
        } else {
            let _entered = span.enter();
            http.execute(request)
        };
        (pending, span)
    }

    fn plan(&self, ctx: &CallContext, paid: Option<bool>) -> Plan {
        let options = &ctx.options;
        let policy = &self.config.retry_policy;
        let deadline = options
            .overall_deadline
            .or(policy.overall_deadline)
            // The plan is made as the call starts.
            .map(|length| (Instant::now() + length, length));
        Plan {
            max_retries: options.max_retries.unwrap_or(policy.max_retries),
            retry_paid_requests: options
                .retry_paid_requests
                .unwrap_or(policy.retry_paid_requests),
            attempt_timeout: options.timeout.or(self.config.timeout),
            deadline,
            paid,
        }
    }

    /// Authentication, `GroupId`, user agent and extra headers.
    fn prepare(&self, request: &mut reqwest::Request, options: &RequestOptions) {
        for (name, value) in &options.headers {
            if name != AUTHORIZATION {
                request.headers_mut().insert(name.clone(), value.clone());
            }
        }
        if self.config.is_api_url(request.url()) {
            request
                .headers_mut()
                .insert(AUTHORIZATION, self.config.bearer.clone());
            if let Some(group_id) = &self.config.group_id {
                let present = request
                    .url()
                    .query_pairs()
                    .any(|(name, _)| name == "GroupId");
                if !present {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .append_pair("GroupId", group_id);
                }
            }
        } else if request
            .headers()
            .get(AUTHORIZATION)
            .is_some_and(|value| self.config.api_key.is_contained_in(value.as_bytes()))
        {
            request.headers_mut().remove(AUTHORIZATION);
        }
        if let Some(agent) = &self.config.user_agent {
            request.headers_mut().insert(USER_AGENT, agent.clone());
        }
    }

    /// Sets the attempt's timeout; returns which limit it is and its length.
    fn apply_timeout(
        &self,
        request: &mut reqwest::Request,
        plan: &Plan,
    ) -> Option<(TimeoutKind, Duration)> {
        let mut chosen: Option<(Duration, TimeoutKind, Duration)> = None;
        let mut consider = |candidate: Option<(Duration, TimeoutKind, Duration)>| {
            if let Some(candidate) = candidate {
                if chosen.is_none_or(|current| candidate.0 < current.0) {
                    chosen = Some(candidate);
                }
            }
        };
        consider(request.timeout().map(|t| (*t, TimeoutKind::Attempt, *t)));
        consider(plan.attempt_timeout.map(|t| (t, TimeoutKind::Attempt, t)));
        consider(plan.deadline.map(|(deadline, length)| {
            (
                deadline.saturating_duration_since(Instant::now()),
                TimeoutKind::Deadline,
                length,
            )
        }));
        let wanted = chosen.map(|(left, _, _)| left);
        // Without a timeout of its own the request gets the client's.
        if wanted != request.timeout().copied().or(self.config.client_timeout) {
            *request.timeout_mut() = wanted;
        }
        chosen.map(|(_, kind, length)| (kind, length))
    }

    /// Sends one attempt and classifies its result.
    async fn attempt(
        &self,
        pending: impl Future<Output = reqwest::Result<reqwest::Response>>,
        operation: &'static str,
        span: &tracing::Span,
        ctx: &CallContext,
    ) -> Attempt {
        // Timed only for a span that records it.
        let started = (!span.is_disabled()).then(Instant::now);
        let record_duration = || {
            if let Some(started) = started {
                span.record("duration_ms", started.elapsed().as_millis() as u64);
            }
        };
        let mut response = match pending.await {
            Ok(response) => response,
            Err(error) => {
                record_duration();
                tracing::debug!(failure = %retry::failure_of(&error), "request failed");
                return Attempt::Error(error);
            }
        };
        let status = response.status();
        span.record("http.status", status.as_u16());

        if !is_json(response.headers()) {
            record_duration();
            let trace_id = trace_id_in_headers(response.headers());
            if let Some(trace_id) = &trace_id {
                span.record("trace_id", trace_id.as_str());
            }
            let failure = (!status.is_success()).then_some(Failure::Status(status.as_u16()));
            let retry_after = failure.and_then(|_| retry_after_of(response.headers()));
            ctx.update(|record| {
                record.http_status = Some(status.as_u16());
                record.trace_id = trace_id.or(record.trace_id.take());
                record.retry_after = retry_after;
            });
            return Attempt::Response {
                response: Executed::new(response),
                failure,
                retry_after,
            };
        }

        let body = match read_body(&mut response).await {
            Ok(body) => body,
            Err(error) => {
                record_duration();
                return Attempt::Error(error);
            }
        };
        record_duration();
        let BodyVerdict {
            trace_id,
            api_error,
            is_json: json_ok,
        } = judge_json_body(operation, status.as_u16(), response.headers(), &body);
        if let Some(code) = api_error.as_ref().and_then(|api| api.status_code) {
            span.record("minimax.status_code", code);
        } else if json_ok && status.is_success() {
            span.record("minimax.status_code", 0);
        }
        if let Some(trace_id) = &trace_id {
            span.record("trace_id", trace_id.as_str());
        }
        let failure = api_error.as_ref().map(retry::failure_of_api);
        // The error read it from the same headers.
        let retry_after = api_error.as_ref().and_then(|api| api.retry_after);
        let success = api_error.is_none() && status.is_success();
        // Moved, not cloned: the caller reads them from the record.
        let record_headers =
            (ctx.headers_in_record && success).then(|| std::mem::take(response.headers_mut()));
        ctx.update(|record| {
            record.http_status = Some(status.as_u16());
            record.trace_id = trace_id.or(record.trace_id.take());
            record.retry_after = retry_after;
            record.headers = record_headers;
            record.api_error = api_error.map(Box::new);
        });
        Attempt::Response {
            response: Executed::buffered(response, body),
            failure,
            retry_after,
        }
    }
}

impl minimax_api::Executor for SdkExecutor {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> minimax_api::ExecuteFuture<'a> {
        let ctx = CallContext::current()
            .unwrap_or_else(|| CallContext::new(Arc::clone(&self.default_options)));
        let run =
            self.run::<Infallible, _>(client, operation_id, ctx, RequestSource::Once(request));
        // `map`, not an `async` block around `run`, which would hold it twice.
        Box::pin(run.map(|result| match result {
            Ok(response) => Ok(response),
            Err(RunError::Http(error)) => Err(error),
            Err(RunError::Source(never)) => match never {},
        }))
    }
}

/// Whether the response declares a JSON body (`application/json`, `…+json`).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return false;
    };
    // The media type before any parameters (`; charset=utf-8`), compared
    // as bytes: the ASCII names need no UTF-8 check of the whole value.
    let value = value.as_bytes();
    let essence = value
        .split(|&byte| byte == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    essence.eq_ignore_ascii_case(b"application/json")
        || essence
            .len()
            .checked_sub(5)
            .and_then(|at| essence.get(at..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(b"+json"))
}

/// The delay a failed response asks for (`retry-after-ms`, `Retry-After`).
fn retry_after_of(headers: &HeaderMap) -> Option<Duration> {
    retry::parse_retry_after(headers, SystemTime::now())
}

/// What the later attempts of a request are copied from, made before the
/// first attempt is sent (`reqwest` consumes the request).
#[derive(Debug)]
enum Replay {
    /// A request without a body (every polling and retrieval call), kept as
    /// its parts. Its headers are kept in a short inline list (a generated
    /// call has one or two) rather than a `HeaderMap`, whose copy takes two
    /// allocations. `Request::try_clone` would also allocate a per-request
    /// configuration map even when the original has none; the only
    /// per-request setting a `reqwest` request carries is its timeout,
    /// which is kept.
    Bodyless {
        method: Method,
        url: Url,
        headers: SmallVec<[(HeaderName, HeaderValue); 2]>,
        version: Version,
        timeout: Option<Duration>,
    },
    /// A request whose body can be copied.
    Request(reqwest::Request),
}

impl Replay {
    /// The replay of `request`, or `None` when its body is a stream that
    /// cannot be replayed.
    fn of(request: &reqwest::Request) -> Option<Replay> {
        if request.body().is_some() {
            return request.try_clone().map(Replay::Request);
        }
        Some(Replay::Bodyless {
            method: request.method().clone(),
            url: request.url().clone(),
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            version: request.version(),
            timeout: request.timeout().copied(),
        })
    }

    /// A fresh copy of the request for another attempt.
    fn request(&self) -> Option<reqwest::Request> {
        match self {
            Replay::Bodyless {
                method,
                url,
                headers,
                version,
                timeout,
            } => {
                let mut request = reqwest::Request::new(method.clone(), url.clone());
                let target = request.headers_mut();
                target.reserve(headers.len());
                for (name, value) in headers {
                    target.append(name.clone(), value.clone());
                }
                *request.version_mut() = *version;
                *request.timeout_mut() = *timeout;
                Some(request)
            }
            Replay::Request(request) => request.try_clone(),
        }
    }

    /// The request's URL path.
    fn path(&self) -> &str {
        match self {
            Replay::Bodyless { url, .. } => url.path(),
            Replay::Request(request) => request.url().path(),
        }
    }
}

/// Reads a response body to the end without consuming the response: a
/// body that arrives in one chunk (every small JSON answer) is kept as
/// that chunk, without copying.
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut body = BytesMut::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[cfg(test)]
mod tests {
    use reqwest::ResponseBuilderExt;

    use super::*;

    #[test]
    fn json_content_types_are_recognised() {
        for (value, expected) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("application/problem+json", true),
            ("text/event-stream", false),
            ("audio/mpeg", false),
            ("application/octet-stream", false),
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(is_json(&headers), expected, "{value}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }

    fn streamed_response(chunks: &[&'static str]) -> reqwest::Response {
        let chunks: Vec<Result<Bytes, std::io::Error>> = chunks
            .iter()
            .map(|chunk| Ok(Bytes::from_static(chunk.as_bytes())))
            .collect();
        let url = reqwest::Url::parse("https://api.minimax.io/v1/x").unwrap();
        let response = http::Response::builder()
            .status(429)
            .version(reqwest::Version::HTTP_11)
            .header("trace-id", "abc")
            .url(url)
            .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
            .unwrap();
        reqwest::Response::from(response)
    }

    #[tokio::test]
    async fn bodies_are_read_whole_whatever_their_chunking() {
        for chunks in [
            &[][..],
            &["{\"a\":1}"],
            &["{\"a\"", ":1}"],
            &["{", "\"a\"", ":", "1}"],
        ] {
            let mut response = streamed_response(chunks);
            let body = read_body(&mut response).await.unwrap();
            assert_eq!(body, chunks.concat().as_bytes(), "{chunks:?}");
            assert_eq!(response.status(), 429, "the response is kept");
        }
    }

    #[tokio::test]
    async fn each_call_sees_its_own_context_on_every_poll_and_yields_its_record() {
        fn retries_seen() -> Option<Option<u32>> {
            CALL.try_with(|ctx| ctx.options.max_retries).ok()
        }
        let call = |retries: u32| {
            let options = Arc::new(RequestOptions::new().max_retries(retries));
            CallContext::new(options).run(
                async move {
                    let first_poll = retries_seen();
                    tokio::task::yield_now().await;
                    let later_poll = retries_seen();
                    if let Ok(ctx) = CALL.try_with(Arc::clone) {
                        ctx.update(|record| record.attempts = retries);
                    }
                    (first_poll, later_poll)
                },
                |output, record| Finish::<_, std::future::Pending<_>>::Now((output, record)),
            )
        };
        // Polled in turn on one task: neither sees the other's context.
        let ((seen_a, record_a), (seen_b, record_b)) = futures::join!(call(4), call(7));
        assert_eq!(seen_a, (Some(Some(4)), Some(Some(4))));
        assert_eq!(seen_b, (Some(Some(7)), Some(Some(7))));
        assert_eq!((record_a.attempts, record_b.attempts), (4, 7));
        assert_eq!(retries_seen(), None, "nothing is left installed");
    }

    #[tokio::test]
    async fn a_later_finish_is_awaited_and_a_finished_call_stays_pending() {
        let ctx = CallContext::new(Arc::default());
        let mut call = std::pin::pin!(ctx.run(
            async {
                if let Ok(ctx) = CALL.try_with(Arc::clone) {
                    ctx.update(|record| record.attempts = 2);
                }
                5
            },
            |output, record| Finish::Later(async move { (output * 2, record.attempts) }),
        ));
        assert_eq!(call.as_mut().await, (10, 2));
        assert!(futures::poll!(call.as_mut()).is_pending());
    }

    #[test]
    fn the_record_survives_a_panic_while_it_was_locked() {
        let ctx = CallContext::new(Arc::default());
        ctx.update(|record| record.attempts = 3);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ctx.update(|record| {
                record.http_status = Some(503);
                panic!("poison the lock");
            })
        }));
        assert!(panicked.is_err());
        assert!(ctx.record.is_poisoned());
        ctx.update(|record| record.attempts += 1);
        let record = ctx.take_record();
        assert_eq!(record.attempts, 4);
        assert_eq!(record.http_status, Some(503));
        assert_eq!(
            ctx.take_record().attempts,
            0,
            "taking leaves an empty record"
        );
    }

    #[test]
    fn replay_copies_keep_method_url_headers_version_timeout_and_body() {
        let copy_of = |request: &reqwest::Request| Replay::of(request)?.request();
        let http = reqwest::Client::new();
        let mut secret = HeaderValue::from_static("Bearer k");
        secret.set_sensitive(true);
        let get = http
            .get("https://api.minimax.io/v1/files/retrieve?file_id=1")
            .header("x-extra", "1")
            .header("x-many", "a")
            .header("x-many", "b")
            .header("x-more", "c")
            .header(AUTHORIZATION, secret)
            .timeout(Duration::from_secs(7))
            .version(reqwest::Version::HTTP_11)
            .build()
            .unwrap();
        let copy = copy_of(&get).unwrap();
        assert_eq!(copy.method(), get.method());
        assert_eq!(copy.url(), get.url());
        assert_eq!(copy.headers(), get.headers());
        let many: Vec<_> = copy.headers().get_all("x-many").iter().collect();
        assert_eq!(many, ["a", "b"], "repeated headers keep their order");
        assert!(copy.headers()[AUTHORIZATION].is_sensitive());
        assert_eq!(copy.version(), reqwest::Version::HTTP_11);
        assert_eq!(copy.timeout(), Some(&Duration::from_secs(7)));
        assert!(copy.body().is_none());
        assert_eq!(
            Replay::of(&get).unwrap().path(),
            "/v1/files/retrieve",
            "the path decides whether the call is paid"
        );

        let untimed = http.get("https://api.minimax.io/v1/x").build().unwrap();
        assert_eq!(copy_of(&untimed).unwrap().timeout(), None);

        let post = http
            .post("https://api.minimax.io/v1/files/delete")
            .body("{\"file_id\":1}")
            .build()
            .unwrap();
        let copy = copy_of(&post).unwrap();
        assert_eq!(
            copy.body().and_then(reqwest::Body::as_bytes),
            Some(&b"{\"file_id\":1}"[..])
        );
        assert_eq!(Replay::of(&post).unwrap().path(), "/v1/files/delete");

        let stream =
            futures::stream::once(async { Ok::<_, std::io::Error>(Bytes::from_static(b"x")) });
        let streamed = http
            .post("https://api.minimax.io/v1/files/upload")
            .body(reqwest::Body::wrap_stream(stream))
            .build()
            .unwrap();
        assert!(Replay::of(&streamed).is_none());
    }
}
