//! What a file is for, judged by where it lives: rules that matter only for images that ship
//! stay quiet on development environments, and rules that matter only for deployed compose
//! stacks look for production files.

use std::path::Path;

/// A dev-environment image (VS Code dev containers, Gitpod), judged by its path.
pub fn is_dev_environment(path: &Path) -> bool {
    // Most paths do not hold the name at all: looked for in the bytes before the components.
    let bytes = path.as_os_str().as_encoded_bytes();
    let dev_dir = memchr::memmem::find(bytes, b".devcontainer").is_some()
        && path.components().any(|c| c.as_os_str() == ".devcontainer");
    dev_dir || path.file_name().is_some_and(|n| n == ".gitpod.Dockerfile")
}

/// A word that names production: `prod`, `production`, or a word starting with `prod`
/// followed by a separator (`prod-eu`, `production.yml`). `product` and `produce` are not.
pub fn is_production_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|t| t == "prod" || t == "production" || t == "prd")
}

/// A compose file meant for production, judged by its file name (`compose.prod.yaml`,
/// `docker-compose.production.yml`, `prod.compose.yml`). Rules that matter only where a
/// stack is deployed (memory limits, restart policies, no source bind mounts) ask this, or
/// whether a service has a production profile.
pub fn is_production_compose(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(is_production_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_files_by_name() {
        for p in [
            "compose.prod.yaml",
            "deploy/docker-compose.production.yml",
            "docker-compose-prod.yml",
            "prod.compose.yml",
            "docker-compose.prd.yml",
        ] {
            assert!(is_production_compose(Path::new(p)), "{p}");
        }
        for p in [
            "compose.yaml",
            "prod/compose.yaml",
            "docker-compose.products.yml",
            "docker-compose.dev.yml",
        ] {
            assert!(!is_production_compose(Path::new(p)), "{p}");
        }
        assert!(is_production_word("prod-eu"));
        assert!(!is_production_word("produce"));
    }

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
