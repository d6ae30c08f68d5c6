//! Rules for Dockerfiles.

pub mod df000_syntax_error;
pub mod df001_final_stage_root;
pub mod df002_context_copied_before_install;
pub mod df003_run_shell_syntax_error;
pub mod df900_unused_suppression;
pub mod dl3002_last_user_root;
pub mod dl3025_shell_form_cmd;
pub mod dl3026_untrusted_registry;
pub mod dl3049_missing_label;
pub mod dl3050_label_not_in_schema;
pub mod dl3051_empty_label;
pub mod dl3052_label_not_url;
pub mod dl3053_label_not_rfc3339;
pub mod dl3054_label_not_spdx;
pub mod dl3055_label_not_git_hash;
pub mod dl3056_label_not_semver;
pub mod dl3057_missing_healthcheck;
pub mod dl3058_label_not_email;
pub mod dl3064_secret_in_arg_env;
mod label_values;
