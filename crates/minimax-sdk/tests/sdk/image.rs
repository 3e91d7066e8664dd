//! `client.image()`: generate (URLs and base64), save and save_all.

use httpmock::prelude::*;
use minimax_sdk::{types, Error};

use crate::common::{assert_api_error, bearer, client, entries, error_body};

const JSON: &str = "application/json";

fn request() -> types::builder::ImageGenerationReq {
    types::ImageGenerationReq::builder()
        .model("image-01")
        .prompt("A lighthouse at dusk")
}

#[tokio::test]
async fn url_images_are_saved_through_the_client_without_the_key() {
    let server = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let first = cdn
        .mock_async(|when, then| {
            when.path("/img/0.jpeg").header_missing("authorization");
            then.status(200).body("first image");
        })
        .await;
    let second = cdn
        .mock_async(|when, then| {
            when.path("/img/1.png").header_missing("authorization");
            then.status(200).body("second image");
        })
        .await;
    let urls = [
        cdn.url("/img/0.jpeg?Expires=1&Signature=a"),
        cdn.url("/img/1.png?Expires=1&Signature=b"),
    ];
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/v1/image_generation")
                .header("authorization", bearer())
                .json_body_includes(r#"{"model":"image-01","prompt":"A lighthouse at dusk","n":2}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-image")
                .body(format!(
                    r#"{{"id":"03ff3cd0820949eb8a410056b5f21d38","data":{{"image_urls":["{}","{}"]}},"metadata":{{"failed_count":"0","success_count":"2"}},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#,
                    urls[0], urls[1]
                ));
        })
        .await;
    let images = client(&server)
        .image()
        .generate(request().n(2))
        .await
        .unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(images.success_count, Some(2));
    assert_eq!(images.failed_count, Some(0));
    assert_eq!(images.trace_id(), Some("trace-image"));
    assert!(images.images[0].url().is_some());

    let root = tempfile::tempdir().unwrap();
    let directory = root.path().join("out");
    let paths = images.save_all(&directory).await.unwrap();
    assert_eq!(
        paths,
        [
            directory.join("image-03ff3cd0820949eb8a410056b5f21d38-1.jpeg"),
            directory.join("image-03ff3cd0820949eb8a410056b5f21d38-2.png"),
        ]
    );
    assert_eq!(std::fs::read(&paths[0]).unwrap(), b"first image");
    assert_eq!(std::fs::read(&paths[1]).unwrap(), b"second image");
    assert_eq!(
        entries(&directory),
        [
            "image-03ff3cd0820949eb8a410056b5f21d38-1.jpeg",
            "image-03ff3cd0820949eb8a410056b5f21d38-2.png"
        ]
    );
    assert_eq!(
        (first.calls_async().await, second.calls_async().await),
        (1, 1)
    );

    let single = root.path().join("second.png");
    assert_eq!(images.save(1, &single).await.unwrap(), 12);
    assert!(matches!(
        images.save(2, root.path().join("x.png")).await,
        Err(Error::InvalidArgument(_))
    ));
}

#[tokio::test]
async fn base64_images_are_decoded_and_saved_atomically_and_numeric_counts_read() {
    use base64::Engine as _;
    let png = b"\x89PNG\r\n\x1a\nnot really a png".to_vec();
    let jpeg = b"\xFF\xD8\xFF\xE0 a jpeg".to_vec();
    let encoded = [
        base64::engine::general_purpose::STANDARD.encode(&png),
        base64::engine::general_purpose::STANDARD.encode(&jpeg),
    ];
    let server = MockServer::start_async().await;
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/v1/image_generation")
                .json_body_includes(r#"{"response_format":"base64"}"#);
            // The counts as numbers, not the documented strings: they decode
            // the same.
            then.status(200)
                .header("content-type", JSON)
                .body(format!(
                    r#"{{"data":{{"image_base64":["{}","{}"]}},"metadata":{{"failed_count":0,"success_count":2}},"base_resp":{{"status_code":0,"status_msg":"success"}}}}"#,
                    encoded[0], encoded[1]
                ));
        })
        .await;
    let images = client(&server)
        .image()
        .generate(request().response_format(types::ImageDataFormat::Base64))
        .await
        .unwrap();
    assert_eq!(
        (images.success_count, images.failed_count),
        (Some(2), Some(0))
    );
    assert_eq!(
        images.images[0].data().map(|data| data.to_vec()),
        Some(png.clone())
    );
    let directory = tempfile::tempdir().unwrap();
    let paths = images.save_all(directory.path()).await.unwrap();
    assert_eq!(
        entries(directory.path()),
        ["image-1.png", "image-2.jpeg"],
        "only the final files, no temporary ones"
    );
    assert_eq!(std::fs::read(&paths[0]).unwrap(), png);
    assert_eq!(std::fs::read(&paths[1]).unwrap(), jpeg);
}

#[tokio::test]
async fn generation_errors_and_empty_results() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/image_generation")
                .json_body_includes(r#"{"prompt":"refused"}"#);
            then.status(200)
                .header("content-type", JSON)
                .header("Trace-Id", "trace-1026")
                .body(error_body(1026, "input new_sensitive"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/image_generation")
                .json_body_includes(r#"{"prompt":"all failed"}"#);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"data":{"image_urls":[]},"metadata":{"failed_count":"1","success_count":"0"},"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/image_generation")
                .json_body_includes(r#"{"prompt":"nothing"}"#);
            then.status(200)
                .header("content-type", JSON)
                .body(r#"{"data":null,"base_resp":{"status_code":0,"status_msg":"success"}}"#);
        })
        .await;
    let client = client(&server);
    let error = client
        .image()
        .generate(request().prompt("refused"))
        .await
        .unwrap_err();
    assert_api_error(error, 1026, "trace-1026");

    let none = client
        .image()
        .generate(request().prompt("all failed"))
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(none.failed_count, Some(1));

    let error = client
        .image()
        .generate(request().prompt("nothing"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}
