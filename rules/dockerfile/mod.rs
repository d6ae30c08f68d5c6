//! Rules for dockerfile files.
