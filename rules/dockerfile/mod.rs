//! Rules for Dockerfiles.

pub mod df000_syntax_error;
pub mod df001_final_stage_root;
pub mod df002_context_copied_before_install;
pub mod df003_run_shell_syntax_error;
pub mod df900_unused_suppression;
pub mod dl3002_last_user_root;
pub mod dl3025_shell_form_cmd;
pub mod dl3057_missing_healthcheck;
pub mod dl3064_secret_in_arg_env;
