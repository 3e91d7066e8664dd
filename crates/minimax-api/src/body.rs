//! How the generated code reads response bodies.
//!
//! An [`Executor`](crate::Executor) that must look at a body before handing
//! the response on (the `minimax-sdk` executor reads every JSON body to
//! check `base_resp`) can store what it read in the response's extensions
//! as a [`BufferedBody`] instead of building a new response around it. The
//! generated code reads a body through [`json`] and [`stream`] (progenitor's
//! `ResponseValue::from_response` and `ResponseValue::stream`, rewritten by
//! the generator), which take the buffered body when there is one and read
//! the response otherwise. Code that reads a response returned by a
//! generated call (an `Error::UnexpectedResponse`) does the same with
//! [`bytes()`].

use std::future::Future;

use bytes::Bytes;
use futures::future::Either;
use progenitor_client::{ByteStream, Error, ResponseValue};
use serde::de::DeserializeOwned;

/// The complete body of a response, read by an [`Executor`](crate::Executor)
/// and kept in the response's extensions; the response's own body is then
/// exhausted.
#[derive(Debug, Clone)]
pub struct BufferedBody(pub Bytes);

impl BufferedBody {
    /// Removes the buffered body from `response`'s extensions, if an
    /// executor stored one.
    pub fn take(response: &mut reqwest::Response) -> Option<Bytes> {
        response
            .extensions_mut()
            .remove::<BufferedBody>()
            .map(|BufferedBody(body)| body)
    }
}

/// The body of `response`: the [`BufferedBody`] an executor stored, or
/// else the body read to the end.
pub async fn bytes(mut response: reqwest::Response) -> reqwest::Result<Bytes> {
    match BufferedBody::take(&mut response) {
        Some(body) => Ok(body),
        None => response.bytes().await,
    }
}

/// Decodes a JSON response (progenitor's `ResponseValue::from_response`,
/// reading a [`BufferedBody`] when there is one). The headers are moved into
/// the value, not copied.
///
/// A buffered body is decoded without reading anything, so that path's
/// future holds no body-reading state; reading the response (no executor
/// buffered it) goes through a boxed future. Every generated call's future
/// embeds this one, and a smaller call future is cheaper to allocate and
/// move on every call.
pub fn json<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    match BufferedBody::take(&mut response) {
        Some(body) => Either::Left(std::future::ready(decode(status, headers, body))),
        None => Either::Right(Box::pin(async move {
            let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
            decode(status, headers, body)
        })),
    }
}

// The error type is progenitor's, which the generated code returns as is.
#[allow(clippy::result_large_err)]
fn decode<T: DeserializeOwned, E>(
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Bytes,
) -> Result<ResponseValue<T>, Error<E>> {
    let inner = serde_json::from_slice(&body)
        .map_err(|error| Error::InvalidResponsePayload(body, error))?;
    Ok(ResponseValue::new(inner, status, headers))
}

/// A response whose body is handed on as a stream (progenitor's
/// `ResponseValue::stream`); a [`BufferedBody`] becomes a stream of one chunk.
pub fn stream(mut response: reqwest::Response) -> ResponseValue<ByteStream> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let inner = match BufferedBody::take(&mut response) {
        Some(body) => ByteStream::new(Box::pin(futures::stream::once(std::future::ready(Ok(
            body,
        ))))),
        None => ByteStream::new(Box::pin(response.bytes_stream())),
    };
    ResponseValue::new(inner, status, headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn response(body: &'static str, buffered: Option<&'static str>) -> reqwest::Response {
        let mut response = http::Response::builder()
            .status(200)
            .header("trace-id", "t-1")
            .body(body)
            .unwrap();
        if let Some(buffered) = buffered {
            response
                .extensions_mut()
                .insert(BufferedBody(Bytes::from_static(buffered.as_bytes())));
        }
        reqwest::Response::from(response)
    }

    #[derive(Debug, serde::Deserialize)]
    struct File {
        file_id: i64,
    }

    #[tokio::test]
    async fn a_buffered_body_is_read_instead_of_the_exhausted_one() {
        let value = json::<File, ()>(response("", Some(r#"{"file_id":7}"#)))
            .await
            .unwrap();
        assert_eq!(value.file_id, 7);
        assert_eq!(value.status(), 200);
        assert_eq!(value.headers()["trace-id"], "t-1");
        assert_eq!(
            bytes(response("", Some("buffered"))).await.unwrap(),
            "buffered"
        );
    }

    #[tokio::test]
    async fn without_a_buffered_body_the_response_is_read() {
        let value = json::<File, ()>(response(r#"{"file_id":8}"#, None))
            .await
            .unwrap();
        assert_eq!(value.file_id, 8);
        assert_eq!(bytes(response("plain", None)).await.unwrap(), "plain");
        match json::<File, ()>(response("not json", None)).await {
            Err(Error::InvalidResponsePayload(body, _)) => assert_eq!(body, "not json"),
            other => panic!("expected InvalidResponsePayload, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn streams_yield_the_buffered_body_or_the_response_body() {
        for (body, buffered, expected) in [
            ("", Some("one chunk"), "one chunk"),
            ("streamed", None, "streamed"),
        ] {
            let value = stream(response(body, buffered));
            assert_eq!(value.headers()["trace-id"], "t-1");
            let mut stream = value.into_inner_stream();
            let mut read = Vec::new();
            while let Some(chunk) = stream.next().await {
                read.extend_from_slice(&chunk.unwrap());
            }
            assert_eq!(read, expected.as_bytes());
        }
    }
}
