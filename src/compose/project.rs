//! How compose files combine into one project: the default override file beside a base
//! file (`compose.yaml` + `compose.override.yaml`, `docker-compose.yml` +
//! `docker-compose.override.yml`).

use std::path::{Path, PathBuf};

/// The default file names compose looks for, in its order of preference, each with the
/// override file it reads on top.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    ("compose.yaml", "compose.override.yaml"),
    ("compose.yml", "compose.override.yml"),
    ("docker-compose.yml", "docker-compose.override.yml"),
    ("docker-compose.yaml", "docker-compose.override.yaml"),
];

/// Whether a compose file is an override file (`compose.override.yaml`,
/// `docker-compose.override.yml`, `app.override.yml`): compose reads it on top of a base
/// file, so on its own it may name things the base defines.
pub fn is_override(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|n| n.ends_with(".override.yml") || n.ends_with(".override.yaml"))
}

/// The base file a default override file is read on top of, when it exists in the same
/// directory (`compose.override.yaml` -> `compose.yaml`, or `compose.yml`, ...).
pub fn base_of(path: &Path, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let is_default_override = DEFAULT_FILES.iter().any(|(_, o)| *o == name);
    if !is_default_override {
        return None;
    }
    // Compose takes the first default file that exists, then the override of the same
    // family (`compose.*` or `docker-compose.*`).
    let family = name.starts_with("compose.");
    DEFAULT_FILES
        .iter()
        .filter(|(b, _)| b.starts_with("compose.") == family)
        .map(|(b, _)| dir.join(b))
        .find(|p| exists(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_files_by_name() {
        assert!(is_override(Path::new("a/compose.override.yaml")));
        assert!(is_override(Path::new("docker-compose.override.yml")));
        assert!(is_override(Path::new("dev.override.YML")));
        assert!(!is_override(Path::new("compose.yaml")));
        assert!(!is_override(Path::new("override.yml")));
    }

    #[test]
    fn base_of_a_default_override() {
        let exists =
            |p: &Path| p == Path::new("d/compose.yml") || p == Path::new("docker-compose.yaml");
        assert_eq!(
            base_of(Path::new("d/compose.override.yaml"), exists),
            Some(PathBuf::from("d/compose.yml"))
        );
        assert_eq!(
            base_of(Path::new("docker-compose.override.yml"), exists),
            Some(PathBuf::from("docker-compose.yaml"))
        );
        assert_eq!(
            base_of(Path::new("d/docker-compose.override.yml"), exists),
            None
        );
        assert_eq!(base_of(Path::new("d/dev.override.yml"), exists), None);
    }
}
