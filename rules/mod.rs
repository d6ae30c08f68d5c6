//! The rules: one file per rule, grouped by the kind of file they read. Each folder's `mod.rs`
//! lists its rules; [`ALL`] is the catalogue, sorted by code (a test checks the order).

use crate::rule::Rule;

pub mod compose;
pub mod dockerfile;
pub mod project;

/// Every rule, sorted by code.
pub static ALL: &[&Rule] = &[
    &compose::dc000_syntax_error::RULE,
    &dockerfile::df000_syntax_error::RULE,
];
