//! Running the `shellcheck` program: batches of scripts written to a private temporary
//! directory, one process per batch, batches in parallel.

use super::{Dialect, Finding, Script};
use crate::diagnostic::Diagnostic;
use crate::source::LineIndex;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable that names the ShellCheck program (default: `shellcheck` on
/// `PATH`).
pub const SHELLCHECK_ENV: &str = "WHARF_SHELLCHECK";

/// The (file, script) members of a batch and what ShellCheck found in them.
type BatchResult = (Vec<(usize, usize)>, Result<Vec<Finding>, String>);

/// The most scripts one process reads.
const MAX_BATCH: usize = 200;

/// A `shellcheck` program that answered `--version`.
#[derive(Debug, Clone)]
pub struct Runner {
    program: PathBuf,
    /// The version it reports (`0.9.0`).
    pub version: String,
}

/// The help that goes with "ShellCheck is not available".
const INSTALL_HELP: &str = "install it (Debian/Ubuntu: `apt-get install shellcheck`), name it with \
     WHARF_SHELLCHECK, or run without --shellcheck (`shellcheck = false` in wharf.toml)";

impl Runner {
    /// The program `WHARF_SHELLCHECK` names, or `shellcheck` on `PATH`, checked by running
    /// `--version`. The error says what went wrong and how to fix it.
    pub fn find() -> Result<Runner, String> {
        let program = std::env::var_os(SHELLCHECK_ENV)
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from("shellcheck"), PathBuf::from);
        Runner::with_program(&program)
    }

    /// A runner for this program, checked by running `--version`.
    pub fn with_program(program: &Path) -> Result<Runner, String> {
        let shown = program.display();
        let out = Command::new(program)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    format!("ShellCheck is enabled but `{shown}` was not found: {INSTALL_HELP}")
                }
                _ => format!(
                    "ShellCheck is enabled but `{shown}` cannot be run ({e}): {INSTALL_HELP}"
                ),
            })?;
        let text = String::from_utf8_lossy(&out.stdout);
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("version:"))
            .map(|v| v.trim().to_string());
        match version {
            Some(version) if out.status.success() => Ok(Runner {
                program: program.to_path_buf(),
                version,
            }),
            _ => Err(format!(
                "ShellCheck is enabled but `{shown} --version` did not answer as ShellCheck does \
                 ({}): {INSTALL_HELP}",
                status_text(&out.status)
            )),
        }
    }

    /// Checks the scripts of several files. The result has one entry per file, in order: its
    /// diagnostics (in no particular order; the engine sorts), or the error of a batch that
    /// held one of its scripts.
    pub fn check(&self, files: &[Vec<Script>]) -> Vec<Result<Vec<Diagnostic>, String>> {
        // Every script, as (file, script), grouped by dialect and cut into batches.
        let mut all: Vec<(Dialect, usize, usize)> = files
            .iter()
            .enumerate()
            .flat_map(|(f, scripts)| {
                scripts
                    .iter()
                    .enumerate()
                    .map(move |(s, script)| (script.dialect, f, s))
            })
            .collect();
        all.sort_unstable();
        let threads = rayon::current_num_threads().max(1);
        // Enough batches to keep every thread busy, none larger than MAX_BATCH.
        let size = all.len().div_ceil(threads * 2).clamp(1, MAX_BATCH);
        let mut batches: Vec<Vec<(Dialect, usize, usize)>> = Vec::new();
        for item in all {
            match batches.last_mut() {
                Some(b) if b.len() < size && b[0].0 == item.0 => b.push(item),
                _ => batches.push(vec![item]),
            }
        }
        let results: Vec<BatchResult> = batches
            .par_iter()
            .map(|batch| {
                let members: Vec<(usize, usize)> = batch.iter().map(|&(_, f, s)| (f, s)).collect();
                let scripts: Vec<&Script> = members.iter().map(|&(f, s)| &files[f][s]).collect();
                let dialect = batch.first().map_or(Dialect::Sh, |b| b.0);
                (members, self.run_batch(dialect, &scripts))
            })
            .collect();
        let mut out: Vec<Result<Vec<Diagnostic>, String>> =
            files.iter().map(|_| Ok(Vec::new())).collect();
        let indexes: Vec<Vec<LineIndex>> = files
            .iter()
            .map(|scripts| scripts.iter().map(|s| LineIndex::new(&s.text)).collect())
            .collect();
        for (members, result) in results {
            match result {
                Ok(findings) => {
                    for f in findings {
                        let Some(&(file, script)) = batch_member(&members, &f.file) else {
                            continue;
                        };
                        let (Some(s), Some(index)) = (
                            files.get(file).and_then(|v| v.get(script)),
                            indexes.get(file).and_then(|v| v.get(script)),
                        ) else {
                            continue;
                        };
                        if let (Some(Ok(list)), Some(d)) =
                            (out.get_mut(file), f.to_diagnostic(s, index))
                        {
                            list.push(d);
                        }
                    }
                }
                Err(e) => {
                    for &(file, _) in &members {
                        if let Some(slot) = out.get_mut(file) {
                            *slot = Err(e.clone());
                        }
                    }
                }
            }
        }
        out
    }

    /// Runs one process over scripts of one dialect.
    fn run_batch(&self, dialect: Dialect, scripts: &[&Script]) -> Result<Vec<Finding>, String> {
        let dir = TempDir::new().map_err(|e| {
            format!("ShellCheck could not run: cannot create a temporary directory: {e}")
        })?;
        let mut names = Vec::with_capacity(scripts.len());
        for (i, s) in scripts.iter().enumerate() {
            let name = format!("{i}.sh");
            std::fs::write(dir.path.join(&name), &s.text).map_err(|e| {
                format!("ShellCheck could not run: cannot write a temporary script: {e}")
            })?;
            names.push(name);
        }
        let out = Command::new(&self.program)
            .args(["--format=json1", "--norc", "--shell", dialect.as_str()])
            .arg("--")
            .args(&names)
            .current_dir(&dir.path)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("ShellCheck could not run `{}`: {e}", self.program.display()))?;
        // 0: nothing found; 1: findings. Anything else is a failure.
        if !matches!(out.status.code(), Some(0 | 1)) {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(format!(
                "ShellCheck failed ({}){}",
                status_text(&out.status),
                if first.is_empty() {
                    String::new()
                } else {
                    format!(": {}", first.trim())
                }
            ));
        }
        parse_output(&out.stdout)
    }
}

/// The (file, script) a ShellCheck file name (`3.sh`) stands for in a batch.
fn batch_member<'a>(members: &'a [(usize, usize)], name: &str) -> Option<&'a (usize, usize)> {
    let base = Path::new(name).file_name()?.to_str()?;
    let n: usize = base.strip_suffix(".sh")?.parse().ok()?;
    members.get(n)
}

/// ShellCheck's `json1` document: `{"comments": [...]}`.
pub(super) fn parse_output(stdout: &[u8]) -> Result<Vec<Finding>, String> {
    #[derive(serde::Deserialize)]
    struct Doc {
        comments: Vec<Finding>,
    }
    serde_json::from_slice::<Doc>(stdout)
        .map(|d| d.comments)
        .map_err(|e| format!("ShellCheck printed something that is not its JSON output ({e})"))
}

fn status_text(status: &std::process::ExitStatus) -> String {
    match status.code() {
        Some(c) => format!("exit status {c}"),
        None => "killed by a signal".to_string(),
    }
}

/// A directory of our own under the system's temporary directory, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        let mut last = None;
        for _ in 0..100 {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = base.join(format!("wharf-shellcheck-{}-{n}", std::process::id()));
            // `create_dir` fails when the path exists: the directory is ours alone.
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free name")))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
