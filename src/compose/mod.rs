//! Compose files: a span-keeping YAML tree ([`yaml`]), the Compose Specification as a table
//! ([`spec`]), the typed view of a file ([`model`]), and `${VAR}` interpolation
//! ([`interpolate`]), and one validator of a file against the table ([`validate`]).
//!
//! [`parse`] is the entry point. It never fails and never panics: YAML syntax errors,
//! duplicate keys and a top level that is not a mapping end up in [`ComposeFile::errors`]
//! (reported as DC000), and whatever could be read is kept.

pub mod describe;
pub mod interpolate;
pub mod model;
pub mod project;
pub mod refs;
pub mod spec;
pub mod validate;
pub mod yaml;

pub use model::{
    Build, Command, Dependency, Deploy, EnvVar, Extends, Healthcheck, Named, Port, Resources,
    Service, Str, Volume, VolumeKind,
};
pub use yaml::{
    Document, Entry, EntryRef, NodeId, NodeKind, NodeRef, ScalarStyle, SyntaxError, Tree, get,
};

/// Which file of a run a compose value comes from: override files, `extends` and `include`
/// bring values from several files into one project. Files parsed alone are file 0.
///
/// wharf's engine does not number files yet; when it does, this index maps onto its file
/// identity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileIndex(pub u32);

/// A parsed compose file: the YAML tree and the syntax errors. The typed view is read from
/// the tree on demand ([`ComposeFile::services`] and the other accessors in [`model`]).
///
/// A file with several YAML documents is read as Compose reads it: every document counts, so
/// `services()` yields the services of all documents in file order (a name may then repeat).
#[derive(Debug, Default)]
pub struct ComposeFile {
    /// The YAML tree, all documents.
    pub tree: Tree,
    /// Syntax-level problems (DC000).
    pub errors: Vec<SyntaxError>,
    /// The file the text comes from.
    pub file: FileIndex,
    /// Each service name's first service (key and value nodes), built on the first
    /// [`ComposeFile::service`] call: rules look services up by name once per reference.
    service_index: std::sync::OnceLock<hashbrown::HashMap<Box<str>, (NodeId, NodeId)>>,
}

impl ComposeFile {
    /// A YAML syntax error cut a document short: the tree holds what came before it, and what
    /// follows is unknown, so no edit to the file can be judged safe.
    pub fn truncated(&self) -> bool {
        self.tree.documents.iter().any(|d| !d.complete)
    }

    /// A handle on a node of the tree.
    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        self.tree.node(id)
    }

    /// The top-level mappings of the documents (documents whose top level is not a mapping
    /// are left out).
    pub fn roots(&self) -> impl Iterator<Item = NodeRef<'_>> + '_ {
        self.tree.roots().filter(|r| r.is_mapping())
    }
}

/// Parses a compose file as file 0. Never panics; linear in the size of the text.
pub fn parse(text: &str) -> ComposeFile {
    parse_file(text, FileIndex::default())
}

/// Parses a compose file that is `file` among the files of a project.
pub fn parse_file(text: &str, file: FileIndex) -> ComposeFile {
    let (tree, mut errors) = Tree::parse(text);
    for doc in &tree.documents {
        let Some(root) = doc.root.map(|r| tree.node(r)) else {
            continue;
        };
        // A document cut short by a syntax error already has its error.
        if root.is_null() || root.is_mapping() || !doc.complete {
            continue;
        }
        errors.push(SyntaxError {
            span: root.span(),
            message: "the top level of a compose file must be a mapping".to_string(),
            related: None,
        });
    }
    errors.sort_by_key(|e| e.span);
    ComposeFile {
        tree,
        errors,
        file,
        service_index: Default::default(),
    }
}

#[cfg(test)]
mod tests;
