//! A tiny YAML reader for the small, flat configuration files of other tools (`.hadolint.yaml`,
//! `.dclintrc`): saphyr-parser events folded into a tree whose every node knows its line and
//! column. JSON is read the same way (it is YAML's flow style). Aliases are refused rather than
//! expanded, so no input can make the tree grow beyond the text.

use super::error::ConfigError;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::path::Path;

/// A position: 1-based line and 1-based character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
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

/// Parses one YAML (or JSON) document. An empty file is an empty mapping.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Node, ConfigError> {
    enum Frame {
        Seq(Vec<Node>, Pos),
        Map(Vec<(Node, Node)>, Option<Node>, Pos),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            ConfigError::at_line_col(path, m.line(), m.col() + 1, e.info().to_string())
        })?;
        let at = Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(error_at(path, at, "expected a single yaml document"));
                }
                continue;
            }
            Event::Alias(_) => {
                return Err(error_at(path, at, "yaml aliases are not supported here"));
            }
            Event::Scalar(value, style, _, _) => Node::Scalar {
                value: value.into_owned(),
                plain: style == ScalarStyle::Plain,
                at,
            },
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new(), at));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Vec::new(), None, at));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, at)) => Node::Seq { items, at },
                _ => return Err(error_at(path, at, "malformed yaml")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(entries, _, at)) => Node::Map { entries, at },
                _ => return Err(error_at(path, at, "malformed yaml")),
            },
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(items, _)) => items.push(node),
            Some(Frame::Map(entries, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(root.unwrap_or(Node::Map {
        entries: Vec::new(),
        at: Pos { line: 1, column: 1 },
    }))
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

/// A short description of a value for messages: the scalar itself, or its kind.
pub(crate) fn describe(node: &Node) -> String {
    match node {
        Node::Scalar { value, .. } if !node.is_null() => format!("`{value}`"),
        n => n.kind().to_string(),
    }
}
