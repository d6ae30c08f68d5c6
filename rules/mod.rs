//! The rules: one file per rule, grouped by the kind of file they read. Each folder's `mod.rs`
//! lists its rules; [`ALL`] is the catalogue, sorted by code (a test checks the order).

use crate::rule::Rule;

pub mod compose;
pub mod dockerfile;
pub mod project;

/// Every rule, sorted by code.
pub static ALL: &[&Rule] = &[
    &compose::dc000_syntax_error::RULE,
    &compose::dc001_obsolete_version::RULE,
    &compose::dc900_unused_compose_suppression::RULE,
    &dockerfile::df000_syntax_error::RULE,
    &dockerfile::df001_final_stage_root::RULE,
    &dockerfile::df002_context_copied_before_install::RULE,
    &dockerfile::df003_run_shell_syntax_error::RULE,
    &dockerfile::df900_unused_suppression::RULE,
    &dockerfile::dl3002_last_user_root::RULE,
    &dockerfile::dl3025_shell_form_cmd::RULE,
    &dockerfile::dl3026_untrusted_registry::RULE,
    &dockerfile::dl3049_missing_label::RULE,
    &dockerfile::dl3050_label_not_in_schema::RULE,
    &dockerfile::dl3051_empty_label::RULE,
    &dockerfile::dl3052_label_not_url::RULE,
    &dockerfile::dl3053_label_not_rfc3339::RULE,
    &dockerfile::dl3054_label_not_spdx::RULE,
    &dockerfile::dl3055_label_not_git_hash::RULE,
    &dockerfile::dl3056_label_not_semver::RULE,
    &dockerfile::dl3057_missing_healthcheck::RULE,
    &dockerfile::dl3058_label_not_email::RULE,
    &dockerfile::dl3064_secret_in_arg_env::RULE,
];
