//! Where the server's messages come from and where its answers go.
//!
//! Over standard input and output the server reads, lints and writes on one thread
//! ([`Stdio`]). `lsp-server`'s own stdio connection runs a reader, a writer and a dropper
//! thread, and hands every message between them over rendezvous channels: each edit then
//! costs three thread wake-ups before a finding reaches the editor, about a tenth of the
//! server's time per edit of a 300-line file. A synchronous server gains nothing from them:
//! it answers one message before it reads the next. The in-memory [`Connection`] of the
//! tests is a transport too.

use std::io::{self, BufRead, BufWriter, StdinLock, Write};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde::Serialize;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// A two-way stream of LSP messages.
pub trait Transport {
    /// The next message, or `None` once the client has closed the stream.
    fn recv(&mut self) -> Result<Option<Message>, Error>;

    /// Sends one message. A transport that buffers sends it by the next [`Transport::flush`].
    fn send(&mut self, message: Message) -> Result<(), Error>;

    /// Sends the notification `method` with `params`.
    fn notify(&mut self, method: &str, params: &impl Serialize) -> Result<(), Error> {
        self.send(Notification::new(method.to_owned(), params).into())
    }

    /// Sends what was buffered; the server calls it before it waits for the next message.
    fn flush(&mut self) -> Result<(), Error> {
        Ok(())
    }

    /// The `initialize` request: answers every other request with "server not initialized"
    /// and passes over notifications until it arrives (as the protocol asks).
    fn initialize_start(&mut self) -> Result<(RequestId, serde_json::Value), Error> {
        loop {
            match self.recv()? {
                Some(Message::Request(req)) if req.method == "initialize" => {
                    return Ok((req.id, req.params));
                }
                Some(Message::Request(req)) => {
                    let message = format!("expected the initialize request, got {}", req.method);
                    self.send(
                        Response::new_err(req.id, ErrorCode::ServerNotInitialized as i32, message)
                            .into(),
                    )?;
                    self.flush()?;
                }
                Some(Message::Notification(n)) if n.method != "exit" => {}
                Some(other) => {
                    return Err(format!("expected the initialize request, got {other:?}").into());
                }
                None => return Err("the client closed the connection before initialize".into()),
            }
        }
    }

    /// Answers `initialize` and waits for the client's `initialized`.
    fn initialize_finish(&mut self, id: RequestId, result: serde_json::Value) -> Result<(), Error> {
        self.send(Response::new_ok(id, result).into())?;
        self.flush()?;
        match self.recv()? {
            Some(Message::Notification(n)) if n.method == "initialized" => Ok(()),
            Some(other) => {
                Err(format!("expected the initialized notification, got {other:?}").into())
            }
            None => Err("the client closed the connection during initialization".into()),
        }
    }

    /// When `req` is `shutdown`: answers it and waits for `exit`, and says `true`.
    fn handle_shutdown(&mut self, req: &Request) -> Result<bool, Error> {
        if req.method != "shutdown" {
            return Ok(false);
        }
        self.send(Response::new_ok(req.id.clone(), ()).into())?;
        self.flush()?;
        match self.recv()? {
            Some(Message::Notification(n)) if n.method == "exit" => Ok(true),
            // A client that closes the stream after shutdown has said all it will.
            None => Ok(true),
            Some(other) => Err(format!("unexpected message after shutdown: {other:?}").into()),
        }
    }
}

impl Transport for &Connection {
    fn recv(&mut self) -> Result<Option<Message>, Error> {
        Ok(self.receiver.recv().ok())
    }

    fn send(&mut self, message: Message) -> Result<(), Error> {
        self.sender.send(message).map_err(|e| e.to_string().into())
    }
}

/// Standard input and output, read and written on the server's own thread.
pub struct Stdio<R, W> {
    input: R,
    output: W,
    /// The JSON of the notification being written, kept to be reused.
    body: Vec<u8>,
}

impl Stdio<StdinLock<'static>, BufWriter<Box<dyn Write>>> {
    /// The process's standard input and output.
    ///
    /// Standard input is read through its own buffer. Standard output is written through a
    /// copy of its descriptor, not through `Stdout`, which flushes at every line break: a
    /// message's header ends with one, and each message would cost two writes (each waking
    /// the editor) instead of one.
    pub fn process() -> Self {
        let output: Box<dyn Write> = match raw_stdout() {
            Some(file) => Box::new(file),
            None => Box::new(io::stdout().lock()),
        };
        Stdio::new(
            io::stdin().lock(),
            BufWriter::with_capacity(64 * 1024, output),
        )
    }
}

/// Standard output as a file of its own (a duplicate of its descriptor), unbuffered.
fn raw_stdout() -> Option<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .ok()
            .map(std::fs::File::from)
    }
    #[cfg(windows)]
    {
        use std::os::windows::io::AsHandle;
        io::stdout()
            .as_handle()
            .try_clone_to_owned()
            .ok()
            .map(std::fs::File::from)
    }
    #[cfg(not(any(unix, windows)))]
    {
        None
    }
}

impl<R: BufRead, W: Write> Stdio<R, W> {
    pub fn new(input: R, output: W) -> Self {
        Stdio {
            input,
            output,
            body: Vec::new(),
        }
    }
}

impl<R: BufRead, W: Write> Transport for Stdio<R, W> {
    fn recv(&mut self) -> Result<Option<Message>, Error> {
        Ok(Message::read(&mut self.input)?)
    }

    fn send(&mut self, message: Message) -> Result<(), Error> {
        Ok(message.write(&mut self.output)?)
    }

    /// Writes the notification's JSON straight from `params`, without the `serde_json::Value`
    /// tree that [`Message`] would build (and drop) first.
    fn notify(&mut self, method: &str, params: &impl Serialize) -> Result<(), Error> {
        #[derive(Serialize)]
        struct Framed<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: &'a P,
        }
        self.body.clear();
        serde_json::to_writer(
            &mut self.body,
            &Framed {
                jsonrpc: "2.0",
                method,
                params,
            },
        )?;
        write!(self.output, "Content-Length: {}\r\n\r\n", self.body.len())?;
        self.output.write_all(&self.body)?;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Error> {
        Ok(self.output.flush()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_server::Notification;
    use serde_json::json;

    fn framed(messages: &[Message]) -> Vec<u8> {
        let mut out = Vec::new();
        for m in messages {
            m.write(&mut out).unwrap();
        }
        out
    }

    fn read_all(mut bytes: &[u8]) -> Vec<Message> {
        let mut out = Vec::new();
        while let Some(m) = Message::read(&mut bytes).unwrap() {
            out.push(m);
        }
        out
    }

    #[test]
    fn stdio_answers_early_requests_then_initializes_and_shuts_down() {
        let input = framed(&[
            Request::new(RequestId::from(7), "textDocument/hover".into(), json!({})).into(),
            Notification::new("$/setTrace".into(), json!({"value": "off"})).into(),
            Request::new(RequestId::from(1), "initialize".into(), json!({})).into(),
            Notification::new("initialized".into(), json!({})).into(),
            Request::new(RequestId::from(2), "shutdown".into(), json!(null)).into(),
            Notification::new("exit".into(), json!(null)).into(),
        ]);
        let mut output = Vec::new();
        {
            let mut t = Stdio::new(&input[..], &mut output);
            let (id, _) = t.initialize_start().unwrap();
            assert_eq!(id, RequestId::from(1));
            t.initialize_finish(id, json!({"capabilities": {}}))
                .unwrap();
            let Some(Message::Request(req)) = t.recv().unwrap() else {
                panic!("the shutdown request")
            };
            assert!(t.handle_shutdown(&req).unwrap());
            assert!(t.recv().unwrap().is_none());
        }
        let sent = read_all(&output);
        let ids: Vec<(RequestId, bool)> = sent
            .iter()
            .map(|m| match m {
                Message::Response(r) => (r.id.clone(), r.error.is_some()),
                other => panic!("only responses are sent here, not {other:?}"),
            })
            .collect();
        assert_eq!(
            ids,
            [
                (RequestId::from(7), true),
                (RequestId::from(1), false),
                (RequestId::from(2), false)
            ]
        );
    }

    #[test]
    fn a_notification_written_from_typed_params_reads_back_as_the_same_message() {
        let params =
            json!({"uri": "file:///x/Dockerfile", "diagnostics": [{"message": "é \"q\""}]});
        let mut output = Vec::new();
        {
            let mut t = Stdio::new(&b""[..], &mut output);
            t.notify("textDocument/publishDiagnostics", &params)
                .unwrap();
            t.notify("window/logMessage", &json!({"type": 3, "message": "two"}))
                .unwrap();
            t.flush().unwrap();
        }
        let sent = read_all(&output);
        let [Message::Notification(first), Message::Notification(second)] = &sent[..] else {
            panic!("two notifications, not {sent:?}")
        };
        assert_eq!(first.method, "textDocument/publishDiagnostics");
        assert_eq!(first.params, params);
        assert_eq!(second.method, "window/logMessage");
    }

    #[test]
    fn a_closed_stream_before_initialize_is_an_error_not_a_hang() {
        let mut output = Vec::new();
        let mut t = Stdio::new(&b""[..], &mut output);
        assert!(t.initialize_start().is_err());
    }
}
