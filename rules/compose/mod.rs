//! Rules for compose files.

crate::register_rules! {
    dc000_compose_syntax_error,
    dc001_obsolete_version_key,
    dc900_unused_compose_suppression,
}
