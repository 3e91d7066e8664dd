//! How the generated code reads response bodies.
//!
//! An [`Executor`](crate::Executor) answers with an [`Executed`]: the
//! response, and its complete body when the executor had to read it first
//! (the `minimax-sdk` executor reads every JSON body to check `base_resp`).
//! The generated code reads a body through [`json`] and [`stream`]
//! (progenitor's `ResponseValue::from_response` and `ResponseValue::stream`,
//! rewritten by the generator), which use the body already read when there
//! is one and read the response otherwise. Any other answer is handed on as
//! a plain response ([`Executed::into_response`], for
//! `Error::UnexpectedResponse`), its body readable like any other.

use std::future::Future;

use bytes::Bytes;
use futures::future::Either;
use progenitor_client::{ByteStream, Error, ResponseValue};
use reqwest::ResponseBuilderExt;
use serde::de::DeserializeOwned;

/// A response as an [`Executor`](crate::Executor) hands it to the generated
/// code: the response, and its whole body when the executor has already read
/// it (the response's own body is then exhausted).
#[derive(Debug)]
pub struct Executed {
    response: reqwest::Response,
    body: Option<Bytes>,
}

impl Executed {
    /// A response whose body has not been read.
    pub fn new(response: reqwest::Response) -> Self {
        Self {
            response,
            body: None,
        }
    }

    /// A response whose body the executor has read to the end: `body`.
    pub fn buffered(response: reqwest::Response, body: Bytes) -> Self {
        Self {
            response,
            body: Some(body),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.response.status()
    }

    /// The response's headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.response.headers()
    }

    /// The response (its body exhausted if read) and the body read, if any.
    pub fn into_parts(self) -> (reqwest::Response, Option<Bytes>) {
        (self.response, self.body)
    }

    /// A response whose body can be read: the original one, or, when the
    /// body has been read, a response rebuilt around it with the same
    /// status, version, headers, URL and extensions (so `remote_addr` still
    /// answers).
    pub fn into_response(self) -> reqwest::Response {
        match self.body {
            None => self.response,
            Some(body) => rebuild(self.response, body),
        }
    }
}

/// `original` (whose body has been read) with `body`.
fn rebuild(mut original: reqwest::Response, body: Bytes) -> reqwest::Response {
    let status = original.status();
    let version = original.version();
    let headers = std::mem::take(original.headers_mut());
    // Without a URL `reqwest` parses a placeholder, which costs more than
    // the copy; the builder is the only way to give a response its URL.
    let url = original.url().clone();
    let builder = http::Response::builder().url(url);
    let (mut parts, ()) = match builder.body(()) {
        Ok(response) => response.into_parts(),
        // Unreachable: nothing before `body` can fail.
        Err(_) => http::Response::new(()).into_parts(),
    };
    parts.status = status;
    parts.version = version;
    parts.headers = headers;
    parts
        .extensions
        .extend(std::mem::take(original.extensions_mut()));
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// Decodes a JSON response (progenitor's `ResponseValue::from_response`,
/// using the body the executor read when there is one). The headers are
/// moved into the value, not copied.
///
/// A body already read is decoded without reading anything, so that path's
/// future holds no body-reading state; reading the response goes through a
/// boxed future. Every generated call's future embeds this one, and a
/// smaller call future is cheaper to allocate and move on every call.
pub fn json<T: DeserializeOwned, E>(
    executed: Executed,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    let Executed { mut response, body } = executed;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    match body {
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
/// `ResponseValue::stream`); a body the executor read becomes a stream of
/// one chunk.
pub fn stream(executed: Executed) -> ResponseValue<ByteStream> {
    let Executed { mut response, body } = executed;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let inner = match body {
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

    fn response(body: &'static str) -> reqwest::Response {
        response_with_status(200, body)
    }

    fn response_with_status(status: u16, body: &'static str) -> reqwest::Response {
        let response = http::Response::builder()
            .status(status)
            .header("trace-id", "t-1")
            .url(reqwest::Url::parse("https://api.minimax.io/v1/files/retrieve?file_id=1").unwrap())
            .body(body)
            .unwrap();
        reqwest::Response::from(response)
    }

    fn executed(body: &'static str, buffered: Option<&'static str>) -> Executed {
        executed_from(response(body), buffered)
    }

    /// `response`, with `buffered` as the body its executor read, if any.
    fn executed_from(response: reqwest::Response, buffered: Option<&'static str>) -> Executed {
        match buffered {
            Some(buffered) => Executed::buffered(response, Bytes::from_static(buffered.as_bytes())),
            None => Executed::new(response),
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct File {
        file_id: i64,
    }

    #[tokio::test]
    async fn a_buffered_body_is_read_instead_of_the_exhausted_one() {
        let value = json::<File, ()>(executed("", Some(r#"{"file_id":7}"#)))
            .await
            .unwrap();
        assert_eq!(value.file_id, 7);
        assert_eq!(value.status(), 200);
        assert_eq!(value.headers()["trace-id"], "t-1");

        let (response, body) = executed("", Some("read")).into_parts();
        assert_eq!(response.headers()["trace-id"], "t-1");
        assert_eq!(body.as_deref(), Some(&b"read"[..]));
        assert_eq!(executed("unread", None).into_parts().1, None);
    }

    #[tokio::test]
    async fn without_a_buffered_body_the_response_is_read() {
        let value = json::<File, ()>(executed(r#"{"file_id":8}"#, None))
            .await
            .unwrap();
        assert_eq!(value.file_id, 8);
        match json::<File, ()>(executed("not json", None)).await {
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
            let value = stream(executed(body, buffered));
            assert_eq!(value.headers()["trace-id"], "t-1");
            let mut stream = value.into_inner_stream();
            let mut read = Vec::new();
            while let Some(chunk) = stream.next().await {
                read.extend_from_slice(&chunk.unwrap());
            }
            assert_eq!(read, expected.as_bytes());
        }
    }

    /// An extension a connection would attach (as `reqwest` does with the
    /// peer's address).
    #[derive(Clone, Debug, PartialEq)]
    struct Peer(&'static str);

    #[tokio::test]
    async fn a_plain_response_keeps_status_version_headers_url_extensions_and_body() {
        for (body, buffered) in [("", Some("read first")), ("read first", None)] {
            let mut response = response_with_status(429, body);
            response.extensions_mut().insert(Peer("127.0.0.1:9"));
            let executed = executed_from(response, buffered);
            assert_eq!(executed.status(), 429);
            assert_eq!(executed.headers()["trace-id"], "t-1");
            let response = executed.into_response();
            assert_eq!(response.status(), 429);
            assert_eq!(response.version(), reqwest::Version::HTTP_11);
            assert_eq!(response.headers()["trace-id"], "t-1");
            assert_eq!(
                response.url().as_str(),
                "https://api.minimax.io/v1/files/retrieve?file_id=1"
            );
            assert_eq!(
                response.extensions().get::<Peer>(),
                Some(&Peer("127.0.0.1:9"))
            );
            assert_eq!(response.text().await.unwrap(), "read first");
        }
    }
}
