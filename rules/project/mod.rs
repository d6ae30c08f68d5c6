//! Rules for project files.
