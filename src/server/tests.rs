//! The server in-process, over an in-memory connection: the handshake, the answers to bad
//! requests, and that a bad document never stops it.

use super::*;
use serde_json::json;

struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
    next: i32,
}

impl Client {
    fn start(init: Value) -> Client {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || serve(&server).map_err(|e| e.to_string()));
        let mut c = Client {
            conn,
            server: Some(handle),
            next: 0,
        };
        let caps = c.request("initialize", init);
        assert!(
            caps["capabilities"]["textDocumentSync"].is_object(),
            "{caps}"
        );
        c.notify("initialized", json!({}));
        c
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let resp = self.request_raw(method, params);
        assert!(resp.error.is_none(), "{method}: {:?}", resp.error);
        resp.result.unwrap_or(Value::Null)
    }

    fn request_raw(&mut self, method: &str, params: Value) -> Response {
        self.next += 1;
        let id = RequestId::from(self.next);
        let req = Request::new(id.clone(), method.into(), params);
        self.conn.sender.send(req.into()).unwrap();
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => return r,
                _ => continue,
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.into(), params);
        self.conn.sender.send(n.into()).unwrap();
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the server answers")
    }

    /// The next notification with this method, skipping others.
    fn wait(&self, method: &str) -> Value {
        loop {
            if let Message::Notification(n) = self.recv()
                && n.method == method
            {
                return n.params;
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let result = self.server.take().unwrap().join().unwrap();
        assert_eq!(result, Ok(()));
    }
}

fn open(c: &Client, uri: &str, language: &str, text: &str) -> Value {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    c.wait("textDocument/publishDiagnostics")
}

#[test]
fn utf8_columns_when_the_client_offers_them() {
    let mut c = Client::start(json!({
        "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
    }));
    let dir = tempfile::tempdir().unwrap();
    let uri = path_to_uri(&dir.path().join("Dockerfile")).unwrap();
    let text = "FROM alpine:3.20\nLABEL a=\"é\"\nUSER 1000\nCMD echo é\n";
    let diags = open(&c, uri.as_str(), "dockerfile", text);
    let d = &diags["diagnostics"][0];
    assert_eq!(d["code"], "DL3025");
    // `CMD echo é`: 4 bytes in, 4 + 6 bytes long in UTF-8.
    assert_eq!(d["range"]["start"], json!({"line": 3, "character": 4}));
    assert_eq!(d["range"]["end"], json!({"line": 3, "character": 11}));
    let _ = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri.as_str()}, "position": {"line": 3, "character": 5}}),
    );
    c.stop();
}

#[test]
fn bad_requests_get_errors_and_the_server_goes_on() {
    let mut c = Client::start(json!({"capabilities": {}}));
    let unknown = c.request_raw("textDocument/formatting", json!({}));
    assert_eq!(
        unknown.error.map(|e| e.code),
        Some(ErrorCode::MethodNotFound as i32)
    );
    let bad = c.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(
        bad.error.map(|e| e.code),
        Some(ErrorCode::InvalidParams as i32)
    );
    // A notification with bad parameters is logged, not fatal.
    c.notify("textDocument/didOpen", json!({"textDocument": 3}));
    let log = c.wait("window/logMessage");
    assert!(
        log["message"].as_str().unwrap().contains("didOpen"),
        "{log}"
    );
    // A request on a document that is not open answers with nothing.
    let none = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": "file:///nowhere/Dockerfile"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(none, Value::Null);
    c.stop();
}

#[test]
fn changes_past_the_end_and_hostile_text_are_survived() {
    let mut c = Client::start(json!({"capabilities": {}}));
    let uri = "untitled:Untitled-1";
    open(&c, uri, "dockerfile", "FROM alpine:3.20\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 99, "character": 0}, "end": {"line": 0, "character": 99}}, "text": "RUN $(((\n\u{0}é"}
        ]}),
    );
    c.wait("textDocument/publishDiagnostics");
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/prepareRename",
    ] {
        let _ = c.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}),
        );
    }
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(symbols.is_array(), "{symbols}");
    c.stop();
}

/// The next diagnostics published for `uri`, skipping other messages.
fn diagnostics_of(c: &Client, uri: &str) -> Vec<String> {
    loop {
        let p = c.wait("textDocument/publishDiagnostics");
        if p["uri"] == uri {
            return p["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect();
        }
    }
}

#[test]
fn a_dockerfile_edit_lints_the_compose_file_that_builds_it_again() {
    let c = Client::start(json!({"capabilities": {}}));
    let dir = tempfile::tempdir().unwrap();
    let compose = "services:\n  api:\n    build:\n      context: ./api\n      target: prod\n";
    let dockerfile = "FROM alpine:3.20 AS build\nUSER 1000\n";
    std::fs::create_dir(dir.path().join("api")).unwrap();
    std::fs::write(dir.path().join("compose.yaml"), compose).unwrap();
    std::fs::write(dir.path().join("api/Dockerfile"), dockerfile).unwrap();
    let compose_uri = path_to_uri(&dir.path().join("compose.yaml")).unwrap();
    let df_uri = path_to_uri(&dir.path().join("api/Dockerfile")).unwrap();
    let (compose_uri, df_uri) = (compose_uri.as_str(), df_uri.as_str());
    // The compose file alone: its target names no stage of the Dockerfile on disk.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": compose_uri, "languageId": "dockercompose", "version": 1, "text": compose}}),
    );
    assert!(diagnostics_of(&c, compose_uri).contains(&"DX001".to_string()));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": df_uri, "languageId": "dockerfile", "version": 1, "text": dockerfile}}),
    );
    assert!(diagnostics_of(&c, compose_uri).contains(&"DX001".to_string()));
    // The stage gets the name in the editor, unsaved: the compose file's finding goes.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": df_uri, "version": 2}, "contentChanges": [
            {"text": "FROM alpine:3.20 AS prod\nUSER 1000\n"}
        ]}),
    );
    assert!(!diagnostics_of(&c, compose_uri).contains(&"DX001".to_string()));
    // And the other way round: the compose file names a stage that is not there.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": compose_uri, "version": 2}, "contentChanges": [
            {"text": "services:\n  api:\n    build:\n      context: ./api\n      target: nope\n"}
        ]}),
    );
    assert!(diagnostics_of(&c, compose_uri).contains(&"DX001".to_string()));
    c.stop();
}

fn hover_text(c: &mut Client, uri: &str, line: u32, character: u32) -> String {
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    );
    h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn hover_on_a_compose_key_says_what_the_specification_says() {
    let mut c = Client::start(json!({"capabilities": {}}));
    let uri = "untitled:compose-1";
    let text = "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      interval: 10s\n    scale: 2\n";
    open(&c, uri, "dockercompose", text);
    let interval = hover_text(&mut c, uri, 4, 8);
    assert!(
        interval.starts_with("**`interval`** (service.healthcheck): the time between"),
        "{interval}"
    );
    assert!(interval.contains("Value: a duration"), "{interval}");
    let scale = hover_text(&mut c, uri, 5, 5);
    assert!(
        scale.contains("**Deprecated**: `scale` is deprecated"),
        "{scale}"
    );
    // On a value: nothing.
    assert_eq!(hover_text(&mut c, uri, 2, 13), "");
    c.stop();
}

fn position_request(c: &mut Client, method: &str, uri: &str, line: u32, character: u32) -> Value {
    c.request(
        method,
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character},
               "context": {"includeDeclaration": false}}),
    )
}

#[test]
fn arg_references_go_to_the_arg_that_scopes_them() {
    let mut c = Client::start(json!({"capabilities": {}}));
    let uri = "untitled:Dockerfile-args";
    let text = "ARG BASE=alpine:3.20\nARG VERSION=1\nFROM ${BASE} AS build\nARG VERSION\nRUN echo $VERSION \\$VERSION\nFROM $BASE\nENV HOME=/app\nWORKDIR ${HOME}/src\n";
    open(&c, uri, "dockerfile", text);
    // `${BASE}` in the first FROM: the global ARG.
    let def = position_request(&mut c, "textDocument/definition", uri, 2, 8);
    assert_eq!(
        def["range"]["start"],
        json!({"line": 0, "character": 4}),
        "{def}"
    );
    // `$VERSION` in the stage: the stage's own `ARG VERSION`, not the global one.
    let def = position_request(&mut c, "textDocument/definition", uri, 4, 11);
    assert_eq!(
        def["range"]["start"],
        json!({"line": 3, "character": 4}),
        "{def}"
    );
    // The global BASE is read by both FROM lines; the escaped `\$VERSION` reads nothing.
    let refs = position_request(&mut c, "textDocument/references", uri, 0, 5);
    let lines: Vec<u64> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 5], "{refs}");
    let refs = position_request(&mut c, "textDocument/references", uri, 3, 5);
    assert_eq!(refs.as_array().unwrap().len(), 1, "{refs}");
    // An ENV is a definition too.
    let def = position_request(&mut c, "textDocument/definition", uri, 7, 11);
    assert_eq!(
        def["range"]["start"],
        json!({"line": 6, "character": 4}),
        "{def}"
    );
    // A build argument is not renamed (the builds that pass it write its name too).
    let rename = position_request(&mut c, "textDocument/prepareRename", uri, 0, 5);
    assert_eq!(rename, Value::Null);
    c.stop();
}

#[test]
fn a_build_dockerfile_links_to_the_file() {
    let mut c = Client::start(json!({"capabilities": {}}));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("api")).unwrap();
    std::fs::write(dir.path().join("api/Dockerfile.prod"), "FROM alpine:3.20\n").unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
    let text = "services:\n  api:\n    build:\n      context: ./api\n      dockerfile: Dockerfile.prod\n  web:\n    build: .\n  gone:\n    build: ./missing\n";
    let uri = path_to_uri(&dir.path().join("compose.yaml")).unwrap();
    open(&c, uri.as_str(), "dockercompose", text);
    let links = c.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri.as_str()}}),
    );
    let links = links.as_array().unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!(
        links[0]["range"]["start"],
        json!({"line": 4, "character": 18})
    );
    assert!(
        links[0]["target"]
            .as_str()
            .unwrap()
            .ends_with("/api/Dockerfile.prod")
    );
    assert!(
        links[1]["target"]
            .as_str()
            .unwrap()
            .ends_with("/Dockerfile")
    );
    let def = position_request(&mut c, "textDocument/definition", uri.as_str(), 4, 20);
    assert!(
        def["uri"]
            .as_str()
            .unwrap()
            .ends_with("/api/Dockerfile.prod"),
        "{def}"
    );
    c.stop();
}

fn completion_labels(c: &mut Client, uri: &str, line: u32, character: u32) -> Vec<String> {
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    );
    items
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["label"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn completion_offers_keywords_flags_and_compose_keys() {
    let mut c = Client::start(json!({"capabilities": {}}));
    let uri = "untitled:Dockerfile-complete";
    open(
        &c,
        uri,
        "dockerfile",
        "FROM alpine:3.20\nCO\nCOPY --\nRUN apt-get update \\\n    --\n",
    );
    let keywords = completion_labels(&mut c, uri, 1, 2);
    assert!(keywords.contains(&"COPY".to_string()), "{keywords:?}");
    let flags = completion_labels(&mut c, uri, 2, 7);
    assert!(flags.contains(&"--chmod".to_string()), "{flags:?}");
    assert!(!flags.contains(&"--mount".to_string()), "{flags:?}");
    // A continued RUN line: a word of the command, not an instruction keyword.
    let continued = completion_labels(&mut c, uri, 4, 6);
    assert!(continued.contains(&"--mount".to_string()), "{continued:?}");
    let stages = "untitled:Dockerfile-stages";
    open(
        &c,
        stages,
        "dockerfile",
        "FROM alpine:3.20 AS build\nFROM alpine:3.20 AS test\nFROM scratch\nCOPY --from=b\nFROM alpine:3.20 AS late\n",
    );
    assert_eq!(completion_labels(&mut c, stages, 3, 13), ["build"]);
    let compose = "untitled:compose-complete";
    open(
        &c,
        compose,
        "dockercompose",
        "services:\n  web:\n    build:\n      tar\n",
    );
    let keys = completion_labels(&mut c, compose, 3, 9);
    assert!(keys.contains(&"target".to_string()), "{keys:?}");
    assert!(keys.contains(&"dockerfile".to_string()), "{keys:?}");
    c.stop();
}
