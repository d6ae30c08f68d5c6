//! wharf: a fast linter for Dockerfiles and Docker Compose files.
//!
//! The pipeline: [`discover`] finds files, each is read once into a [`source::SourceFile`],
//! parsed once ([`dockerfile`], [`compose`]), and every selected rule from [`registry`] runs
//! over it ([`engine`]); the diagnostics are sorted and printed by [`output`].

pub mod cli;
pub mod compose;
pub mod config;
pub mod diagnostic;
pub mod dirlist;
pub mod discover;
pub mod dockerfile;
pub mod dockerignore;
pub mod engine;
pub mod findings;
pub mod fix;
pub mod formats;
pub mod knowledge;
pub mod output;
pub mod project;
pub mod registry;
pub mod rule;
pub mod rule_times;
pub mod server;
pub mod settings;
pub mod shared_data;
pub mod shell;
pub mod shellcheck;
pub mod source;
pub mod suppress;

#[path = "../rules/mod.rs"]
pub mod rules;
