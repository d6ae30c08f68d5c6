//! `${VAR}` interpolation as Compose reads it (`compose-go/template`).
//!
//! Compose substitutes variables in values (never in keys) before it validates a file. The
//! forms are `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
//! `${VAR?error}`, `${VAR:+alt}` and `${VAR+alt}`; the text after an operator may itself hold
//! interpolations (`${A:-${B:-x}}`). `$$` is a literal dollar sign, and a `$` that is followed
//! neither by a name nor by `{` is left alone. Names are ASCII letters, digits and `_`, not
//! starting with a digit.
//!
//! [`parse`] splits a string into [`Part`]s that carry byte ranges relative to the string;
//! [`variables`] lists the variables a string refers to.

use std::ops::Range;

/// How deep `${A:-${B:-...}}` may nest before we give up (keeps recursion bounded).
const MAX_DEPTH: usize = 64;

/// One piece of an interpolated string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Text kept as is.
    Literal {
        /// Where the text sits in the string.
        range: Range<usize>,
    },
    /// `$$`, which stands for one literal `$`.
    Escaped {
        /// The two dollar signs.
        range: Range<usize>,
    },
    /// A variable reference.
    Var(Var),
}

impl Part {
    /// The byte range the part covers in the string.
    pub fn range(&self) -> Range<usize> {
        match self {
            Part::Literal { range } | Part::Escaped { range } => range.clone(),
            Part::Var(v) => v.range.clone(),
        }
    }
}

/// A variable reference: `$NAME` or `${NAME[op arg]}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    /// The variable's name.
    pub name: String,
    /// Where the name sits in the string.
    pub name_range: Range<usize>,
    /// The whole reference, from `$` to the closing brace (or the end of the name).
    pub range: Range<usize>,
    /// Whether the reference uses braces.
    pub braced: bool,
    /// The operator, for `${NAME:-default}` and friends.
    pub op: Option<Op>,
    /// The text after the operator, itself parsed (empty without an operator).
    pub arg: Vec<Part>,
    /// Where the text after the operator sits (empty without an operator).
    pub arg_range: Range<usize>,
}

/// The operator of a braced reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `:-`: the default when the variable is unset or empty.
    DefaultIfEmpty,
    /// `-`: the default when the variable is unset.
    DefaultIfUnset,
    /// `:?`: an error when the variable is unset or empty.
    RequiredNonEmpty,
    /// `?`: an error when the variable is unset.
    Required,
    /// `:+`: the replacement when the variable is set and not empty.
    AlternateIfNonEmpty,
    /// `+`: the replacement when the variable is set.
    AlternateIfSet,
}

impl Op {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::DefaultIfEmpty => ":-",
            Op::DefaultIfUnset => "-",
            Op::RequiredNonEmpty => ":?",
            Op::Required => "?",
            Op::AlternateIfNonEmpty => ":+",
            Op::AlternateIfSet => "+",
        }
    }

    /// Whether the operator supplies a default value.
    pub fn is_default(self) -> bool {
        matches!(self, Op::DefaultIfEmpty | Op::DefaultIfUnset)
    }

    /// Whether the operator makes the variable mandatory.
    pub fn is_required(self) -> bool {
        matches!(self, Op::RequiredNonEmpty | Op::Required)
    }
}

/// An invalid interpolation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Byte offset of the problem in the string.
    pub offset: usize,
    /// What is wrong, short and lowercase.
    pub message: String,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at offset {}", self.message, self.offset)
    }
}

impl std::error::Error for Error {}

/// A variable a string refers to, as listed by [`variables`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    /// The variable's name.
    pub name: String,
    /// The whole reference in the string.
    pub range: Range<usize>,
    /// The operator, if any.
    pub op: Option<Op>,
    /// `${NAME:-x}` or `${NAME-x}`: Compose has a fallback when the variable is unset.
    pub has_default: bool,
}

/// Splits `s` into literal text, `$$` escapes and variable references.
pub fn parse(s: &str) -> Result<Vec<Part>, Error> {
    parse_range(s, 0, s.len(), 0)
}

/// Whether `s` holds anything Compose would interpolate (a `$` that is not plain text).
pub fn has_interpolation(s: &str) -> bool {
    s.contains('$')
        && parse(s).map_or(true, |parts| {
            parts.iter().any(|p| !matches!(p, Part::Literal { .. }))
        })
}

/// Every variable `s` refers to, nested ones included, in order of appearance.
pub fn variables(s: &str) -> Result<Vec<VarRef>, Error> {
    let parts = parse(s)?;
    let mut out = Vec::new();
    collect(&parts, &mut out);
    Ok(out)
}

/// The string as compose reads it when no variable is set: each reference replaced by its
/// default (`${PORT:-80}` is `80`, nested defaults too) and `$$` by `$`. `None` when a
/// reference has no default, so the value depends on the environment, or the string is not a
/// valid interpolation.
pub fn with_defaults(s: &str) -> Option<String> {
    fn go(s: &str, parts: &[Part], out: &mut String) -> bool {
        parts.iter().all(|p| match p {
            Part::Literal { range } => {
                out.push_str(&s[range.clone()]);
                true
            }
            Part::Escaped { .. } => {
                out.push('$');
                true
            }
            Part::Var(v) => v.op.is_some_and(Op::is_default) && go(s, &v.arg, out),
        })
    }
    if !s.contains('$') {
        return Some(s.to_string());
    }
    let parts = parse(s).ok()?;
    let mut out = String::new();
    go(s, &parts, &mut out).then_some(out)
}

/// The part of `s` an interpolation error is about: from the `${` (or `$`) it belongs to, up
/// to and with the next `}`, or to the end of the string when the reference is not closed.
pub fn error_range(s: &str, e: &Error) -> Range<usize> {
    let at = e.offset.min(s.len());
    let head = s.get(..(at + 2).min(s.len())).unwrap_or_default();
    let start = head
        .rfind("${")
        .filter(|&i| i <= at)
        .or_else(|| s.get(..=at).and_then(|h| h.rfind('$')))
        .unwrap_or(at);
    let end = s
        .get(at..)
        .and_then(|rest| rest.find('}'))
        .map_or(s.len(), |i| at + i + 1);
    start..end.max(start)
}

fn collect(parts: &[Part], out: &mut Vec<VarRef>) {
    for part in parts {
        if let Part::Var(v) = part {
            out.push(VarRef {
                name: v.name.clone(),
                range: v.range.clone(),
                op: v.op,
                has_default: v.op.is_some_and(Op::is_default),
            });
            collect(&v.arg, out);
        }
    }
}

fn is_name_start(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic()
}

fn is_name_char(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

fn err(offset: usize, message: &str) -> Error {
    Error {
        offset,
        message: message.to_string(),
    }
}

fn parse_range(s: &str, start: usize, end: usize, depth: usize) -> Result<Vec<Part>, Error> {
    if depth > MAX_DEPTH {
        return Err(err(start, "interpolation nested too deeply"));
    }
    let b = s.as_bytes();
    let end = end.min(b.len());
    let mut parts = Vec::new();
    let mut literal_start = start;
    let mut i = start;
    let flush = |parts: &mut Vec<Part>, from: usize, to: usize| {
        if to > from {
            parts.push(Part::Literal { range: from..to });
        }
    };
    while i < end {
        if b.get(i) != Some(&b'$') {
            i += 1;
            continue;
        }
        let next = if i + 1 < end {
            b.get(i + 1).copied()
        } else {
            None
        };
        match next {
            Some(b'$') => {
                flush(&mut parts, literal_start, i);
                parts.push(Part::Escaped { range: i..i + 2 });
                i += 2;
                literal_start = i;
            }
            Some(c) if is_name_start(c) => {
                let mut j = i + 2;
                while j < end && b.get(j).copied().is_some_and(is_name_char) {
                    j += 1;
                }
                flush(&mut parts, literal_start, i);
                parts.push(Part::Var(Var {
                    name: s.get(i + 1..j).unwrap_or_default().to_string(),
                    name_range: i + 1..j,
                    range: i..j,
                    braced: false,
                    op: None,
                    arg: Vec::new(),
                    arg_range: j..j,
                }));
                i = j;
                literal_start = i;
            }
            Some(b'{') => {
                let var = parse_braced(s, i, end, depth)?;
                flush(&mut parts, literal_start, i);
                i = var.range.end;
                literal_start = i;
                parts.push(Part::Var(var));
            }
            _ => i += 1,
        }
    }
    flush(&mut parts, literal_start, end);
    Ok(parts)
}

/// The index of the `}` that closes the `${` at `open`, counting nested `${` the way
/// compose-go does (a bare `{` does not nest).
fn closing_brace(b: &[u8], open: usize, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut k = open;
    while k < end {
        match b.get(k) {
            Some(b'}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(k);
                }
            }
            Some(b'$') if k + 1 < end && b.get(k + 1) == Some(&b'{') => {
                depth += 1;
                k += 1;
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// Parses `${...}` starting at the `$` at `i`.
fn parse_braced(s: &str, i: usize, end: usize, depth: usize) -> Result<Var, Error> {
    let b = s.as_bytes();
    let close = closing_brace(b, i, end).ok_or_else(|| err(i, "unclosed `${`"))?;
    let name_start = i + 2;
    if name_start == close {
        return Err(err(i, "empty variable name in `${}`"));
    }
    if !b.get(name_start).copied().is_some_and(is_name_start) {
        return Err(err(name_start, "invalid variable name"));
    }
    let mut j = name_start + 1;
    while j < close && b.get(j).copied().is_some_and(is_name_char) {
        j += 1;
    }
    let name = s.get(name_start..j).unwrap_or_default().to_string();
    let mut var = Var {
        name,
        name_range: name_start..j,
        range: i..close + 1,
        braced: true,
        op: None,
        arg: Vec::new(),
        arg_range: close..close,
    };
    if j == close {
        return Ok(var);
    }
    let colon = b.get(j) == Some(&b':');
    let op_at = if colon { j + 1 } else { j };
    let op = match (colon, if op_at < close { b.get(op_at) } else { None }) {
        (true, Some(b'-')) => Op::DefaultIfEmpty,
        (true, Some(b'?')) => Op::RequiredNonEmpty,
        (true, Some(b'+')) => Op::AlternateIfNonEmpty,
        (false, Some(b'-')) => Op::DefaultIfUnset,
        (false, Some(b'?')) => Op::Required,
        (false, Some(b'+')) => Op::AlternateIfSet,
        _ => return Err(err(j, "invalid interpolation operator")),
    };
    let arg_start = op_at + 1;
    var.op = Some(op);
    var.arg_range = arg_start..close;
    var.arg = parse_range(s, arg_start, close, depth + 1)?;
    Ok(var)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders parts compactly: literals as text, `$$` as `<$>`, variables as `[name op (arg)]`.
    fn render(s: &str, parts: &[Part]) -> String {
        let mut out = String::new();
        for p in parts {
            match p {
                Part::Literal { range } => out.push_str(&s[range.clone()]),
                Part::Escaped { .. } => out.push_str("<$>"),
                Part::Var(v) => {
                    assert_eq!(&s[v.name_range.clone()], v.name);
                    out.push('[');
                    out.push_str(&v.name);
                    if let Some(op) = v.op {
                        out.push_str(op.as_str());
                        out.push('(');
                        out.push_str(&render(s, &v.arg));
                        out.push(')');
                    }
                    out.push(']');
                }
            }
        }
        out
    }

    #[test]
    fn error_ranges_cover_the_reference() {
        let range = |s: &str| {
            let e = parse(s).expect_err(s);
            s[error_range(s, &e)].to_string()
        };
        assert_eq!(range("a ${X b"), "${X b");
        assert_eq!(range("a ${} b"), "${}");
        assert_eq!(range("a ${1X} b"), "${1X}");
        assert_eq!(range("x${X:x}y"), "${X:x}");
        assert_eq!(range("${X:-${Y}"), "${X:-${Y}");
    }

    #[test]
    fn table() {
        let cases = [
            ("plain text", "plain text"),
            ("$VAR", "[VAR]"),
            ("${VAR}", "[VAR]"),
            ("a-$VAR-b", "a-[VAR]-b"),
            ("$VAR.x", "[VAR].x"),
            ("${VAR:-def}", "[VAR:-(def)]"),
            ("${VAR-def}", "[VAR-(def)]"),
            ("${VAR:?must be set}", "[VAR:?(must be set)]"),
            ("${VAR?err}", "[VAR?(err)]"),
            ("${VAR:+alt}", "[VAR:+(alt)]"),
            ("${VAR+alt}", "[VAR+(alt)]"),
            ("${VAR:-}", "[VAR:-()]"),
            ("${A:-${B:-x}}", "[A:-([B:-(x)])]"),
            ("${A?$B}", "[A?([B])]"),
            ("${A:-${B}-${C}}y", "[A:-([B]-[C])]y"),
            ("$$", "<$>"),
            ("$$VAR", "<$>VAR"),
            ("$${VAR}", "<$>{VAR}"),
            ("cost: 5$", "cost: 5$"),
            ("$1 and $-", "$1 and $-"),
            ("$ x", "$ x"),
            ("_$_x9", "_[_x9]"),
            ("${lower_case}", "[lower_case]"),
            ("é$VAR", "é[VAR]"),
            ("${A:-{x}}", "[A:-({x)]}"),
        ];
        for (input, want) in cases {
            let parts = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(render(input, &parts), want, "input {input:?}");
        }
    }

    #[test]
    fn ranges() {
        let s = "x${A:-$B}y";
        let parts = parse(s).unwrap();
        assert_eq!(parts.len(), 3);
        let Part::Var(v) = &parts[1] else {
            panic!("not a var")
        };
        assert_eq!(&s[v.range.clone()], "${A:-$B}");
        assert_eq!(&s[v.arg_range.clone()], "$B");
        assert_eq!(&s[v.arg[0].range()], "$B");
        assert_eq!(&s[parts[2].range()], "y");
    }

    #[test]
    fn errors() {
        let cases = [
            ("${", 0, "unclosed"),
            ("a ${VAR", 2, "unclosed"),
            ("${}", 0, "empty"),
            ("${1A}", 2, "invalid variable name"),
            ("${-x}", 2, "invalid variable name"),
            ("${VAR:x}", 5, "operator"),
            ("${VAR:}", 5, "operator"),
            ("${VAR/x/y}", 5, "operator"),
            ("${VAR#p}", 5, "operator"),
            ("${A:-${}}", 5, "empty"),
        ];
        for (input, offset, msg) in cases {
            let e = parse(input).expect_err(input);
            assert_eq!(e.offset, offset, "input {input:?}: {e}");
            assert!(e.message.contains(msg), "input {input:?}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "${A:-".repeat(10_000) + &"}".repeat(10_000);
        assert!(parse(&s).is_err());
    }

    #[test]
    fn lists_variables() {
        let vars = variables("${A:-${B}} $C ${D?x} $$E ${F-}").unwrap();
        let got: Vec<_> = vars
            .iter()
            .map(|v| (v.name.as_str(), v.has_default))
            .collect();
        assert_eq!(
            got,
            [
                ("A", true),
                ("B", false),
                ("C", false),
                ("D", false),
                ("F", true)
            ]
        );
        assert!(vars[3].op.is_some_and(Op::is_required));
        assert!(has_interpolation("a $$ b"));
        assert!(!has_interpolation("a $ b"));
        assert!(has_interpolation("${"));
    }
}
