//! HTTP/2 refusals: a stream the server resets with `REFUSED_STREAM` was
//! not processed, so the SDK sends it again even when it starts paid work;
//! any other reset is an ordinary transport failure. The clients the SDK
//! builds leave these retries to the SDK (`reqwest`'s own are off), so the
//! tests use such a client, over cleartext HTTP/2 to a loopback `h2` server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use minimax_sdk::{Client, Error};

use crate::common::{fast_retries, KEY};

const SPEECH_BODY: &str =
    r#"{"data":{"audio":"00"},"base_resp":{"status_code":0,"status_msg":"success"}}"#;

/// A loopback HTTP/2 server that resets its first `refused` streams with
/// `reason` and answers the rest with [`SPEECH_BODY`]; returns its base URL
/// and the number of streams it has seen.
async fn server(refused: usize, reason: h2::Reason) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let streams = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&streams);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let Ok(mut connection) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((request, mut respond))) = connection.accept().await {
                    if seen.fetch_add(1, Ordering::SeqCst) < refused {
                        respond.send_reset(reason);
                        continue;
                    }
                    // The connection is driven by `accept`; the stream is
                    // answered beside it once its body has arrived.
                    tokio::spawn(async move {
                        let mut body = request.into_body();
                        while let Some(chunk) = body.data().await {
                            let chunk = chunk.unwrap();
                            let _ = body.flow_control().release_capacity(chunk.len());
                        }
                        let response = http::Response::builder()
                            .status(200)
                            .header("content-type", "application/json")
                            .body(())
                            .unwrap();
                        let mut send = respond.send_response(response, false).unwrap();
                        send.send_data(Bytes::from_static(SPEECH_BODY.as_bytes()), true)
                            .unwrap();
                    });
                }
            });
        }
    });
    (base_url, streams)
}

/// A client built on the SDK's `reqwest` defaults, speaking cleartext
/// HTTP/2 to `base_url`, with the default paid-request rule.
fn client(base_url: &str) -> Client {
    let http = Client::http_client_builder()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .http_client(http)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// A paid request (`t2a_v2`), which is not repeated after a transport
/// failure unless the caller opts in.
async fn speak(client: &Client) -> Result<reqwest::Response, Error> {
    let request = client
        .request(reqwest::Method::POST, "/v1/t2a_v2")
        .unwrap()
        .json(&serde_json::json!({"model": "speech-02-hd", "text": "hello"}));
    client.send("t2a_v2", request).await
}

#[tokio::test]
async fn a_refused_stream_is_sent_again_even_for_paid_work() {
    let (base_url, streams) = server(1, h2::Reason::REFUSED_STREAM).await;
    let response = speak(&client(&base_url)).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["audio"], "00");
    assert_eq!(
        streams.load(Ordering::SeqCst),
        2,
        "refused once, then answered"
    );
}

#[tokio::test]
async fn a_server_that_keeps_refusing_is_tried_as_often_as_the_policy_allows() {
    let (base_url, streams) = server(usize::MAX, h2::Reason::REFUSED_STREAM).await;
    let error = speak(&client(&base_url)).await.unwrap_err();
    assert!(error.is_retryable(), "{error:?}");
    match error {
        Error::Transport { attempts, .. } => assert_eq!(attempts, 3),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(streams.load(Ordering::SeqCst), 3, "one try and two retries");
}

#[tokio::test]
async fn other_resets_of_paid_work_are_not_repeated() {
    let (base_url, streams) = server(usize::MAX, h2::Reason::INTERNAL_ERROR).await;
    let error = speak(&client(&base_url)).await.unwrap_err();
    match error {
        Error::Transport { attempts, .. } => assert_eq!(attempts, 1),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(
        streams.load(Ordering::SeqCst),
        1,
        "the server may have done the work"
    );
}
