//! BuildKit's check directive: `# check=skip=A,B[;error=true]`, in the directive block for the
//! whole file or in the comment block right above an instruction. Check names are
//! case-sensitive, as in BuildKit.

use super::comment::{CommentPragma, Cursor};
use super::{Target, registry};
use crate::source::Span;

/// The `skip=` part of a BuildKit `check` value.
pub(super) struct CheckSkip {
    pub(super) names: Vec<Span>,
    /// The `skip=...` part with one `;` separator, or `None` when it is the whole value.
    pub(super) part: Option<Span>,
}

/// Reads what follows `check` in a comment.
pub(super) fn read(c: &mut Cursor<'_>) -> Option<CommentPragma> {
    c.ws();
    if !c.eat('=') {
        return None;
    }
    c.ws();
    // Only the first token counts, so `# check=skip=X // why` works as in BuildKit.
    let (value, v) = c.take(|ch| !ch.is_whitespace());
    check_skip(v, value.start as usize).map(CommentPragma::Check)
}

/// Parses a BuildKit check value (`skip=A,B;error=true`) at file offset `base`.
pub(super) fn check_skip(value: &str, base: usize) -> Option<CheckSkip> {
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

/// Resolves a BuildKit check name, case-sensitively as BuildKit does.
pub(super) fn target(name: &str) -> Target {
    if name == "all" {
        return Target::All {
            buildkit_only: true,
        };
    }
    if let Some(codes) = registry::check_group(name) {
        return Target::Group(codes);
    }
    registry::all()
        .iter()
        .copied()
        .find(|r| r.code == name || r.name == name || r.aliases.contains(&name))
        .map_or(Target::Foreign, Target::Rule)
}

#[cfg(test)]
mod tests {
    use super::*;

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
