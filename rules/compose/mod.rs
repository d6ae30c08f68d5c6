//! Rules for compose files.

pub mod dc000_syntax_error;
pub mod dc001_obsolete_version;
pub mod dc900_unused_compose_suppression;
