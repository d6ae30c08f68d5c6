//! The requests `wharf server` answers: code actions, hover, completion, document symbols and
//! links, and definition, references and rename of the names a file defines (Dockerfile stages
//! and variables; compose services, volumes, networks, secrets and configs).

use std::collections::HashMap;

use lsp_types as lsp;
use lsp_types::request::{self as req, Request as _};
use serde_json::Value;

use super::{Doc, Failure, Server};
use crate::compose::model::VolumeKind;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::source::{FileKind, Span};

/// The code action kind of "apply every safe fix of this file".
pub const FIX_ALL: &str = "source.fixAll.wharf";

pub(super) fn answer(server: &mut Server, method: &str, params: Value) -> Result<Value, Failure> {
    let json = |v: serde_json::Result<Value>| v.map_err(Failure::from);
    match method {
        req::CodeActionRequest::METHOD => {
            let p: lsp::CodeActionParams = serde_json::from_value(params)?;
            json(serde_json::to_value(code_actions(server, &p)))
        }
        req::HoverRequest::METHOD => {
            let p: lsp::HoverParams = serde_json::from_value(params)?;
            let pos = &p.text_document_position_params;
            json(serde_json::to_value(hover(
                server,
                &pos.text_document.uri,
                pos.position,
            )))
        }
        req::DocumentSymbolRequest::METHOD => {
            let p: lsp::DocumentSymbolParams = serde_json::from_value(params)?;
            let symbols = server
                .docs
                .get(&p.text_document.uri)
                .map(|d| symbols(d, server.encoding));
            json(serde_json::to_value(
                symbols.map(lsp::DocumentSymbolResponse::Nested),
            ))
        }
        req::Completion::METHOD => {
            let p: lsp::CompletionParams = serde_json::from_value(params)?;
            let pos = &p.text_document_position;
            let items = server.docs.get(&pos.text_document.uri).map(|d| {
                let at = d.text(server.encoding).offset(pos.position);
                super::complete::complete(d, at)
            });
            json(serde_json::to_value(
                items.map(lsp::CompletionResponse::Array),
            ))
        }
        req::DocumentLinkRequest::METHOD => {
            let p: lsp::DocumentLinkParams = serde_json::from_value(params)?;
            let links = server.docs.get(&p.text_document.uri).map(|d| {
                let text = d.text(server.encoding);
                build_files(server, d)
                    .into_iter()
                    .map(|(span, uri)| lsp::DocumentLink {
                        range: text.range(span),
                        target: Some(uri),
                        tooltip: Some("the Dockerfile this service builds".into()),
                        data: None,
                    })
                    .collect::<Vec<_>>()
            });
            json(serde_json::to_value(links))
        }
        req::GotoDefinition::METHOD => {
            let p: lsp::GotoDefinitionParams = serde_json::from_value(params)?;
            let pos = &p.text_document_position_params;
            if let Some(file) = build_file_at(server, &pos.text_document.uri, pos.position) {
                return json(serde_json::to_value(lsp::GotoDefinitionResponse::Scalar(
                    file,
                )));
            }
            let found = name_at(server, &pos.text_document.uri, pos.position).map(|(d, n)| {
                lsp::GotoDefinitionResponse::Scalar(lsp::Location::new(
                    d.uri.clone(),
                    d.text(server.encoding).range(n.definition),
                ))
            });
            json(serde_json::to_value(found))
        }
        req::References::METHOD => {
            let p: lsp::ReferenceParams = serde_json::from_value(params)?;
            let pos = &p.text_document_position;
            let found = name_at(server, &pos.text_document.uri, pos.position).map(|(d, n)| {
                let text = d.text(server.encoding);
                let decl = p.context.include_declaration.then_some(n.definition);
                decl.into_iter()
                    .chain(n.references.iter().copied())
                    .map(|s| lsp::Location::new(d.uri.clone(), text.range(s)))
                    .collect::<Vec<_>>()
            });
            json(serde_json::to_value(found))
        }
        req::PrepareRenameRequest::METHOD => {
            let p: lsp::TextDocumentPositionParams = serde_json::from_value(params)?;
            let found = name_at(server, &p.text_document.uri, p.position).and_then(|(d, n)| {
                if !n.renamable {
                    return None;
                }
                let at = d.text(server.encoding).offset(p.position);
                let span = n.spans().find(|s| s.start <= at && at <= s.end)?;
                Some(lsp::PrepareRenameResponse::Range(
                    d.text(server.encoding).range(span),
                ))
            });
            json(serde_json::to_value(found))
        }
        req::Rename::METHOD => {
            let p: lsp::RenameParams = serde_json::from_value(params)?;
            let pos = &p.text_document_position;
            let found = name_at(server, &pos.text_document.uri, pos.position)
                .filter(|(_, n)| n.renamable)
                .map(|(d, n)| {
                    let text = d.text(server.encoding);
                    let edits = n
                        .spans()
                        .map(|s| lsp::TextEdit::new(text.range(s), p.new_name.clone()))
                        .collect();
                    lsp::WorkspaceEdit {
                        changes: Some(HashMap::from([(d.uri.clone(), edits)])),
                        ..Default::default()
                    }
                });
            json(serde_json::to_value(found))
        }
        _ => Err(Failure::Unknown),
    }
}

fn overlaps(span: Span, range: Span) -> bool {
    span.start <= range.end && range.start <= span.end
}

/// The text edits of a fix in its own file.
fn edits(
    doc: &Doc,
    fix: &crate::diagnostic::Fix,
    encoding: crate::source::Encoding,
) -> Vec<lsp::TextEdit> {
    let text = doc.text(encoding);
    fix.edits
        .iter()
        .map(|e| lsp::TextEdit::new(text.range(e.span), e.content.clone()))
        .collect()
}

fn action(
    title: String,
    kind: lsp::CodeActionKind,
    doc: &Doc,
    edits: Vec<lsp::TextEdit>,
    preferred: bool,
    diagnostic: Option<lsp::Diagnostic>,
) -> lsp::CodeActionOrCommand {
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

/// Every fix of the findings in the range (safe ones preferred, unsafe ones offered), a
/// "suppress CODE on this line" for each of those findings, and "fix all safe fixes".
fn code_actions(server: &Server, p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
    let Some(doc) = server.docs.get(&p.text_document.uri) else {
        return Vec::new();
    };
    let enc = server.encoding;
    let text = doc.text(enc);
    let range = text.span(p.range);
    let wanted = |kind: &str| {
        p.context
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|k| kind.starts_with(k.as_str())))
    };
    let mut out = Vec::new();
    for d in doc.diagnostics.iter().filter(|d| overlaps(d.span, range)) {
        let link = server.docs_link(d.code);
        let lsp_diag =
            super::convert::diagnostic(d, link, &text, &doc.uri, &|p, s| server.location(p, s));
        if let Some(fix) = d.fix.as_ref().filter(|_| wanted("quickfix")) {
            let safe = fix.applicability == Applicability::Safe;
            let title = if safe {
                format!("{} ({})", fix.message, d.code)
            } else {
                format!("{} ({}, unsafe)", fix.message, d.code)
            };
            out.push(action(
                title,
                lsp::CodeActionKind::QUICKFIX,
                doc,
                edits(doc, fix, enc),
                safe,
                Some(lsp_diag.clone()),
            ));
        }
        if wanted("quickfix") {
            let (at, comment) = suppression(doc, d);
            out.push(action(
                format!("suppress {} on this line", d.code),
                lsp::CodeActionKind::QUICKFIX,
                doc,
                vec![lsp::TextEdit::new(
                    lsp::Range::new(text.position(at), text.position(at)),
                    comment,
                )],
                false,
                Some(lsp_diag),
            ));
        }
    }
    if let Some(edit) = wanted(FIX_ALL).then(|| fix_all(server, doc)).flatten() {
        out.push(action(
            "fix all safe fixes (wharf)".into(),
            lsp::CodeActionKind::new(FIX_ALL),
            doc,
            vec![edit],
            false,
            None,
        ));
    }
    out
}

/// Where the suppression comment of a finding goes, and the comment line: above the
/// instruction that holds it (a comment inside a continued instruction would be part of it),
/// or above the finding's line in a compose file, with that line's indentation.
fn suppression(doc: &Doc, d: &Diagnostic) -> (u32, String) {
    let mut at = d.span.start;
    // `dockerfile()` is `None` for a compose file.
    if let Some(df) = doc.dockerfile()
        && let Some(ins) = df.iter().find(|i| i.span.start <= at && at <= i.span.end)
    {
        at = ins.span.start;
    }
    let line = doc.index.line_of(at);
    let start = doc.index.line_start(line);
    let indent: String = doc.text[start as usize..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    (start, format!("{indent}# wharf: ignore={}\n", d.code))
}

/// One edit that applies every safe fix of the document, to a fixpoint (as `wharf check
/// --fix`); `None` when there is nothing to fix or fixing fails.
fn fix_all(server: &Server, doc: &Doc) -> Option<lsp::TextEdit> {
    let resolver = server.resolver.as_ref()?;
    let settings = resolver.for_file(&doc.path).ok()?;
    let fixed = crate::fix::files::fix_file(
        &doc.source(),
        &doc.diagnostics,
        &settings.file,
        Applicability::Safe,
    )
    .ok()??;
    let text = doc.text(server.encoding);
    let whole = text.range(Span::new(0, doc.text.len() as u32));
    Some(lsp::TextEdit::new(whole, fixed.text))
}

/// The rule docs of the findings under the cursor; else, on an instruction keyword, what the
/// instruction does; on a compose key, what the specification says of it.
fn hover(server: &Server, uri: &lsp::Uri, position: lsp::Position) -> Option<lsp::Hover> {
    let doc = server.docs.get(uri)?;
    let text = doc.text(server.encoding);
    let at = text.offset(position);
    let here = Span::new(at, at);
    let mut parts = Vec::new();
    for d in doc.diagnostics.iter().filter(|d| overlaps(d.span, here)) {
        if let Some(rule) = crate::registry::find(d.code) {
            parts.push(format!(
                "**{} {}**: {}\n\n{}",
                rule.code,
                rule.name,
                rule.summary,
                rule.docs_text().trim()
            ));
        }
    }
    if parts.is_empty() && doc.kind == FileKind::Dockerfile {
        let ins = doc
            .dockerfile()?
            .iter_with_onbuild()
            .find(|i| i.keyword.start <= at && at <= i.keyword.end)?;
        parts.push(format!(
            "**{}**: {}",
            ins.kind.as_str(),
            keyword_doc(ins.kind)
        ));
    }
    if doc.kind == FileKind::Compose
        && let Some(key) = crate::compose::describe::key_at(doc.compose()?, at)
    {
        parts.push(crate::compose::describe::hover_text(&key));
    }
    if parts.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

/// One line on what an instruction does, in wharf's words.
pub(super) fn keyword_doc(kind: Kind) -> &'static str {
    match kind {
        Kind::From => "starts a build stage from a base image, or from an earlier stage",
        Kind::Run => "runs a command in a new layer, through the shell or in exec form",
        Kind::Cmd => "the default command of the container, or the default arguments of ENTRYPOINT",
        Kind::Entrypoint => "the program the container runs; CMD gives its default arguments",
        Kind::Label => "adds key-value metadata to the image",
        Kind::Maintainer => "deprecated: the image's author; use a LABEL instead",
        Kind::Expose => {
            "documents the ports the container listens on (publishing is done at run time)"
        }
        Kind::Env => "sets environment variables for the later instructions and the container",
        Kind::Add => {
            "copies files, URLs or git repositories into the image, unpacking local archives"
        }
        Kind::Copy => "copies files from the build context or another stage into the image",
        Kind::Volume => "declares mount points for volumes",
        Kind::User => "sets the user (and group) of the later instructions and the container",
        Kind::Workdir => "sets the working directory of the later instructions and the container",
        Kind::Arg => "declares a build argument, with an optional default",
        Kind::Onbuild => {
            "registers an instruction to run when another build uses this image as its base"
        }
        Kind::Stopsignal => "the signal that stops the container",
        Kind::Healthcheck => "how the engine checks that the container still works",
        Kind::Shell => "the shell that runs the shell form of the later instructions",
        _ => "not an instruction Docker knows",
    }
}

/// A name a file defines, with every place that refers to it.
struct Name {
    definition: Span,
    references: Vec<Span>,
    /// Whether rename offers it: not a build argument, whose name the builds that pass it
    /// (`--build-arg`, compose `build.args`) also write.
    renamable: bool,
}

impl Name {
    fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        std::iter::once(self.definition).chain(self.references.iter().copied())
    }
}

/// The names of a Dockerfile: its named stages, each with the `FROM`, `COPY --from` and
/// `RUN --mount=from=` words that name it; its variables ([`variable_names`]).
fn dockerfile_names(df: &Dockerfile, text: &str) -> Vec<Name> {
    let stages = &df.model.stages;
    let mut names: Vec<Option<Name>> = stages
        .iter()
        .map(|s| {
            s.name_span.map(|definition| Name {
                definition,
                references: Vec::new(),
                renamable: true,
            })
        })
        .collect();
    let mut refer = |stage: Option<usize>, span: Span, value: &str| {
        let Some(i) = stage else { return };
        // A numeric `--from=0` refers to the stage without naming it.
        if value.parse::<usize>().is_ok() {
            return;
        }
        if let Some(Some(n)) = names.get_mut(i) {
            n.references.push(span);
        }
    };
    for (index, ins) in df.instructions.iter().enumerate() {
        for ins in std::iter::once(ins).chain(ins.trigger()) {
            if let Body::From(from) = &ins.body {
                let stage = df.model.stage_named(&from.image.value, index);
                refer(stage.map(|s| s.index), from.image.span, &from.image.value);
            }
            if let Some(flag) = ins.flag("from").and_then(|f| f.value.as_ref()) {
                refer(
                    df.model.stage_ref(&flag.value, index),
                    flag.span,
                    &flag.value,
                );
            }
            for mount in ins.mounts() {
                for part in mount.parts.iter().filter(|p| p.key == "from") {
                    refer(
                        df.model.stage_ref(&part.value, index),
                        part.value_span,
                        &part.value,
                    );
                }
            }
        }
    }
    let mut names: Vec<Name> = names.into_iter().flatten().collect();
    names.extend(variable_names(df, text));
    names
}

/// The variables of a Dockerfile (ARG and ENV keys), each with the `$NAME` and `${NAME}`
/// words that read it, resolved as BuildKit scopes them: a FROM line reads the global ARGs, an
/// instruction of a stage the ARGs and ENVs declared before it in that stage (or inherited
/// from the stage it starts from).
fn variable_names(df: &Dockerfile, text: &str) -> Vec<Name> {
    // (instruction, name) of each declaration, with its Name.
    let mut decls: Vec<(usize, String, Name)> = Vec::new();
    for (index, ins) in df.instructions.iter().enumerate() {
        if let Body::Arg(kvs) | Body::Env(kvs) = &ins.body {
            for kv in kvs {
                decls.push((
                    index,
                    kv.key.value.to_string(),
                    Name {
                        definition: kv.key.span,
                        references: Vec::new(),
                        renamable: false,
                    },
                ));
            }
        }
    }
    for (index, ins) in df.instructions.iter().enumerate() {
        let body = Span::new(ins.keyword.end, ins.span.end);
        for (name, span) in variable_refs(text, body, df.escape) {
            let Some(at) = df.model.var_at(index, &name).and_then(|v| v.at) else {
                continue;
            };
            if let Some((_, _, n)) = decls.iter_mut().find(|(i, k, _)| *i == at && *k == name) {
                n.references.push(span);
            }
        }
    }
    decls.into_iter().map(|(_, _, n)| n).collect()
}

/// The names of the `$NAME` and `${NAME...}` references in `span` of `text` (a variable
/// escaped with the escape character is not one), each with the span of the name.
fn variable_refs(text: &str, span: Span, escape: char) -> Vec<(String, Span)> {
    let Some(part) = text.get(span.range()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut chars = part.char_indices().peekable();
    let is_start = |c: char| c.is_ascii_alphabetic() || c == '_';
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while let Some((_, c)) = chars.next() {
        if c == escape {
            chars.next();
            continue;
        }
        if c != '$' {
            continue;
        }
        let _brace = chars.next_if(|(_, c)| *c == '{');
        let Some(&(start, first)) = chars.peek() else {
            break;
        };
        if !is_start(first) {
            continue;
        }
        let mut end = start;
        while let Some((i, c)) = chars.next_if(|(_, c)| is_name(*c)) {
            end = i + c.len_utf8();
        }
        let at = span.start + start as u32;
        out.push((
            part[start..end].to_string(),
            Span::new(at, span.start + end as u32),
        ));
    }
    out
}

/// The names of a compose file: services (with their `depends_on`, `links`, `extends`,
/// `volumes_from` and `network_mode: service:` references) and the top-level volumes,
/// networks, secrets and configs (with the service entries that use them).
fn compose_names(cf: &crate::compose::ComposeFile) -> Vec<Name> {
    let mut names: Vec<(String, &'static str, Name)> = Vec::new();
    for s in cf.services() {
        names.push((
            s.name.to_string(),
            "services",
            Name {
                definition: s.name_span(),
                references: Vec::new(),
                renamable: true,
            },
        ));
    }
    for section in ["volumes", "networks", "secrets", "configs"] {
        for r in cf.resources(section) {
            names.push((
                r.name.to_string(),
                section,
                Name {
                    definition: r.span,
                    references: Vec::new(),
                    renamable: true,
                },
            ));
        }
    }
    let mut refer = |section: &str, name: &str, span: Span| {
        if let Some((_, _, n)) = names
            .iter_mut()
            .find(|(n, s, _)| n == name && *s == section)
        {
            n.references.push(span);
        }
    };
    for s in cf.services() {
        for d in s.depends_on() {
            refer("services", d.name, d.span);
        }
        if let Some(service) = s
            .extends()
            .filter(|e| e.file.is_none())
            .and_then(|e| e.service)
        {
            refer("services", service.value, service.span);
        }
        for n in s.networks() {
            refer("networks", n.name, n.span);
        }
        for v in s.volumes() {
            if let Some(src) = v.source.filter(|_| v.kind == VolumeKind::Volume) {
                refer("volumes", src.value, src.span);
            }
        }
        for r in s.secrets() {
            refer("secrets", r.value, r.span);
        }
        for r in s.configs() {
            refer("configs", r.value, r.span);
        }
    }
    names.into_iter().map(|(_, _, n)| n).collect()
}

/// The Dockerfiles a compose file's builds name, where they exist: linked from the
/// `dockerfile` value, or from the context when no `dockerfile` is written.
fn build_files(server: &Server, doc: &Doc) -> Vec<(Span, lsp::Uri)> {
    use crate::engine::SourceProvider;
    let Some(cf) = doc.compose() else {
        return Vec::new();
    };
    let provider = server.open_texts();
    let mut out = Vec::new();
    for service in cf.services() {
        let Some(build) = service.build() else {
            continue;
        };
        let Some(file) = crate::project::build_target(&doc.path, &build).dockerfile else {
            continue;
        };
        if provider.path_kind(&file) != crate::project::PathKind::File {
            continue;
        }
        let Some(uri) = super::path_to_uri(&file) else {
            continue;
        };
        if let Some(from) = build.str("dockerfile").or(build.context) {
            out.push((from.span, uri));
        }
    }
    out
}

/// The start of the Dockerfile whose `build` value (`dockerfile`, or the context) is under
/// the cursor.
fn build_file_at(
    server: &Server,
    uri: &lsp::Uri,
    position: lsp::Position,
) -> Option<lsp::Location> {
    let doc = server.docs.get(uri)?;
    if doc.kind != FileKind::Compose {
        return None;
    }
    let at = doc.text(server.encoding).offset(position);
    let (_, target) = build_files(server, doc)
        .into_iter()
        .find(|(span, _)| span.start <= at && at <= span.end)?;
    let start = lsp::Position::new(0, 0);
    Some(lsp::Location::new(target, lsp::Range::new(start, start)))
}

/// The document and the name whose definition or reference is under the cursor.
fn name_at<'a>(
    server: &'a Server,
    uri: &lsp::Uri,
    position: lsp::Position,
) -> Option<(&'a Doc, Name)> {
    let doc = server.docs.get(uri)?;
    let at = doc.text(server.encoding).offset(position);
    let names = match doc.kind {
        FileKind::Dockerfile => dockerfile_names(doc.dockerfile()?, &doc.text),
        FileKind::Compose => compose_names(doc.compose()?),
    };
    let name = names
        .into_iter()
        .find(|n| n.spans().any(|s| s.start <= at && at <= s.end))?;
    Some((doc, name))
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out.
fn symbol(
    name: String,
    detail: Option<String>,
    kind: lsp::SymbolKind,
    range: lsp::Range,
    selection: lsp::Range,
    children: Vec<lsp::DocumentSymbol>,
) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

/// The outline: a Dockerfile's stages with their instructions; a compose file's services,
/// volumes, networks, secrets and configs.
fn symbols(doc: &Doc, encoding: crate::source::Encoding) -> Vec<lsp::DocumentSymbol> {
    let text = doc.text(encoding);
    match doc.kind {
        FileKind::Dockerfile => {
            let Some(df) = doc.dockerfile() else {
                return Vec::new();
            };
            df.model
                .stages
                .iter()
                .filter_map(|s| {
                    let from = df.instructions.get(s.from)?;
                    let body: Vec<_> = df.instructions[s.body.clone()]
                        .iter()
                        .map(|i| {
                            let line = i.first_line_span(&doc.text);
                            symbol(
                                i.kind.as_str().to_string(),
                                Some(doc.text[line.range()].trim().to_string()),
                                lsp::SymbolKind::FIELD,
                                text.range(i.span),
                                text.range(i.keyword),
                                Vec::new(),
                            )
                        })
                        .collect();
                    let end = df.instructions[s.body.clone()]
                        .last()
                        .map_or(from.span.end, |i| i.span.end);
                    Some(symbol(
                        s.name
                            .clone()
                            .unwrap_or_else(|| format!("stage {}", s.index)),
                        Some(s.image.clone()),
                        lsp::SymbolKind::MODULE,
                        text.range(Span::new(from.span.start, end)),
                        text.range(s.name_span.unwrap_or(from.keyword)),
                        body,
                    ))
                })
                .collect()
        }
        FileKind::Compose => {
            let Some(cf) = doc.compose() else {
                return Vec::new();
            };
            let mut out: Vec<_> = cf
                .services()
                .map(|s| {
                    let detail = s.image().map(|i| i.value.to_string());
                    symbol(
                        s.name.to_string(),
                        detail,
                        lsp::SymbolKind::CLASS,
                        text.range(s.name_span().cover(s.node.span())),
                        text.range(s.name_span()),
                        Vec::new(),
                    )
                })
                .collect();
            for (section, kind) in [
                ("volumes", lsp::SymbolKind::VARIABLE),
                ("networks", lsp::SymbolKind::INTERFACE),
                ("secrets", lsp::SymbolKind::KEY),
                ("configs", lsp::SymbolKind::FILE),
            ] {
                out.extend(cf.resources(section).map(|r| {
                    symbol(
                        r.name.to_string(),
                        Some(section.trim_end_matches('s').to_string()),
                        kind,
                        text.range(r.span.cover(r.node.span())),
                        text.range(r.span),
                        Vec::new(),
                    )
                }));
            }
            out
        }
    }
}
