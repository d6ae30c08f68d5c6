//! The language server's cost per edit of a 300-line Dockerfile or compose file. The bench
//! starts the real `wharf server` as a child process and speaks LSP to it over its standard
//! input and output, as an editor does. Two edits: a `didChange` that replaces the whole text,
//! and one that types a character (incremental sync: a space inserted at the end of line 9,
//! then taken out again, in turns); each is timed until its `publishDiagnostics` arrives. The
//! files are in an empty directory of their own, so that no other compose file joins their
//! project.
//!
//! By default the time is the wall-clock round trip, the client's side included. With
//! `WHARF_BENCH_CPU=1` it is the server's time: the CPU time the server process used (all its
//! threads, read from `/proc/PID/task/*/schedstat`, in nanoseconds), which load does not
//! inflate and which leaves out the bench's own work.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;

fn dockerfile(lines: usize) -> String {
    let mut out = String::from(
        "# syntax=docker/dockerfile:1\nFROM python:3.12-slim AS build\nWORKDIR /src\n",
    );
    let mut i = 0;
    while out.lines().count() < lines - 4 {
        out.push_str(&format!(
            "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends gcc=12.2.0-{i} libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY requirements-{i}.txt .\nRUN pip install --no-cache-dir -r requirements-{i}.txt\nENV STEP_{i}=done\n"
        ));
        i += 1;
    }
    out.push_str("FROM python:3.12-slim\nCOPY --from=build /src /app\nUSER 1000\nCMD [\"python\", \"-m\", \"app\"]\n");
    out
}

fn compose(lines: usize) -> String {
    let mut out = String::from("services:\n");
    let mut i = 0;
    while out.lines().count() < lines {
        out.push_str(&format!(
            "  svc{i}:\n    image: ghcr.io/acme/svc{i}:1.{i}\n    restart: unless-stopped\n    environment:\n      LOG_LEVEL: info\n    ports:\n      - \"127.0.0.1:{}:80\"\n    depends_on:\n      - db\n",
            8000 + i
        ));
        i += 1;
    }
    out.push_str("  db:\n    image: postgres:17\n");
    out
}

/// The server process and the two ends of its pipes.
struct Server {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Server {
    fn start() -> Server {
        // `WHARF_BENCH_BIN` runs another build, to compare two in the same minute.
        let bin = std::env::var_os("WHARF_BENCH_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_wharf").into());
        let mut child = Command::new(bin)
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("wharf server starts");
        let input = child.stdin.take().expect("stdin is piped");
        let output = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Server {
            child,
            input,
            output,
        }
    }

    fn send(&mut self, message: Message) {
        message.write(&mut self.input).expect("the server reads");
        self.input.flush().expect("the server reads");
    }

    fn notify(&mut self, method: &str, params: serde_json::Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    /// Reads messages until a notification `method` arrives.
    fn wait_for(&mut self, method: &str) {
        loop {
            match Message::read(&mut self.output) {
                Ok(Some(Message::Notification(n))) if n.method == method => return,
                Ok(Some(_)) => continue,
                other => panic!("no {method}: {other:?}"),
            }
        }
    }

    /// The CPU time the server process has used so far, all its threads.
    fn cpu_time(&self) -> Duration {
        let tasks = format!("/proc/{}/task", self.child.id());
        let mut total = 0u64;
        for task in std::fs::read_dir(tasks).expect("the server runs").flatten() {
            let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            total += stat
                .split_whitespace()
                .next()
                .and_then(|ns| ns.parse::<u64>().ok())
                .unwrap_or(0);
        }
        Duration::from_nanos(total)
    }
}

/// Runs `one` as criterion asks, timing it by the wall clock or, with `WHARF_BENCH_CPU` set,
/// by the CPU time of the server process.
fn timed(b: &mut criterion::Bencher<'_>, server: &mut Server, mut one: impl FnMut(&mut Server)) {
    if std::env::var_os("WHARF_BENCH_CPU").is_some_and(|v| !v.is_empty()) {
        b.iter_custom(|iters| {
            let start = server.cpu_time();
            for _ in 0..iters {
                one(server);
            }
            server.cpu_time().saturating_sub(start)
        });
    } else {
        b.iter(|| one(server));
    }
}

fn edit_cost(c: &mut Criterion) {
    let mut server = Server::start();
    let init = Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}}),
    );
    server.send(init.into());
    loop {
        if let Ok(Some(Message::Response(_))) = Message::read(&mut server.output) {
            break;
        }
    }
    server.notify("initialized", json!({}));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (name, language, text) in [
        ("Dockerfile", "dockerfile", dockerfile(300)),
        ("compose.yaml", "dockercompose", compose(300)),
    ] {
        let uri = format!("file://{}/{name}", dir.display());
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        server.wait_for("textDocument/publishDiagnostics");
        let mut version = 1;
        c.bench_function(&format!("server: edit a 300-line {name}"), |b| {
            timed(b, &mut server, |server| {
                version += 1;
                server.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
                );
                server.wait_for("textDocument/publishDiagnostics");
            })
        });
        // Line 9's end, in UTF-16 units (the text is ASCII): an ENV line, a `depends_on:`.
        let end = text.lines().nth(8).map_or(0, str::len);
        let mut typed = false;
        c.bench_function(&format!("server: type in a 300-line {name}"), |b| {
            timed(b, &mut server, |server| {
                version += 1;
                let change = if typed {
                    json!({"range": {"start": {"line": 8, "character": end}, "end": {"line": 8, "character": end + 1}}, "text": ""})
                } else {
                    json!({"range": {"start": {"line": 8, "character": end}, "end": {"line": 8, "character": end}}, "text": " "})
                };
                typed = !typed;
                server.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
                );
                server.wait_for("textDocument/publishDiagnostics");
            })
        });
    }
    let shutdown = Request::new(RequestId::from(2), "shutdown".into(), json!(null));
    server.send(shutdown.into());
    server.notify("exit", json!(null));
    let _ = server.child.wait();
}

criterion_group!(benches, edit_cost);
criterion_main!(benches);
