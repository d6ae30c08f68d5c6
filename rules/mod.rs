//! The rules: one file per rule, grouped by the kind of file they read. Each folder's `mod.rs`
//! lists its rules with [`register_rules!`](crate::register_rules); [`all`] is the catalogue of
//! every folder, sorted by code.

use crate::rule::Rule;
use std::sync::OnceLock;

pub mod compose;
pub mod dockerfile;
pub mod project;

/// Every rule, sorted by code.
pub fn all() -> &'static [&'static Rule] {
    static ALL: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static Rule> = [dockerfile::RULES, compose::RULES, project::RULES]
            .into_iter()
            .flatten()
            .copied()
            .collect();
        // The engine's test-only project rule, so that suppressions can name it.
        #[cfg(test)]
        v.push(&crate::engine::project_tests::RULE);
        v.sort_by_key(|r| r.code);
        v
    })
}
