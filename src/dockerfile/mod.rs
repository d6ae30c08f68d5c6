//! Dockerfile parser (placeholder).
pub struct Dockerfile;
