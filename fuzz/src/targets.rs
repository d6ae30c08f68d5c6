//! The body of each fuzz target that takes bytes. The input is ignored unless it is UTF-8.

use wharf::compose::interpolate::{self, Part};
use wharf::dockerignore::{DockerIgnore, clean};
use wharf::source::{FileKind, MappedText};

use super::{
    check_compose, check_dockerfile, check_mapped, check_script, check_span, check_tree, text,
};

/// The Dockerfile parser and model: spans, derived text, coverage; the model's queries.
pub fn dockerfile_parse(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let df = wharf::dockerfile::parse(text);
    check_dockerfile(text, &df);
    for (i, ins) in df.instructions.iter().enumerate() {
        if let Some(m) = df.run_model(ins) {
            let _ = m.parsed().map(|r| r.commands().count());
        }
        let _ = df.model.stage_at(i);
        let _ = df.shell_at(i);
        let _ = df.get(i);
    }
    for m in df.run_models() {
        if let Some(run) = m.parsed() {
            let _ = run.commands().count();
        }
    }
}

/// The shell model of one script, alone and as the derived text of a logical line whose
/// pieces sit in scattered places of a file (each line followed by a continuation), so that
/// every span goes through a many-piece offset map.
pub fn shell_model(data: &[u8]) {
    let Some(text) = text(data) else { return };
    if let Ok(script) = wharf::shell::parse_str(text) {
        check_script(text, &script);
    }
    let mut plain = MappedText::default();
    plain.push_str(text, 0);
    same_as_brush(&plain);
    let mut file = String::new();
    let mut mapped = MappedText::default();
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        mapped.push_str(body, file.len() as u32);
        file.push_str(body);
        if line.ends_with('\n') {
            file.push_str("\\\n");
        }
    }
    check_mapped(&file, &mapped, "joined script");
    same_as_brush(&mapped);
    match wharf::shell::parse(&mapped) {
        Ok(script) => {
            check_script(&file, &script);
            let _ = wharf::shell::packages::Packages::of(
                std::slice::from_ref(&script),
                std::iter::empty(),
            );
        }
        Err(e) => check_span(&file, e.span, "shell error"),
    }
}

/// The shell model's fast path, when it reads a script, builds exactly brush's model.
fn same_as_brush(src: &MappedText) {
    if let Some((fast, brush)) = wharf::shell::fast_and_brush(src) {
        assert_eq!(
            brush.as_ref(),
            Ok(&fast),
            "fast path and brush differ on {:?}",
            src.text
        );
    }
}

/// The YAML tree: node, entry, document and error spans.
pub fn yaml_tree(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (tree, errors) = wharf::compose::Tree::parse(text);
    check_tree(text, &tree);
    for e in &errors {
        check_span(text, e.span, "yaml error");
    }
}

/// The compose model: parse, then every accessor of the typed view.
pub fn compose_model(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let cf = wharf::compose::parse(text);
    check_compose(text, &cf);
}

/// `.dockerignore`: the input is an ignore file, then (after a NUL byte) paths to match, one a
/// line.
pub fn dockerignore(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (patterns, paths) = text
        .split_once('\0')
        .unwrap_or((text, "a/b/c.txt\nDockerfile"));
    let ignore = DockerIgnore::parse(patterns);
    let _ = ignore.patterns().count();
    let _ = ignore.has_exceptions();
    for path in paths.lines() {
        assert_eq!(ignore.excluded_by(path).is_some(), ignore.excludes(path));
        let once = clean(path);
        assert_eq!(clean(&once), once, "clean is not idempotent on {path:?}");
    }
}

fn check_parts(s: &str, parts: &[Part], outer: std::ops::Range<usize>) {
    let boundary = |r: &std::ops::Range<usize>| {
        r.start <= r.end && s.is_char_boundary(r.start) && s.is_char_boundary(r.end)
    };
    let mut at = outer.start;
    for p in parts {
        let r = p.range();
        assert_eq!(
            r.start, at,
            "a part of {s:?} does not start where the last ended"
        );
        assert!(
            boundary(&r) && r.end <= outer.end,
            "part {r:?} outside {outer:?} in {s:?}"
        );
        if let Part::Var(v) = p {
            let (n, a) = (&v.name_range, &v.arg_range);
            assert!(
                boundary(n) && n.start >= r.start && n.end <= r.end,
                "name {n:?} in {s:?}"
            );
            assert!(
                boundary(a) && a.start >= r.start && a.end <= r.end,
                "arg {a:?} in {s:?}"
            );
            check_parts(s, &v.arg, a.clone());
        }
        at = r.end;
    }
    assert!(
        at == outer.end,
        "the parts of {s:?} stop at {at}, not at {}",
        outer.end
    );
}

/// Compose interpolation: the parts tile the string (and each operator argument), ranges on
/// character boundaries, error ranges inside the string.
pub fn interpolate(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let _ = interpolate::has_interpolation(s);
    let _ = interpolate::with_defaults(s);
    let _ = interpolate::variables(s);
    match interpolate::parse(s) {
        Ok(parts) => check_parts(s, &parts, 0..s.len()),
        Err(e) => {
            let r = interpolate::error_range(s, &e);
            assert!(
                r.start <= r.end && r.end <= s.len(),
                "error range {r:?} in {s:?}"
            );
            assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
        }
    }
}

/// The whole lint of one Dockerfile (see [`super::lint_and_fix`]).
pub fn lint_dockerfile(data: &[u8]) {
    let Some(text) = text(data) else { return };
    super::lint_and_fix(text, FileKind::Dockerfile);
}

/// The whole lint of one compose file (see [`super::lint_and_fix`]).
pub fn lint_compose(data: &[u8]) {
    let Some(text) = text(data) else { return };
    super::lint_and_fix(text, FileKind::Compose);
}
