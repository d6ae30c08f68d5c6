//! What a file is for, judged by where it lives: rules that matter only for images that ship
//! stay quiet on development environments.

use std::path::Path;

/// A dev-environment image (VS Code dev containers, Gitpod), judged by its path.
pub fn is_dev_environment(path: &Path) -> bool {
    let dev_dir = path.components().any(|c| c.as_os_str() == ".devcontainer");
    dev_dir || path.file_name().is_some_and(|n| n == ".gitpod.Dockerfile")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_environments_by_path() {
        assert!(is_dev_environment(Path::new(
            "repo/.devcontainer/Dockerfile"
        )));
        assert!(is_dev_environment(Path::new(".gitpod.Dockerfile")));
        assert!(!is_dev_environment(Path::new(
            "repo/devcontainer.Dockerfile"
        )));
        assert!(!is_dev_environment(Path::new("repo/Dockerfile")));
    }
}
