//! The language server's time per edit of a 300-line Dockerfile or compose file, until its
//! `publishDiagnostics` arrives (the server runs in a thread on an in-memory connection, so
//! this is the server's work plus a channel hop). Two edits: a `didChange` that replaces the
//! whole text, and one that types a character (incremental sync: a space inserted at the end
//! of line 9, then taken out again, in turns). The files are in an empty directory of their
//! own, so that no other compose file joins their project.
//!
//! With `WHARF_BENCH_CPU=1` the time taken is the CPU time of the process (server and client
//! threads; a thread waiting for a message uses none) instead of the wall-clock time: on a
//! loaded machine that is the figure that means something.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
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

fn wait_for(conn: &Connection, method: &str) {
    loop {
        match conn.receiver.recv_timeout(Duration::from_secs(10)) {
            Ok(Message::Notification(n)) if n.method == method => return,
            Ok(_) => continue,
            Err(e) => panic!("no {method}: {e}"),
        }
    }
}

/// The CPU time the process has used so far.
fn cpu_time() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to write.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Runs `one` as criterion asks, timing it by the wall clock or, with `WHARF_BENCH_CPU` set,
/// by the CPU time of the process.
fn timed(b: &mut criterion::Bencher<'_>, mut one: impl FnMut()) {
    if std::env::var_os("WHARF_BENCH_CPU").is_some() {
        b.iter_custom(|iters| {
            let start = cpu_time();
            for _ in 0..iters {
                one();
            }
            cpu_time().saturating_sub(start)
        });
    } else {
        b.iter(one);
    }
}

fn edit_cost(c: &mut Criterion) {
    let (server, client) = Connection::memory();
    let handle =
        std::thread::spawn(move || wharf::server::serve(&server).map_err(|e| e.to_string()));
    let init = Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}}),
    );
    client.sender.send(init.into()).unwrap();
    let _ = client.receiver.recv();
    let send = |method: &str, params: serde_json::Value| {
        client
            .sender
            .send(Notification::new(method.into(), params).into())
            .unwrap();
    };
    send("initialized", json!({}));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (name, language, text) in [
        ("Dockerfile", "dockerfile", dockerfile(300)),
        ("compose.yaml", "dockercompose", compose(300)),
    ] {
        let uri = format!("file://{}/{name}", dir.display());
        send(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        wait_for(&client, "textDocument/publishDiagnostics");
        let mut version = 1;
        c.bench_function(&format!("server: edit a 300-line {name}"), |b| {
            timed(b, || {
                version += 1;
                send(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
                );
                wait_for(&client, "textDocument/publishDiagnostics");
            })
        });
        // Line 9's end, in UTF-16 units (the text is ASCII): an ENV line, a `depends_on:`.
        let end = text.lines().nth(8).map_or(0, str::len);
        let mut typed = false;
        c.bench_function(&format!("server: type in a 300-line {name}"), |b| {
            timed(b, || {
                version += 1;
                let change = if typed {
                    json!({"range": {"start": {"line": 8, "character": end}, "end": {"line": 8, "character": end + 1}}, "text": ""})
                } else {
                    json!({"range": {"start": {"line": 8, "character": end}, "end": {"line": 8, "character": end}}, "text": " "})
                };
                typed = !typed;
                send(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
                );
                wait_for(&client, "textDocument/publishDiagnostics");
            })
        });
    }
    let shutdown = Request::new(RequestId::from(2), "shutdown".into(), json!(null));
    client.sender.send(shutdown.into()).unwrap();
    send("exit", json!(null));
    let _ = handle.join();
}

criterion_group!(benches, edit_cost);
criterion_main!(benches);
