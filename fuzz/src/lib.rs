//! Checks shared by the fuzz targets: every span of a parsed file or of a finding lies inside
//! the text and on character boundaries, derived text maps back to the bytes it was copied
//! from, the Dockerfile tree covers the file, and applying every fix does not add syntax errors.
//!
//! A failed check panics, which libFuzzer reports as a crash with the input saved.

use std::sync::Once;

use wharf::compose::{ComposeFile, NodeKind, Tree};
use wharf::diagnostic::{Applicability, Diagnostic};
use wharf::dockerfile::{Body, Command, Dockerfile, Healthcheck, Instruction, Word};
use wharf::engine::{FileSettings, lint_source};
use wharf::fix::{apply_fixes, fixes_of};
use wharf::shell::Script;
use wharf::source::{FileKind, MappedText, OffsetMap, SourceFile, Span};

/// The body of a fuzz target that takes bytes.
pub type Target = fn(&[u8]);

/// The fuzz targets that take bytes, by name: what `fuzz_targets/<name>.rs` runs, and what the
/// regression test (`tests/fuzz_regressions.rs`) replays the saved inputs through.
pub const TARGETS: &[(&str, Target)] = &[
    ("dockerfile_parse", targets::dockerfile_parse),
    ("shell_model", targets::shell_model),
    ("yaml_tree", targets::yaml_tree),
    ("compose_model", targets::compose_model),
    ("dockerignore", targets::dockerignore),
    ("interpolate", targets::interpolate),
    ("lint_dockerfile", targets::lint_dockerfile),
    ("lint_compose", targets::lint_compose),
];

pub mod targets;

/// Installs the panic hook once. libFuzzer's hook aborts on every panic, even one that wharf
/// catches on purpose: the shell parser (brush) is run under `catch_unwind` and a panic in it
/// becomes a DF003 error, not a crash. Such panics are let through (printed, not aborted on)
/// unless `WHARF_FUZZ_STRICT` is set; every other panic still aborts.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let strict = std::env::var_os("WHARF_FUZZ_STRICT").is_some();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_brush = info
                .location()
                .is_some_and(|l| l.file().contains("brush-parser"));
            if in_brush && !strict {
                return;
            }
            previous(info);
        }));
    });
}

/// The input as text: the targets work on UTF-8, as wharf only lints text files.
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The span lies inside `text` and both ends are character boundaries.
pub fn check_span(text: &str, span: Span, what: &str) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what}: span {start}..{end} outside the text (len {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: span {start}..{end} not on character boundaries"
    );
}

/// Every byte of `derived` maps to a byte of `text` that is the same byte: the pieces of an
/// [`OffsetMap`] are verbatim copies of the file.
pub fn check_verbatim(text: &str, derived: &str, map: &OffsetMap, what: &str) {
    let file = text.as_bytes();
    for (i, &b) in derived.as_bytes().iter().enumerate() {
        let at = map.to_file(i as u32) as usize;
        assert!(
            file.get(at) == Some(&b),
            "{what}: derived byte {i} ({:?}) maps to file offset {at} ({:?})",
            b as char,
            file.get(at).map(|&c| c as char)
        );
    }
}

/// A derived text: its whole span is in the file and its bytes are copies of the file's.
pub fn check_mapped(text: &str, mapped: &MappedText, what: &str) {
    check_span(text, mapped.span(0, mapped.text.len()), what);
    check_verbatim(text, &mapped.text, &mapped.map, what);
}

fn check_word(text: &str, w: &Word, what: &str) {
    check_span(text, w.span, what);
    // The value's map points at file bytes; its spans must be valid for every part.
    let len = w.value.len();
    check_span(text, w.map.span(0, len as u32), what);
    for (i, _) in w.value.char_indices() {
        check_span(text, w.sub_span(i, len), what);
        check_span(text, w.sub_span(0, i), what);
    }
}

fn check_command(text: &str, c: &Command, what: &str) {
    match c {
        Command::Exec { args, span } => {
            check_span(text, *span, what);
            for a in args {
                check_word(text, a, what);
            }
        }
        Command::Shell(m) => check_mapped(text, &m.mapped(text), what),
    }
}

fn check_instruction(text: &str, ins: &Instruction) {
    check_span(text, ins.span, "instruction");
    check_span(text, ins.keyword, "keyword");
    check_span(text, ins.first_line_span(text), "first line");
    for f in &ins.flags {
        check_span(text, f.span, "flag");
        check_span(text, f.name_span, "flag name");
        if let Some(v) = &f.value {
            check_word(text, v, "flag value");
        }
    }
    for m in ins.mounts() {
        check_span(text, m.span, "mount");
        for p in &m.parts {
            check_span(text, p.span, "mount part");
            check_span(text, p.key_span, "mount key");
            check_span(text, p.value_span, "mount value");
        }
    }
    check_mapped(text, &ins.rest(text), "instruction rest");
    for h in &ins.heredocs {
        check_span(text, h.marker, "heredoc marker");
        check_span(text, h.body_span, "heredoc body span");
        if let Some(t) = h.terminator {
            check_span(text, t, "heredoc terminator");
        }
        check_mapped(text, &h.body, "heredoc body");
    }
    match &ins.body {
        Body::From(f) => {
            check_word(text, &f.image, "FROM image");
            if let Some((s, w)) = &f.alias {
                check_span(text, *s, "AS");
                check_word(text, w, "stage name");
            }
        }
        Body::Run(c) | Body::Cmd(c) | Body::Entrypoint(c) | Body::Shell(c) => {
            check_command(text, c, "command")
        }
        Body::Healthcheck(Healthcheck::Cmd(c)) => check_command(text, c, "healthcheck"),
        Body::Healthcheck(Healthcheck::None(s)) => check_span(text, *s, "healthcheck none"),
        Body::Copy { sources, dest, .. } => {
            for w in sources.iter().chain(dest.as_deref()) {
                check_word(text, w, "copy argument");
            }
        }
        Body::Env(kv) | Body::Label(kv) | Body::Arg(kv) => {
            for kv in kv {
                check_span(text, kv.span, "key-value");
                check_word(text, &kv.key, "key");
                if let Some(v) = &kv.value {
                    check_word(text, v, "value");
                }
            }
        }
        Body::Expose(ws) | Body::Volume(ws) => {
            for w in ws {
                check_word(text, w, "argument");
            }
        }
        Body::Value(w) => check_word(text, w, "value"),
        Body::Onbuild(Some(t)) => check_instruction(text, t),
        Body::Onbuild(None) | Body::Error => {}
    }
}

/// Checks every span of a shell model against the file it was parsed from.
pub fn check_script(text: &str, s: &Script) {
    for c in &s.commands {
        check_span(text, c.span, "shell command");
        let words = c
            .name
            .iter()
            .chain(&c.wrappers)
            .chain(&c.args)
            .chain(&c.assignments)
            .chain(c.redirects.iter().filter_map(|r| r.target.as_ref()));
        for w in words {
            check_span(text, w.span, "shell word");
        }
    }
    for &p in s.pipes.iter().chain(&s.unparsed) {
        check_span(text, p, "shell pipe or substitution");
    }
    for p in &s.pipelines {
        for &i in p.stages.iter().flatten() {
            assert!(i < s.commands.len(), "pipeline stage index out of range");
        }
        for &pipe in &p.pipes {
            check_span(text, pipe, "pipeline operator");
        }
    }
}

/// Checks a parsed Dockerfile against its text: spans, derived text, coverage.
pub fn check_dockerfile(text: &str, df: &Dockerfile) {
    for ins in &df.instructions {
        check_instruction(text, ins);
    }
    for c in &df.comments {
        check_span(text, c.span, "comment");
    }
    for d in &df.directives {
        check_span(text, d.span, "directive");
        check_span(text, d.value_span, "directive value");
    }
    for &s in &df.empty_continuation_lines {
        check_span(text, s, "empty continuation line");
    }
    for &s in &df.escape_only_lines {
        check_span(text, s, "escape-only line");
    }
    for e in &df.errors {
        check_span(text, e.span, "syntax error");
    }
    for r in df.run_models() {
        for s in r.scripts() {
            check_script(text, s);
        }
        if let Some(e) = r.error() {
            check_span(text, e.span, "shell error");
        }
    }
    check_coverage(text, df);
}

/// The tree is lossless: instructions are in file order and do not overlap, and every byte
/// outside them, their comments, the directives and the escape-only lines is whitespace (or the
/// byte-order mark), so
/// that the instructions, comments and the blank text between them print back the file.
fn check_coverage(text: &str, df: &Dockerfile) {
    let mut covered = vec![false; text.len()];
    let mut prev_end = 0u32;
    for ins in &df.instructions {
        assert!(
            ins.span.start >= prev_end,
            "instruction at {} overlaps the one before (ends at {prev_end})",
            ins.span.start
        );
        prev_end = ins.span.end;
    }
    let spans = df
        .instructions
        .iter()
        .map(|i| i.span)
        .chain(df.comments.iter().map(|c| c.span))
        .chain(df.directives.iter().map(|d| d.span))
        .chain(df.escape_only_lines.iter().copied());
    for s in spans {
        for b in &mut covered[s.range()] {
            *b = true;
        }
    }
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for (i, c) in text.char_indices().skip_while(|&(i, _)| i < start) {
        if !covered[i] && !c.is_whitespace() {
            panic!("byte {i} ({c:?}) is in no instruction, comment or directive");
        }
    }
}

/// Checks every node span of a YAML tree.
pub fn check_tree(text: &str, tree: &Tree) {
    let count = tree.nodes().len();
    for n in tree.node_refs() {
        check_span(text, n.span(), "yaml node");
        match n.kind() {
            NodeKind::Mapping(entries) => {
                for e in entries {
                    assert!(
                        e.key.index() < count && e.value.index() < count,
                        "entry ids out of range"
                    );
                }
                for e in n.entries() {
                    check_span(text, e.span(), "yaml entry");
                }
            }
            NodeKind::Sequence(items) => {
                assert!(items.iter().all(|i| i.index() < count), "item out of range");
            }
            NodeKind::Alias { target, .. } => {
                if let Some(t) = target {
                    assert!(t.index() < count, "alias target out of range");
                }
                // Resolving an alias terminates and lands on a non-alias (or a broken one).
                let _ = n.resolve();
            }
            NodeKind::Scalar { .. } => {}
        }
    }
    for d in &tree.documents {
        check_span(text, d.span, "yaml document");
    }
}

/// Checks a parsed compose file and walks its typed view.
pub fn check_compose(text: &str, cf: &ComposeFile) {
    check_tree(text, &cf.tree);
    for e in &cf.errors {
        check_span(text, e.span, "compose syntax error");
    }
    for v in cf.scalar_values() {
        check_span(text, v.span, "compose scalar");
        let _ = (v.resolved(), v.as_bool(), v.as_int(), v.as_byte_size());
    }
    let _ = cf.name();
    for s in cf.include() {
        check_span(text, s.span, "include");
    }
    for svc in cf.services() {
        check_span(text, svc.name_span(), "service name");
        let _ = (svc.image_ref(), svc.memory_limit(), svc.restart_policy());
        let _ = (svc.replicas(), svc.healthcheck(), svc.depends_on());
        let _ = (svc.command(), svc.entrypoint(), svc.extends(), svc.deploy());
        let _ = (
            svc.secrets(),
            svc.configs(),
            svc.networks(),
            svc.env_files(),
        );
        let _ = (svc.environment(), svc.labels(), svc.volumes());
        if let Some(b) = svc.build() {
            let _ = (b.args(), b.secrets());
        }
        for p in svc.ports() {
            check_span(text, p.span(), "port");
            let _ = (p.published_range(), p.bound_address(), p.protocol_name());
        }
    }
}

/// Every rule, default options.
pub fn all_rules() -> FileSettings {
    FileSettings {
        rules: wharf::registry::all().to_vec(),
        // A path that does not exist: rules that look beside the file find nothing.
        base_dir: Some("/nonexistent/wharf-fuzz".into()),
        ..FileSettings::default()
    }
}

/// The file name a fuzz input is linted as.
pub fn source(text: &str, kind: FileKind) -> SourceFile {
    let name = match kind {
        FileKind::Dockerfile => "/nonexistent/wharf-fuzz/Dockerfile",
        FileKind::Compose => "/nonexistent/wharf-fuzz/compose.yaml",
    };
    SourceFile::new(name, text, kind)
}

/// Every finding (and its fix and related spans in the same file) lies inside the text.
pub fn check_diagnostics(text: &str, diags: &[Diagnostic]) {
    for d in diags {
        check_span(text, d.span, d.code);
        assert!(!d.message.is_empty(), "{}: empty message", d.code);
        for r in d.related.iter().filter(|r| r.file.is_none()) {
            check_span(text, r.span, d.code);
        }
        if let Some(f) = &d.fix {
            for e in f
                .edits
                .iter()
                .filter(|e| e.file.is_none_or(|f| f == d.file))
            {
                check_span(text, e.span, d.code);
            }
        }
    }
}

fn syntax_errors(text: &str, kind: FileKind) -> usize {
    match kind {
        FileKind::Dockerfile => wharf::dockerfile::parse(text).errors.len(),
        FileKind::Compose => wharf::compose::parse(text).errors.len(),
    }
}

/// Lints the text with every rule, checks the findings, applies every fix (one pass, unsafe
/// ones too) and checks that the result has no more syntax errors than the input.
pub fn lint_and_fix(text: &str, kind: FileKind) {
    let settings = all_rules();
    let diags = lint_source(&source(text, kind), &settings);
    check_diagnostics(text, &diags);
    let fixed = apply_fixes(text, fixes_of(&diags), Applicability::Unsafe);
    if fixed.applied == 0 {
        return;
    }
    let (before, after) = (syntax_errors(text, kind), syntax_errors(&fixed.text, kind));
    assert!(
        after <= before,
        "fixes {:?} raised the syntax errors from {before} to {after}:\n{}",
        fixed.codes,
        fixed.text
    );
    let again = lint_source(&source(&fixed.text, kind), &settings);
    check_diagnostics(&fixed.text, &again);
}
