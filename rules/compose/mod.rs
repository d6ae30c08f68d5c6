//! Rules for compose files.

pub mod dc000_syntax_error;
