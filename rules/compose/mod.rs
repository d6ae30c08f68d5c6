//! Rules for compose files.

pub mod dc001_obsolete_version;
