//! Inline suppressions: every comment form, its scope, and the unused-suppression reports
//! (DF900/DC900) with their fixes. Dockerfile cases run real rules through the engine; compose
//! cases feed made-up diagnostics to `suppress::apply`, since compose rules do not exist yet.

use wharf::diagnostic::{Applicability, Diagnostic};
use wharf::engine::{FileSettings, Parsed, lint_source};
use wharf::rule::Rule;
use wharf::source::{FileKind, LineIndex, SourceFile, Span};
use wharf::suppress::{self, Problem, SuppressOptions};

fn rules(codes: &[&str]) -> Vec<&'static Rule> {
    codes
        .iter()
        .map(|c| wharf::registry::find(c).unwrap_or_else(|| panic!("no rule {c}")))
        .collect()
}

fn lint_with(text: &str, codes: &[&str], suppress: SuppressOptions) -> Vec<Diagnostic> {
    let settings = FileSettings {
        rules: rules(codes),
        suppress,
        ..FileSettings::default()
    };
    lint_source(
        &SourceFile::new("Dockerfile", text, FileKind::Dockerfile),
        &settings,
    )
}

fn lint(text: &str, codes: &[&str]) -> Vec<Diagnostic> {
    lint_with(text, codes, SuppressOptions::default())
}

/// `(line, code)` of each diagnostic.
fn found(text: &str, diags: &[Diagnostic]) -> Vec<(u32, &'static str)> {
    let index = LineIndex::new(text);
    diags
        .iter()
        .map(|d| (index.line_col(text, d.span.start).line, d.code))
        .collect()
}

fn check(text: &str, codes: &[&str]) -> Vec<(u32, &'static str)> {
    found(text, &lint(text, codes))
}

/// Applies every fix (which must not overlap) and returns the new text.
fn fixed(text: &str, diags: &[Diagnostic]) -> String {
    let out = wharf::fix::apply_fixes(text, wharf::fix::fixes_of(diags), Applicability::Unsafe);
    assert_eq!(out.skipped, 0, "overlapping fixes");
    out.text
}

// ----- wharf comments in Dockerfiles -----------------------------------------------------------

#[test]
fn wharf_ignore_by_code_name_alias_and_case() {
    for comment in [
        "# wharf: ignore=DL3025",
        "# wharf: ignore=dl3025",
        "# wharf: ignore DL3025",
        "# wharf:ignore = shell-form-cmd",
        "# wharf: ignore=JSONArgsRecommended -- tini handles signals",
        "# wharf: ignore=DL3064, DL3025",
    ] {
        let text = format!("FROM node:22\n{comment}\nCMD node server.js\nCMD npm start\n");
        assert_eq!(check(&text, &["DL3025"]), [(4, "DL3025")], "{comment}");
    }
}

#[test]
fn stacked_comments_all_apply_and_a_blank_line_breaks() {
    let text = "FROM alpine:3.20\n\
                # wharf: ignore=DL3025\n\
                # an explanation\n\
                # hadolint ignore=DL3064\n\
                ENV API_KEY=abc123def\n\
                # wharf: ignore=DL3064\n\
                \n\
                ENV API_KEY=abc123def\n";
    assert_eq!(
        check(text, &["DL3064", "DL3025", "DF900"]),
        [(2, "DF900"), (6, "DF900"), (8, "DL3064")]
    );
}

#[test]
fn the_whole_multi_line_instruction_is_covered() {
    let text = "FROM alpine:3.20\n\
                # wharf: ignore=DL3064\n\
                ENV A=1 \\\n    \
                    B=2 \\\n    \
                    API_KEY=abc123def\n\
                # wharf: ignore=DL3025\n\
                CMD \\\n    \
                    node server.js\n";
    let diags = lint(text, &["DL3064", "DL3025"]);
    assert!(diags.is_empty(), "{diags:?}");
    // Without the comments, both fire on a continuation line.
    let bare: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        check(&bare, &["DL3064", "DL3025"]),
        [(4, "DL3064"), (6, "DL3025")]
    );
}

#[test]
fn heredoc_bodies_belong_to_their_instruction() {
    let text = "FROM alpine:3.20\n# wharf: ignore=DL3025\nRUN <<EOF\necho hi\nEOF\nRUN true\n";
    let source = SourceFile::new("Dockerfile", text, FileKind::Dockerfile);
    let parsed = Parsed::parse(&source);
    let in_body = text.find("echo").unwrap();
    let after = text.find("RUN true").unwrap();
    let diags = vec![diag("DL3025", in_body), diag("DL3025", after)];
    let (kept, unused) = suppress::apply(
        &source,
        &parsed,
        diags,
        &rules(&["DL3025"]),
        &SuppressOptions::default(),
    );
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].span.start as usize, after);
    assert!(unused.is_empty());
}

#[test]
fn wharf_comment_inside_a_continuation_covers_that_instruction() {
    let text = "FROM alpine:3.20\n\
                ENV A=1 \\\n    \
                    # wharf: ignore=DL3064\n    \
                    API_KEY=abc123def\n\
                ENV API_KEY=abc123def\n";
    assert_eq!(check(text, &["DL3064"]), [(5, "DL3064")]);
}

#[test]
fn ignore_file_anywhere() {
    let text = "FROM node:22\nCMD node a.js\n# wharf: ignore-file=DL3025,DL3064\nCMD node b.js\nENV API_KEY=abc123def\n";
    assert!(check(text, &["DL3025", "DL3064"]).is_empty());
    let text = "FROM node:22\nCMD node a.js\n# wharf: ignore-file DL3025\nENV API_KEY=abc123def\n";
    assert_eq!(check(text, &["DL3025", "DL3064"]), [(4, "DL3064")]);
}

#[test]
fn a_comment_only_covers_the_instruction_below() {
    let text = "FROM node:22\n# wharf: ignore=DL3025\nCMD node a.js\nCMD node b.js\n";
    assert_eq!(check(text, &["DL3025"]), [(4, "DL3025")]);
}

// ----- hadolint comments ----------------------------------------------------------------------

#[test]
fn hadolint_ignore_forms() {
    for comment in [
        "# hadolint ignore=DL3025",
        "#hadolint ignore=DL3025",
        "# hadolint ignore = DL3008 , DL3025",
        "# hadolint ignore=dl3025",
        "# hadolint ignore=DL3025,SC2086 # shellcheck too",
    ] {
        let text = format!("FROM node:22\n{comment}\nCMD \\\n  node server.js\nCMD npm start\n");
        assert_eq!(check(&text, &["DL3025"]), [(5, "DL3025")], "{comment}");
    }
}

#[test]
fn hadolint_shell_is_not_a_suppression() {
    let text = "FROM node:22\n# hadolint shell=powershell\nCMD node server.js\n";
    assert_eq!(check(text, &["DL3025", "DF900"]), [(3, "DL3025")]);
}

#[test]
fn hadolint_global_ignore() {
    let text = "FROM node:22\nCMD node a.js\n# hadolint global ignore=DL3025\nCMD node b.js\n";
    assert!(check(text, &["DL3025", "DF900"]).is_empty());
}

#[test]
fn hadolint_stage_ignore_covers_the_from_below_and_ends_at_the_next_stage() {
    // DF001 reports on the final FROM: hadolint's off-by-one would miss it.
    let text = "FROM alpine:3.20 AS build\n\
                CMD echo build\n\
                # hadolint stage ignore=DF001,DL3025\n\
                FROM alpine:3.20\n\
                CMD echo run\n";
    assert_eq!(check(text, &["DF001", "DL3025"]), [(2, "DL3025")]);
    let text = "# hadolint stage ignore=DL3025\n\
                FROM alpine:3.20 AS build\n\
                CMD echo build\n\
                FROM alpine:3.20\n\
                CMD echo run\n";
    assert_eq!(check(text, &["DL3025"]), [(5, "DL3025")]);
}

#[test]
fn hadolint_stage_ignore_mid_stage_covers_the_rest_of_the_stage() {
    let text = "FROM alpine:3.20\n\
                CMD echo a\n\
                # hadolint stage ignore=DL3025\n\
                CMD echo b\n\
                \n\
                CMD echo c\n\
                FROM alpine:3.20\n\
                CMD echo d\n";
    assert_eq!(check(text, &["DL3025"]), [(2, "DL3025"), (8, "DL3025")]);
}

#[test]
fn disable_hadolint_pragmas_keeps_the_others() {
    let text = "FROM node:22\n\
                # hadolint ignore=DL3025\n\
                CMD node a.js\n\
                # wharf: ignore=DL3025\n\
                CMD node b.js\n\
                # hadolint global ignore=DL3064\n\
                ENV API_KEY=abc123def\n";
    let opts = SuppressOptions {
        disable_hadolint_pragmas: true,
        ..SuppressOptions::default()
    };
    let diags = lint_with(text, &["DL3025", "DL3064", "DF900"], opts);
    // The ignored hadolint comments are not reported as unused either.
    assert_eq!(found(text, &diags), [(3, "DL3025"), (7, "DL3064")]);
}

// ----- BuildKit check=skip --------------------------------------------------------------------

#[test]
fn buildkit_directive_skips_for_the_whole_file() {
    let text = "# syntax=docker/dockerfile:1\n\
                # check=skip=JSONArgsRecommended;error=true\n\
                FROM node:22\n\
                CMD node a.js\n\
                ENV API_KEY=abc123def\n";
    assert_eq!(check(text, &["DL3025", "DL3064"]), [(5, "DL3064")]);
}

#[test]
fn buildkit_names_are_case_sensitive() {
    let text = "# check=skip=jsonargsrecommended\nFROM node:22\nCMD node a.js\n";
    assert_eq!(check(text, &["DL3025", "DF900"]), [(3, "DL3025")]);
}

#[test]
fn buildkit_skip_all_covers_rules_with_a_buildkit_name() {
    let text = "# check=skip=all\nFROM node:22\nCMD node a.js\nENV API_KEY=abc123def\n";
    // DL3025 and DL3064 both have BuildKit names; DF001 has none.
    assert_eq!(check(text, &["DL3025", "DL3064", "DF001"]), [(2, "DF001")]);
}

#[test]
fn buildkit_check_outside_the_directive_block_is_a_plain_comment() {
    let text =
        "# a comment first\n# check=skip=JSONArgsRecommended\n\nFROM node:22\nCMD node a.js\n";
    assert_eq!(check(text, &["DL3025"]), [(5, "DL3025")]);
}

#[test]
fn buildkit_per_instruction_skip() {
    let text = "FROM node:22\n\
                # check=skip=JSONArgsRecommended // signals handled by tini\n\
                CMD node a.js\n\
                CMD node b.js\n\
                # check=skip=JSONArgsRecommended\n\
                #\n\
                CMD node c.js\n";
    // Only the first token counts; a bare `#` resets the block, as in BuildKit.
    assert_eq!(check(text, &["DL3025"]), [(4, "DL3025"), (7, "DL3025")]);
}

#[test]
fn buildkit_per_instruction_skip_above_from_covers_the_stage() {
    let text = "# check=skip=SecretsUsedInArgOrEnv\n\
                \n\
                FROM alpine:3.20 AS build\n\
                ENV API_KEY=abc123def\n\
                FROM alpine:3.20\n\
                ENV API_KEY=abc123def\n";
    // The first line is the directive block here: the whole file.
    assert!(check(text, &["DL3064"]).is_empty());
    let text = "FROM alpine:3.20 AS base\n\
                # check=skip=SecretsUsedInArgOrEnv\n\
                FROM alpine:3.20 AS build\n\
                ENV API_KEY=abc123def\n\
                FROM alpine:3.20\n\
                ENV API_KEY=abc123def\n";
    assert_eq!(check(text, &["DL3064"]), [(6, "DL3064")]);
}

// ----- syntax errors --------------------------------------------------------------------------

#[test]
fn df000_cannot_be_suppressed_inline() {
    let text = "# wharf: ignore-file=DF000\nFROM alpine:3.20\n# wharf: ignore=DF000\n# hadolint ignore=DF000\nFROOM x\n";
    let diags = lint(text, &["DF000", "DF900"]);
    let got = found(text, &diags);
    assert!(got.contains(&(5, "DF000")), "{got:?}");
    let not_suppressible = diags
        .iter()
        .filter(|d| d.message == "`DF000` cannot be suppressed inline")
        .count();
    assert_eq!(not_suppressible, 3);
}

// ----- unused suppressions and their fixes ----------------------------------------------------

#[test]
fn unused_codes_are_reported_with_exact_spans() {
    let text = "FROM node:22\n# wharf: ignore=DL3064,DL3025\nCMD node a.js\n";
    let diags = lint(text, &["DL3025", "DL3064", "DF900"]);
    assert_eq!(diags.len(), 1);
    let d = &diags[0];
    assert_eq!(d.code, "DF900");
    assert_eq!(d.span.text(text), "DL3064");
    assert_eq!(d.message, "unused suppression for `DL3064`");
    assert_eq!(d.help.as_deref(), Some("remove it"));
    assert_eq!(
        fixed(text, &diags),
        "FROM node:22\n# wharf: ignore=DL3025\nCMD node a.js\n"
    );
}

#[test]
fn fixes_remove_names_or_the_whole_comment() {
    let cases = [
        // The only name: the whole line goes.
        (
            "FROM node:22\n# wharf: ignore=DL3025\nCMD [\"node\"]\n",
            "FROM node:22\nCMD [\"node\"]\n",
        ),
        // Every name is unused: the whole line goes once.
        (
            "FROM node:22\n# hadolint ignore=DL3025, DL3064\nCMD [\"node\"]\n",
            "FROM node:22\nCMD [\"node\"]\n",
        ),
        // A name that is not judged (ShellCheck's) stays.
        (
            "FROM node:22\n# hadolint ignore=SC2086,DL3025,DL3064\nCMD [\"node\"]\n",
            "FROM node:22\n# hadolint ignore=SC2086\nCMD [\"node\"]\n",
        ),
        // The used name stays, with the reason.
        (
            "FROM node:22\n# wharf: ignore=DL3064, DL3025, DL9999 -- why\nCMD node a.js\n",
            "FROM node:22\n# wharf: ignore=DL3025 -- why\nCMD node a.js\n",
        ),
        // Other check options stay.
        (
            "# check=error=true;skip=JSONArgsRecommended\nFROM node:22\nCMD [\"node\"]\n",
            "# check=error=true\nFROM node:22\nCMD [\"node\"]\n",
        ),
        (
            "# check=skip=JSONArgsRecommended;error=true\nFROM node:22\nCMD [\"node\"]\n",
            "# check=error=true\nFROM node:22\nCMD [\"node\"]\n",
        ),
        // A byte-order mark stays.
        (
            "\u{feff}# wharf: ignore=DL3025\nFROM node:22\n",
            "\u{feff}FROM node:22\n",
        ),
        // CRLF line endings.
        (
            "FROM node:22\r\n# wharf: ignore=DL3025\r\nCMD [\"node\"]\r\n",
            "FROM node:22\r\nCMD [\"node\"]\r\n",
        ),
    ];
    for (before, after) in cases {
        let diags = lint(before, &["DL3025", "DL3064", "DF900"]);
        assert!(
            diags.iter().all(|d| d.code == "DF900"),
            "{before}: {diags:?}"
        );
        assert_eq!(fixed(before, &diags), after, "{before}");
    }
}

#[test]
fn fixes_are_unsafe_in_other_tools_comments() {
    use wharf::diagnostic::Applicability;
    let text = "# check=skip=SecretsUsedInArgOrEnv\nFROM node:22\n# hadolint ignore=DL3025\n# wharf: ignore=DL3025\nCMD [\"node\"]\n";
    let diags = lint(text, &["DL3025", "DL3064", "DF900"]);
    let got: Vec<(&str, Applicability, Option<&str>)> = diags
        .iter()
        .map(|d| {
            (
                d.span.text(text),
                d.fix.as_ref().map(|f| f.applicability).unwrap(),
                d.help.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "SecretsUsedInArgOrEnv",
                Applicability::Unsafe,
                Some("remove it, unless BuildKit's own checks still need it")
            ),
            (
                "DL3025",
                Applicability::Unsafe,
                Some("remove it, unless hadolint still needs it")
            ),
            ("DL3025", Applicability::Safe, Some("remove it")),
        ]
    );
}

#[test]
fn unselected_rules_are_not_reported_as_unused() {
    let text =
        "FROM node:22\n# wharf: ignore=DL3002\n# hadolint global ignore=DL3057\nCMD [\"node\"]\n";
    assert!(check(text, &["DL3025", "DF900"]).is_empty());
    // With the rules selected, both are.
    assert_eq!(check(text, &["DL3025", "DL3002", "DF900"]), [(2, "DF900")]);
}

#[test]
fn unused_suppressions_need_df900() {
    let text = "FROM node:22\n# wharf: ignore=DL3025,NOPE\nCMD [\"node\"]\n";
    assert!(check(text, &["DL3025"]).is_empty());
}

#[test]
fn unknown_names_in_wharf_comments_are_reported() {
    let text = "FROM node:22\n# wharf: ignore=DL3O25\nCMD node a.js\n";
    let diags = lint(text, &["DL3025", "DF900"]);
    let df900: Vec<_> = diags.iter().filter(|d| d.code == "DF900").collect();
    assert_eq!(df900.len(), 1);
    assert_eq!(df900[0].message, "unknown rule `DL3O25` in suppression");
    assert_eq!(df900[0].help.as_deref(), Some("did you mean `DL3025`?"));
    assert_eq!(df900[0].span.text(text), "DL3O25");
    // The typo silences nothing.
    assert!(diags.iter().any(|d| d.code == "DL3025"));
}

#[test]
fn unknown_names_in_other_tools_comments_are_not_reported() {
    let text =
        "FROM node:22\n# hadolint ignore=DL9999\n# check=skip=SomeFutureCheck\nCMD [\"node\"]\n";
    assert!(check(text, &["DL3025", "DF900"]).is_empty());
}

#[test]
fn malformed_wharf_comments_are_reported() {
    let text = "FROM node:22\n# wharf: ignore\n# wharf: ignroe=DL3025\nCMD [\"node\"]\n";
    let diags = lint(text, &["DF900"]);
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_ref()).collect();
    assert_eq!(
        messages,
        [
            "suppression names no rule",
            "unknown suppression directive `ignroe`"
        ]
    );
}

#[test]
fn misplaced_comments_are_unused() {
    // After a blank line, at the end of the file, or in a hadolint comment inside a
    // continuation: they apply to nothing.
    let text = "FROM node:22\n\
                # wharf: ignore=DL3025\n\
                \n\
                CMD node a.js\n\
                RUN echo a \\\n\
                  # hadolint ignore=DL3025\n\
                  && echo b\n\
                # wharf: ignore=DL3025\n";
    assert_eq!(
        check(text, &["DL3025", "DF900"]),
        [(2, "DF900"), (4, "DL3025"), (6, "DF900"), (8, "DF900")]
    );
}

#[test]
fn df900_can_be_silenced_by_naming_it() {
    let text = "# wharf: ignore-file=DF900\nFROM node:22\n# wharf: ignore=DL3025\nCMD [\"node\"]\n";
    assert!(check(text, &["DL3025", "DF900"]).is_empty());
    let text = "FROM node:22\n# wharf: ignore=DF900\n# wharf: ignore=DL3025\nCMD [\"node\"]\n# wharf: ignore=DL3025\nCMD [\"node\"]\n";
    assert_eq!(check(text, &["DL3025", "DF900"]), [(5, "DF900")]);
}

// ----- compose files --------------------------------------------------------------------------

fn diag(code: &str, at: usize) -> Diagnostic {
    let rule = wharf::registry::find(code).unwrap_or_else(|| panic!("no rule {code}"));
    Diagnostic {
        file: Default::default(),
        code: rule.code,
        name: rule.name,
        severity: rule.default_severity(),
        span: Span::new(at as u32, at as u32 + 1),
        message: "made up".into(),
        help: None,
        fix: None,
        related: Vec::new(),
    }
}

/// Runs `apply` on a compose text with one made-up diagnostic of `code` at the start of each
/// line that contains `@`; returns the lines (1-based) still reported and the problems.
fn compose(text: &str, code: &str) -> (Vec<u32>, Vec<(u32, Problem)>) {
    let source = SourceFile::new("compose.yaml", text, FileKind::Compose);
    let parsed = Parsed::parse(&source);
    let mut diags = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.contains('@') {
            let indent = line.len() - line.trim_start().len();
            diags.push(diag(code, at + indent));
        }
        at += line.len();
    }
    let (kept, unused) = suppress::apply(
        &source,
        &parsed,
        diags,
        &rules(&[code, "DC900"]),
        &SuppressOptions::default(),
    );
    let index = LineIndex::new(text);
    let line = |o: u32| index.line_col(text, o).line;
    (
        kept.iter().map(|d| line(d.span.start)).collect(),
        unused
            .into_iter()
            .map(|u| (line(u.span.start), u.problem))
            .collect(),
    )
}

#[test]
fn compose_trailing_comment_covers_its_line() {
    let text = "services:\n  web:\n    image: nginx@1 # wharf: ignore=DL3025\n    user: root@2\n";
    assert_eq!(compose(text, "DL3025"), (vec![4], vec![]));
}

#[test]
fn compose_comment_above_covers_the_key_and_its_block() {
    let text = "services:\n\
                \x20 # wharf: ignore=DL3025 -- legacy service\n\
                \x20 # more words\n\
                \x20 web: # @\n\
                \x20   image: nginx@\n\
                \x20   ports:\n\
                \x20   - \"80:80@\"\n\
                \n\
                \x20   command: |\n\
                \x20     echo @\n\
                \x20 db: # @\n";
    assert_eq!(compose(text, "DL3025"), (vec![11], vec![]));
}

#[test]
fn compose_sequence_at_key_indentation_is_in_the_block() {
    let text = "x:\n# wharf: ignore=DL3025\nports:\n- \"80:80@\"\n- 443@\nother: 1@\n";
    assert_eq!(compose(text, "DL3025"), (vec![6], vec![]));
}

#[test]
fn compose_blank_line_breaks_and_unused_is_reported() {
    let text = "services:\n  # wharf: ignore=DL3025\n\n  web:@\n";
    assert_eq!(
        compose(text, "DL3025"),
        (vec![4], vec![(2, Problem::Unused)])
    );
}

#[test]
fn compose_hashes_in_quotes_and_block_scalars_are_not_comments() {
    let text = "services:\n\
                \x20 web:\n\
                \x20   command: \"echo # wharf: ignore=DL3025@\"\n\
                \x20   entrypoint: |\n\
                \x20     # wharf: ignore=DL3025\n\
                \x20   user: root@\n";
    assert_eq!(compose(text, "DL3025"), (vec![3, 6], vec![]));
}

#[test]
fn compose_ignore_file() {
    let text = "services:\n  web:@\n    image: x@ # wharf: ignore-file=shell-form-cmd\n";
    assert_eq!(compose(text, "DL3025"), (vec![], vec![]));
}

#[test]
fn dclint_disable_line_trailing_and_above() {
    let text = "services:\n\
                \x20 web:\n\
                \x20   image: nginx@ # dclint disable-line shell-form-cmd\n\
                \x20   # dclint disable-line DL3025\n\
                \x20   user: root@\n\
                \x20   # dclint disable-next-line\n\
                \x20   restart: always@\n\
                \x20   ports:@\n";
    assert_eq!(compose(text, "DL3025"), (vec![8], vec![]));
}

#[test]
fn dclint_disable_at_the_top_covers_the_file() {
    for first in [
        "# dclint disable shell-form-cmd",
        "# dclint disable",
        "# dclint disable-file",
        "---\n# dclint disable other-rule shell-form-cmd",
    ] {
        let text = format!("\n{first}\nservices:@\n  web:@\n");
        assert_eq!(compose(&text, "DL3025"), (vec![], vec![]), "{first}");
    }
    // Not on the first line: dclint ignores it, and so it is unused.
    let text = "services:@\n# dclint disable shell-form-cmd\n  web:@\n";
    assert_eq!(
        compose(text, "DL3025"),
        (vec![1, 3], vec![(2, Problem::Unused)])
    );
}

#[test]
fn dclint_unknown_names_are_not_errors_and_blankets_can_be_unused() {
    let text = "services: # dclint disable-line no-version-field\n  web: # dclint disable-line\n";
    let (kept, problems) = compose(text, "DL3025");
    assert!(kept.is_empty());
    assert_eq!(problems, [(2, Problem::UnusedAll)]);
}

#[test]
fn dc000_cannot_be_suppressed_in_compose() {
    let text = "# wharf: ignore-file=DC000\nservices:@ # wharf: ignore=DC000\n";
    let (kept, problems) = compose(text, "DC000");
    assert_eq!(kept, [2]);
    assert_eq!(
        problems,
        [(1, Problem::NotSuppressible), (2, Problem::NotSuppressible)]
    );
}

#[test]
fn compose_fix_removes_a_trailing_comment() {
    let text = "services:\n  web:\n    image: nginx:1.27   # wharf: ignore=DL3025\n";
    let settings = FileSettings {
        rules: rules(&["DL3025", "DC900"]),
        ..FileSettings::default()
    };
    let diags = lint_source(
        &SourceFile::new("compose.yaml", text, FileKind::Compose),
        &settings,
    );
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "DC900");
    assert_eq!(
        fixed(text, &diags),
        "services:\n  web:\n    image: nginx:1.27\n"
    );
}

#[test]
fn compose_byte_order_mark() {
    let text = "\u{feff}# wharf: ignore-file=DL3025\nservices:@\n";
    assert_eq!(compose(text, "DL3025"), (vec![], vec![]));
}

#[test]
fn no_panics_on_odd_comments() {
    for text in [
        "#",
        "# wharf:",
        "# wharf: ignore=",
        "# wharf: ignore=,,, --",
        "# hadolint ignore=",
        "# hadolint global",
        "# check=",
        "# check=skip=",
        "# check=skip=;;;",
        "# dclint",
        "# dclint disable-line",
        "# wharf: ignore=é,ü\u{feff}",
        "\u{feff}# wharf: ignore=DL3025\nFROM x",
        "FROM x\n# wharf: ignore=DL3025",
        "FROM x\nRUN <<EOF\n# wharf: ignore=DL3025\n",
    ] {
        for kind in [FileKind::Dockerfile, FileKind::Compose] {
            let settings = FileSettings {
                rules: wharf::registry::all().to_vec(),
                ..FileSettings::default()
            };
            lint_source(&SourceFile::new("f", text, kind), &settings);
        }
    }
}

#[test]
fn compose_comment_above_a_key_covers_its_flow_value_on_later_lines() {
    // The flow mapping goes on at the key's own indentation: only the tree knows that the
    // second line still belongs to `web`, so the comment must not be reported unused.
    for text in [
        "# wharf: ignore=DL3025\nweb: {image: a,\nports: [80]}@\nother: 1@\n",
        "services:\n  # wharf: ignore=DL3025\n  web: {image: a,\n  ports: [80]}@\n  db: {}@\n",
        "# wharf: ignore=DL3025\nweb: [a,\n80]@\nother: 1@\n",
    ] {
        let last = text.lines().count() as u32;
        assert_eq!(compose(text, "DL3025"), (vec![last], vec![]), "{text}");
    }
}

#[test]
fn dc900_keeps_a_compose_comment_that_covers_a_flow_value() {
    let text = "services:\n  # wharf: ignore=DL3025\n  web: {image: a,\n  ports: [80]}@\n";
    let (kept, problems) = compose(text, "DL3025");
    assert!(kept.is_empty());
    assert!(problems.is_empty(), "{problems:?}");
    // Without a finding under it, the same comment is unused and DC900 may remove it.
    let quiet = text.replace('@', "");
    assert_eq!(
        compose(&quiet, "DL3025"),
        (vec![], vec![(2, Problem::Unused)])
    );
}

#[test]
fn foreign_codes_in_wharf_comments_are_not_unknown() {
    // DL3029 (hadolint) and SC2086 (ShellCheck) are codes wharf does not implement.
    let text = "FROM node:22\n# wharf: ignore=DL3029,SC2086\nCMD node server.js\n";
    assert_eq!(check(text, &["DL3025", "DF900"]), [(3, "DL3025")]);
    // A made-up code still is.
    let text = "FROM node:22\n# wharf: ignore=DL9999\nCMD node server.js\n";
    assert_eq!(
        check(text, &["DL3025", "DF900"]),
        [(2, "DF900"), (3, "DL3025")]
    );
}

#[test]
fn dc900_does_not_remove_a_comment_above_a_flow_document() {
    // DC001 fires on the second line of the flow mapping the comment sits above.
    let text = "# wharf: ignore=DC001\n{services: {},\nversion: '3'}\n";
    let settings = FileSettings {
        rules: rules(&["DC001", "DC900"]),
        ..FileSettings::default()
    };
    let diags = lint_source(
        &SourceFile::new("compose.yaml", text, FileKind::Compose),
        &settings,
    );
    assert!(diags.is_empty(), "{diags:?}");
}

// ----- BuildKit check names that stand for several rules ---------------------------------------

#[test]
fn one_check_name_covers_its_whole_group() {
    let text = "FROM a\nCMD [\"x\"]\nCMD [\"y\"]\nENTRYPOINT [\"x\"]\nENTRYPOINT [\"y\"]\nHEALTHCHECK NONE\nHEALTHCHECK NONE\n";
    let all = ["DL3012", "DL4003", "DL4004", "DF900"];
    assert_eq!(
        check(text, &all),
        [(3, "DL4003"), (5, "DL4004"), (7, "DL3012")]
    );
    for comment in [
        "# check=skip=MultipleInstructionsDisallowed\n",
        "# wharf: ignore-file=MultipleInstructionsDisallowed\n",
    ] {
        let text = format!("{comment}{text}");
        assert_eq!(check(&text, &all), [], "{comment}");
    }
    // The name selects its group too.
    let codes: Vec<&str> = wharf::registry::matching("MultipleInstructionsDisallowed")
        .unwrap_or_default()
        .iter()
        .map(|r| r.code)
        .collect();
    assert_eq!(codes, ["DL3012", "DL4003", "DL4004"]);
}

// ----- BuildKit check=error and BUILDKIT_DOCKERFILE_CHECK -------------------------------------

#[test]
fn check_error_true_makes_buildkit_findings_errors() {
    use wharf::diagnostic::Severity;
    let text = "# check=error=true\nFROM node\nCMD node a.js\n";
    let diags = lint(text, &["DL3025", "DL3006"]);
    let sev: Vec<(&str, Severity)> = diags.iter().map(|d| (d.code, d.severity)).collect();
    // DL3025 is BuildKit's JSONArgsRecommended; DL3006 is no BuildKit check.
    assert!(sev.contains(&("DL3025", Severity::Error)), "{sev:?}");
    assert!(sev.contains(&("DL3006", Severity::Warning)), "{sev:?}");
    let quiet = lint(
        "# check=error=false\nFROM node:22\nCMD node a.js\n",
        &["DL3025"],
    );
    assert_eq!(quiet[0].severity, Severity::Warning);
}

#[test]
fn environment_check_replaces_the_directive() {
    use wharf::diagnostic::Severity;
    use wharf::suppress::CheckOptions;
    let text = "# check=skip=JSONArgsRecommended\nFROM node:22 as build\nCMD node a.js\n";
    let env = CheckOptions::parse("skip=FromAsCasing;error=true").unwrap();
    let settings = FileSettings {
        rules: rules(&["DL3025", "DF011"]),
        suppress: SuppressOptions {
            buildkit_check_from_env: true,
            ..SuppressOptions::default()
        },
        buildkit_check: Some(std::sync::Arc::new(env)),
        ..FileSettings::default()
    };
    let diags = lint_source(
        &SourceFile::new("Dockerfile", text, FileKind::Dockerfile),
        &settings,
    );
    // The file's skip no longer applies; the environment's does.
    assert_eq!(found(text, &diags), [(3, "DL3025")]);
    assert_eq!(diags[0].severity, Severity::Error);
}
