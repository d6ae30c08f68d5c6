//! Settings that rules read: options of configurable rules. Filled from the CLI and the config
//! files; rules only ever see this resolved form.

use std::collections::BTreeMap;

/// Options a rule may read while it checks a file.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    /// Registries images may come from (DL3026); empty means the rule has nothing to check.
    pub trusted_registries: Vec<String>,
    /// Label name -> expected type (DL3049 and friends).
    pub label_schema: BTreeMap<String, String>,
    /// Report labels outside the schema (DL3050).
    pub strict_labels: bool,
}
