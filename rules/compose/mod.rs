//! Rules for compose files.

crate::register_rules! {
    dc000_compose_syntax_error,
    dc001_obsolete_version_key,
    dc010_undefined_reference,
    dc011_dependency_cycle,
    dc017_compose_spec_violation,
    dc018_invalid_interpolation,
    dc025_mutually_exclusive_keys,
    dc900_unused_compose_suppression,
}
