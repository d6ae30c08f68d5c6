use super::*;
use crate::dockerfile::parse;

/// A finding ShellCheck would give for the `nth` occurrence of `needle` in the script text.
fn finding_at(script: &Script, needle: &str, nth: usize) -> Finding {
    let (at, _) = script
        .text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` in {:?}", script.text));
    let pos = |offset: usize| {
        let before = &script.text[..offset];
        let line = before.matches('\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = script.text[line_start..offset].chars().count() as u32 + 1;
        (line, column)
    };
    let (line, column) = pos(at);
    let (end_line, end_column) = pos(at + needle.len());
    Finding {
        file: "0.sh".into(),
        line,
        end_line,
        column,
        end_column,
        level: "info".into(),
        code: 2086,
        message: "Double quote to prevent globbing and word splitting.".into(),
        fix: None,
    }
}

/// The file text a finding on `needle` maps to.
fn mapped<'t>(text: &'t str, script: &Script, needle: &str, nth: usize) -> &'t str {
    let index = LineIndex::new(&script.text);
    let d = finding_at(script, needle, nth)
        .to_diagnostic(script, &index)
        .unwrap_or_else(|| panic!("`{needle}` maps into the file"));
    d.span.text(text)
}

#[test]
fn continuations_map_to_the_physical_lines() {
    let text = "FROM alpine:3.20\nARG name\nRUN echo start \\\n    # a comment line\n\t&& echo $name \\\n    && ls $dir é $dir\n";
    let df = parse(text);
    let scripts = collect(&df);
    let [s] = scripts.as_slice() else {
        panic!("one script: {scripts:?}");
    };
    assert_eq!(s.dialect, Dialect::Sh);
    assert!(s.text.starts_with("export ALL_PROXY "), "{:?}", s.text);
    assert!(
        s.text.contains(" name ") || s.text.contains(" name\n"),
        "{:?}",
        s.text
    );
    assert!(!s.text.contains("comment"), "comment lines are removed");
    assert_eq!(mapped(text, s, "$name", 0), "$name");
    let first = text.find("$dir").unwrap_or(0);
    let index = LineIndex::new(&s.text);
    let d0 = finding_at(s, "$dir", 0).to_diagnostic(s, &index);
    let d1 = finding_at(s, "$dir", 1).to_diagnostic(s, &index);
    assert_eq!(d0.map(|d| d.span.start as usize), Some(first));
    // After a two-byte character: columns are characters, offsets bytes.
    let second = text.rfind("$dir").unwrap_or(0);
    assert_eq!(d1.map(|d| d.span.start as usize), Some(second));
    // A range across a continuation covers both lines and nothing more.
    let across = finding_at(s, "start \t&& echo", 0);
    let span = across.to_diagnostic(s, &index).map(|d| d.span.text(text));
    assert_eq!(span, Some("start \\\n    # a comment line\n\t&& echo"));
}

#[test]
fn a_finding_in_the_header_is_dropped() {
    let text = "FROM alpine\nENV foo=1\nRUN echo $foo\n";
    let df0 = parse(text);
    assert!(
        collect(&df0)[0].text.contains(" foo=1 "),
        "a known plain value is given"
    );
    let df = parse(text);
    let scripts = collect(&df);
    let [s] = scripts.as_slice() else {
        panic!("one script");
    };
    let index = LineIndex::new(&s.text);
    assert!(finding_at(s, "foo=1", 0).to_diagnostic(s, &index).is_none());
    assert_eq!(mapped(text, s, "$foo", 0), "$foo");
}

#[test]
fn heredoc_scripts_map_into_their_bodies() {
    let text = "FROM debian:12\nRUN <<EOF\nset -e\necho $a\nEOF\nRUN cat <<EOT > /x && bash <<'EOS'\nfile $b\nEOT\n#!/usr/bin/env bash\necho $c\nEOS\n";
    let df = parse(text);
    let scripts = collect(&df);
    assert_eq!(scripts.len(), 3, "{scripts:#?}");
    assert_eq!(mapped(text, &scripts[0], "$a", 0), "$a");
    assert_eq!(scripts[0].dialect, Dialect::Sh);
    // The line with its heredocs appended, as the shell reads them.
    let line = &scripts[1];
    assert!(line.text.contains("EOT\n"), "{:?}", line.text);
    assert_eq!(mapped(text, line, "$b", 0), "$b");
    assert_eq!(mapped(text, line, "EOS", 1), "EOS");
    // The body fed to bash, in bash's dialect (its shebang agrees).
    assert_eq!(scripts[2].dialect, Dialect::Bash);
    assert_eq!(mapped(text, &scripts[2], "$c", 0), "$c");
}

#[test]
fn dialects_and_what_is_skipped() {
    let text = "FROM alpine\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo a\nRUN [\"echo\", \"exec\"]\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\nSHELL [\"/bin/zsh\", \"-c\"]\nRUN echo z\nSHELL [\"/usr/bin/env\", \"ksh\", \"-c\"]\nONBUILD RUN echo k\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n";
    let df = parse(text);
    let scripts = collect(&df);
    let got: Vec<(Dialect, &str)> = scripts
        .iter()
        .map(|s| (s.dialect, s.source.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [(Dialect::Bash, "echo a"), (Dialect::Ksh, "echo k")],
        "{scripts:#?}"
    );
    assert_eq!(Dialect::of_program("/bin/ash"), Some(Dialect::Sh));
    assert_eq!(Dialect::of_program("zsh"), None);
    assert_eq!(
        Dialect::of_shebang("#!/bin/dash\n"),
        Some(Some(Dialect::Dash))
    );
    assert_eq!(Dialect::of_shebang("echo"), None);
}

#[test]
fn declared_names_follow_the_stage_chain() {
    let text = "ARG global\nFROM alpine AS base\nENV from_base=1 bad-name=2\nARG base_arg\nFROM base\nARG global\nENV mine=\"a b\"\nENV from_base=2\nRUN echo\nENV later=1\n";
    let df = parse(text);
    let run = df
        .instructions
        .iter()
        .position(|i| i.kind == Kind::Run)
        .unwrap_or(0);
    // The ARG of the parent stage is not inherited; the ENV is. The global ARG is visible
    // because the stage declares it again.
    let names: Vec<Declared<'_>> = declared_names(&df, run)
        .into_iter()
        .filter(|(n, _)| !PROXY_ARGS.contains(n))
        .collect();
    // The nearest declaration's value wins; a value with a space is not given.
    assert_eq!(
        names,
        [("from_base", Some("2")), ("global", None), ("mine", None)]
    );
}

#[test]
fn template_placeholders_are_not_checked() {
    let df = parse("FROM alpine\nRUN echo {{ .Value }}\nRUN echo $x\n");
    assert!(df.template);
    let scripts = collect(&df);
    assert_eq!(scripts.len(), 1);
    assert_eq!(scripts[0].source.text, "echo $x");
}

#[test]
fn codes_and_filters() {
    assert_eq!(code_number("sc2086"), Some(2086));
    assert_eq!(code_number("SC20866"), None);
    assert_eq!(code_number("DL3008"), None);
    assert_eq!(code_str(2086), "SC2086");
    assert!(std::ptr::eq(code_str(2086), code_str(2086)));
    assert_eq!(code_str(1000), "SC1000");
    let f = ShellcheckFilter {
        enabled: true,
        include: None,
        exclude: vec![2086],
    };
    assert!(f.reports(2154) && !f.reports(2086));
    let only = ShellcheckFilter {
        include: Some(vec![2086, 2154]),
        ..f.clone()
    };
    assert!(only.reports(2154) && !only.reports(2164) && !only.reports(2086));
    assert!(!ShellcheckFilter::default().reports(2154));
}

#[test]
fn output_parsing_and_errors() {
    let ok = br#"{"comments":[{"file":"0.sh","line":1,"endLine":1,"column":6,"endColumn":8,"level":"warning","code":2154,"message":"x is referenced but not assigned.","fix":null}]}"#;
    let found = run::parse_output(ok).unwrap_or_default();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].code, found[0].level.as_str()), (2154, "warning"));
    let bad = run::parse_output(b"segmentation fault").unwrap_err();
    assert!(bad.contains("not its JSON output"), "{bad}");
    let missing =
        Runner::with_program(std::path::Path::new("/nonexistent/shellcheck")).unwrap_err();
    assert!(
        missing.contains("was not found") && missing.contains("apt-get install shellcheck"),
        "{missing}"
    );
    assert_eq!(severity_of("style"), Severity::Style);
    assert_eq!(
        message_of("Foo is referenced but not assigned."),
        "Foo is referenced but not assigned"
    );
}

/// The real program, when it is installed: findings land on the exact bytes.
#[test]
fn real_shellcheck_findings_land_on_their_bytes() {
    let Ok(runner) = Runner::find() else {
        eprintln!("skipped: shellcheck is not installed (apt-get install shellcheck)");
        return;
    };
    let text = "FROM alpine\nARG version\nRUN echo $version \\\n  && cd /tmp; ls \\\n  && echo $unset\nRUN <<EOF\necho $body\nEOF\n";
    let df = parse(text);
    let files = vec![collect(&df), Vec::new()];
    let out = runner.check(&files);
    let diags = out[0].clone().unwrap_or_else(|e| panic!("{e}"));
    let mut got: Vec<(&str, &str)> = diags.iter().map(|d| (d.code, d.span.text(text))).collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("SC2086", "$body"),
            ("SC2086", "$unset"),
            ("SC2086", "$version"),
            ("SC2154", "$body"),
            ("SC2154", "$unset"),
            ("SC2164", "cd /tmp"),
        ],
        "{diags:#?}"
    );
    assert!(out[1].as_ref().is_ok_and(Vec::is_empty));
    // ShellCheck's fix of SC2086 quotes the word, across the continuation; unsafe.
    let quote = diags
        .iter()
        .find(|d| d.code == "SC2086" && d.span.text(text) == "$unset")
        .and_then(|d| d.fix.as_deref().cloned());
    let quote = quote.unwrap_or_else(|| panic!("a fix: {diags:#?}"));
    assert_eq!(
        quote.applicability,
        crate::diagnostic::Applicability::Unsafe
    );
    let fixed = crate::fix::apply_fixes(text, [("SC2086", &quote)], quote.applicability);
    assert!(
        fixed.text.contains("  && echo \"$unset\"\n"),
        "{}",
        fixed.text
    );
}
