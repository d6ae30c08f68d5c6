//! Knowledge about the world, as data in one place: which images run as a non-root user, which
//! are Windows images, Docker Hub's aliases, secret-like names, slim variants, database images.
//! Rules ask these tables instead of carrying their own lists; the configuration can extend the
//! tables where users need it.

pub mod files;
pub mod images;
pub mod secrets;
pub mod toolchain;
