//! Task polling on a paused clock.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use minimax_sdk::poll::{wait, watch, TaskUpdate, WaitOptions};
use minimax_sdk::{ApiError, Error, ErrorCode, TaskState, TaskStatus};
use tokio::time::Instant;

/// The result of one scripted poll.
type PollResult = futures::future::Ready<Result<(TaskStatus, usize), Error>>;

/// A poll function answering `script[n]` on its n-th call (the last entry repeats).
fn scripted(
    script: Vec<Result<&'static str, ErrorCode>>,
) -> (Arc<AtomicUsize>, impl FnMut(String) -> PollResult) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let poll = move |_task_id: String| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let step = script[n.min(script.len() - 1)];
        futures::future::ready(match step {
            Ok(status) => Ok((TaskStatus::new(status), n)),
            Err(code) => Err(Error::Api(ApiError::new(
                "query_video_generation",
                code,
                "poll failed",
            ))),
        })
    };
    (calls, poll)
}

#[tokio::test(start_paused = true)]
async fn waits_until_success_with_growing_intervals() {
    let (calls, poll) = scripted(vec![
        Ok("Queueing"),
        Ok("Processing"),
        Ok("Processing"),
        Ok("Success"),
    ]);
    let started = Instant::now();
    let value = wait("task-1".to_owned(), &WaitOptions::default(), poll)
        .await
        .unwrap();
    assert_eq!(value, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    // 5 + 7.5 + 11.25 s.
    assert_eq!(started.elapsed(), Duration::from_millis(23_750));
}

#[tokio::test(start_paused = true)]
async fn a_failed_task_is_an_error_with_its_status_and_message() {
    let poll = |_id: String| async {
        Ok::<_, Error>(TaskUpdate {
            status: TaskStatus::new("Fail"),
            value: (),
            message: Some("content rejected".to_owned()),
        })
    };
    match wait("task-2".to_owned(), &WaitOptions::default(), poll).await {
        Err(Error::TaskFailed {
            task_id,
            status,
            message,
        }) => {
            assert_eq!(task_id, "task-2");
            assert_eq!(status.state(), TaskState::Failed);
            assert_eq!(message.as_deref(), Some("content rejected"));
        }
        other => panic!("expected TaskFailed, got {other:?}"),
    }
    let (_, expired) = scripted(vec![Ok("expired")]);
    assert!(matches!(
        wait("task-3".to_owned(), &WaitOptions::default(), expired).await,
        Err(Error::TaskFailed { .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_the_wait_with_the_last_status() {
    let (calls, poll) = scripted(vec![Ok("Queueing"), Ok("Processing")]);
    let options = WaitOptions::default()
        .interval(Duration::from_secs(10))
        .backoff(1.0)
        .deadline(Some(Duration::from_secs(60)));
    let started = Instant::now();
    match wait("task-4".to_owned(), &options, poll).await {
        Err(Error::WaitTimeout {
            task_id,
            waited,
            last_status,
        }) => {
            assert_eq!(task_id, "task-4");
            assert_eq!(waited, Duration::from_secs(60));
            assert_eq!(last_status.map(|s| s.state()), Some(TaskState::Processing));
        }
        other => panic!("expected WaitTimeout, got {other:?}"),
    }
    assert_eq!(started.elapsed(), Duration::from_secs(60));
    // Polls at 0, 10, …, 60 s.
    assert_eq!(calls.load(Ordering::SeqCst), 7);
}

#[tokio::test(start_paused = true)]
async fn a_hanging_poll_is_cut_by_the_deadline() {
    let options = WaitOptions::default().deadline(Some(Duration::from_secs(30)));
    let poll = |_id: String| futures::future::pending::<Result<(TaskStatus, ()), Error>>();
    let started = Instant::now();
    assert!(matches!(
        wait("task-5".to_owned(), &options, poll).await,
        Err(Error::WaitTimeout {
            last_status: None,
            ..
        })
    ));
    assert_eq!(started.elapsed(), Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn transient_poll_errors_are_tolerated_and_others_are_not() {
    let (calls, poll) = scripted(vec![
        Ok("Processing"),
        Err(ErrorCode::RateLimited),
        Err(ErrorCode::Internal),
        Ok("Success"),
    ]);
    assert_eq!(
        wait("t".to_owned(), &WaitOptions::default(), poll)
            .await
            .unwrap(),
        3
    );
    assert_eq!(calls.load(Ordering::SeqCst), 4);

    let (calls, poll) = scripted(vec![Ok("Processing"), Err(ErrorCode::Auth), Ok("Success")]);
    let error = wait("t".to_owned(), &WaitOptions::default(), poll)
        .await
        .unwrap_err();
    assert!(error.is_auth());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn watch_emits_only_status_changes() {
    let (calls, poll) = scripted(vec![
        Ok("Preparing"),
        Ok("Queueing"),
        Ok("queueing"),
        Ok("Processing"),
        Ok("Processing"),
        Ok("Success"),
    ]);
    let updates: Vec<_> = watch("task-6".to_owned(), WaitOptions::default(), poll)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|update| update.unwrap())
        .collect();
    let states: Vec<TaskState> = updates.iter().map(|update| update.status.state()).collect();
    assert_eq!(
        states,
        [
            TaskState::Preparing,
            TaskState::Queueing,
            TaskState::Processing,
            TaskState::Success
        ]
    );
    assert_eq!(updates.last().map(|update| update.value), Some(5));
    assert_eq!(calls.load(Ordering::SeqCst), 6);
}

#[tokio::test(start_paused = true)]
async fn watch_ends_with_a_timeout_error() {
    let (_, poll) = scripted(vec![Ok("Processing")]);
    let options = WaitOptions::default().deadline(Some(Duration::from_secs(20)));
    let items: Vec<_> = watch("task-7".to_owned(), options, poll).collect().await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(Error::WaitTimeout { .. })));
}
