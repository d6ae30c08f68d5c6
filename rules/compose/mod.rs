//! Rules for compose files.
