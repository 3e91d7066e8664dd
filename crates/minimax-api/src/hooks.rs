//! The execution hook every generated call goes through.
//!
//! progenitor's generated code sends each request with
//! [`progenitor_client::ClientHooks::exec`]; the generator rewrites that
//! call to `Client::execute_operation` (in `lib.rs`), which answers with an
//! [`Executed`] so that a body the executor has read reaches the generated
//! decoder as it is. Both forward to an [`Executor`] that a higher layer
//! (the `minimax-sdk` crate) installs through [`Hooks`]; that executor adds
//! authentication, retries, timeouts and tracing. Without an executor the
//! request is sent as is.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures::TryFutureExt;

use crate::body::Executed;

/// The future an [`Executor`] returns.
pub type ExecuteFuture<'a> = Pin<Box<dyn Future<Output = reqwest::Result<Executed>> + Send + 'a>>;

/// Sends a request built by the generated client (or by hand-written code
/// beside it) and returns the response, with its body if the executor has
/// read it ([`Executed`]).
pub trait Executor: Send + Sync + 'static {
    /// Sends `request` with `client`. `operation_id` names the operation
    /// (the snake_case form of its OpenAPI `operationId`, e.g. `retrieve_file`).
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecuteFuture<'a>;
}

/// The generated client's inner state: an optional [`Executor`].
#[derive(Clone, Default)]
pub struct Hooks {
    executor: Option<Arc<dyn Executor>>,
}

impl Hooks {
    /// Hooks that send every request with the bare `reqwest::Client`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Hooks that send every request through `executor`.
    pub fn with_executor(executor: Arc<dyn Executor>) -> Self {
        Self {
            executor: Some(executor),
        }
    }

    /// The installed executor, if any.
    pub fn executor(&self) -> Option<&Arc<dyn Executor>> {
        self.executor.as_ref()
    }

    /// Sends `request` through the executor, or with `client` when none is installed.
    ///
    /// A plain function returning the boxed future, not an `async fn`: the
    /// generated call's own future then holds only that box, not a copy of
    /// the request per layer.
    pub fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecuteFuture<'a> {
        match &self.executor {
            Some(executor) => executor.execute(client, request, operation_id),
            None => Box::pin(client.execute(request).map_ok(Executed::new)),
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("executor", &self.executor.as_ref().map(|_| "installed"))
            .finish()
    }
}
