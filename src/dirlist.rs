//! One reading of a directory that answers several questions at once: whether the directory
//! is a link, and the names and types of its entries. Discovery reads the directories of the
//! files named on the command line this way ([`crate::discover`]), so that a named file's type
//! comes from its directory's listing instead of a `stat` of its own, the directory needs no
//! `lstat` to be resolved, and the configuration lookup and the build context reuse the same
//! listing.
//!
//! On Linux the directory is opened with `O_NOFOLLOW` (the open fails on a link, which is how
//! a link is told apart without a `stat`) and read with `getdents64` into one buffer: no
//! `fstat` and no allocation per entry, as `std::fs::read_dir` has. Elsewhere [`read`] says
//! it cannot, and callers ask the file system the usual way.

use std::ffi::OsStr;
use std::path::Path;

/// The type of an entry, as the listing gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryType {
    File,
    Dir,
    Link,
    /// A FIFO, a socket, a device.
    Other,
    /// The file system does not say (a `stat` would).
    Unknown,
}

/// A directory read once: it is a real directory (its last component is not a link), and
/// these are its entries, `.` and `..` left out, sorted by name.
#[derive(Debug, Default)]
pub struct Listing {
    /// The names, one after another.
    names: Vec<u8>,
    /// Each entry: where its name starts in `names`, its length, its type.
    entries: Vec<(u32, u16, EntryType)>,
}

impl Listing {
    /// The entries, sorted by name bytes.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = (&OsStr, EntryType)> + '_ {
        self.entries
            .iter()
            .map(|&(at, len, t)| (self.name(at, len), t))
    }

    /// The type of the entry `name`, `None` when there is none.
    pub fn get(&self, name: &OsStr) -> Option<EntryType> {
        let wanted = name.as_encoded_bytes();
        self.entries
            .binary_search_by(|&(at, len, _)| self.bytes(at, len).cmp(wanted))
            .ok()
            .map(|i| self.entries[i].2)
    }

    fn bytes(&self, at: u32, len: u16) -> &[u8] {
        let at = at as usize;
        self.names.get(at..at + len as usize).unwrap_or_default()
    }

    fn name(&self, at: u32, len: u16) -> &OsStr {
        #[cfg(unix)]
        {
            std::os::unix::ffi::OsStrExt::from_bytes(self.bytes(at, len))
        }
        // Never reached: only Linux fills a listing.
        #[cfg(not(unix))]
        {
            OsStr::new(std::str::from_utf8(self.bytes(at, len)).unwrap_or_default())
        }
    }
}

/// Reads `dir` when it is a real directory (not a link to one) with at most `max` entries.
/// `None` when it cannot say: a link, not a directory, an error, more entries than `max`,
/// or a platform without this reader. The caller then asks the file system as before.
pub fn read(dir: &Path, max: usize) -> Option<Listing> {
    imp::read(dir, max)
}

#[cfg(target_os = "linux")]
mod imp {
    use super::{EntryType, Listing};
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;

    /// Bytes asked of each `getdents64` call: a small directory's whole listing.
    const CHUNK: usize = 8 * 1024;
    /// A record's fixed part: inode (8), offset (8), length (2), type (1).
    const HEAD: usize = 19;

    pub(super) fn read(dir: &Path, max: usize) -> Option<Listing> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
            .open(dir)
            .ok()?;
        let mut buf: Vec<u8> = Vec::new();
        let mut out = Listing::default();
        loop {
            buf.clear();
            buf.reserve(CHUNK);
            // SAFETY: the descriptor is open for the call (owned by `file`), and the kernel
            // writes at most `spare.len()` bytes into the spare capacity it is given.
            let n = unsafe {
                let spare = buf.spare_capacity_mut();
                libc::syscall(
                    libc::SYS_getdents64,
                    file.as_raw_fd(),
                    spare.as_mut_ptr(),
                    spare.len(),
                )
            };
            if n < 0 {
                return None;
            }
            if n == 0 {
                break;
            }
            let n = usize::try_from(n).ok()?.min(buf.capacity());
            // SAFETY: the kernel initialised the first `n` bytes of the spare capacity.
            unsafe { buf.set_len(n) };
            let mut at = 0;
            while at < n {
                let reclen = u16::from_ne_bytes([*buf.get(at + 16)?, *buf.get(at + 17)?]) as usize;
                let record = buf.get(at..at + reclen)?;
                if reclen < HEAD {
                    return None;
                }
                let kind = match record[18] {
                    libc::DT_REG => EntryType::File,
                    libc::DT_DIR => EntryType::Dir,
                    libc::DT_LNK => EntryType::Link,
                    libc::DT_UNKNOWN => EntryType::Unknown,
                    _ => EntryType::Other,
                };
                let name = &record[HEAD..];
                let name = &name[..name.iter().position(|&b| b == 0)?];
                at += reclen;
                if name == b"." || name == b".." {
                    continue;
                }
                if out.entries.len() == max {
                    return None;
                }
                let start = u32::try_from(out.names.len()).ok()?;
                let len = u16::try_from(name.len()).ok()?;
                out.names.extend_from_slice(name);
                out.entries.push((start, len, kind));
            }
        }
        let names = std::mem::take(&mut out.names);
        out.entries.sort_unstable_by(|a, b| {
            let name = |&(at, len, _): &(u32, u16, EntryType)| {
                &names[at as usize..at as usize + len as usize]
            };
            name(a).cmp(name(b))
        });
        out.names = names;
        Some(out)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::Listing;
    use std::path::Path;

    pub(super) fn read(_dir: &Path, _max: usize) -> Option<Listing> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The listing where this reader works (Linux); elsewhere it declines, and the test has
    /// nothing more to check.
    fn read_where_supported(dir: &Path, max: usize) -> Option<Listing> {
        let got = read(dir, max);
        assert_eq!(
            got.is_some(),
            cfg!(target_os = "linux"),
            "{}",
            dir.display()
        );
        got
    }

    #[test]
    fn a_directory_is_read_with_the_types_of_its_entries() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("Dockerfile", dir.path().join("link")).unwrap();
        let Some(listing) = read_where_supported(dir.path(), 100) else {
            return;
        };
        let names: Vec<_> = listing.entries().map(|(n, t)| (n.to_owned(), t)).collect();
        assert_eq!(
            names,
            [
                ("Dockerfile".into(), EntryType::File),
                ("link".into(), EntryType::Link),
                ("sub".into(), EntryType::Dir),
            ]
        );
        assert_eq!(listing.get(OsStr::new("sub")), Some(EntryType::Dir));
        assert_eq!(listing.get(OsStr::new("missing")), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_a_file_a_missing_path_and_a_large_directory_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::fs::write(dir.path().join("real/a"), "").unwrap();
        std::fs::write(dir.path().join("real/b"), "").unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("link")).unwrap();
        assert!(read(&dir.path().join("link"), 100).is_none());
        assert!(read(&dir.path().join("real/a"), 100).is_none());
        assert!(read(&dir.path().join("missing"), 100).is_none());
        assert!(read(&dir.path().join("real"), 1).is_none());
        if let Some(listing) = read_where_supported(&dir.path().join("real"), 2) {
            assert_eq!(listing.entries().len(), 2);
        }
    }

    #[test]
    fn a_directory_of_many_entries_is_read_across_several_calls() {
        let dir = tempfile::tempdir().unwrap();
        let mut want: Vec<String> = (0..600)
            .map(|i| format!("file-with-a-long-name-{i:04}"))
            .collect();
        for n in &want {
            std::fs::write(dir.path().join(n), "").unwrap();
        }
        want.sort();
        let Some(listing) = read_where_supported(dir.path(), 10_000) else {
            return;
        };
        let got: Vec<String> = listing
            .entries()
            .map(|(n, _)| n.to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, want);
    }
}
