//! `minimax chat`

use httpmock::prelude::*;

use crate::common::*;

const EVENTS: &str = concat!(
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"Think: seven.\"}}],\"base_resp\":{\"status_code\":0}}\n\n",
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\n\\nSeven is \"}}]}\n\n",
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"prime.\"}}]}\n\n",
    "data: {\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"Seven is prime.\",\"reasoning_content\":\"Think: seven.\"}}],\"usage\":{\"total_tokens\":42},\"base_resp\":{\"status_code\":0,\"status_msg\":\"\"}}\n\n",
    "data: [DONE]\n\n",
);

fn completion(text: &str, finish_reason: &str) -> String {
    format!(
        r#"{{"id":"c1","object":"chat.completion","model":"MiniMax-M2.7","choices":[{{"index":0,"finish_reason":"{finish_reason}","message":{{"role":"assistant","content":"{text}","reasoning_content":"hmm"}}}}],"usage":{{"total_tokens":9}},"base_resp":{}}}"#,
        ok()
    )
}

#[test]
fn the_reply_streams_to_stdout() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/text/chatcompletion_v2")
            .json_body_includes(r#"{"stream":true,"model":"MiniMax-M2.7"}"#)
            .body_includes(r#""role":"system""#)
            .body_includes("Be brief.")
            .body_includes("Is seven prime?");
        then.status(200)
            .header("content-type", "text/event-stream")
            .body(EVENTS);
    });
    let output = run(
        minimax(&server).args(["chat", "--system", "Be brief.", "Is seven prime?"]),
        0,
    );
    assert_eq!(stdout(&output), "Seven is prime.\n");
    assert!(!stderr(&output).contains("Think"), "{}", stderr(&output));
    mock.assert();

    let output = run(
        minimax(&server).args([
            "chat",
            "--show-reasoning",
            "--system",
            "Be brief.",
            "Is seven prime?",
        ]),
        0,
    );
    assert_eq!(stdout(&output), "Seven is prime.\n");
    assert!(stderr(&output).contains("Think: seven."));
}

#[test]
fn no_stream_and_json_use_one_response() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v1/text/chatcompletion_v2")
            .json_body_includes(r#"{"model":"MiniMax-M2.5","temperature":0.2}"#)
            .body_excludes(r#""stream":true"#);
        then.status(200)
            .header("content-type", JSON)
            .body(completion("Hi!", "length"));
    });
    let output = run(
        minimax(&server).args([
            "chat",
            "--no-stream",
            "-m",
            "MiniMax-M2.5",
            "--temperature",
            "0.2",
            "Hello",
        ]),
        0,
    );
    assert_eq!(stdout(&output), "Hi!\n");
    assert!(
        stderr(&output).contains("--max-tokens"),
        "{}",
        stderr(&output)
    );

    let output = run(
        minimax(&server).args([
            "chat",
            "--json",
            "-m",
            "MiniMax-M2.5",
            "--temperature",
            "0.2",
            "Hello",
        ]),
        0,
    );
    let reply = json(&output);
    assert_eq!(reply["choices"][0]["message"]["content"], "Hi!");
    assert_eq!(reply["usage"]["total_tokens"], 9);
    mock.assert_calls(2);
}

#[test]
fn the_prompt_can_come_from_stdin() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/text/chatcompletion_v2")
            .body_includes("piped question");
        then.status(200)
            .header("content-type", JSON)
            .body(completion("piped answer", "stop"));
    });
    let output = run(
        minimax(&server)
            .args(["chat", "--no-stream", "-"])
            .write_stdin("piped question\n"),
        0,
    );
    assert_eq!(stdout(&output), "piped answer\n");
    run(minimax(&server).args(["chat", "-"]).write_stdin("   "), 2);
}

#[test]
fn a_mid_stream_error_keeps_the_text_and_exits_with_its_class() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/text/chatcompletion_v2");
        then.status(200).header("content-type", "text/event-stream").body(concat!(
            "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once upon\"}}]}\n\n",
            "data: {\"id\":\"c2\",\"choices\":null,\"base_resp\":{\"status_code\":1027,\"status_msg\":\"output new_sensitive\"}}\n\n",
        ));
    });
    let output = run(minimax(&server).args(["chat", "Tell me a story"]), 7);
    assert_eq!(stdout(&output), "Once upon");
    assert!(stderr(&output).contains("1027"), "{}", stderr(&output));
}

#[test]
fn an_auth_error_before_the_stream_exits_3() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v1/text/chatcompletion_v2");
        then.status(200)
            .header("content-type", JSON)
            .header("Trace-Id", "trace-auth")
            .body(error_body(1004, "login fail"));
    });
    let output = run(minimax(&server).args(["chat", "Hi"]), 3);
    let err = stderr(&output);
    assert!(err.contains("1004") && err.contains("trace-auth"), "{err}");
}
