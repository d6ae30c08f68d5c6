//! Where the tests find the data shared between projects (`../shared`: the corpus and the
//! schemas), and what they do when it is missing: skip with a note on a developer's machine,
//! fail in CI (where the `CI` variable is set), so that a misconfigured pipeline cannot pass
//! by testing nothing.

use std::path::{Path, PathBuf};

/// The path of `relative` under `../shared` (relative to the crate), when it exists. When it
/// does not: `None` after a note on standard error, or a panic when `CI` is set.
#[doc(hidden)]
pub fn shared_path(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    resolve(&path, std::env::var_os("CI").is_some_and(|v| !v.is_empty()))
}

/// Every file under `relative` (see [`shared_path`]), sorted; `None` when it is absent.
#[doc(hidden)]
pub fn shared_files(relative: &str) -> Option<Vec<PathBuf>> {
    let mut stack = vec![shared_path(relative)?];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Some(files)
}

fn resolve(path: &Path, in_ci: bool) -> Option<PathBuf> {
    if path.exists() {
        return Some(path.to_path_buf());
    }
    if in_ci {
        panic!(
            "{} is missing: CI must provide the shared corpus and schemas",
            path.display()
        );
    }
    eprintln!("skipping: {} is absent", path.display());
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_path_is_returned() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(resolve(here, true).as_deref(), Some(here));
    }

    #[test]
    fn missing_path_skips_locally() {
        assert_eq!(resolve(Path::new("/nonexistent/wharf-shared"), false), None);
    }

    #[test]
    #[should_panic(expected = "CI must provide")]
    fn missing_path_fails_in_ci() {
        resolve(Path::new("/nonexistent/wharf-shared"), true);
    }
}
