//! Finding the files to lint: walking directories (honouring .gitignore) and deciding whether a
//! file is a Dockerfile or a compose file.

use crate::source::FileKind;
use std::path::{Path, PathBuf};

/// The kind a file name implies, or `None` when the name says nothing.
pub fn kind_from_name(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let is_yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if is_yaml
        && (lower.starts_with("docker-compose")
            || lower.starts_with("compose.")
            || lower.starts_with("compose-"))
    {
        return Some(FileKind::Compose);
    }
    let not_dockerfile = [
        ".dockerignore",
        ".md",
        ".txt",
        ".json",
        ".sh",
        ".yml",
        ".yaml",
    ];
    if not_dockerfile.iter().any(|ext| lower.ends_with(ext)) {
        return None;
    }
    if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
        || lower.starts_with("containerfile.")
    {
        return Some(FileKind::Dockerfile);
    }
    None
}

/// The kind of a file named explicitly: from its name, else from its content.
pub fn kind_of(path: &Path, text: &str) -> FileKind {
    if let Some(k) = kind_from_name(path) {
        return k;
    }
    let lower = path.to_string_lossy().to_ascii_lowercase();
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        return FileKind::Compose;
    }
    kind_from_content(text)
}

/// Guesses the kind from content: a YAML mapping with compose's top-level keys is compose,
/// anything else is read as a Dockerfile.
pub fn kind_from_content(text: &str) -> FileKind {
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let first = t.split_whitespace().next().unwrap_or("");
        if matches!(
            first.trim_end_matches(':'),
            "services"
                | "version"
                | "volumes"
                | "networks"
                | "name"
                | "include"
                | "secrets"
                | "configs"
                | "x-"
        ) && first.ends_with(':')
        {
            return FileKind::Compose;
        }
        if t == "---" || t.starts_with("x-") {
            return FileKind::Compose;
        }
        return FileKind::Dockerfile;
    }
    FileKind::Dockerfile
}

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    /// `None` for an explicitly named file whose kind comes from its content.
    pub kind: Option<FileKind>,
}

/// An error found while discovering files.
#[derive(Debug, Clone)]
pub struct DiscoverError {
    pub path: PathBuf,
    pub message: String,
}

/// Expands the command-line paths into files to lint. Directories are walked (honouring
/// .gitignore, .ignore and hidden files rules) and only files whose name is a Dockerfile or
/// compose name are kept; files named explicitly are always kept.
pub fn discover(
    paths: &[PathBuf],
    exclude: &dyn Fn(&Path) -> bool,
) -> (Vec<Candidate>, Vec<DiscoverError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                errors.push(DiscoverError {
                    path: path.clone(),
                    message: io_message(&e),
                });
                continue;
            }
        };
        if meta.is_file() {
            out.push(Candidate {
                path: path.clone(),
                kind: kind_from_name(path),
            });
            continue;
        }
        let before = out.len();
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let p = e.path();
                    if exclude(p) {
                        continue;
                    }
                    if let Some(kind) = kind_from_name(p) {
                        out.push(Candidate {
                            path: p.to_path_buf(),
                            kind: Some(kind),
                        });
                    }
                }
                Err(e) => errors.push(DiscoverError {
                    path: path.clone(),
                    message: e.to_string(),
                }),
            }
        }
        if out.len() == before {
            errors.push(DiscoverError {
                path: path.clone(),
                message: "no Dockerfile or compose file found in this directory".into(),
            });
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.path == b.path);
    (out, errors)
}

/// A short, lowercase description of an I/O error.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s);
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => s.to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "Dockerfile",
            "Dockerfile.dev",
            "app.Dockerfile",
            "x.dockerfile",
            "Containerfile",
            "Containerfile.arm",
        ] {
            assert_eq!(
                kind_from_name(Path::new(n)),
                Some(FileKind::Dockerfile),
                "{n}"
            );
        }
        for n in [
            "compose.yaml",
            "compose.prod.yml",
            "docker-compose.yml",
            "docker-compose.override.yaml",
        ] {
            assert_eq!(kind_from_name(Path::new(n)), Some(FileKind::Compose), "{n}");
        }
        for n in [
            "README.md",
            "values.yaml",
            "Dockerfile.dockerignore",
            "Dockerfile.md",
        ] {
            assert_eq!(kind_from_name(Path::new(n)), None, "{n}");
        }
    }

    #[test]
    fn content() {
        assert_eq!(
            kind_from_content("# c\nservices:\n  a: {}\n"),
            FileKind::Compose
        );
        assert_eq!(kind_from_content("FROM alpine\n"), FileKind::Dockerfile);
    }
}
