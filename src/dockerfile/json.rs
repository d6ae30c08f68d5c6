//! The JSON exec form (`["a", "b"]`), decided exactly as Docker does: a text that decodes as a
//! JSON array of strings is exec form; an array with other elements is an error; anything else
//! is shell form. For a text that looks like an exec form but does not decode,
//! [`json_array_error`] says why, at the offending character.

use crate::source::{MappedText, Span};
use std::ops::Range;

/// What a `[`-starting argument text turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonForm {
    /// Exec form: each element's byte range in the text (quotes included) and its value.
    Strings(Vec<(Range<usize>, String)>),
    /// A JSON array whose elements are not all strings: BuildKit rejects it.
    NotStrings,
    /// Not a JSON array: shell form.
    NotJson,
}

/// Why a JSON-looking argument is not a JSON array of strings, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The offending character or word in the file.
    pub span: Span,
    /// Lowercase, without a final period: "`\S` is not a valid JSON escape".
    pub reason: String,
}

/// Decides the form of an instruction's argument text.
pub fn parse_json_array(text: &str) -> JsonForm {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return JsonForm::NotJson;
    }
    match scan(text) {
        Ok(items) => JsonForm::Strings(items),
        Err(_) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(_)) => JsonForm::NotStrings,
            _ => JsonForm::NotJson,
        },
    }
}

/// For an argument that Docker reads as shell form but that was meant as an exec form (it
/// starts with `[` and a quote, and ends with `]` or has a comma), why it does not decode.
/// `None` when the text decodes, or does not look like JSON (`[ -f x ] && y` is a shell test).
pub fn json_array_error(text: &MappedText) -> Option<JsonError> {
    let t = text.text.as_str();
    let start = t.len() - t.trim_start().len();
    let after = t[start..].strip_prefix('[')?.trim_start();
    if !(after.starts_with('"') || after.starts_with('\''))
        || !(t.trim_end().ends_with(']') || t.contains(','))
    {
        return None;
    }
    let err = scan(t).err()?;
    // `[ "$x" = 1 ] && y` is a shell test: after its first string comes a word, not another
    // string, as in the meant-as-JSON `["a" "b"]`.
    let next = t.get(err.at.start..).map(str::trim_start).unwrap_or("");
    if err.reason.starts_with("expected `,`") && !next.starts_with(['"', '\'']) {
        return None;
    }
    // A single quote starts a string as often as it ends one: show it without its neighbour.
    let end = err.at.end.max(err.at.start).min(t.len());
    Some(JsonError {
        span: text.span(err.at.start, end),
        reason: err.reason,
    })
}

/// The exec form a JSON-looking text was meant to be, when a mechanical repair makes it decode:
/// literal backslashes doubled (`"C:\app"` -> `"C:\\app"`), single quotes
/// made double (only when the text has no double quote), and a trailing comma dropped. `None`
/// when the text already decodes or the repair does not help (an unquoted `$PORT`).
pub fn repair_json_array(text: &str) -> Option<String> {
    let t = text.trim();
    if scan(t).is_ok() {
        return None;
    }
    let quoted = if t.contains('"') {
        t.to_string()
    } else {
        t.replace('\'', "\"")
    };
    // Backslashes are either all JSON escapes or all literal (a Windows path): when some start
    // no JSON escape, all are taken literally, unless the text also escapes a backslash or a
    // quote (then it is ambiguous).
    let mut escapes = Vec::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            escapes.push(chars.next().unwrap_or(' '));
        }
    }
    let invalid = escapes.iter().any(|e| !"\"\\/bfnrtu".contains(*e));
    // `\\` and `\"` show the author knew JSON escapes; `\n` in `C:\new` does not.
    let json_aware = escapes.iter().any(|e| matches!(e, '\\' | '"'));
    if invalid && json_aware {
        return None;
    }
    let mut out = if invalid {
        quoted.replace('\\', "\\\\")
    } else {
        quoted
    };
    if let Some(body) = out.strip_suffix(']') {
        let trimmed = body.trim_end();
        if let Some(without) = trimmed.strip_suffix(',') {
            out = format!("{without}]");
        }
    }
    scan(&out).is_ok().then_some(out)
}

/// A decoding failure in the scanned text.
#[derive(Debug)]
struct ScanError {
    at: Range<usize>,
    reason: String,
}

/// Decodes the whole text as a JSON array of strings.
fn scan(text: &str) -> Result<Vec<(Range<usize>, String)>, ScanError> {
    let mut p = Scanner {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    let items = p.array()?;
    p.ws();
    if p.pos < text.len() {
        let end = text.trim_end().len();
        return Err(p.fail(p.pos..end, "text after the closing `]`".into()));
    }
    Ok(items)
}

struct Scanner<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.s.get(self.pos) == Some(&b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn fail(&self, at: Range<usize>, reason: String) -> ScanError {
        ScanError { at, reason }
    }

    /// The character at the current position, as a range.
    fn here(&self) -> Range<usize> {
        let len = self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        self.pos..self.pos + len
    }

    /// An error about what stands at the current position where a string was expected.
    fn not_a_string(&self) -> ScanError {
        let rest = &self.text[self.pos..];
        match rest.chars().next() {
            None => self.fail(
                self.pos..self.pos,
                "the array is not closed with `]`".into(),
            ),
            Some('\'') => self.fail(
                self.here(),
                "JSON strings are quoted with `\"`, not `'`".into(),
            ),
            Some(']') | Some(',') => self.fail(self.here(), "expected a string before this".into()),
            Some(_) => {
                let len = rest
                    .find(|c: char| c == ',' || c == ']' || c.is_whitespace())
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                if word.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
                    || matches!(word, "true" | "false" | "null")
                {
                    // A valid JSON value that is not a string: `parse_json_array` reports it.
                    self.fail(
                        self.pos..self.pos + len,
                        format!("`{word}` is not a string"),
                    )
                } else {
                    self.fail(
                        self.pos..self.pos + len,
                        format!("`{word}` is not a quoted JSON string"),
                    )
                }
            }
        }
    }

    fn array(&mut self) -> Result<Vec<(Range<usize>, String)>, ScanError> {
        self.ws();
        if !self.eat(b'[') {
            return Err(self.fail(self.here(), "expected `[`".into()));
        }
        let mut items = Vec::new();
        self.ws();
        if self.eat(b']') {
            return Ok(items);
        }
        loop {
            self.ws();
            let start = self.pos;
            if self.s.get(self.pos) != Some(&b'"') {
                return Err(self.not_a_string());
            }
            let value = self.string()?;
            items.push((start..self.pos, value));
            self.ws();
            let comma = self.pos;
            if self.eat(b',') {
                self.ws();
                if self.s.get(self.pos) == Some(&b']') {
                    return Err(self.fail(
                        comma..comma + 1,
                        "a trailing comma is not allowed in JSON".into(),
                    ));
                }
                continue;
            }
            if self.eat(b']') {
                return Ok(items);
            }
            return Err(match self.s.get(self.pos) {
                None => self.fail(
                    self.pos..self.pos,
                    "the array is not closed with `]`".into(),
                ),
                Some(_) => self.fail(self.here(), "expected `,` or `]` after a string".into()),
            });
        }
    }

    fn string(&mut self) -> Result<String, ScanError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                return Err(self.fail(open..open + 1, "this string is not closed".into()));
            };
            let at = self.pos;
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let Some(e) = self.text[self.pos..].chars().next() else {
                        return Err(self.fail(open..open + 1, "this string is not closed".into()));
                    };
                    self.pos += e.len_utf8();
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let hi = self.hex4(at)?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.pos..self.pos + 2) == Some(b"\\u") {
                                    let lo_at = self.pos;
                                    self.pos += 2;
                                    let lo = self.hex4(lo_at)?;
                                    0x10000
                                        + ((hi - 0xD800) << 10)
                                        + (lo.wrapping_sub(0xDC00) & 0x3FF)
                                } else {
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        e => {
                            return Err(self.fail(
                                at..self.pos,
                                format!(
                                    "`\\{e}` is not a valid JSON escape (write `\\\\` for a backslash)"
                                ),
                            ));
                        }
                    }
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.fail(
                        at..self.pos,
                        "a control character must be escaped in a JSON string".into(),
                    ));
                }
                c => out.push(c),
            }
        }
    }

    /// Four hex digits after `\u` (which starts at `at`).
    fn hex4(&mut self, at: usize) -> Result<u32, ScanError> {
        let v = self
            .text
            .get(self.pos..self.pos + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| {
                self.fail(
                    at..self.pos,
                    "`\\u` must be followed by four hex digits".into(),
                )
            })?;
        self.pos += 4;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let JsonForm::Strings(items) = parse_json_array(r#" ["a", "b\"c", "\u00e9"] "#) else {
            panic!("expected exec form")
        };
        assert_eq!(
            items.iter().map(|i| i.1.as_str()).collect::<Vec<_>>(),
            ["a", "b\"c", "é"]
        );
        assert_eq!(items[0].0, 2..5);
        assert_eq!(parse_json_array("['a','b']"), JsonForm::NotJson);
        assert_eq!(parse_json_array("[\"a\", $X]"), JsonForm::NotJson);
        assert_eq!(parse_json_array("[\"a\""), JsonForm::NotJson);
        assert_eq!(parse_json_array("[1, 2]"), JsonForm::NotStrings);
        assert_eq!(parse_json_array("[]"), JsonForm::Strings(vec![]));
        assert_eq!(parse_json_array("[\"a\"] b"), JsonForm::NotJson);
        assert_eq!(parse_json_array("[\"a\",]"), JsonForm::NotJson);
    }

    /// The reason and the text it points at, for a text that starts at file offset 10.
    fn error(text: &str) -> Option<(String, String)> {
        let file = format!("{}{text}", " ".repeat(10));
        let mut m = MappedText::default();
        m.push_str(text, 10);
        json_array_error(&m).map(|e| (e.reason, e.span.text(&file).to_string()))
    }

    #[test]
    fn reasons_point_at_the_offending_character() {
        let (reason, at) = error(r#"["C:\ServiceMonitor.exe", "w3svc"]"#).unwrap();
        assert!(
            reason.starts_with("`\\S` is not a valid JSON escape"),
            "{reason}"
        );
        assert_eq!(at, "\\S");
        assert_eq!(
            error("['node', 'server.js']").unwrap(),
            (
                "JSON strings are quoted with `\"`, not `'`".to_string(),
                "'".to_string()
            )
        );
        assert_eq!(
            error(r#"["node", "server.js",]"#).unwrap(),
            (
                "a trailing comma is not allowed in JSON".to_string(),
                ",".to_string()
            )
        );
        assert_eq!(
            error(r#"["serve", "--port", $PORT]"#).unwrap(),
            (
                "`$PORT` is not a quoted JSON string".to_string(),
                "$PORT".to_string()
            )
        );
        assert_eq!(
            error(r#"["a" "b"]"#).unwrap().0,
            "expected `,` or `]` after a string"
        );
        // A shell test is not meant as JSON.
        assert!(error(r#"[ "$(id -u)" = 1005 ] && echo ok"#).is_none());
        assert_eq!(
            error(r#"["a", "b""#).unwrap().0,
            "the array is not closed with `]`"
        );
        assert_eq!(error(r#"["a", "b"#).unwrap().0, "this string is not closed");
        assert_eq!(
            error(r#"["a"] && b, c"#).unwrap(),
            (
                "text after the closing `]`".to_string(),
                "&& b, c".to_string()
            )
        );
        assert_eq!(
            error(r#"["\u12"]"#).unwrap().0,
            "`\\u` must be followed by four hex digits"
        );
        assert_eq!(error("[\"a\tb\"]").unwrap().1, "\t");
    }

    #[test]
    fn repairs() {
        assert_eq!(
            repair_json_array(r#"["C:\ServiceMonitor.exe", "w3svc"] "#).as_deref(),
            Some(r#"["C:\\ServiceMonitor.exe", "w3svc"]"#)
        );
        assert_eq!(
            repair_json_array("['node', 'server.js']").as_deref(),
            Some(r#"["node", "server.js"]"#)
        );
        assert_eq!(
            repair_json_array(r#"["node", "server.js", ]"#).as_deref(),
            Some(r#"["node", "server.js"]"#)
        );
        assert_eq!(
            repair_json_array(r#"["C:\new\app.exe"]"#).as_deref(),
            Some(r#"["C:\\new\\app.exe"]"#)
        );
        assert_eq!(repair_json_array(r#"["C:\\new\app.exe"]"#), None);
        assert_eq!(repair_json_array(r#"["C:\\Sub\x"]"#), None);
        assert_eq!(repair_json_array(r#"["a\nb"]"#), None);
        assert_eq!(repair_json_array(r#"["serve", $PORT]"#), None);
        assert_eq!(repair_json_array(r#"["it's", 'x']"#), None);
    }

    #[test]
    fn no_reason_for_valid_json_or_shell_tests() {
        assert_eq!(error(r#"["a", "b"]"#), None);
        assert_eq!(error("[ -f /x ] && y"), None);
        assert_eq!(error(r#"[ "$A" = b ] && c"#), None);
        assert_eq!(error("echo [a, b]"), None);
        assert_eq!(error(""), None);
    }

    #[test]
    fn positions_follow_continuation_lines() {
        // `CMD ["a", \` + newline + `  'b']`: the logical text joins the two lines.
        let file = "CMD [\"a\", \\\n  'b']";
        let mut m = MappedText::default();
        m.push_str("[\"a\", ", 4);
        m.push_str("  'b']", 12);
        let e = json_array_error(&m).unwrap();
        assert_eq!(e.span.text(file), "'");
        assert_eq!(e.span.start, 14);
    }
}
