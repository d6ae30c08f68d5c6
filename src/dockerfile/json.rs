//! The JSON exec form (`["a", "b"]`), decided exactly as Docker does: a text that decodes as a
//! JSON array of strings is exec form; an array with other elements is an error; anything else
//! is shell form.

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

/// Decides the form of an instruction's argument text.
pub fn parse_json_array(text: &str) -> JsonForm {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return JsonForm::NotJson;
    }
    let mut p = Scanner {
        s: text.as_bytes(),
        text,
        pos: text.len() - trimmed.len(),
    };
    match p.array() {
        Some(items) => {
            p.ws();
            if p.pos == text.len() {
                JsonForm::Strings(items)
            } else {
                JsonForm::NotJson
            }
        }
        None => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(_)) => JsonForm::NotStrings,
            _ => JsonForm::NotJson,
        },
    }
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

    fn array(&mut self) -> Option<Vec<(Range<usize>, String)>> {
        self.ws();
        if !self.eat(b'[') {
            return None;
        }
        let mut items = Vec::new();
        self.ws();
        if self.eat(b']') {
            return Some(items);
        }
        loop {
            self.ws();
            let start = self.pos;
            let value = self.string()?;
            items.push((start..self.pos, value));
            self.ws();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Some(items);
            }
            return None;
        }
    }

    fn string(&mut self) -> Option<String> {
        if !self.eat(b'"') {
            return None;
        }
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..)?;
            let mut chars = rest.char_indices();
            let (_, c) = chars.next()?;
            self.pos += c.len_utf8();
            match c {
                '"' => return Some(out),
                '\\' => {
                    let e = *self.s.get(self.pos)?;
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.pos..self.pos + 2) == Some(b"\\u") {
                                    self.pos += 2;
                                    let lo = self.hex4()?;
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
                        _ => return None,
                    }
                }
                c if (c as u32) < 0x20 => return None,
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.text.get(self.pos..self.pos + 4)?;
        let v = u32::from_str_radix(h, 16).ok()?;
        self.pos += 4;
        Some(v)
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
    }
}
