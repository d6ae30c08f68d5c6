//! Settings that rules read: options of configurable rules. Filled from the CLI and the config
//! files ([`crate::config`]); rules only ever see this resolved form.

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Options a rule may read while it checks a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSettings {
    /// Registries images may come from (DL3026); empty means the rule has nothing to check.
    /// Entries may use `*` as a wildcard (`*.corp.example`, `ghcr.io*`, `*`).
    pub trusted_registries: Vec<String>,
    /// Label name -> expected type (DL3049 and the label value rules).
    pub label_schema: BTreeMap<String, LabelType>,
    /// Report labels outside the schema (DL3050).
    pub strict_labels: bool,
    /// Images that run as a non-root user by default, beyond wharf's own list (DF001):
    /// familiar names with `*` wildcards, optionally with a tag (`myorg/base*`, `acme/app:*-safe`).
    pub non_root_images: Vec<String>,
}

/// The type a label of the label schema must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LabelType {
    /// Any text; only presence and emptiness are checked.
    Text,
    /// An absolute URI such as `https://example.com/repo` (DL3052).
    Url,
    /// An RFC 3339 date and time such as `2024-05-01T12:00:00Z` (DL3053).
    Rfc3339,
    /// An SPDX license identifier or expression such as `MIT OR Apache-2.0` (DL3054).
    Spdx,
    /// A git commit hash: 7 or 40 lowercase hexadecimal digits (DL3055).
    Hash,
    /// A semantic version such as `1.4.2-rc.1` (DL3056).
    Semver,
    /// An email address (DL3058).
    Email,
}

impl LabelType {
    pub const ALL: [LabelType; 7] = [
        LabelType::Text,
        LabelType::Url,
        LabelType::Rfc3339,
        LabelType::Spdx,
        LabelType::Hash,
        LabelType::Semver,
        LabelType::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "url",
            LabelType::Rfc3339 => "rfc3339",
            LabelType::Spdx => "spdx",
            LabelType::Hash => "hash",
            LabelType::Semver => "semver",
            LabelType::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<LabelType> {
        LabelType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl RuleSettings {
    /// The labels of the schema that have this type.
    pub fn labels_of_type(&self, ty: LabelType) -> impl Iterator<Item = &str> {
        self.label_schema
            .iter()
            .filter(move |(_, t)| **t == ty)
            .map(|(k, _)| k.as_str())
    }
}
