//! Rules for Dockerfiles.

pub mod df000_syntax_error;
