use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an `ADD` whose sources are all local files or folders, also in an `ONBUILD ADD`
    /// trigger. An `ADD` is fine when a source is a URL (`http://`, `https://`, a git
    /// repository) or a local archive, judged by its extension (`.tar`, `.tar.gz`, `.tgz`,
    /// `.xz`, `.zst` and the like), which `ADD` unpacks; also when it uses a flag only `ADD`
    /// has (`--checksum`, `--keep-git-dir`, `--unpack`). Heredoc sources count as local; a source given by a
    /// variable is not judged.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it fetches URLs and unpacks archives. For a plain file,
    /// `COPY` says exactly what happens, and a later rename of the file to `.tar` cannot
    /// change the build behind the reader's back.
    ///
    /// hadolint reports an `ADD` as soon as one source is neither a URL nor an archive;
    /// wharf only when none is, since `COPY` cannot replace the instruction otherwise.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ADD app.py /app/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// COPY app.py /app/
    /// ```
    ///
    /// ## Fix safety
    /// The fix replaces the `ADD` keyword with `COPY`. It is unsafe: `ADD` unpacks a local tar
    /// archive by its content, not by its name, so a file such as `rootfs.img` that holds a
    /// tar stream is unpacked by `ADD` and copied as is by `COPY`.
    pub static RULE = Rule {
        code: "DL3020",
        name: "add-local-file",
        category: Category::Reliability,
        summary: "ADD is used for local files",
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

/// Extensions of the archives `ADD` unpacks (compressed tar streams), lowercase.
const ARCHIVES: [&str; 17] = [
    ".tar", ".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".tb2", ".xz", ".txz", ".zst", ".tzst",
    ".lz", ".lzma", ".tlz", ".z", ".tz", ".taz",
];

fn is_remote_or_archive(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    let remote = ["http://", "https://", "git@", "git://", "ssh://"]
        .iter()
        .any(|p| s.starts_with(p));
    remote || s.contains('$') || ARCHIVES.iter().any(|e| s.ends_with(e))
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for ins in ctx.file.iter_with_onbuild() {
        let (Kind::Add, Body::Copy { sources, .. }) = (ins.kind, &ins.body) else {
            continue;
        };
        let add_only = ["checksum", "keep-git-dir", "unpack"]
            .iter()
            .any(|f| ins.flag(f).is_some());
        if sources.is_empty() || add_only || sources.iter().any(|s| is_remote_or_archive(&s.value)) {
            continue;
        }
        let lower = ins.keyword_text().chars().all(|c| c.is_ascii_lowercase());
        let copy = if lower { "copy" } else { "COPY" };
        ctx.report(ins.keyword, "ADD of local files; use COPY")
            .help("COPY copies without fetching URLs or unpacking archives")
            .fix(Fix::unsafe_replace(ins.keyword, copy, "replace ADD with COPY"));
    }
}
