//! `wharf server`: a language server over standard input and output (LSP 3.17).
//!
//! It keeps the open documents, lints each one on open and on every change, with the engine, the
//! configuration and the project pass the CLI would use for that path (a compose file with the
//! Dockerfiles it builds: an edit of one re-publishes the other), and answers code actions
//! (every fix, "fix all", "suppress on this line"), hover (a finding's rule docs, an instruction
//! keyword, a compose key), completion, document symbols and links, and definition, references
//! and rename of Dockerfile stages and variables and compose services and resources.
//!
//! The server is synchronous (`lsp-server`, as rust-analyzer's): linting a file takes well
//! under a millisecond, so a request is answered before the next one is read. Only open
//! documents are linted; opening a repository lints nothing up front. A request on a document
//! wharf cannot read answers with nothing, and what went wrong is sent as a log message: a bad
//! document never stops the server.

mod complete;
mod convert;
mod features;
mod project;
mod transport;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use serde_json::Value;

use crate::config::{CliOverrides, ResolvedSettings, Resolver};
use crate::diagnostic::Diagnostic;
use crate::project::normalize;
use crate::source::{Encoding, FileKind, LineIndex, SourceFile};

pub use convert::{path_to_uri, uri_to_path};
pub use transport::{Stdio, Transport};

/// The configuration files whose change makes every open document lint again.
const CONFIG_FILES: &[&str] = &[
    "wharf.toml",
    ".wharf.toml",
    ".hadolint.yaml",
    ".hadolint.yml",
    ".dclintrc",
    ".dclintrc.json",
    ".dclintrc.yaml",
    ".dclintrc.yml",
];

/// Runs the server on standard input and output until the client says `exit`. Returns the
/// process exit code.
pub fn run() -> i32 {
    match serve_on(&mut Stdio::process()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("wharf server: {e}");
            2
        }
    }
}

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Serves one client on an in-memory `connection` (the tests'): see [`serve_on`].
pub fn serve(connection: &Connection) -> Result<(), Error> {
    serve_on(&mut &*connection)
}

/// Serves one client: the handshake, then every message until `exit` or the end of the
/// stream.
pub fn serve_on(transport: &mut impl Transport) -> Result<(), Error> {
    let (id, params) = transport.initialize_start()?;
    let init: lsp::InitializeParams = serde_json::from_value(params)?;
    let encoding = negotiate(&init);
    let capabilities = capabilities(encoding);
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": {"name": "wharf", "version": env!("CARGO_PKG_VERSION")},
    });
    transport.initialize_finish(id, result)?;
    let mut server = Server::new(encoding, root_of(&init));
    while let Some(message) = transport.recv()? {
        match message {
            Message::Request(req) => {
                if transport.handle_shutdown(&req)? {
                    return Ok(());
                }
                let response = server.request(req);
                transport.send(response.into())?;
            }
            Message::Notification(n) if n.method == "exit" => return Ok(()),
            Message::Notification(n) => server.notification(n),
            Message::Response(_) => {}
        }
        for out in server.outbox.drain(..) {
            match out {
                Outgoing::Message(m) => transport.send(m)?,
                Outgoing::Diagnostics(params) => {
                    transport.notify(lsp::notification::PublishDiagnostics::METHOD, &params)?
                }
            }
        }
        transport.flush()?;
    }
    Ok(())
}

/// UTF-8 columns when the client offers them (no conversion at all), else UTF-16, LSP's
/// default.
fn negotiate(init: &lsp::InitializeParams) -> Encoding {
    let offered = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&lsp::PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            _ => lsp::PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::new(features::FIX_ALL),
                ]),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["-".into()]),
            ..Default::default()
        }),
        document_link_provider: Some(lsp::DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        ..Default::default()
    }
}

#[allow(deprecated)] // `root_uri` is what older clients send.
fn root_of(init: &lsp::InitializeParams) -> Option<PathBuf> {
    init.workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri)
        .or(init.root_uri.as_ref())
        .and_then(uri_to_path)
}

/// One open document.
pub(crate) struct Doc {
    pub uri: lsp::Uri,
    /// Its path, or for an unsaved buffer a path in the workspace named after its kind (for
    /// the configuration that applies).
    pub path: PathBuf,
    pub kind: FileKind,
    pub text: String,
    pub index: LineIndex,
    pub version: i32,
    /// The findings of the last lint, for code actions and hover.
    pub diagnostics: Vec<Diagnostic>,
    /// The parsed text, for navigation, hover and the outline: parsed on the first request
    /// after a change, then shared by the requests that follow.
    pub parsed: std::cell::OnceCell<crate::engine::Parsed>,
    /// The files of the project its last findings came from (normalized paths; empty when
    /// it was linted alone).
    pub group: Vec<PathBuf>,
    /// The shell models of its RUNs, kept from one lint to the next: an edit re-parses only
    /// the RUNs whose text it changed.
    pub runs: Arc<crate::dockerfile::RunCache>,
}

impl Doc {
    pub fn text(&self, encoding: Encoding) -> convert::Text<'_> {
        convert::Text {
            text: &self.text,
            index: &self.index,
            encoding,
        }
    }

    fn parsed(&self) -> &crate::engine::Parsed {
        self.parsed
            .get_or_init(|| crate::engine::Parsed::parse(&self.source()))
    }

    /// The document as a Dockerfile, when it is one.
    pub fn dockerfile(&self) -> Option<&crate::dockerfile::Dockerfile> {
        match self.parsed() {
            crate::engine::Parsed::Dockerfile(df) => Some(df),
            crate::engine::Parsed::Compose(_) => None,
        }
    }

    /// The document as a compose file, when it is one.
    pub fn compose(&self) -> Option<&crate::compose::ComposeFile> {
        match self.parsed() {
            crate::engine::Parsed::Compose(cf) => Some(cf),
            crate::engine::Parsed::Dockerfile(_) => None,
        }
    }

    pub fn source(&self) -> SourceFile {
        SourceFile::new(self.path.clone(), self.text.as_str(), self.kind)
    }

    /// The document parsed for a lint: a Dockerfile takes the RUN models its last lint kept.
    fn parse_for_lint(&self, source: &SourceFile) -> Result<crate::engine::Parsed, String> {
        let mut parsed = crate::engine::parse_isolated(source);
        if let Ok(crate::engine::Parsed::Dockerfile(df)) = &mut parsed {
            df.use_run_cache(self.runs.clone(), &source.text);
        }
        parsed
    }
}

pub(crate) struct Server {
    pub docs: HashMap<lsp::Uri, Doc>,
    resolver: Option<Resolver>,
    pub encoding: Encoding,
    root: Option<PathBuf>,
    /// The compose files that build each Dockerfile linted (by normalized path), until a
    /// compose document changes or a file is saved.
    builders: HashMap<PathBuf, Vec<PathBuf>>,
    /// The settings of each path linted, until the configuration is reloaded.
    settings: HashMap<PathBuf, Option<Arc<ResolvedSettings>>>,
    /// Messages to send once the current one is handled.
    pub outbox: Vec<Outgoing>,
    /// The link to each rule's docs, by code, made once (`codeDescription`).
    pub docs_links: HashMap<&'static str, Option<lsp::CodeDescription>>,
}

/// A message the server sends.
pub enum Outgoing {
    Message(Message),
    /// A `textDocument/publishDiagnostics` notification, kept typed so that a transport can
    /// write its JSON straight from it (a file's findings are most of what the server sends).
    Diagnostics(lsp::PublishDiagnosticsParams),
}

impl From<Message> for Outgoing {
    fn from(m: Message) -> Outgoing {
        Outgoing::Message(m)
    }
}

impl Server {
    fn new(encoding: Encoding, root: Option<PathBuf>) -> Server {
        let mut server = Server {
            docs: HashMap::new(),
            resolver: None,
            encoding,
            root,
            builders: HashMap::new(),
            settings: HashMap::new(),
            outbox: Vec::new(),
            docs_links: HashMap::new(),
        };
        server.reload_configuration();
        server
    }

    fn reload_configuration(&mut self) {
        self.settings.clear();
        match Resolver::new(&CliOverrides::default(), &crate::config::process_env) {
            Ok(r) => self.resolver = Some(r),
            Err(e) => {
                self.resolver = None;
                self.log(lsp::MessageType::ERROR, format!("configuration: {e}"));
            }
        }
    }

    pub fn log(&mut self, typ: lsp::MessageType, message: String) {
        let params = lsp::LogMessageParams { typ, message };
        self.outbox.push(
            Message::Notification(Notification::new(
                lsp::notification::LogMessage::METHOD.into(),
                params,
            ))
            .into(),
        );
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let method = req.method.clone();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            features::answer(self, &req.method, req.params)
        }));
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(Failure::Unknown)) => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("wharf does not handle {method}"),
            ),
            Ok(Err(Failure::BadParams(e))) => {
                Response::new_err(id, ErrorCode::InvalidParams as i32, e)
            }
            Err(_) => {
                self.log(
                    lsp::MessageType::ERROR,
                    format!("internal error while answering {method}; this is a bug in wharf"),
                );
                Response::new_ok(id, Value::Null)
            }
        }
    }

    fn notification(&mut self, n: Notification) {
        use lsp::notification as note;
        let method = n.method.clone();
        let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match n.method.as_str() {
                note::DidOpenTextDocument::METHOD => {
                    let p: lsp::DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                    self.open(p.text_document);
                }
                note::DidChangeTextDocument::METHOD => {
                    let p: lsp::DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                    self.change(p);
                }
                note::DidCloseTextDocument::METHOD => {
                    let p: lsp::DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                    self.close(p.text_document.uri);
                }
                note::DidSaveTextDocument::METHOD => {
                    let p: lsp::DidSaveTextDocumentParams = serde_json::from_value(n.params)?;
                    self.builders.clear();
                    if is_config(&p.text_document.uri) {
                        self.relint_all();
                    }
                }
                note::DidChangeWatchedFiles::METHOD => {
                    let p: lsp::DidChangeWatchedFilesParams = serde_json::from_value(n.params)?;
                    self.builders.clear();
                    if p.changes.iter().any(|c| is_config(&c.uri)) {
                        self.relint_all();
                    }
                }
                _ => {}
            }
            Ok::<(), serde_json::Error>(())
        }));
        match handled {
            Ok(Ok(())) => {}
            Ok(Err(e)) => self.log(lsp::MessageType::WARNING, format!("{method}: {e}")),
            Err(_) => self.log(
                lsp::MessageType::ERROR,
                format!("internal error while handling {method}; this is a bug in wharf"),
            ),
        }
    }

    fn open(&mut self, item: lsp::TextDocumentItem) {
        let path = uri_to_path(&item.uri).unwrap_or_else(|| {
            let name = match item.language_id.as_str() {
                "dockercompose" | "yaml.docker-compose" | "yaml" => "compose.yaml",
                _ => "Dockerfile",
            };
            self.root.clone().unwrap_or_default().join(name)
        });
        let kind = match item.language_id.as_str() {
            "dockerfile" => FileKind::Dockerfile,
            "dockercompose" | "yaml.docker-compose" => FileKind::Compose,
            _ => crate::discover::kind_of(&path, &item.text),
        };
        let doc = Doc {
            uri: item.uri.clone(),
            path,
            kind,
            index: LineIndex::new(&item.text),
            text: item.text,
            version: item.version,
            diagnostics: Vec::new(),
            parsed: Default::default(),
            group: Vec::new(),
            runs: Default::default(),
        };
        if kind == FileKind::Compose {
            self.builders.clear();
        }
        self.docs.insert(item.uri.clone(), doc);
        self.lint(&item.uri);
    }

    fn change(&mut self, p: lsp::DidChangeTextDocumentParams) {
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(&p.text_document.uri) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                Some(range) => {
                    let span = doc.text(encoding).span(range);
                    doc.text.replace_range(span.range(), &change.text);
                }
                None => doc.text = change.text,
            }
            doc.index = LineIndex::new(&doc.text);
        }
        doc.version = p.text_document.version;
        doc.parsed = Default::default();
        if doc.kind == FileKind::Compose {
            self.builders.clear();
        }
        self.lint(&p.text_document.uri);
    }

    /// Forgets a closed document. The open files of its project are linted again, now with
    /// the file's text on disk.
    fn close(&mut self, uri: lsp::Uri) {
        let Some(doc) = self.docs.remove(&uri) else {
            return;
        };
        self.builders.clear();
        self.publish_empty(uri);
        let path = normalize(&doc.path);
        let others: Vec<lsp::Uri> = self
            .docs
            .values()
            .filter(|d| d.group.contains(&path))
            .map(|d| d.uri.clone())
            .collect();
        for u in others {
            self.lint(&u);
        }
    }

    fn relint_all(&mut self) {
        self.reload_configuration();
        let uris: Vec<lsp::Uri> = self.docs.keys().cloned().collect();
        for uri in uris {
            self.lint(&uri);
        }
    }

    /// Lints one open document and publishes its diagnostics; with it, the open files of its
    /// project (the compose file that builds a Dockerfile, the Dockerfiles a compose file
    /// builds), and the open files that were of its project before this change and are no
    /// longer.
    fn lint(&mut self, uri: &lsp::Uri) {
        let before = self
            .docs
            .get(uri)
            .map(|d| d.group.clone())
            .unwrap_or_default();
        let done = self.lint_once(uri);
        let stale: Vec<lsp::Uri> = self
            .docs
            .values()
            .filter(|d| {
                let p = normalize(&d.path);
                before.contains(&p) && !done.contains(&p)
            })
            .map(|d| d.uri.clone())
            .collect();
        for u in stale {
            self.lint_once(&u);
        }
    }

    /// The compose files that build the Dockerfile at `path` (normalized), cached until a
    /// compose document changes or a file is saved.
    fn builders_of(&mut self, path: &Path) -> Vec<PathBuf> {
        if let Some(found) = self.builders.get(path) {
            return found.clone();
        }
        let open_composes: Vec<PathBuf> = self
            .docs
            .values()
            .filter(|d| d.kind == FileKind::Compose)
            .map(|d| normalize(&d.path))
            .collect();
        let found = project::builders(path, &open_composes, &self.open_texts());
        self.builders.insert(path.to_path_buf(), found.clone());
        found
    }

    pub fn open_texts(&self) -> project::Open<'_> {
        project::Open {
            texts: self
                .docs
                .values()
                .map(|d| (normalize(&d.path), (d.text.as_str(), d.kind)))
                .collect(),
        }
    }

    /// The settings of a file, `None` when it is excluded or its configuration is broken
    /// (logged once). Resolved once per path until the configuration is reloaded.
    fn settings_for(&mut self, path: &Path) -> Option<Arc<ResolvedSettings>> {
        if let Some(known) = self.settings.get(path) {
            return known.clone();
        }
        let resolved = match self.resolver.as_ref()?.for_file(path) {
            Ok(s) if s.excluded => None,
            Ok(s) => Some(s),
            Err(e) => {
                self.log(lsp::MessageType::ERROR, e.to_string());
                None
            }
        };
        self.settings.insert(path.to_path_buf(), resolved.clone());
        resolved
    }

    /// Lints one document (alone, or with its project) and publishes the diagnostics of the
    /// open files linted. Returns their paths (normalized).
    fn lint_once(&mut self, uri: &lsp::Uri) -> Vec<PathBuf> {
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let path = normalize(&doc.path);
        let roots = match doc.kind {
            FileKind::Compose => vec![path.clone()],
            FileKind::Dockerfile => self.builders_of(&path),
        };
        if !roots.is_empty()
            && let Some(done) = self.lint_project(&path, &roots)
        {
            return done;
        }
        let found = match self.settings_for(&path) {
            None => Vec::new(),
            Some(settings) => {
                let Some(doc) = self.docs.get(uri) else {
                    return Vec::new();
                };
                let source = doc.source();
                let parsed = doc.parse_for_lint(&source);
                let linted = crate::engine::lint_parsed_isolated(
                    &source,
                    parsed,
                    &settings.file,
                    Vec::new(),
                );
                for e in linted.internal_errors {
                    self.log(lsp::MessageType::ERROR, e.to_string());
                }
                linted.diagnostics
            }
        };
        self.publish(uri, found, Vec::new());
        vec![path]
    }

    /// Lints the project of the compose files `roots`, which holds the document at `path`,
    /// and publishes the diagnostics of its open files; `None` (nothing published) when the
    /// document is not one of the project's files after all.
    fn lint_project(&mut self, path: &Path, roots: &[PathBuf]) -> Option<Vec<PathBuf>> {
        let members = project::members(roots, &self.open_texts());
        if !members.iter().any(|m| m.path == path) {
            return None;
        }
        let mut files = Vec::new();
        let mut settings = Vec::new();
        for mut m in members {
            if let Ok(crate::engine::Parsed::Dockerfile(df)) = &mut m.parsed
                && let Some(doc) = self.docs.values().find(|d| normalize(&d.path) == m.path)
            {
                df.use_run_cache(doc.runs.clone(), &m.source.text);
            }
            if let Some(s) = self.settings_for(&m.path) {
                files.push((m.source, m.parsed));
                settings.push(s);
            }
        }
        let group: Vec<PathBuf> = files.iter().map(|(s, _)| normalize(&s.path)).collect();
        let project_settings = files
            .iter()
            .position(|(s, _)| s.kind == FileKind::Compose)
            .and_then(|i| settings.get(i).cloned())?;
        let settings_of: Vec<&crate::engine::FileSettings> =
            settings.iter().map(|s| &s.file).collect();
        let provider = self.open_texts();
        let linted =
            crate::engine::lint_project_parsed(files, &settings_of, &project_settings.file, &|p| {
                crate::engine::SourceProvider::path_kind(&provider, p)
            });
        drop(provider);
        let by_path: HashMap<PathBuf, lsp::Uri> = self
            .docs
            .values()
            .map(|d| (normalize(&d.path), d.uri.clone()))
            .collect();
        let mut done = Vec::new();
        let mut own_missing = true;
        for (p, linted) in group.iter().zip(linted) {
            for e in linted.internal_errors {
                self.log(lsp::MessageType::ERROR, e.to_string());
            }
            if let Some(uri) = by_path.get(p) {
                own_missing &= p != path;
                self.publish(uri, linted.diagnostics, group.clone());
                done.push(p.clone());
            }
        }
        // The document itself was excluded: it has no findings.
        if own_missing && let Some(uri) = by_path.get(path) {
            self.publish(uri, Vec::new(), Vec::new());
            done.push(path.to_path_buf());
        }
        Some(done)
    }

    /// The link to the docs of the rule `code` (kept from the last publish when there is one).
    pub fn docs_link(&self, code: &str) -> Option<lsp::CodeDescription> {
        match self.docs_links.get(code) {
            Some(link) => link.clone(),
            None => convert::docs_link(code),
        }
    }

    /// Where a span of another open file is, for related labels.
    pub fn location(&self, path: &Path, span: crate::source::Span) -> Option<lsp::Location> {
        let path = normalize(path);
        let doc = self.docs.values().find(|d| normalize(&d.path) == path)?;
        Some(lsp::Location::new(
            doc.uri.clone(),
            doc.text(self.encoding).range(span),
        ))
    }

    /// Keeps a document's findings (for code actions and hover) and publishes them. The
    /// findings are made the document's own: file 0, and no fix that edits another file.
    fn publish(&mut self, uri: &lsp::Uri, mut found: Vec<Diagnostic>, group: Vec<PathBuf>) {
        for d in &mut found {
            let own = d.file;
            if d.fix
                .as_ref()
                .is_some_and(|f| f.edits.iter().any(|e| e.file.is_some_and(|id| id != own)))
            {
                d.fix = None;
            }
            d.file = Default::default();
            if let Some(fix) = d.fix.as_mut() {
                for e in &mut fix.edits {
                    e.file = None;
                }
            }
        }
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let text = doc.text(self.encoding);
        for d in &found {
            self.docs_links
                .entry(d.code)
                .or_insert_with(|| convert::docs_link(d.code));
        }
        let diagnostics = found
            .iter()
            .map(|d| {
                let link = self.docs_link(d.code);
                convert::diagnostic(d, link, &text, uri, &|p, s| self.location(p, s))
            })
            .collect();
        let params = lsp::PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version: Some(doc.version),
        };
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.diagnostics = found;
            doc.group = group;
        }
        self.outbox.push(Outgoing::Diagnostics(params));
    }

    fn publish_empty(&mut self, uri: lsp::Uri) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics: Vec::new(),
            version: None,
        };
        self.outbox.push(Outgoing::Diagnostics(params));
    }
}

fn is_config(uri: &lsp::Uri) -> bool {
    uri_to_path(uri)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .is_some_and(|n| CONFIG_FILES.contains(&n.as_str()))
}

/// Why a request got no answer.
pub(crate) enum Failure {
    /// wharf does not implement the method.
    Unknown,
    /// The parameters do not parse.
    BadParams(String),
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Failure {
        Failure::BadParams(e.to_string())
    }
}

/// The id type the tests need to build requests.
pub type Id = RequestId;

#[cfg(test)]
mod tests;
