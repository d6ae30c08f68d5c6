//! Completion where the model knows the answer: instruction keywords and their flags in a
//! Dockerfile; in a compose file, the keys the specification allows at the cursor's level and
//! the values of a key with a fixed set of them.
//!
//! The place is read from the text around the cursor, not from the parse: the line being
//! typed is rarely valid yet.

use lsp_types as lsp;

use super::Doc;
use crate::compose::describe;
use crate::compose::spec::{self, Table, Type};
use crate::dockerfile::Kind;
use crate::source::FileKind;

/// The completions at byte `at` of the document.
pub fn complete(doc: &Doc, at: u32) -> Vec<lsp::CompletionItem> {
    let at = (at as usize).min(doc.text.len());
    let Some(before) = doc.text.get(..at) else {
        return Vec::new();
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    match doc.kind {
        FileKind::Dockerfile => dockerfile(doc, &before[..line_start], line),
        FileKind::Compose => compose(&before[..line_start], line),
    }
}

fn item(
    label: String,
    kind: lsp::CompletionItemKind,
    detail: Option<String>,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label,
        kind: Some(kind),
        detail,
        ..Default::default()
    }
}

/// Keywords at the start of an instruction; the instruction's flags after `--`.
fn dockerfile(doc: &Doc, above: &str, line: &str) -> Vec<lsp::CompletionItem> {
    let escape = doc.dockerfile().map_or('\\', |df| df.escape);
    let continued = above
        .trim_end_matches(['\n', '\r'])
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.trim_end().ends_with(escape));
    let words: Vec<&str> = line.split_whitespace().collect();
    let typing_word = !line.ends_with(char::is_whitespace);
    if !continued && (words.is_empty() || (words.len() == 1 && typing_word)) {
        return Kind::ALL
            .iter()
            .filter(|k| **k != Kind::Maintainer)
            .map(|k| {
                item(
                    k.as_str().to_string(),
                    lsp::CompletionItemKind::KEYWORD,
                    Some(super::features::keyword_doc(*k).to_string()),
                )
            })
            .collect();
    }
    let current = if typing_word {
        words.last().copied().unwrap_or("")
    } else {
        ""
    };
    if let Some(typed) = current.strip_prefix("--from=") {
        return stage_names(doc, above.len() as u32, typed);
    }
    if !current.starts_with('-') || current.contains('=') {
        return Vec::new();
    }
    // The instruction: this line's first word, or for a continued line the one it continues.
    let kind = if continued {
        let offset = above.len() as u32;
        doc.dockerfile()
            .and_then(|df| {
                df.iter()
                    .find(|i| i.span.start <= offset && offset <= i.span.end + 1)
            })
            .map(|i| i.kind)
    } else {
        words.first().map(|w| Kind::from_keyword(w))
    };
    let Some(kind) = kind else {
        return Vec::new();
    };
    kind.allowed_flags()
        .iter()
        .map(|f| {
            let boolean = kind.boolean_flags().contains(f);
            let mut it = item(
                format!("--{f}"),
                lsp::CompletionItemKind::PROPERTY,
                Some(format!("{} flag", kind.as_str())),
            );
            it.insert_text = Some(if boolean {
                format!("--{f}")
            } else {
                format!("--{f}=")
            });
            it
        })
        .collect()
}

/// The named stages before the instruction at `offset`, for `--from=`.
fn stage_names(doc: &Doc, offset: u32, typed: &str) -> Vec<lsp::CompletionItem> {
    let Some(df) = doc.dockerfile() else {
        return Vec::new();
    };
    df.model
        .stages
        .iter()
        .filter(|s| {
            df.instructions
                .get(s.from)
                .is_some_and(|i| i.span.end < offset)
        })
        .filter_map(|s| s.name.as_deref())
        .filter(|n| n.starts_with(typed))
        .map(|n| {
            item(
                n.to_string(),
                lsp::CompletionItemKind::MODULE,
                Some("stage".into()),
            )
        })
        .collect()
}

/// One step of the path from the top of a compose file to the cursor: a key, and whether the
/// cursor's mapping is an item of the list that key holds.
struct Step<'a> {
    key: &'a str,
    in_list: bool,
}

/// The key of a line (`  key: value`, `- key: value`): its indentation, whether it starts a
/// list item (the dash's indentation), and the key.
fn line_key(line: &str) -> Option<(usize, Option<usize>, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let (dash, key_indent, content) = match rest.strip_prefix('-') {
        Some(after) if after.is_empty() || after.starts_with(' ') => {
            let inner = after.trim_start_matches(' ');
            (
                Some(indent),
                indent + 1 + (after.len() - inner.len()),
                inner,
            )
        }
        _ => (None, indent, rest),
    };
    let key = content
        .split_once(':')
        .filter(|(_, v)| v.is_empty() || v.starts_with([' ', '\t', '\r']))
        .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
        .unwrap_or("");
    Some((key_indent, dash, key))
}

/// The keys above the cursor's level, outermost first, found by indentation.
fn path<'a>(above: &'a str, mut want: usize, mut in_list: bool) -> Vec<Step<'a>> {
    let mut out = Vec::new();
    for line in above.lines().rev() {
        if want == 0 {
            break;
        }
        let Some((indent, dash, key)) = line_key(line.trim_end_matches('\r')) else {
            continue;
        };
        if indent == want && dash.is_some() {
            // A sibling key in the same list item: the list is the parent's.
            in_list = true;
            want = dash.unwrap_or(0);
            continue;
        }
        if indent >= want || key.is_empty() {
            continue;
        }
        out.push(Step { key, in_list });
        in_list = dash.is_some();
        want = dash.unwrap_or(indent);
    }
    out.reverse();
    out
}

/// The type at the end of `path`, from the top level.
fn type_at(path: &[Step<'_>]) -> Option<Vec<&'static Type>> {
    static TOP: Type = Type::Table(&spec::TOP_LEVEL);
    let mut here = vec![&TOP];
    for step in path {
        let next = here.iter().find_map(|t| match t {
            Type::Table(table) => table.field(step.key).map(|f| &f.ty),
            Type::Map(value) => Some(*value),
            _ => None,
        })?;
        let mut alts = Vec::new();
        describe::flatten(next, &mut alts);
        if step.in_list {
            let item = alts.iter().find_map(|t| match t {
                Type::List(item) => Some(*item),
                _ => None,
            })?;
            alts.clear();
            describe::flatten(item, &mut alts);
        }
        here = alts;
    }
    Some(here)
}

fn table_of(types: &[&'static Type]) -> Option<&'static Table> {
    types.iter().find_map(|t| match t {
        Type::Table(table) => Some(*table),
        _ => None,
    })
}

/// The keys allowed at the cursor's level; after `key: `, that key's values when they are
/// a fixed set.
fn compose(above: &str, line: &str) -> Vec<lsp::CompletionItem> {
    let (indent, dash, key) = line_key(line).unwrap_or((line.len(), None, ""));
    let after_colon = line.contains(": ") || line.ends_with(':');
    let steps = path(above, indent, dash.is_some());
    let Some(types) = type_at(&steps) else {
        return Vec::new();
    };
    let Some(table) = table_of(&types) else {
        return Vec::new();
    };
    if after_colon && !key.is_empty() {
        let Some(field) = table.field(key) else {
            return Vec::new();
        };
        let mut alts = Vec::new();
        describe::flatten(&field.ty, &mut alts);
        let mut values: Vec<&str> = Vec::new();
        for t in alts {
            match t {
                Type::Enum(list) => values.extend(list.iter()),
                Type::Bool => values.extend(["true", "false"]),
                _ => {}
            }
        }
        return values
            .into_iter()
            .map(|v| item(v.to_string(), lsp::CompletionItemKind::VALUE, None))
            .collect();
    }
    table
        .fields
        .iter()
        .map(|f| {
            let mut it = item(
                f.name.to_string(),
                lsp::CompletionItemKind::PROPERTY,
                Some(describe::type_words(&f.ty)),
            );
            it.documentation = describe::description(table.name, f.name)
                .map(|d| lsp::Documentation::String(d.to_string()));
            it.deprecated = f.deprecated.is_some().then_some(true);
            it
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(above: &str, line: &str) -> Vec<String> {
        compose(above, line).into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn compose_keys_follow_the_indentation() {
        let above = "services:\n  web:\n    image: nginx\n    healthcheck:\n      test: x\n";
        assert!(labels(above, "      inter").contains(&"interval".to_string()));
        assert!(labels(above, "    hea").contains(&"healthcheck".to_string()));
        assert!(labels("", "ser").contains(&"services".to_string()));
        // Under a service's name: the service keys.
        assert!(labels("services:\n  web:\n", "    ").contains(&"build".to_string()));
        // A service's name itself is free.
        assert!(labels("services:\n", "  ").is_empty());
        // The keys of a list item's mapping.
        let ports = "services:\n  web:\n    ports:\n      - target: 80\n";
        assert!(labels(ports, "        pub").contains(&"published".to_string()));
        assert!(
            labels("services:\n  web:\n    volumes:\n", "      - ty").contains(&"type".to_string())
        );
        // Values.
        assert_eq!(
            labels("services:\n  web:\n", "    cgroup: "),
            ["host", "private"]
        );
        assert_eq!(
            labels("services:\n  web:\n", "    init: "),
            ["true", "false"]
        );
    }
}
