//! Writing a fixed file back without ever damaging it.
//!
//! [`write_fixed`] replaces a file's content atomically: the new text goes to a temporary file
//! in the same directory, which gets the original's permissions (and owner, where the process
//! may set it), is flushed to disk, and is then renamed over the original. A reader sees the
//! old file or the new one, never a half-written one. Before renaming, the file on disk is
//! read again: when it is no longer what was linted (an editor saved it meanwhile), it is left
//! alone and the caller is told.
//!
//! A symbolic link is followed: the file it points at is fixed in place and the link stays a
//! link. A file without any write permission bit is refused (a rename would otherwise replace
//! it, since only the directory's permissions matter to a rename).
//!
//! Line endings, a byte-order mark and the final newline are the fixes' concern, not this
//! module's: the applier edits the original text, so everything outside the edits is kept
//! byte for byte (see [`super`]).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::source::read_regular_file;

/// Why a fixed file was not written. Each is shown after the file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// The file no longer exists.
    Vanished,
    /// The file changed on disk after it was read.
    Changed,
    /// The file has no write permission.
    ReadOnly,
    /// The file's owner could not be kept.
    Owner(String),
    /// Any other I/O failure, described.
    Io(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Vanished => f.write_str("not fixed: the file no longer exists"),
            WriteError::Changed => f.write_str(
                "not fixed: the file changed on disk since it was read; run wharf again",
            ),
            WriteError::ReadOnly => f.write_str("not fixed: the file is read-only"),
            WriteError::Owner(e) => write!(f, "not fixed: cannot keep the file's owner ({e})"),
            WriteError::Io(e) => write!(f, "not fixed: {e}"),
        }
    }
}

impl std::error::Error for WriteError {}

fn io(e: &std::io::Error) -> WriteError {
    if e.kind() == std::io::ErrorKind::NotFound {
        WriteError::Vanished
    } else {
        WriteError::Io(crate::discover::io_message(e))
    }
}

/// Replaces the content of `path` (which held `original` when it was read) with `fixed`.
pub fn write_fixed(path: &Path, original: &str, fixed: &str) -> Result<(), WriteError> {
    write_fixed_with(path, original, fixed, || {})
}

/// [`write_fixed`], calling `before_rename` once the temporary file is ready, for tests that
/// change the file at the worst moment.
pub(crate) fn write_fixed_with(
    path: &Path,
    original: &str,
    fixed: &str,
    before_rename: impl FnOnce(),
) -> Result<(), WriteError> {
    // The real file: a link is followed, and its target is what gets replaced.
    let target: PathBuf = fs::canonicalize(path).map_err(|e| io(&e))?;
    let meta = fs::metadata(&target).map_err(|e| io(&e))?;
    if !meta.is_file() {
        return Err(WriteError::Io("not a regular file".into()));
    }
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    let unchanged = |target: &Path| -> Result<(), WriteError> {
        let cap = original.len() as u64 + 1;
        match read_regular_file(target, cap) {
            Ok(now) if now == original.as_bytes() => Ok(()),
            Ok(_) | Err(crate::source::ReadError::TooLarge(_)) => Err(WriteError::Changed),
            Err(crate::source::ReadError::Io(e)) => Err(io(&e)),
            Err(e) => Err(WriteError::Io(e.to_string())),
        }
    };
    unchanged(&target)?;
    let dir = target
        .parent()
        .ok_or_else(|| WriteError::Io("the file has no directory".into()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".wharf-fix-")
        .tempfile_in(dir)
        .map_err(|e| io(&e))?;
    tmp.write_all(fixed.as_bytes()).map_err(|e| io(&e))?;
    keep_owner(tmp.as_file(), &meta)?;
    fs::set_permissions(tmp.path(), meta.permissions()).map_err(|e| io(&e))?;
    tmp.as_file().sync_all().map_err(|e| io(&e))?;
    before_rename();
    unchanged(&target)?;
    tmp.persist(&target).map_err(|e| io(&e.error))?;
    Ok(())
}

/// Gives the temporary file the original's owner and group. Nothing to do when they are
/// already ours; otherwise only a privileged process may, and a file that would change hands
/// is not written.
#[cfg(unix)]
fn keep_owner(file: &fs::File, meta: &fs::Metadata) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt;
    let ours = file.metadata().map_err(|e| io(&e))?;
    if ours.uid() == meta.uid() && ours.gid() == meta.gid() {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()))
        .map_err(|e| WriteError::Owner(crate::discover::io_message(&e)))
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::File, _: &fs::Metadata) -> Result<(), WriteError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn replaces_the_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = file(dir.path(), "Dockerfile", "old\r\n");
        write_fixed(&p, "old\r\n", "new\r\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new\r\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = file(dir.path(), "Dockerfile", "a");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_fixed(&p, "a", "b").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link_and_its_target_is_fixed() {
        let dir = tempfile::tempdir().unwrap();
        let real = file(dir.path(), "real.Dockerfile", "a");
        let link = dir.path().join("Dockerfile");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_fixed(&link, "a", "b").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "b");
    }

    #[test]
    fn refuses_a_read_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = file(dir.path(), "Dockerfile", "a");
        let mut perms = fs::metadata(&p).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&p, perms).unwrap();
        assert_eq!(write_fixed(&p, "a", "b"), Err(WriteError::ReadOnly));
        assert_eq!(fs::read_to_string(&p).unwrap(), "a");
    }

    #[test]
    fn refuses_a_vanished_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Dockerfile");
        assert_eq!(write_fixed(&p, "a", "b"), Err(WriteError::Vanished));
        assert!(!p.exists());
    }

    #[test]
    fn refuses_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = file(dir.path(), "Dockerfile", "edited");
        assert_eq!(write_fixed(&p, "a", "b"), Err(WriteError::Changed));
        assert_eq!(fs::read_to_string(&p).unwrap(), "edited");
    }

    #[test]
    fn refuses_a_file_changed_while_writing() {
        let dir = tempfile::tempdir().unwrap();
        let p = file(dir.path(), "Dockerfile", "a");
        let res = write_fixed_with(&p, "a", "b", || fs::write(&p, "edited").unwrap());
        assert_eq!(res, Err(WriteError::Changed));
        assert_eq!(fs::read_to_string(&p).unwrap(), "edited");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
