//! Atomic downloads: rename only when complete, nothing left behind on
//! failure, one re-resolution of an expired URL, no API key at the
//! download host.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use httpmock::prelude::*;
use minimax_sdk::{DownloadProgress, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::client;

fn entries(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_complete_download_is_renamed_into_place_with_progress() {
    let api = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let content: Vec<u8> = (0..1_000_000u32).map(|n| (n % 251) as u8).collect();
    let mock = cdn
        .mock_async(|when, then| {
            when.method(GET)
                .path("/output/video.mp4")
                .query_param("signature", "abc")
                .header_missing("authorization");
            then.status(200)
                .header("content-type", "video/mp4")
                .body(content.clone());
        })
        .await;
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("video.mp4");
    std::fs::write(&target, b"old content").unwrap();

    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&seen);
    let client = client(&api);
    let written = client
        .download(cdn.url("/output/video.mp4?signature=abc"))
        .expected_len(Some(content.len() as u64))
        .progress(move |progress: DownloadProgress| recorder.lock().unwrap().push(progress))
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(written, content.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), content);
    assert_eq!(entries(directory.path()), ["video.mp4"]);
    assert_eq!(mock.calls_async().await, 1);
    #[cfg(unix)]
    {
        // The saved file gets the permissions of any new file (0666 less the
        // umask), not the temporary file's owner-only 0600.
        use std::os::unix::fs::PermissionsExt;
        let reference = directory.path().join("reference");
        std::fs::write(&reference, b"").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), mode(&reference));
        std::fs::remove_file(&reference).unwrap();
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.first().map(|p| p.bytes_done), Some(0));
    assert_eq!(
        seen.last().copied(),
        Some(DownloadProgress {
            bytes_done: content.len() as u64,
            total: Some(content.len() as u64)
        })
    );
    assert!(seen
        .windows(2)
        .all(|pair| pair[0].bytes_done <= pair[1].bytes_done));
}

#[tokio::test]
async fn progress_can_go_to_a_watch_channel() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/file.bin");
            then.status(200).body(vec![7u8; 4096]);
        })
        .await;
    let (sender, receiver) = tokio::sync::watch::channel(DownloadProgress::default());
    let directory = tempfile::tempdir().unwrap();
    client(&server)
        .download(server.url("/file.bin"))
        .progress(sender)
        .to_path(directory.path().join("file.bin"))
        .await
        .unwrap();
    assert_eq!(
        *receiver.borrow(),
        DownloadProgress {
            bytes_done: 4096,
            total: Some(4096)
        }
    );
}

#[tokio::test]
async fn a_size_mismatch_leaves_nothing_behind() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/short.mp3");
            then.status(200).body(vec![1u8; 1000]);
        })
        .await;
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("short.mp3");
    std::fs::write(&target, b"previous").unwrap();
    let client = client(&server);
    for expected in [2000, 10] {
        let error = client
            .download(server.url("/short.mp3"))
            .expected_len(Some(expected))
            .to_path(&target)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::SizeMismatch { expected: e, .. } if e == expected),
            "{error:?}"
        );
        assert_eq!(
            entries(directory.path()),
            ["short.mp3"],
            "no temporary file is left"
        );
        assert_eq!(
            std::fs::read(&target).unwrap(),
            b"previous",
            "the old file is untouched"
        );
    }
}

/// A server that announces 100 000 bytes, sends 1 000 and closes the connection.
async fn dropping_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ncontent-length: 100000\r\n\r\n")
                .await;
            let _ = socket.write_all(&[9u8; 1000]).await;
            let _ = socket.shutdown().await;
        }
    });
    (format!("http://{address}/cut.mp3"), task)
}

#[tokio::test]
async fn a_dropped_connection_leaves_nothing_behind() {
    let api = MockServer::start_async().await;
    let (url, server) = dropping_server().await;
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("cut.mp3");
    let error = client(&api)
        .download(url)
        .to_path(&target)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        entries(directory.path()).is_empty(),
        "{:?}",
        entries(directory.path())
    );
    server.abort();
}

#[tokio::test]
async fn an_expired_url_is_resolved_once() {
    let api = MockServer::start_async().await;
    let cdn = MockServer::start_async().await;
    let expired = cdn
        .mock_async(|when, then| {
            when.path("/old");
            then.status(403)
                .header("content-type", "application/xml")
                .body(
                "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
            );
        })
        .await;
    let fresh = cdn
        .mock_async(|when, then| {
            when.path("/new").header_missing("authorization");
            then.status(200).body("fresh bytes");
        })
        .await;
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("out.bin");
    let resolutions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&resolutions);
    let new_url = cdn.url("/new");
    client(&api)
        .download(cdn.url("/old"))
        .on_expired(move || async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(new_url)
        })
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"fresh bytes");
    assert_eq!(resolutions.load(Ordering::SeqCst), 1);
    assert_eq!(
        (expired.calls_async().await, fresh.calls_async().await),
        (1, 1)
    );

    // A fresh URL that has expired too is not resolved again.
    let resolutions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&resolutions);
    let old_url = cdn.url("/old");
    let error = client(&api)
        .download(cdn.url("/old"))
        .on_expired(move || async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(old_url)
        })
        .to_path(directory.path().join("other.bin"))
        .await
        .unwrap_err();
    assert_eq!(error.api_error().and_then(|api| api.http_status), Some(403));
    assert_eq!(resolutions.load(Ordering::SeqCst), 1);
    assert_eq!(entries(directory.path()), ["out.bin"]);
}

#[tokio::test]
async fn a_missing_directory_is_an_io_error_naming_it() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/f");
            then.status(200).body("x");
        })
        .await;
    let error = client(&server)
        .download(server.url("/f"))
        .to_path("/definitely/not/a/dir/f.bin")
        .await
        .unwrap_err();
    match error {
        Error::Io { path, .. } => assert_eq!(path, Path::new("/definitely/not/a/dir")),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}
