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

/// BuildKit's check options: the value of a `# check=` directive or of the
/// `BUILDKIT_DOCKERFILE_CHECK` build argument (`skip=A,B;error=true`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// `skip=all`: every rule that has a BuildKit check name.
    pub skip_all: bool,
    /// `skip=A,B`: the check names, as written.
    pub skip: Vec<String>,
    /// `error=true`: the findings of BuildKit's checks count as errors.
    pub error: bool,
    /// `experimental=...`: accepted; wharf turns rules on through its configuration.
    pub experimental: Vec<String>,
}

impl CheckOptions {
    /// Parses a value as BuildKit does: up to three `key=value` parts separated by `;`, keys
    /// `skip`, `error` (a Go boolean: `1`, `t`, `true`, `TRUE`, `0`, `f`, `false`...) and
    /// `experimental`. An unknown key, a part without `=` or a bad boolean is an error.
    pub fn parse(value: &str) -> Result<CheckOptions, String> {
        let mut out = CheckOptions::default();
        let value = value.trim();
        if value.is_empty() {
            return Ok(out);
        }
        let names = |v: &str| -> Vec<String> {
            v.split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        };
        for part in value.splitn(3, ';') {
            let Some((key, v)) = part.split_once('=') else {
                return Err(format!(
                    "invalid check option `{part}`: expected `key=value`"
                ));
            };
            let v = v.trim();
            match key.trim() {
                "skip" if v == "all" => out.skip_all = true,
                "skip" => out.skip = names(v),
                "error" => {
                    out.error = match v {
                        "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
                        "0" | "f" | "F" | "FALSE" | "false" | "False" => false,
                        _ => {
                            return Err(format!(
                                "invalid check option `{part}`: `{v}` is not a boolean (true or false)"
                            ));
                        }
                    }
                }
                "experimental" => out.experimental = names(v),
                k => {
                    return Err(format!(
                        "invalid check option `{k}`: the keys are skip, error and experimental"
                    ));
                }
            }
        }
        Ok(out)
    }

    /// The options skip the rule with this code.
    pub fn skips(&self, code: &str) -> bool {
        let Some(rule) = registry::find(code) else {
            return false;
        };
        (self.skip_all && super::has_buildkit_name(rule))
            || self.skip.iter().any(|n| target(n).matches(code))
    }
}

/// Applies BuildKit's check options to a Dockerfile's findings: the environment's
/// `BUILDKIT_DOCKERFILE_CHECK` (its `skip=` drops findings here, since it replaces the file's
/// directive), else the file's own `# check=` directive (whose `skip=` the comment pass has
/// applied); with `error=true` the findings of BuildKit's checks become errors.
pub(crate) fn apply_options(
    opts: Option<&FileCheckOptions>,
    out: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    let Some(opts) = opts else { return };
    if opts.from_env {
        out.retain(|d| !opts.options.skips(d.code));
    }
    if opts.options.error {
        for d in out.iter_mut() {
            if registry::find(d.code).is_some_and(super::has_buildkit_name) {
                d.severity = crate::diagnostic::Severity::Error;
            }
        }
    }
}

/// The check options that apply to a Dockerfile: those of the environment when it sets any,
/// else the file's own `# check=` directive (whose `skip` the suppressions apply), read
/// from the tree before it is dropped.
pub(crate) fn file_options(
    df: &crate::dockerfile::Dockerfile,
    env: Option<&std::sync::Arc<CheckOptions>>,
) -> Option<FileCheckOptions> {
    match env {
        Some(o) => Some(FileCheckOptions {
            options: std::sync::Arc::clone(o),
            from_env: true,
        }),
        None => {
            let own = df
                .directive("check")
                .and_then(|d| CheckOptions::parse(&d.value).ok())?;
            Some(FileCheckOptions {
                options: std::sync::Arc::new(own),
                from_env: false,
            })
        }
    }
}

/// The check options of one Dockerfile ([`file_options`]).
#[derive(Debug, Clone)]
pub(crate) struct FileCheckOptions {
    options: std::sync::Arc<CheckOptions>,
    /// From `BUILDKIT_DOCKERFILE_CHECK`: its `skip` drops findings here.
    from_env: bool,
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
    fn check_options() {
        let o =
            CheckOptions::parse(" skip=JSONArgsRecommended, StageNameCasing ; error=True").unwrap();
        assert_eq!(o.skip, ["JSONArgsRecommended", "StageNameCasing"]);
        assert!(o.error && !o.skip_all);
        assert!(o.skips("DL3025") && o.skips("DF010") && !o.skips("DL3024"));
        let o = CheckOptions::parse("skip=all;experimental=all").unwrap();
        assert!(o.skip_all && o.skips("DL3024") && !o.skips("DL3008"));
        assert!(
            CheckOptions::parse("skip=MultipleInstructionsDisallowed")
                .unwrap()
                .skips("DL4003")
        );
        assert_eq!(CheckOptions::parse("").unwrap(), CheckOptions::default());
        assert!(
            CheckOptions::parse("error=yes")
                .unwrap_err()
                .contains("not a boolean")
        );
        assert!(
            CheckOptions::parse("skip")
                .unwrap_err()
                .contains("key=value")
        );
        assert!(
            CheckOptions::parse("warn=true")
                .unwrap_err()
                .contains("the keys are")
        );
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
