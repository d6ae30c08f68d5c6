//! Inline suppressions: comments that silence rules at one place or in a whole file.
//!
//! Dockerfiles understand four syntaxes:
//! - `# wharf: ignore=CODE[,CODE] [-- reason]` (or `ignore CODE`) in the comment block right
//!   above an instruction, and `# wharf: ignore-file=CODE` anywhere;
//! - hadolint's `# hadolint ignore=`, `# hadolint global ignore=` and `# hadolint stage ignore=`;
//! - BuildKit's `# check=skip=` in the directive block (whole file) or in the comment block
//!   right above an instruction.
//!
//! Compose files understand `# wharf: ignore=` (on the line above a key, covering the key and
//! its block, or trailing on a line, covering that line), `# wharf: ignore-file=`, and dclint's
//! `# dclint disable`, `disable-file`, `disable-line` and `disable-next-line`. Compose comments
//! come from a line scanner over the raw text, not from the YAML tree.
//!
//! The comments are read once per file. [`apply`] drops the diagnostics they cover and returns
//! what they got wrong: codes that silenced nothing although their rule ran ("unused"), unknown
//! rule names, and syntax-error codes, which only the configuration can turn off. The engine
//! turns those into DF900/DC900 diagnostics when that rule is selected. See
//! `docs/suppressions.md` for the user-facing description and the decisions behind it.

use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::dockerfile::{Dockerfile, Kind};
use crate::engine::Parsed;
use crate::registry;
use crate::rule::{Check, Rule};
use crate::source::{FileKind, SourceFile, Span};

/// How suppression comments are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuppressOptions {
    /// Ignore `# hadolint ignore=`, `global ignore=` and `stage ignore=` comments, like
    /// hadolint's `disable-ignore-pragma`. wharf's own comments and BuildKit's keep working.
    pub disable_hadolint_pragmas: bool,
}

/// The comment syntax a suppression was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Wharf,
    Hadolint,
    BuildKit,
    Dclint,
}

/// What is wrong with a suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The rule ran but reported nothing where the comment applies.
    Unused,
    /// A blanket suppression (dclint without rule names, BuildKit's `skip=all`) that silenced
    /// nothing although some of its rules ran.
    UnusedAll,
    /// wharf knows no rule by this name.
    UnknownRule { suggestion: Option<&'static str> },
    /// DF000 and DC000 can only be turned off in the configuration.
    NotSuppressible,
    /// `# wharf: ignore` without any rule.
    NoRules,
    /// `# wharf: <something>` where `<something>` is neither `ignore` nor `ignore-file`.
    UnknownDirective,
}

/// A suppression comment, or one rule named in it, that needs attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedSuppression {
    /// The rule's name inside the comment (or the directive word for comment-wide problems).
    pub span: Span,
    /// The text at `span`.
    pub name: String,
    pub syntax: Syntax,
    pub problem: Problem,
    /// The text to delete to remove it: the name and one separator, or the whole comment when
    /// nothing else would be left. `None` when there is no obvious repair.
    pub removal: Option<Span>,
}

impl UnusedSuppression {
    /// The diagnostic of `rule` (DF900 or DC900) that reports this.
    ///
    /// Removing an unused name from another tool's comment changes what that tool reports, so
    /// the fix is safe for wharf's own comments and unsafe for hadolint, BuildKit and dclint
    /// comments (BuildKit's `error=true` may even fail the build without the skip).
    pub fn into_diagnostic(self, rule: &'static Rule) -> Diagnostic {
        let remove = match self.syntax {
            Syntax::Wharf => "remove it".to_string(),
            Syntax::Hadolint => "remove it, unless hadolint still needs it".to_string(),
            Syntax::BuildKit => "remove it, unless BuildKit's own checks still need it".to_string(),
            Syntax::Dclint => "remove it, unless dclint still needs it".to_string(),
        };
        let (message, help) = match &self.problem {
            Problem::Unused => (format!("unused suppression for `{}`", self.name), remove),
            Problem::UnusedAll => ("unused suppression for all rules".to_string(), remove),
            Problem::UnknownRule { suggestion } => (
                format!("unknown rule `{}` in suppression", self.name),
                match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "remove it, or name a rule listed by `wharf rules`".to_string(),
                },
            ),
            Problem::NotSuppressible => (
                format!("`{}` cannot be suppressed inline", self.name),
                "syntax errors can only be turned off in the configuration".to_string(),
            ),
            Problem::NoRules => (
                "suppression names no rule".to_string(),
                "name the rules to ignore: `# wharf: ignore=CODE`".to_string(),
            ),
            Problem::UnknownDirective => (
                format!("unknown suppression directive `{}`", self.name),
                "use `ignore` or `ignore-file`".to_string(),
            ),
        };
        let fix = self.removal.map(|span| {
            let fix = Fix::safe_delete(span, "remove the suppression");
            match self.syntax {
                Syntax::Wharf => fix,
                _ => fix.with_applicability(Applicability::Unsafe),
            }
        });
        Diagnostic {
            file: Default::default(),
            code: rule.code,
            name: rule.name,
            severity: rule.default_severity(),
            span: self.span,
            message,
            help: Some(help),
            fix,
            related: Vec::new(),
        }
    }
}

/// The rule that reports unused suppressions in files of this kind (DF900 or DC900).
pub fn meta_rule(kind: FileKind) -> &'static Rule {
    match kind {
        FileKind::Dockerfile => &crate::rules::dockerfile::df900_unused_suppression::RULE,
        FileKind::Compose => &crate::rules::compose::dc900_unused_compose_suppression::RULE,
    }
}

/// Drops the diagnostics that suppression comments cover, and returns the suppressions that
/// need attention. `selected` are the rules of this run: a suppression naming a rule that did
/// not run is never reported as unused, since another configuration may need it.
///
/// DF000 and DC000 are never suppressed. Problems reported by DF900/DC900 can themselves be
/// silenced by a comment naming DF900/DC900 (a blanket dclint comment does not count).
pub fn apply(
    source: &SourceFile,
    parsed: &Parsed,
    diags: Vec<Diagnostic>,
    selected: &[&'static Rule],
    opts: &SuppressOptions,
) -> (Vec<Diagnostic>, Vec<UnusedSuppression>) {
    let mut set = Suppressions::default();
    match parsed {
        Parsed::Dockerfile(df) => dockerfile_pragmas(&source.text, df, opts, &mut set),
        Parsed::Compose(_) => compose_pragmas(&source.text, &mut set),
    }
    if set.pragmas.is_empty() && set.problems.is_empty() {
        return (diags, Vec::new());
    }
    let kept: Vec<Diagnostic> = diags.into_iter().filter(|d| !set.suppress(d)).collect();
    let meta = meta_rule(source.kind);
    let mut unused = set.report(&source.text, selected);
    unused.retain(|u| !set.names_rule_at(meta, u.span.start));
    (kept, unused)
}

// ---------------------------------------------------------------------------------------------
// The suppression set of one file.

#[derive(Debug, Clone, Copy)]
enum Target {
    Rule(&'static Rule),
    /// Every rule; with `buildkit_only`, every rule that has a BuildKit check name.
    All {
        buildkit_only: bool,
    },
    /// A wharf comment named something wharf does not know.
    Unknown,
    /// Another tool's name for a check wharf does not have: never used, never reported.
    Foreign,
}

#[derive(Debug)]
struct Item {
    span: Span,
    target: Target,
    used: bool,
}

/// Where a suppression applies: diagnostics whose span starts in `start..end`.
#[derive(Debug, Clone, Copy)]
struct Scope {
    start: u32,
    end: u32,
}

impl Scope {
    const FILE: Scope = Scope {
        start: 0,
        end: u32::MAX,
    };
    const NOWHERE: Scope = Scope { start: 0, end: 0 };

    fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    /// `start..=end`, for spans whose end offset still belongs to them.
    fn through(start: u32, end: u32) -> Scope {
        Scope {
            start,
            end: end.saturating_add(1),
        }
    }
}

#[derive(Debug)]
struct Pragma {
    syntax: Syntax,
    scope: Scope,
    items: Vec<Item>,
    /// What to delete when every item goes.
    whole: Span,
}

#[derive(Debug, Default)]
struct Suppressions {
    pragmas: Vec<Pragma>,
    /// Comment-wide problems found while reading (no rules, unknown directive).
    problems: Vec<UnusedSuppression>,
}

fn is_syntax_code(code: &str) -> bool {
    matches!(code, "DF000" | "DC000")
}

fn has_buildkit_name(rule: &Rule) -> bool {
    rule.aliases
        .iter()
        .any(|a| a.starts_with(|c: char| c.is_ascii_uppercase()) && !a.contains('-'))
}

/// A rule that an "all rules" suppression can silence.
fn blanket_covers(rule: &Rule, buildkit_only: bool) -> bool {
    !matches!(rule.check, Check::Meta | Check::Syntax(_))
        && (!buildkit_only || has_buildkit_name(rule))
}

impl Target {
    fn matches(self, code: &str) -> bool {
        match self {
            Target::Rule(r) => r.code == code,
            Target::All { buildkit_only } => {
                registry::find(code).is_some_and(|r| blanket_covers(r, buildkit_only))
            }
            Target::Unknown | Target::Foreign => false,
        }
    }
}

impl Suppressions {
    fn add(&mut self, syntax: Syntax, scope: Scope, items: Vec<Item>, whole: Span) {
        if !items.is_empty() {
            self.pragmas.push(Pragma {
                syntax,
                scope,
                items,
                whole,
            });
        }
    }

    /// True when some suppression covers `d`; marks every such suppression used.
    fn suppress(&mut self, d: &Diagnostic) -> bool {
        if is_syntax_code(d.code) {
            return false;
        }
        let mut hit = false;
        for p in &mut self.pragmas {
            if !p.scope.contains(d.span.start) {
                continue;
            }
            for item in &mut p.items {
                if item.target.matches(d.code) {
                    item.used = true;
                    hit = true;
                }
            }
        }
        hit
    }

    /// True when a suppression naming exactly `rule` covers `offset`.
    fn names_rule_at(&self, rule: &'static Rule, offset: u32) -> bool {
        self.pragmas.iter().any(|p| {
            p.scope.contains(offset)
                && p.items
                    .iter()
                    .any(|i| matches!(i.target, Target::Rule(r) if r.code == rule.code))
        })
    }

    fn report(&self, text: &str, selected: &[&'static Rule]) -> Vec<UnusedSuppression> {
        let is_selected = |r: &Rule| selected.iter().any(|s| s.code == r.code);
        let mut out = self.problems.clone();
        for p in &self.pragmas {
            let problems: Vec<Option<Problem>> = p
                .items
                .iter()
                .map(|item| {
                    if item.used {
                        return None;
                    }
                    match item.target {
                        Target::Rule(r) if is_syntax_code(r.code) => Some(Problem::NotSuppressible),
                        Target::Rule(r) if matches!(r.check, Check::Meta) => None,
                        Target::Rule(r) => is_selected(r).then_some(Problem::Unused),
                        Target::All { buildkit_only } => selected
                            .iter()
                            .any(|r| blanket_covers(r, buildkit_only))
                            .then_some(Problem::UnusedAll),
                        Target::Unknown => Some(Problem::UnknownRule {
                            suggestion: registry::suggest(item.span.text(text)),
                        }),
                        Target::Foreign => None,
                    }
                })
                .collect();
            let all_go = problems.iter().all(Option::is_some);
            for (i, problem) in problems.iter().enumerate() {
                let Some(problem) = problem else { continue };
                let item = &p.items[i];
                let kept_after = problems[i + 1..].iter().any(Option::is_none);
                let removal = if all_go {
                    p.whole
                } else if kept_after {
                    // A kept name follows: delete this name up to the next one.
                    Span::new(item.span.start, p.items[i + 1].span.start)
                } else {
                    // Only removed names follow, so a kept one precedes: delete from the end
                    // of the previous name.
                    let prev = i.checked_sub(1).map_or(item.span, |j| p.items[j].span);
                    Span::new(prev.end, item.span.end)
                };
                out.push(UnusedSuppression {
                    span: item.span,
                    name: item.span.text(text).to_string(),
                    syntax: p.syntax,
                    problem: problem.clone(),
                    removal: Some(removal),
                });
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Reading comments.

/// A small cursor over one comment's text; offsets are absolute file offsets.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
    base: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str, base: usize) -> Self {
        Cursor { s, i: 0, base }
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.i..).unwrap_or("")
    }

    fn at_end(&self) -> bool {
        self.rest().is_empty()
    }

    /// Skips spaces and tabs; returns how many.
    fn ws(&mut self) -> usize {
        let rest = self.rest();
        let n = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        self.i += n;
        n
    }

    fn eat(&mut self, c: char) -> bool {
        if self.rest().starts_with(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Takes the longest prefix whose characters satisfy `pred`.
    fn take(&mut self, pred: impl Fn(char) -> bool) -> (Span, &'a str) {
        let rest = self.rest();
        let n = rest.find(|c: char| !pred(c)).unwrap_or(rest.len());
        let start = self.base + self.i;
        self.i += n;
        (Span::from_range(start..start + n), &rest[..n])
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Names separated by commas and/or blanks, up to the end, a `--` reason or a `#` comment.
fn names(c: &mut Cursor<'_>) -> Vec<Span> {
    let mut out = Vec::new();
    loop {
        c.take(|ch| ch == ' ' || ch == '\t' || ch == ',');
        let rest = c.rest();
        if rest.is_empty() || rest.starts_with("--") || rest.starts_with('#') {
            return out;
        }
        let (span, _) = c.take(|ch| !matches!(ch, ' ' | '\t' | ',' | '#'));
        if span.is_empty() {
            return out;
        }
        out.push(span);
    }
}

/// What a comment says, when it is a suppression.
enum CommentPragma {
    WharfIgnore {
        file: bool,
        names: Vec<Span>,
        keyword: Span,
    },
    WharfUnknown(Span),
    Hadolint {
        scope: HadolintScope,
        codes: Vec<Span>,
    },
    Check(CheckSkip),
    Dclint {
        kind: DclintKind,
        names: Vec<Span>,
        keyword: Span,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HadolintScope {
    Next,
    Global,
    Stage,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DclintKind {
    /// `disable [rules]`: the whole file, from the first line.
    File,
    /// `disable-file`: every rule, the whole file, from the first line.
    FileAll,
    Line,
    NextLine,
}

/// The `skip=` part of a BuildKit `check` value.
struct CheckSkip {
    names: Vec<Span>,
    /// The `skip=...` part with one `;` separator, or `None` when it is the whole value.
    part: Option<Span>,
}

/// Reads the comment that starts with `#` at `hash` and ends at `end`.
fn read_comment(text: &str, hash: usize, end: usize) -> Option<CommentPragma> {
    let body = text.get(hash + 1..end)?;
    let mut c = Cursor::new(body, hash + 1);
    c.ws();
    let (word_span, word) = c.take(|ch| ch.is_ascii_alphabetic());
    if word.eq_ignore_ascii_case("wharf") {
        c.ws();
        if !c.eat(':') {
            return None;
        }
        c.ws();
        let (keyword, kw) = c.take(is_word_char);
        let file = if kw.eq_ignore_ascii_case("ignore") {
            false
        } else if kw.eq_ignore_ascii_case("ignore-file") {
            true
        } else {
            let span = if keyword.is_empty() {
                Span::new(word_span.start, keyword.start)
            } else {
                keyword
            };
            return Some(CommentPragma::WharfUnknown(span));
        };
        c.ws();
        c.eat('=');
        let names = names(&mut c);
        return Some(CommentPragma::WharfIgnore {
            file,
            names,
            keyword,
        });
    }
    if word.eq_ignore_ascii_case("hadolint") {
        if c.ws() == 0 {
            return None;
        }
        let (_, kw) = c.take(|ch| ch.is_ascii_alphabetic());
        let scope = match kw.to_ascii_lowercase().as_str() {
            "ignore" => HadolintScope::Next,
            "global" | "stage" => {
                let scope = if kw.eq_ignore_ascii_case("global") {
                    HadolintScope::Global
                } else {
                    HadolintScope::Stage
                };
                if c.ws() == 0 {
                    return None;
                }
                let (_, kw2) = c.take(|ch| ch.is_ascii_alphabetic());
                if !kw2.eq_ignore_ascii_case("ignore") {
                    return None;
                }
                scope
            }
            // `shell=` and anything else: not a suppression.
            _ => return None,
        };
        c.ws();
        if !c.eat('=') {
            return None;
        }
        let mut codes = Vec::new();
        loop {
            c.ws();
            let (span, _) = c.take(|ch| ch.is_ascii_alphanumeric());
            if span.is_empty() {
                break;
            }
            codes.push(span);
            c.ws();
            if !c.eat(',') {
                break;
            }
        }
        return (!codes.is_empty()).then_some(CommentPragma::Hadolint { scope, codes });
    }
    if word.eq_ignore_ascii_case("check") {
        c.ws();
        if !c.eat('=') {
            return None;
        }
        c.ws();
        // Only the first token counts, so `# check=skip=X // why` works as in BuildKit.
        let (value, v) = c.take(|ch| !ch.is_whitespace());
        return check_skip(v, value.start as usize).map(CommentPragma::Check);
    }
    if word.eq_ignore_ascii_case("dclint") {
        if c.ws() == 0 {
            return None;
        }
        let (keyword, kw) = c.take(|ch| ch.is_ascii_alphabetic() || ch == '-');
        let kind = match kw.to_ascii_lowercase().as_str() {
            "disable" => DclintKind::File,
            "disable-file" => DclintKind::FileAll,
            "disable-line" => DclintKind::Line,
            "disable-next-line" => DclintKind::NextLine,
            _ => return None,
        };
        if !c.at_end() && c.ws() == 0 {
            return None;
        }
        let names = names(&mut c);
        return Some(CommentPragma::Dclint {
            kind,
            names,
            keyword,
        });
    }
    None
}

/// Parses a BuildKit check value (`skip=A,B;error=true`) at file offset `base`.
fn check_skip(value: &str, base: usize) -> Option<CheckSkip> {
    let parts: Vec<(usize, &str)> = {
        let mut out = Vec::new();
        let mut at = 0;
        for (n, part) in value.splitn(3, ';').enumerate() {
            if n > 0 {
                at += 1;
            }
            out.push((at, part));
            at += part.len();
        }
        out
    };
    let count = parts.len();
    for (n, &(at, part)) in parts.iter().enumerate() {
        let Some(eq) = part.find('=') else { continue };
        if !part[..eq].trim().eq_ignore_ascii_case("skip") {
            continue;
        }
        let mut names = Vec::new();
        let mut off = eq + 1;
        for name in part[eq + 1..].split(',') {
            let lead = name.len() - name.trim_start().len();
            let trimmed = name.trim();
            if !trimmed.is_empty() {
                let s = base + at + off + lead;
                names.push(Span::from_range(s..s + trimmed.len()));
            }
            off += name.len() + 1;
        }
        let part_span = if count == 1 {
            None
        } else if n + 1 < count {
            // Up to and including the `;` that follows.
            Some(Span::from_range(base + at..base + at + part.len() + 1))
        } else {
            // From the `;` that precedes.
            Some(Span::from_range(base + at - 1..base + at + part.len()))
        };
        return Some(CheckSkip {
            names,
            part: part_span,
        });
    }
    None
}

/// Resolves a name of a wharf comment: a code in any case, a name or an alias.
fn wharf_target(name: &str) -> Target {
    match registry::find(name) {
        Some(r) => Target::Rule(r),
        None => Target::Unknown,
    }
}

/// Resolves a code of another tool's comment; names wharf does not know are that tool's.
fn foreign_target(name: &str) -> Target {
    match registry::find(name) {
        Some(r) => Target::Rule(r),
        None => Target::Foreign,
    }
}

/// Resolves a BuildKit check name, case-sensitively as BuildKit does.
fn buildkit_target(name: &str) -> Target {
    if name == "all" {
        return Target::All {
            buildkit_only: true,
        };
    }
    registry::all()
        .iter()
        .copied()
        .find(|r| r.code == name || r.name == name || r.aliases.contains(&name))
        .map_or(Target::Foreign, Target::Rule)
}

fn items(spans: &[Span], text: &str, resolve: fn(&str) -> Target) -> Vec<Item> {
    spans
        .iter()
        .map(|&span| Item {
            span,
            target: resolve(span.text(text)),
            used: false,
        })
        .collect()
}

fn blanket(span: Span, buildkit_only: bool) -> Vec<Item> {
    vec![Item {
        span,
        target: Target::All { buildkit_only },
        used: false,
    }]
}

/// The whole physical line around `span`, with its line break.
fn whole_line(text: &str, span: Span) -> Span {
    let start = span.start as usize;
    let end = (span.end as usize).min(text.len());
    // Keep a byte-order mark when the comment is on the first line.
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(if text.starts_with('\u{feff}') { 3 } else { 0 }, |i| i + 1);
    let line_end = text
        .get(end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| end + i + 1);
    Span::from_range(line_start..line_end)
}

/// Records the problems of a wharf comment; returns its items (empty when it has a problem).
fn wharf_items(
    set: &mut Suppressions,
    text: &str,
    names: &[Span],
    keyword: Span,
    whole: Span,
) -> Vec<Item> {
    if names.is_empty() {
        set.problems.push(UnusedSuppression {
            span: keyword,
            name: keyword.text(text).to_string(),
            syntax: Syntax::Wharf,
            problem: Problem::NoRules,
            removal: Some(whole),
        });
    }
    items(names, text, wharf_target)
}

fn unknown_directive(set: &mut Suppressions, text: &str, span: Span) {
    set.problems.push(UnusedSuppression {
        span,
        name: span.text(text).to_string(),
        syntax: Syntax::Wharf,
        problem: Problem::UnknownDirective,
        removal: None,
    });
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles.

/// True when only a line break and indentation separate `end` from `next`.
fn adjacent(text: &str, end: u32, next: u32) -> bool {
    let Some(gap) = text.get(end as usize..next as usize) else {
        return false;
    };
    let rest = gap.strip_prefix("\r\n").or_else(|| gap.strip_prefix('\n'));
    rest.is_some_and(|r| r.bytes().all(|b| b == b' ' || b == b'\t'))
}

/// Where a comment sits relative to the instructions.
#[derive(Clone, Copy)]
struct Attached {
    /// The instruction right below the comment block.
    instruction: usize,
    /// A bare `#` line separates this comment from the instruction (BuildKit resets there).
    after_reset: bool,
}

fn dockerfile_pragmas(text: &str, df: &Dockerfile, opts: &SuppressOptions, set: &mut Suppressions) {
    let ins = &df.instructions;
    let comments = &df.comments;

    // The directive block: `# check=skip=...` for the whole file.
    if let Some(d) = df.directive("check")
        && let Some(skip) = check_skip(&d.value, d.value_span.start as usize)
    {
        let whole = skip.part.unwrap_or_else(|| whole_line(text, d.span));
        set.add(
            Syntax::BuildKit,
            Scope::FILE,
            items(&skip.names, text, buildkit_target),
            whole,
        );
    }

    // Which instruction each comment block sits on, and where each block starts.
    let mut attached: Vec<Option<Attached>> = vec![None; comments.len()];
    let mut block_start: Vec<u32> = ins.iter().map(|i| i.span.start).collect();
    let mut ci = 0;
    for (j, instruction) in ins.iter().enumerate() {
        while ci < comments.len() && comments[ci].span.start < instruction.span.start {
            ci += 1;
        }
        let mut next = instruction.span.start;
        let mut after_reset = false;
        let mut k = ci;
        while k > 0 {
            let c = &comments[k - 1];
            if c.in_continuation || !adjacent(text, c.span.end, next) {
                break;
            }
            attached[k - 1] = Some(Attached {
                instruction: j,
                after_reset,
            });
            if c.text.is_empty() {
                after_reset = true;
            }
            next = c.span.start;
            k -= 1;
        }
        block_start[j] = next;
    }
    let instruction_scope = |j: usize| Scope::through(block_start[j], ins[j].span.end);
    // The end of the stage that starts after `offset` (skipping the FROM at `skip`).
    let stage_end = |offset: u32, skip: Option<usize>| {
        ins.iter()
            .enumerate()
            .find(|&(j, i)| i.kind == Kind::From && i.span.start > offset && Some(j) != skip)
            .map_or(u32::MAX, |(_, i)| i.span.start)
    };

    for (k, c) in comments.iter().enumerate() {
        if df.directives.iter().any(|d| d.span == c.span) {
            continue;
        }
        let Some(pragma) = read_comment(text, c.span.start as usize, c.span.end as usize) else {
            continue;
        };
        let whole = whole_line(text, c.span);
        let below = attached[k].map(|a| a.instruction);
        match pragma {
            CommentPragma::WharfUnknown(span) => unknown_directive(set, text, span),
            CommentPragma::WharfIgnore {
                file,
                names,
                keyword,
            } => {
                let scope = if file {
                    Scope::FILE
                } else if let Some(j) = below {
                    instruction_scope(j)
                } else if c.in_continuation {
                    // Inside a continued instruction: that instruction.
                    ins.iter()
                        .find(|i| i.span.contains(c.span.start))
                        .map_or(Scope::NOWHERE, |i| Scope::through(i.span.start, i.span.end))
                } else {
                    Scope::NOWHERE
                };
                let items = wharf_items(set, text, &names, keyword, whole);
                set.add(Syntax::Wharf, scope, items, whole);
            }
            CommentPragma::Hadolint { scope, codes } => {
                if opts.disable_hadolint_pragmas {
                    continue;
                }
                let scope = match scope {
                    HadolintScope::Global => Scope::FILE,
                    HadolintScope::Next => below.map_or(Scope::NOWHERE, instruction_scope),
                    HadolintScope::Stage => {
                        let skip = below.filter(|&j| ins[j].kind == Kind::From);
                        Scope {
                            start: c.span.start,
                            end: stage_end(c.span.end, skip),
                        }
                    }
                };
                set.add(
                    Syntax::Hadolint,
                    scope,
                    items(&codes, text, foreign_target),
                    whole,
                );
            }
            CommentPragma::Check(skip) => {
                // Per instruction: only in the block right above it, after any bare `#`.
                // Above a FROM it covers the stage, as BuildKit merges it into the stage.
                let scope = match attached[k] {
                    Some(a) if !a.after_reset && !c.in_continuation => {
                        let j = a.instruction;
                        if ins[j].kind == Kind::From {
                            Scope {
                                start: block_start[j],
                                end: stage_end(ins[j].span.start, Some(j)),
                            }
                        } else {
                            instruction_scope(j)
                        }
                    }
                    _ => Scope::NOWHERE,
                };
                let whole = skip.part.unwrap_or(whole);
                set.add(
                    Syntax::BuildKit,
                    scope,
                    items(&skip.names, text, buildkit_target),
                    whole,
                );
            }
            // dclint comments mean nothing in a Dockerfile.
            CommentPragma::Dclint { .. } => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Compose files: a line scanner.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    /// A line that is only a comment.
    Comment,
    /// YAML content, maybe followed by a comment.
    Content,
    /// A line of a block scalar (`|` or `>`): text, never a comment.
    Scalar,
}

#[derive(Debug, Clone, Copy)]
struct YamlLine {
    start: usize,
    /// Excludes the line break and a CR before it.
    end: usize,
    indent: usize,
    kind: LineKind,
    /// The `#` of the comment on this line.
    hash: Option<usize>,
    /// The line starts with a sequence dash (`- `).
    dash: bool,
}

/// Where the comment of a content line starts, scanning from `quote` state; returns the
/// position of `#` (if any) and the quote state at the end of the line.
fn scan_content(line: &str, mut quote: Option<u8>) -> (Option<usize>, Option<u8>) {
    let b = line.as_bytes();
    let mut prev: Option<u8> = None; // previous non-blank byte
    let mut token_first: Option<u8> = None; // first byte of the current token
    let mut prev_token_first: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(b'"') => {
                if c == b'\\' {
                    i += 2;
                    continue;
                }
                if c == b'"' {
                    quote = None;
                    prev = Some(c);
                }
            }
            Some(_) => {
                if c == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                    prev = Some(c);
                }
            }
            None => {
                let after_blank = i == 0 || matches!(b[i - 1], b' ' | b'\t');
                if c == b'#' && after_blank {
                    return (Some(i), None);
                }
                let token_start = after_blank || matches!(b[i - 1], b'[' | b'{' | b',');
                if token_start && c != b' ' && c != b'\t' {
                    prev_token_first = token_first;
                    token_first = Some(c);
                }
                if (c == b'"' || c == b'\'') && token_start {
                    let opens = match prev {
                        None => true,
                        Some(p) => {
                            matches!(p, b':' | b'-' | b'[' | b'{' | b',' | b'?')
                                || matches!(prev_token_first, Some(b'&' | b'!'))
                        }
                    };
                    if opens {
                        quote = Some(c);
                    }
                }
                if c != b' ' && c != b'\t' {
                    prev = Some(c);
                }
            }
        }
        i += 1;
    }
    (None, quote)
}

/// The column that a block scalar starting on this line must be indented past, when the line
/// ends with a block scalar indicator (`key: |`, `- >-`).
fn block_scalar_owner(line: &str, indent: usize, content_end: usize) -> Option<usize> {
    let content = line.get(..content_end)?.trim_end();
    let token_at = content.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let token = &content[token_at..];
    let mut chars = token.chars();
    if !matches!(chars.next(), Some('|' | '>'))
        || token.len() > 3
        || !chars.all(|c| c.is_ascii_digit() || c == '+' || c == '-')
    {
        return None;
    }
    let before = content[..token_at].trim_end();
    let prev_token = before.rsplit([' ', '\t']).next().unwrap_or("");
    if !(before.is_empty()
        || before.ends_with(':')
        || before.ends_with('-')
        || prev_token.starts_with(['&', '!']))
    {
        return None;
    }
    // Skip sequence dashes: the key after them owns the block, or the last dash when the
    // indicator follows it directly.
    let mut col = indent;
    let mut owner = indent;
    let bytes = line.as_bytes();
    while bytes.get(col) == Some(&b'-') && matches!(bytes.get(col + 1), Some(b' ' | b'\t')) {
        owner = col;
        col += 1;
        while matches!(bytes.get(col), Some(b' ' | b'\t')) {
            col += 1;
        }
    }
    if col < token_at {
        owner = col;
    }
    Some(owner)
}

fn yaml_lines(text: &str) -> Vec<YamlLine> {
    let mut out = Vec::new();
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut quote: Option<u8> = None;
    let mut block: Option<usize> = None;
    while start < text.len() {
        let (mut end, next) = match text[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &text[start..end];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let blank = indent == line.len();
        let mut y = YamlLine {
            start,
            end,
            indent,
            kind: LineKind::Blank,
            hash: None,
            dash: false,
        };
        if let Some(owner) = block {
            if blank || indent > owner {
                y.kind = if blank {
                    LineKind::Blank
                } else {
                    LineKind::Scalar
                };
                out.push(y);
                start = next;
                continue;
            }
            block = None;
        }
        if quote.is_none() && blank {
            out.push(y);
            start = next;
            continue;
        }
        if quote.is_none() && line[indent..].starts_with('#') {
            y.kind = LineKind::Comment;
            y.hash = Some(start + indent);
            out.push(y);
            start = next;
            continue;
        }
        y.kind = LineKind::Content;
        let rest = &line[indent..];
        y.dash = rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t");
        let was_quoted = quote.is_some();
        let (hash, q) = scan_content(line, quote);
        quote = q;
        y.hash = hash.map(|h| start + h);
        if !was_quoted && quote.is_none() {
            block = block_scalar_owner(line, indent, hash.unwrap_or(line.len()));
        }
        out.push(y);
        start = next;
    }
    out
}

/// The last line of the block a content line opens: following lines indented deeper (and,
/// under a key, sequence items at the key's own indentation).
fn block_end(lines: &[YamlLine], m: usize) -> usize {
    let head = lines[m];
    let mut last = m;
    for (k, l) in lines.iter().enumerate().skip(m + 1) {
        match l.kind {
            LineKind::Blank | LineKind::Comment => {}
            LineKind::Scalar => last = k,
            LineKind::Content => {
                if l.indent > head.indent || (l.indent == head.indent && l.dash && !head.dash) {
                    last = k;
                } else {
                    break;
                }
            }
        }
    }
    last
}

fn compose_pragmas(text: &str, set: &mut Suppressions) {
    if !text.contains('#') {
        return;
    }
    let lines = yaml_lines(text);
    // For each comment line: the content line below its comment stack, and the stack's top.
    let mut below: Vec<Option<usize>> = vec![None; lines.len()];
    let mut next: Option<usize> = None;
    for (k, l) in lines.iter().enumerate().rev() {
        match l.kind {
            LineKind::Content => next = Some(k),
            LineKind::Blank | LineKind::Scalar => next = None,
            LineKind::Comment => below[k] = next,
        }
    }
    let mut top: Vec<usize> = (0..lines.len()).collect();
    for k in 1..lines.len() {
        if lines[k].kind == LineKind::Comment && lines[k - 1].kind == LineKind::Comment {
            top[k] = top[k - 1];
        }
    }
    // dclint's file-wide comments only count on the first line that is not blank or `---`.
    let first = lines
        .iter()
        .position(|l| l.kind != LineKind::Blank && text[l.start..l.end].trim() != "---");
    let line_scope = |k: usize| Scope::through(lines[k].start as u32, lines[k].end as u32);

    for (k, l) in lines.iter().enumerate() {
        let Some(hash) = l.hash else { continue };
        let Some(pragma) = read_comment(text, hash, l.end) else {
            continue;
        };
        let own_line = l.kind == LineKind::Comment;
        let whole = if own_line {
            whole_line(text, Span::from_range(l.start..l.end))
        } else {
            let before = text[l.start..hash].trim_end_matches([' ', '\t']);
            Span::from_range(l.start + before.len()..l.end)
        };
        match pragma {
            CommentPragma::WharfUnknown(span) => unknown_directive(set, text, span),
            CommentPragma::WharfIgnore {
                file,
                names,
                keyword,
            } => {
                let scope = if file {
                    Scope::FILE
                } else if !own_line {
                    line_scope(k)
                } else if let Some(m) = below[k] {
                    Scope::through(
                        lines[top[k]].start as u32,
                        lines[block_end(&lines, m)].end as u32,
                    )
                } else {
                    Scope::NOWHERE
                };
                let items = wharf_items(set, text, &names, keyword, whole);
                set.add(Syntax::Wharf, scope, items, whole);
            }
            CommentPragma::Dclint {
                kind,
                names,
                keyword,
            } => {
                let scope = match kind {
                    DclintKind::File | DclintKind::FileAll => {
                        if own_line && first == Some(k) {
                            Scope::FILE
                        } else {
                            Scope::NOWHERE
                        }
                    }
                    DclintKind::Line if !own_line => line_scope(k),
                    DclintKind::Line | DclintKind::NextLine if own_line => {
                        below[k].map_or(Scope::NOWHERE, line_scope)
                    }
                    _ => {
                        // A trailing `disable-next-line`: the line after.
                        if k + 1 < lines.len() {
                            line_scope(k + 1)
                        } else {
                            Scope::NOWHERE
                        }
                    }
                };
                let items = if kind == DclintKind::FileAll || names.is_empty() {
                    blanket(keyword, false)
                } else {
                    items(&names, text, foreign_target)
                };
                set.add(Syntax::Dclint, scope, items, whole);
            }
            // hadolint and BuildKit comments mean nothing in a compose file.
            CommentPragma::Hadolint { .. } | CommentPragma::Check(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_finds_trailing_comments_outside_quotes() {
        assert_eq!(scan_content("image: nginx # c", None).0, Some(13));
        assert_eq!(scan_content("image: \"a # b\"", None).0, None);
        assert_eq!(scan_content("image: 'it''s # x'", None).0, None);
        assert_eq!(scan_content("cmd: echo it's # c", None).0, Some(15));
        assert_eq!(scan_content("url: a#b", None).0, None);
        assert_eq!(scan_content("x: [\"a # b\", 'c'] # d", None).0, Some(18));
        assert_eq!(scan_content("x: &anchor \"a # b\"", None).0, None);
        assert_eq!(scan_content("x: \"open # still", None), (None, Some(b'"')));
    }

    #[test]
    fn block_scalars_hide_hashes() {
        let text = "a:\n  cmd: |\n    # not a comment\n  b: 1 # comment\n";
        let lines = yaml_lines(text);
        let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LineKind::Content,
                LineKind::Content,
                LineKind::Scalar,
                LineKind::Content
            ]
        );
        assert!(lines[3].hash.is_some());
    }

    #[test]
    fn check_values() {
        let v = "skip=A, B;error=true";
        let s = check_skip(v, 0).unwrap();
        let names: Vec<&str> = s.names.iter().map(|n| n.text(v)).collect();
        assert_eq!(names, ["A", "B"]);
        assert_eq!(s.part.unwrap().text(v), "skip=A, B;");
        let v = "error=true;skip=A";
        let s = check_skip(v, 0).unwrap();
        assert_eq!(s.part.unwrap().text(v), ";skip=A");
        assert!(check_skip("error=true", 0).is_none());
        assert!(check_skip("skip=A", 0).unwrap().part.is_none());
    }
}
