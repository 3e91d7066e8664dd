//! `minimax image generate`

use httpmock::prelude::*;

use crate::common::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake image bytes";

#[test]
fn urls_are_printed_without_output() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/image_generation")
            .json_body_includes(r#"{"model":"image-01","prompt":"A lighthouse","n":2,"aspect_ratio":"16:9"}"#);
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"id":"03ff","data":{{"image_urls":["https://cdn.example/a.png","https://cdn.example/b.png"]}},"metadata":{{"success_count":"2","failed_count":"0"}},"base_resp":{}}}"#,
            ok()
        ));
    });
    let output = run(
        minimax(&server).args([
            "image",
            "generate",
            "A lighthouse",
            "-n",
            "2",
            "--aspect-ratio",
            "16:9",
        ]),
        0,
    );
    assert_eq!(
        stdout(&output),
        "https://cdn.example/a.png\nhttps://cdn.example/b.png\n"
    );
    mock.assert();
}

#[test]
fn images_are_downloaded_into_the_directory() {
    let api = MockServer::start();
    let cdn = MockServer::start();
    let urls = [cdn.url("/img/a.png?sig=1"), cdn.url("/img/b.png?sig=2")];
    api.mock(move |when, then| {
        when.path("/v1/image_generation");
        then.status(200).header("content-type", JSON).body(format!(
            r#"{{"id":"03ff","data":{{"image_urls":["{}","{}"]}},"metadata":{{"success_count":"2","failed_count":"0"}},"base_resp":{}}}"#,
            urls[0],
            urls[1],
            ok()
        ));
    });
    cdn.mock(|when, then| {
        when.path_prefix("/img/").header_missing("authorization");
        then.status(200)
            .header("content-type", "image/png")
            .body(PNG);
    });
    let directory = tempfile::tempdir().unwrap();
    let out = directory.path().join("pictures");
    let output = run(
        minimax(&api)
            .args(["image", "generate", "A lighthouse", "-n", "2", "-o"])
            .arg(&out),
        0,
    );
    assert_eq!(entries(&out), ["image-03ff-1.png", "image-03ff-2.png"]);
    assert_eq!(std::fs::read(out.join("image-03ff-1.png")).unwrap(), PNG);
    assert_eq!(stdout(&output).lines().count(), 2);

    // Existing files are refused without --force, replaced with it.
    run(
        minimax(&api)
            .args(["image", "generate", "A lighthouse", "-n", "2", "-o"])
            .arg(&out),
        9,
    );
    let output = run(
        minimax(&api)
            .args([
                "--json",
                "image",
                "generate",
                "A lighthouse",
                "-n",
                "2",
                "--force",
                "-o",
            ])
            .arg(&out),
        0,
    );
    let report = json(&output);
    assert_eq!(report["success_count"], 2);
    assert_eq!(report["images"][1]["bytes"], PNG.len());
    assert!(report["images"][0]["path"]
        .as_str()
        .is_some_and(|path| path.ends_with("image-03ff-1.png")));
}

#[test]
fn base64_images_are_decoded_and_json_omits_the_data() {
    let server = MockServer::start();
    let data = "iVBORw0KGgoA".to_owned() + &"QUJD".repeat(200);
    let body = format!(
        r#"{{"id":"x1","data":{{"image_base64":["{data}"]}},"metadata":{{"success_count":"1","failed_count":"0"}},"base_resp":{}}}"#,
        ok()
    );
    server.mock(move |when, then| {
        when.path("/v1/image_generation")
            .json_body_includes(r#"{"response_format":"base64"}"#);
        then.status(200).header("content-type", JSON).body(body);
    });
    let directory = tempfile::tempdir().unwrap();
    let output = run(
        minimax(&server)
            .args([
                "--json",
                "image",
                "generate",
                "A lighthouse",
                "--base64",
                "-o",
            ])
            .arg(directory.path()),
        0,
    );
    assert!(!stdout(&output).contains(&data));
    assert_eq!(entries(directory.path()), ["image-x1-1.png"]);
    let saved = std::fs::read(directory.path().join("image-x1-1.png")).unwrap();
    assert!(saved.starts_with(b"\x89PNG"));
    // Without -o, base64 images have nowhere to go.
    run(
        minimax(&server).args(["image", "generate", "A lighthouse", "--base64"]),
        2,
    );
}

#[test]
fn a_count_out_of_range_is_a_usage_error() {
    let server = MockServer::start();
    run(
        minimax(&server).args(["image", "generate", "x", "-n", "10"]),
        2,
    );
}

#[test]
fn a_sensitive_prompt_exits_5() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/image_generation");
        then.status(200)
            .header("content-type", JSON)
            .body(error_body(1026, "input new_sensitive"));
    });
    run(minimax(&server).args(["image", "generate", "x"]), 5);
}
