//! `client.music()`: generate (hex and URL) and the SSE stream.

use futures::StreamExt;
use httpmock::prelude::*;
use httpmock::HttpMockRequest;
use minimax_sdk::{types, Audio, Error};

use crate::common::{assert_api_error, bearer, client, client_for, piecewise_server, split_every};

const JSON: &str = "application/json";

fn request() -> types::builder::GenerateMusicReq {
    types::GenerateMusicReq::builder()
        .model("music-2.5")
        .prompt("Upbeat synth-pop".to_owned())
        .lyrics("[Verse]\nCity lights".to_owned())
}

#[tokio::test]
async fn generate_decodes_hex_and_exposes_urls() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/music_generation")
                .header("authorization", bearer())
                .json_body_includes(r#"{"model":"music-2.5","lyrics":"[Verse]\nCity lights"}"#)
                .is_true(|request: &HttpMockRequest| {
                    serde_json::from_slice::<serde_json::Value>(request.body_ref())
                        .map(|json| json.get("stream").is_none() && json.get("output_format").is_none())
                        .unwrap_or(false)
                });
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"data":{"audio":"494433040000","status":2},"extra_info":{"music_duration":60032,"music_sample_rate":44100,"bitrate":256000},"trace_id":"trace-music","base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/music_generation")
                .json_body_includes(r#"{"output_format":"url"}"#);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"data":{"audio":"https://cdn.example/music/song.mp3?Signature=s","status":2},"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = client(&server);
    let music = client
        .music()
        .generate(request().stream(Some(true)))
        .await
        .unwrap();
    assert_eq!(
        music.audio,
        Audio::Bytes(bytes::Bytes::from_static(b"ID3\x04\0\0"))
    );
    assert_eq!(
        music.extra_info.as_ref().unwrap().music_duration,
        Some(60032)
    );
    assert_eq!(music.trace_id(), Some("trace-music"));

    let music = client
        .music()
        .generate(request().output_format(Some("url".to_owned())))
        .await
        .unwrap();
    assert_eq!(
        music.audio.url(),
        Some("https://cdn.example/music/song.mp3?Signature=s")
    );
}

#[tokio::test]
async fn generate_errors_are_typed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/music_generation");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"base_resp":{"status_code":2013,"status_msg":"invalid params, lyrics too long"},"trace_id":"trace-2013"}"#);
        })
        .await;
    let error = client(&server)
        .music()
        .generate(request())
        .await
        .unwrap_err();
    assert_api_error(error, 2013, "trace-2013");

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/music_generation");
            then.status(200).header("content-type", JSON).body(
                r#"{"data":{"status":2},"base_resp":{"status_code":0,"status_msg":"success"}}"#,
            );
        })
        .await;
    let error = crate::common::client(&server)
        .music()
        .generate(request())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

fn event(audio: &str, status: i64, extra: bool) -> String {
    let extra = if extra {
        r#","extra_info":{"music_duration":1000,"music_size":6}"#
    } else {
        ""
    };
    format!(
        "data: {{\"data\":{{\"audio\":\"{audio}\",\"status\":{status}}}{extra},\"base_resp\":{{\"status_code\":0,\"status_msg\":\"\"}}}}\n\n"
    )
}

#[tokio::test]
async fn the_stream_yields_the_song_once_whether_the_final_event_repeats_or_adds() {
    // The final event repeats the whole song.
    let repeat = [
        event("494433", 1, false),
        event("040000", 1, false),
        event("494433040000", 2, true),
    ]
    .concat();
    // The final event carries the last piece only.
    let increment = [
        event("494433", 1, false),
        event("0400", 1, false),
        event("00", 2, true),
    ]
    .concat();
    for body in [repeat, increment] {
        let (url, requests) = piecewise_server(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntrace-id: trace-song",
            split_every(&body, 10),
        )
        .await;
        let stream = client_for(&url)
            .music()
            .generate_stream(request())
            .await
            .unwrap();
        assert_eq!(stream.trace_id(), Some("trace-song"));
        let chunks: Vec<_> = stream.map(Result::unwrap).collect().await;
        let song: Vec<u8> = chunks
            .iter()
            .flat_map(|chunk| chunk.audio.to_vec())
            .collect();
        assert_eq!(song, b"ID3\x04\0\0", "{body}");
        let last = chunks.last().unwrap();
        assert!(last.is_final);
        assert_eq!(last.extra_info.as_ref().unwrap().music_size, Some(6));
        let sent = requests.lock().unwrap()[0].clone();
        assert!(sent.contains("\"stream\":true"), "{sent}");
    }
}
