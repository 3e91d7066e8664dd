//! Waiting for asynchronous tasks (video generation, asynchronous speech):
//! [`wait`] polls until the task reaches a terminal status, [`watch`]
//! streams its status changes.
//!
//! Both take the poll call as a closure, `|task_id| async { … }`, returning
//! the task's [`TaskStatus`] and whatever value the caller wants back (the
//! query response), as a tuple or a [`TaskUpdate`].
//!
//! - Success → `Ok(value)`; `Fail`/`failed`/`expired` → [`Error::TaskFailed`];
//!   the deadline → [`Error::WaitTimeout`] with the last status seen.
//! - A transient poll error ([`Error::is_retryable`]: rate limit, timeout,
//!   server error, connection failure) is logged and polling goes on until
//!   the deadline; any other poll error ends the wait.
//! - Cancellation is dropping the future (or the stream).
//! - Time is `tokio::time`, so tests can run with a paused clock.

use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

use futures::stream::BoxStream;
use minimax_api::{TaskState, TaskStatus};
use tokio::time::Instant;

use crate::error::Error;

/// How often and how long to poll.
///
/// | setting | default |
/// |---|---|
/// | `interval` | 5 s before the second poll |
/// | `backoff` | 1.5: each interval is 1.5 × the previous one |
/// | `max_interval` | 30 s |
/// | `deadline` | 30 min from the first poll; `None` waits forever |
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The delay before the second poll.
    pub interval: Duration,
    /// The longest delay between polls.
    pub max_interval: Duration,
    /// The factor each delay is multiplied by (1.0 keeps it constant).
    pub backoff: f64,
    /// The longest total wait.
    pub deadline: Option<Duration>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(30),
            backoff: 1.5,
            deadline: Some(Duration::from_secs(30 * 60)),
        }
    }
}

impl WaitOptions {
    /// Sets [`WaitOptions::interval`].
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Sets [`WaitOptions::max_interval`].
    pub fn max_interval(mut self, max_interval: Duration) -> Self {
        self.max_interval = max_interval;
        self
    }

    /// Sets [`WaitOptions::backoff`] (values below 1.0 count as 1.0).
    pub fn backoff(mut self, backoff: f64) -> Self {
        self.backoff = backoff;
        self
    }

    /// Sets [`WaitOptions::deadline`].
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    fn next_interval(&self, interval: Duration) -> Duration {
        let factor = if self.backoff.is_finite() {
            self.backoff.max(1.0)
        } else {
            1.0
        };
        interval
            .mul_f64(factor)
            .min(self.max_interval.max(self.interval))
    }
}

/// One observation of a task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskUpdate<T> {
    /// The status as the API sent it.
    pub status: TaskStatus,
    /// The caller's value (typically the query response).
    pub value: T,
    /// The API's explanation of a failure, when it gave one.
    pub message: Option<String>,
}

impl<T> From<(TaskStatus, T)> for TaskUpdate<T> {
    fn from((status, value): (TaskStatus, T)) -> Self {
        Self {
            status,
            value,
            message: None,
        }
    }
}

impl<T> TaskUpdate<T> {
    /// How the task ended, once it has: `Some(Ok(value))` when it
    /// succeeded, `Some(Err(`[`Error::TaskFailed`]`))` when it failed or
    /// expired (naming `task_id`), `None` while it is still running.
    pub fn outcome(self, task_id: &impl Display) -> Option<Result<T, Error>> {
        match self.status.state() {
            TaskState::Success => Some(Ok(self.value)),
            state if state.is_terminal() => Some(Err(Error::TaskFailed {
                task_id: task_id.to_string(),
                status: self.status,
                message: self.message,
            })),
            _ => None,
        }
    }
}

/// A task report that knows its status and failure message, so a query
/// response converts into a [`TaskUpdate`] without an adapter.
pub(crate) trait TaskReport {
    /// The status as the API sent it.
    fn status(&self) -> &TaskStatus;
    /// The API's explanation of a failure.
    fn message(&self) -> Option<&str>;
}

impl<T: TaskReport> From<crate::Response<T>> for TaskUpdate<crate::Response<T>> {
    fn from(value: crate::Response<T>) -> Self {
        Self {
            status: TaskReport::status(&*value).clone(),
            message: TaskReport::message(&*value).map(str::to_owned),
            value,
        }
    }
}

fn wait_timeout(
    task_id: &impl Display,
    started: Instant,
    last_status: Option<TaskStatus>,
) -> Error {
    Error::WaitTimeout {
        task_id: task_id.to_string(),
        waited: started.elapsed(),
        last_status,
    }
}

/// Runs one poll, bounded by the deadline. `Ok(None)` means a transient
/// error was tolerated.
async fn poll_once<I, T, U, F, Fut>(
    task_id: &I,
    deadline: Option<Instant>,
    started: Instant,
    last_status: &Option<TaskStatus>,
    poll: &mut F,
) -> Result<Option<TaskUpdate<T>>, Error>
where
    I: Display + Clone,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<U, Error>>,
    U: Into<TaskUpdate<T>>,
{
    let call = poll(task_id.clone());
    let result = match deadline {
        Some(deadline) => match tokio::time::timeout_at(deadline, call).await {
            Ok(result) => result,
            Err(_) => return Err(wait_timeout(task_id, started, last_status.clone())),
        },
        None => call.await,
    };
    match result {
        Ok(update) => Ok(Some(update.into())),
        Err(error) if error.is_retryable() => {
            tracing::warn!(task_id = %task_id, %error, "polling the task failed; trying again");
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// Sleeps for `interval`, or until the deadline; `false` when the deadline
/// has already passed.
async fn pause(interval: Duration, deadline: Option<Instant>) -> bool {
    match deadline {
        Some(deadline) => {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
            true
        }
        None => {
            tokio::time::sleep(interval).await;
            true
        }
    }
}

/// Polls `poll(task_id)` until the task reaches a terminal status.
///
/// ```no_run
/// # async fn run() -> Result<(), minimax_sdk::Error> {
/// use minimax_sdk::poll::{wait, WaitOptions};
/// use minimax_sdk::TaskStatus;
///
/// # async fn query(id: String) -> Result<(TaskStatus, String), minimax_sdk::Error> { Ok((TaskStatus::new("Success"), id)) }
/// let file_id = wait("106916112212032".to_owned(), &WaitOptions::default(), |id| query(id)).await?;
/// # let _ = file_id;
/// # Ok(()) }
/// ```
pub async fn wait<I, T, U, F, Fut>(
    task_id: I,
    options: &WaitOptions,
    mut poll: F,
) -> Result<T, Error>
where
    I: Display + Clone,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<U, Error>>,
    U: Into<TaskUpdate<T>>,
{
    let started = Instant::now();
    let deadline = options.deadline.map(|length| started + length);
    let mut interval = options.interval;
    let mut last_status: Option<TaskStatus> = None;
    loop {
        if let Some(update) =
            poll_once(&task_id, deadline, started, &last_status, &mut poll).await?
        {
            let status = update.status.clone();
            match update.outcome(&task_id) {
                Some(outcome) => return outcome,
                None => last_status = Some(status),
            }
        }
        if !pause(interval, deadline).await {
            return Err(wait_timeout(&task_id, started, last_status));
        }
        interval = options.next_interval(interval);
    }
}

/// Polls like [`wait`] and yields a [`TaskUpdate`] each time the status
/// changes (the first observation included), ending after a terminal
/// status. The deadline yields [`Error::WaitTimeout`]; a non-transient poll
/// error is yielded; both end the stream. A failed task is yielded as an
/// update (check [`TaskStatus::state`]), not as an error.
pub fn watch<I, T, U, F, Fut>(
    task_id: I,
    options: WaitOptions,
    poll: F,
) -> BoxStream<'static, Result<TaskUpdate<T>, Error>>
where
    I: Display + Clone + Send + Sync + 'static,
    T: Send + 'static,
    F: FnMut(I) -> Fut + Send + 'static,
    Fut: Future<Output = Result<U, Error>> + Send,
    U: Into<TaskUpdate<T>>,
{
    struct State<I, F> {
        task_id: I,
        options: WaitOptions,
        poll: F,
        started: Option<Instant>,
        interval: Duration,
        last_status: Option<TaskStatus>,
        polled: bool,
        finished: bool,
    }
    let interval = options.interval;
    let state = State {
        task_id,
        options,
        poll,
        started: None,
        interval,
        last_status: None,
        polled: false,
        finished: false,
    };
    Box::pin(futures::stream::unfold(state, |mut state| async move {
        if state.finished {
            return None;
        }
        let started = *state.started.get_or_insert_with(Instant::now);
        let deadline = state.options.deadline.map(|length| started + length);
        loop {
            if state.polled {
                if !pause(state.interval, deadline).await {
                    state.finished = true;
                    let error = wait_timeout(&state.task_id, started, state.last_status.clone());
                    return Some((Err(error), state));
                }
                state.interval = state.options.next_interval(state.interval);
            }
            state.polled = true;
            match poll_once(
                &state.task_id,
                deadline,
                started,
                &state.last_status,
                &mut state.poll,
            )
            .await
            {
                Err(error) => {
                    state.finished = true;
                    return Some((Err(error), state));
                }
                Ok(None) => continue,
                Ok(Some(update)) => {
                    let changed = state.last_status.as_ref() != Some(&update.status);
                    let terminal = update.status.is_terminal();
                    state.last_status = Some(update.status.clone());
                    if terminal {
                        state.finished = true;
                    }
                    if changed || terminal {
                        return Some((Ok(update), state));
                    }
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_grow_to_the_cap() {
        let options = WaitOptions::default();
        let mut interval = options.interval;
        let mut seen = vec![interval.as_secs_f64()];
        for _ in 0..6 {
            interval = options.next_interval(interval);
            seen.push(interval.as_secs_f64());
        }
        assert_eq!(seen, [5.0, 7.5, 11.25, 16.875, 25.3125, 30.0, 30.0]);
        let constant = WaitOptions::default().backoff(0.5);
        assert_eq!(
            constant.next_interval(Duration::from_secs(5)),
            Duration::from_secs(5)
        );
    }
}
