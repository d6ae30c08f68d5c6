//! Rules for Dockerfiles.

pub mod labels;

crate::register_rules! {
    df000_dockerfile_syntax_error,
    df001_final_stage_runs_as_root,
    df002_context_copied_before_install,
    df003_run_shell_syntax_error,
    df900_unused_suppression,
    dl3000_workdir_not_absolute,
    dl3002_last_user_is_root,
    dl3011_expose_port_out_of_range,
    dl3012_multiple_healthcheck,
    dl3024_duplicate_stage_name,
    dl3025_shell_form_cmd,
    dl3026_untrusted_registry,
    dl3043_onbuild_forbidden_trigger,
    dl3049_missing_required_label,
    dl3050_label_not_in_schema,
    dl3051_empty_label,
    dl3052_label_not_url,
    dl3053_label_not_rfc3339,
    dl3054_label_not_spdx,
    dl3055_label_not_git_hash,
    dl3056_label_not_semver,
    dl3057_missing_healthcheck,
    dl3058_label_not_email,
    dl3061_instruction_before_from,
    dl3063_reserved_stage_name,
    dl3064_secret_in_arg_or_env,
    dl4003_multiple_cmd,
    dl4004_multiple_entrypoint,
}
