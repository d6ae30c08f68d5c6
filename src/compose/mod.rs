//! Compose files: a span-keeping YAML tree ([`yaml`]), the Compose Specification as a table
//! ([`spec`]), the typed view of a file ([`model`]), and `${VAR}` interpolation
//! ([`interpolate`]), and one validator of a file against the table ([`validate`]).
//!
//! [`parse`] is the entry point. It never fails and never panics: YAML syntax errors,
//! duplicate keys and a top level that is not a mapping end up in [`ComposeFile::errors`]
//! (reported as DC000), and whatever could be read is kept.

pub mod interpolate;
pub mod model;
pub mod spec;
pub mod validate;
pub mod yaml;

pub use model::{
    Build, Command, Dependency, Deploy, EnvVar, Extends, Healthcheck, NetworkRef, Port, Resources,
    Service, Str, TopLevelItem, Version, Volume, VolumeKind,
};
pub use yaml::{
    Document, Entry, EntryRef, NodeId, NodeKind, NodeRef, ScalarStyle, SyntaxError, Tree, get,
};

/// A parsed compose file: the YAML tree, the syntax errors, and the typed view.
///
/// A file with several YAML documents is read as Compose reads it: every document counts, so
/// `services` holds the services of all documents in file order (a name may then repeat).
#[derive(Debug, Default)]
pub struct ComposeFile {
    /// The YAML tree, all documents.
    pub tree: Tree,
    /// Syntax-level problems (DC000).
    pub errors: Vec<SyntaxError>,
    /// The top-level `version` entry of the first document that has one.
    pub version: Option<Version>,
    /// The top-level `name` (project name).
    pub name: Option<Str>,
    /// The services, in file order.
    pub services: Vec<Service>,
    /// Top-level `volumes`.
    pub volumes: Vec<TopLevelItem>,
    /// Top-level `networks`.
    pub networks: Vec<TopLevelItem>,
    /// Top-level `secrets`.
    pub secrets: Vec<TopLevelItem>,
    /// Top-level `configs`.
    pub configs: Vec<TopLevelItem>,
    /// Top-level `models`.
    pub models: Vec<TopLevelItem>,
    /// The paths of `include` entries (short form, or long form `path`).
    pub include: Vec<Str>,
}

impl ComposeFile {
    /// A handle on a node of the tree.
    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        self.tree.node(id)
    }

    /// The top-level mappings of the documents (documents whose top level is not a mapping
    /// are left out).
    pub fn roots(&self) -> impl Iterator<Item = NodeRef<'_>> + '_ {
        self.tree.roots().filter(|r| r.is_mapping())
    }

    /// The first service with this name.
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}

/// Parses a compose file. Never panics; linear in the size of the text.
pub fn parse(text: &str) -> ComposeFile {
    let (tree, mut errors) = Tree::parse(text);
    let reader = model::Reader { text };
    let mut file = ComposeFile::default();
    for doc in &tree.documents {
        let Some(root) = doc.root.map(|r| tree.node(r)) else {
            continue;
        };
        if root.is_null() {
            continue;
        }
        if !root.is_mapping() {
            // A document cut short by a syntax error already has its error.
            if !doc.complete {
                continue;
            }
            errors.push(SyntaxError {
                span: root.span(),
                message: "the top level of a compose file must be a mapping".to_string(),
                related: None,
            });
            continue;
        }
        for entry in root.entries() {
            let Some(key) = entry.key_str() else { continue };
            let value = entry.value;
            match key {
                "version" if file.version.is_none() => {
                    file.version = Some(reader.version(entry));
                }
                "name" if file.name.is_none() => file.name = reader.str(value),
                "services" => {
                    file.services
                        .extend(value.entries().filter_map(|e| reader.service(e)));
                }
                "volumes" => file.volumes.extend(reader.top_level_items(value)),
                "networks" => file.networks.extend(reader.top_level_items(value)),
                "secrets" => file.secrets.extend(reader.top_level_items(value)),
                "configs" => file.configs.extend(reader.top_level_items(value)),
                "models" => file.models.extend(reader.top_level_items(value)),
                "include" => file.include.extend(reader.include_paths(value)),
                _ => {}
            }
        }
    }
    errors.sort_by_key(|e| e.span);
    file.errors = errors;
    file.tree = tree;
    file
}

#[cfg(test)]
mod tests;
