//! Value formats that rules check: versions, URIs, timestamps, license expressions, email
//! addresses, git hashes. Each is a pure function of a string, with its tests beside it.

mod email;
mod git_hash;
mod rfc3339;
mod semver;
mod spdx;
mod uri;

pub use email::is_email;
pub use git_hash::is_git_hash;
pub use rfc3339::is_rfc3339;
pub use semver::is_semver;
pub use spdx::is_spdx_expression;
pub use uri::is_uri;
