//! Rules for compose files.

pub mod dc000_syntax_error;
pub mod dc900_unused_compose_suppression;
