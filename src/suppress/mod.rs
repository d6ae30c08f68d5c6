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
//! its whole value, or trailing on a line, covering that line), `# wharf: ignore-file=`, and
//! dclint's `# dclint disable`, `disable-file`, `disable-line` and `disable-next-line`. Compose
//! comments take their scope from the YAML tree the file was parsed into.
//!
//! The comments are read once per file. [`apply`] drops the diagnostics they cover and returns
//! what they got wrong: codes that silenced nothing although their rule ran ("unused"), unknown
//! rule names, and syntax-error codes, which only the configuration can turn off. The engine
//! turns those into DF900/DC900 diagnostics when that rule is selected. See
//! `docs/suppressions.md` for the user-facing description and the decisions behind it.
//!
//! Layout: this file holds the results and the matching of diagnostics against suppressions;
//! `comment.rs` reads one comment and hands it to the grammar of its tool (`wharf.rs`,
//! `hadolint.rs`, `buildkit.rs`, `dclint.rs`); `dockerfile.rs` and `compose.rs` decide where
//! each comment applies in files of their kind. Nothing here depends on the engine: the engine
//! hands the parsed file in as an [`Input`].

mod buildkit;
pub use buildkit::CheckOptions;
pub(crate) use buildkit::{
    FileCheckOptions, apply_options as apply_check_options, file_options as check_options,
};
mod comment;
mod compose;
mod dclint;
mod dockerfile;
mod hadolint;
mod wharf;

use crate::compose::ComposeFile;
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::dockerfile::Dockerfile;
use crate::registry;
use crate::rule::{Check, Rule};
use crate::source::{FileKind, SourceFile, Span};
use std::borrow::Cow;

/// How suppression comments are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuppressOptions {
    /// Ignore `# hadolint ignore=`, `global ignore=` and `stage ignore=` comments, like
    /// hadolint's `disable-ignore-pragma`. wharf's own comments and BuildKit's keep working.
    pub disable_hadolint_pragmas: bool,
    /// BuildKit's check options come from the `BUILDKIT_DOCKERFILE_CHECK` environment
    /// variable, which replaces the `# check=` directive of every file.
    pub buildkit_check_from_env: bool,
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
        let remove: Cow<'static, str> = Cow::Borrowed(match self.syntax {
            Syntax::Wharf => "remove it",
            Syntax::Hadolint => "remove it, unless hadolint still needs it",
            Syntax::BuildKit => "remove it, unless BuildKit's own checks still need it",
            Syntax::Dclint => "remove it, unless dclint still needs it",
        });
        let (message, help): (String, Cow<'static, str>) = match &self.problem {
            Problem::Unused => (format!("unused suppression for `{}`", self.name), remove),
            Problem::UnusedAll => ("unused suppression for all rules".to_string(), remove),
            Problem::UnknownRule { suggestion } => (
                format!("unknown rule `{}` in suppression", self.name),
                match suggestion {
                    Some(s) => format!("did you mean `{s}`?").into(),
                    None => "remove it, or name a rule listed by `wharf rules`".into(),
                },
            ),
            Problem::NotSuppressible => (
                format!("`{}` cannot be suppressed inline", self.name),
                "syntax errors can only be turned off in the configuration".into(),
            ),
            Problem::NoRules => (
                "suppression names no rule".to_string(),
                "name the rules to ignore: `# wharf: ignore=CODE`".into(),
            ),
            Problem::UnknownDirective => (
                format!("unknown suppression directive `{}`", self.name),
                "use `ignore` or `ignore-file`".into(),
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
            message: message.into(),
            help: Some(help),
            fix: fix.map(Box::new),
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

/// The parsed file whose comments are read.
#[derive(Clone, Copy)]
pub enum Input<'a> {
    Dockerfile(&'a Dockerfile),
    Compose(&'a ComposeFile),
}

/// Drops the diagnostics that suppression comments cover, and returns the suppressions that
/// need attention. `selected` are the rules of this run: a suppression naming a rule that did
/// not run is never reported as unused, since another configuration may need it.
///
/// DF000 and DC000 are never suppressed. Problems reported by DF900/DC900 can themselves be
/// silenced by a comment naming DF900/DC900 (a blanket dclint comment does not count).
pub fn apply<'a>(
    source: &SourceFile,
    parsed: impl Into<Input<'a>>,
    diags: Vec<Diagnostic>,
    selected: &[&'static Rule],
    opts: &SuppressOptions,
) -> (Vec<Diagnostic>, Vec<UnusedSuppression>) {
    read(source, parsed, opts).apply(source, diags, selected)
}

/// The suppression comments of one file, read from its tree; applied to its findings later,
/// when the tree may be gone ([`FileSuppressions::apply`]).
#[derive(Debug, Default)]
pub struct FileSuppressions(Suppressions);

/// Reads the suppression comments of a parsed file.
pub fn read<'a>(
    source: &SourceFile,
    parsed: impl Into<Input<'a>>,
    opts: &SuppressOptions,
) -> FileSuppressions {
    let mut set = Suppressions::default();
    match parsed.into() {
        Input::Dockerfile(df) => dockerfile::pragmas(&source.text, df, opts, &mut set),
        Input::Compose(cf) => compose::pragmas(&source.text, cf, &mut set),
    }
    FileSuppressions(set)
}

impl FileSuppressions {
    /// [`apply`], with the comments read already: drops the diagnostics they cover and returns
    /// the suppressions that need attention.
    pub fn apply(
        self,
        source: &SourceFile,
        diags: Vec<Diagnostic>,
        selected: &[&'static Rule],
    ) -> (Vec<Diagnostic>, Vec<UnusedSuppression>) {
        let mut set = self.0;
        if set.pragmas.is_empty() && set.problems.is_empty() {
            return (diags, Vec::new());
        }
        let kept: Vec<Diagnostic> = diags.into_iter().filter(|d| !set.suppress(d)).collect();
        let meta = meta_rule(source.kind);
        let mut unused = set.report(&source.text, selected);
        unused.retain(|u| !set.names_rule_at(meta, u.span.start));
        (kept, unused)
    }
}

// ---------------------------------------------------------------------------------------------
// The suppression set of one file.

#[derive(Debug, Clone, Copy)]
enum Target {
    Rule(&'static Rule),
    /// A BuildKit check name that stands for several rules ([`registry::CHECK_GROUPS`]).
    Group(&'static [&'static str]),
    /// Every rule; with `buildkit_only`, every rule that has a BuildKit check name.
    All {
        buildkit_only: bool,
    },
    /// A wharf comment named something wharf does not know.
    Unknown,
    /// Another tool's name for a check wharf does not have: never used, never reported.
    Foreign,
    /// A ShellCheck code (`SC2086`, by number): silences the findings of the ShellCheck pass;
    /// never reported as unused (the pass may be off in this run and on in another).
    ShellCheck(u16),
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

pub(crate) fn has_buildkit_name(rule: &Rule) -> bool {
    rule.aliases
        .iter()
        .any(|a| a.starts_with(|c: char| c.is_ascii_uppercase()) && !a.contains('-'))
        || registry::groups_of(rule.code).next().is_some()
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
            Target::Group(codes) => codes.contains(&code),
            Target::All { buildkit_only } => {
                registry::find(code).is_some_and(|r| blanket_covers(r, buildkit_only))
            }
            Target::ShellCheck(n) => crate::shellcheck::code_number(code) == Some(n),
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
                && p.items.iter().any(|i| match i.target {
                    Target::Rule(r) => r.code == rule.code,
                    Target::Group(codes) => codes.contains(&rule.code),
                    _ => false,
                })
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
                        Target::Group(codes) => selected
                            .iter()
                            .any(|r| codes.contains(&r.code))
                            .then_some(Problem::Unused),
                        Target::All { buildkit_only } => selected
                            .iter()
                            .any(|r| blanket_covers(r, buildkit_only))
                            .then_some(Problem::UnusedAll),
                        Target::Unknown => Some(Problem::UnknownRule {
                            suggestion: registry::suggest(item.span.text(text)),
                        }),
                        Target::Foreign | Target::ShellCheck(_) => None,
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

/// Resolves a code of another tool's comment; names wharf does not know are that tool's.
fn foreign_target(name: &str) -> Target {
    match (registry::find(name), registry::check_group(name)) {
        (Some(r), _) => Target::Rule(r),
        (None, Some(codes)) => Target::Group(codes),
        (None, None) => shellcheck_target(name).unwrap_or(Target::Foreign),
    }
}

/// The target of a ShellCheck code.
fn shellcheck_target(name: &str) -> Option<Target> {
    crate::shellcheck::code_number(name).map(Target::ShellCheck)
}

/// The items of one comment, each name resolved by its tool's rules.
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

/// One item that stands for every rule (dclint without names, BuildKit's `skip=all`).
fn blanket(span: Span, buildkit_only: bool) -> Vec<Item> {
    vec![Item {
        span,
        target: Target::All { buildkit_only },
        used: false,
    }]
}
