//! The small, flat configuration files of other tools (`.hadolint.yaml`, `.dclintrc`), read with
//! the project's YAML reader (`compose::yaml`) and copied into an owned tree whose every node
//! knows its line and column. JSON is read the same way (it is YAML's flow style). Aliases are
//! refused rather than expanded, so no input can make the tree grow beyond the text.

use super::error::ConfigError;
use crate::compose::yaml::{NodeKind, NodeRef, Tree};
use crate::source::{LineIndex, Span};
use std::path::Path;

/// A position: 1-based line and 1-based character column, and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Scalar { value: String, plain: bool, at: Pos },
    Seq { items: Vec<Node>, at: Pos },
    Map { entries: Vec<(Node, Node)>, at: Pos },
}

impl Node {
    pub fn at(&self) -> Pos {
        match self {
            Node::Scalar { at, .. } | Node::Seq { at, .. } | Node::Map { at, .. } => *at,
        }
    }

    /// A plain `null`, `~` or empty value.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { value, plain: true, .. }
            if value.is_empty() || value == "~" || value.eq_ignore_ascii_case("null"))
    }

    /// The text of a scalar (numbers and booleans included, as written).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A plain `true` or `false` (any case).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Scalar {
                value, plain: true, ..
            } => match value.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Node::Scalar { .. } if self.is_null() => "null",
            Node::Scalar { .. } => "a scalar",
            Node::Seq { .. } => "a list",
            Node::Map { .. } => "a mapping",
        }
    }
}

/// An error at a node of a file.
pub(crate) fn error_at(path: &Path, at: Pos, message: impl Into<String>) -> ConfigError {
    ConfigError::at_line_col(path, at.line, at.column, message)
}

/// Parses one YAML (or JSON) document with the project's YAML reader (`compose::yaml`). An
/// empty file is an empty mapping.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Node, ConfigError> {
    let (tree, errors) = Tree::parse(text);
    let index = LineIndex::new(text);
    let pos = |span: Span| {
        let lc = index.line_col(text, span.start);
        Pos {
            line: lc.line as usize,
            column: lc.column as usize,
            offset: span.start as usize,
        }
    };
    if let Some(e) = errors.first() {
        return Err(error_at(path, pos(e.span), e.message.clone()));
    }
    if tree.documents.len() > 1 {
        return Err(error_at(
            path,
            pos(tree.documents[1].span),
            "expected a single yaml document",
        ));
    }
    match tree.roots().next() {
        Some(root) => convert(path, root, &pos),
        None => Ok(Node::Map {
            entries: Vec::new(),
            at: Pos {
                line: 1,
                column: 1,
                offset: 0,
            },
        }),
    }
}

/// Copies a node of the span-keeping tree into the small owned tree used here.
fn convert(path: &Path, node: NodeRef<'_>, pos: &dyn Fn(Span) -> Pos) -> Result<Node, ConfigError> {
    let at = pos(node.span());
    match node.kind() {
        NodeKind::Alias { .. } => Err(error_at(path, at, "yaml aliases are not supported here")),
        NodeKind::Scalar { value, style } => Ok(Node::Scalar {
            value: value.to_string(),
            plain: !style.is_quoted(),
            at,
        }),
        NodeKind::Sequence(_) => Ok(Node::Seq {
            items: node
                .items()
                .map(|i| convert(path, i, pos))
                .collect::<Result<_, _>>()?,
            at,
        }),
        NodeKind::Mapping(_) => Ok(Node::Map {
            entries: node
                .raw_entries()
                .map(|e| Ok((convert(path, e.key, pos)?, convert(path, e.value, pos)?)))
                .collect::<Result<_, ConfigError>>()?,
            at,
        }),
    }
}

/// The entries of the top-level mapping, with duplicate keys refused.
pub(crate) fn top_level<'a>(
    path: &Path,
    root: &'a Node,
) -> Result<Vec<(&'a str, Pos, &'a Node)>, ConfigError> {
    match root {
        Node::Map { entries, .. } => mapping_entries(path, entries),
        n if n.is_null() => Ok(Vec::new()),
        n => Err(error_at(
            path,
            n.at(),
            format!("expected a mapping at the top level, found {}", n.kind()),
        )),
    }
}

/// A mapping's entries as `(key, key position, value)`, refusing non-scalar and duplicate keys.
pub(crate) fn mapping_entries<'a>(
    path: &Path,
    entries: &'a [(Node, Node)],
) -> Result<Vec<(&'a str, Pos, &'a Node)>, ConfigError> {
    let mut out: Vec<(&str, Pos, &Node)> = Vec::new();
    for (k, v) in entries {
        let Some(key) = k.as_str() else {
            return Err(error_at(path, k.at(), "expected a plain key"));
        };
        if out.iter().any(|(seen, _, _)| *seen == key) {
            return Err(error_at(path, k.at(), format!("duplicate key `{key}`")));
        }
        out.push((key, k.at(), v));
    }
    Ok(out)
}

/// A mapping entry: key, key position, value.
pub(crate) type MapEntry<'a> = (&'a str, Pos, &'a Node);

/// The entries of a mapping value under `key`; `None` for a null value.
pub(crate) fn optional_mapping<'a>(
    path: &Path,
    key: &str,
    node: &'a Node,
) -> Result<Option<Vec<MapEntry<'a>>>, ConfigError> {
    match node {
        Node::Map { entries, .. } => mapping_entries(path, entries).map(Some),
        n if n.is_null() => Ok(None),
        n => Err(error_at(
            path,
            n.at(),
            format!("`{key}` must be a mapping, found {}", n.kind()),
        )),
    }
}

/// A list of strings; a null value is an empty list.
pub(crate) fn string_list<'a>(
    path: &Path,
    key: &str,
    node: &'a Node,
) -> Result<Vec<(&'a str, Pos)>, ConfigError> {
    match node {
        n if n.is_null() => Ok(Vec::new()),
        Node::Seq { items, .. } => items
            .iter()
            .map(|i| match i {
                Node::Scalar { value, at, .. } => Ok((value.as_str(), *at)),
                other => Err(error_at(
                    path,
                    other.at(),
                    format!("`{key}` must be a list of strings, found {}", other.kind()),
                )),
            })
            .collect(),
        other => Err(error_at(
            path,
            other.at(),
            format!("`{key}` must be a list, found {}", other.kind()),
        )),
    }
}

/// A boolean; a null value is `None`.
pub(crate) fn boolean(path: &Path, key: &str, node: &Node) -> Result<Option<bool>, ConfigError> {
    if node.is_null() {
        return Ok(None);
    }
    node.as_bool().map(Some).ok_or_else(|| {
        error_at(
            path,
            node.at(),
            format!("`{key}` must be true or false, found {}", describe(node)),
        )
    })
}

/// The node as a raw options value with spans (byte offsets into the file), for a rule's
/// options declaration to check: plain `true`/`false` are booleans, other scalars strings.
pub(crate) fn to_raw(node: &Node) -> toml::Spanned<toml::de::DeValue<'_>> {
    use super::options::raw;
    let at = node.at().offset;
    match node {
        Node::Scalar { value, .. } => match node.as_bool() {
            Some(b) => raw::boolean(b, at..at + value.len()),
            None => raw::string(value, at..at + value.len()),
        },
        Node::Seq { items, .. } => raw::array(items.iter().map(to_raw), at..at),
        Node::Map { entries, .. } => raw::table(
            entries.iter().filter_map(|(k, v)| {
                let key = k.as_str()?;
                Some((key, k.at().offset..k.at().offset + key.len(), to_raw(v)))
            }),
            at..at,
        ),
    }
}

/// A short description of a value for messages: the scalar itself, or its kind.
pub(crate) fn describe(node: &Node) -> String {
    match node {
        Node::Scalar { value, .. } if !node.is_null() => format!("`{value}`"),
        n => n.kind().to_string(),
    }
}
