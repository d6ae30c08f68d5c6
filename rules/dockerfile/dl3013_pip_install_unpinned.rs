use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each package of a `pip install` (also `pip3`, `python -m pip`, `uv pip`) that
    /// names no version.
    ///
    /// Any version specifier pins (`==`, `>=`, `~=`, `!=`, `<`, `===`), and so do a
    /// version-control URL with a ref (`git+https://...@v1.2`), a wheel or sdist file, a path
    /// (`.`, `./pkg`, `src/pkg`) and a variable. Requirements files (`-r`) and the values of
    /// value-taking options (`-i URL`, `--target DIR`, ...) are not packages. With a
    /// constraints file (`-c`), the constraints pin the packages, so the call is not judged.
    ///
    /// Unlike hadolint, `uv pip install` is pip, `sudo pip` and `/usr/local/bin/pip` are pip,
    /// and a package named next to `-r requirements.txt` is still judged; `pipx` is not pip.
    ///
    /// ## Why is this bad?
    /// Without a version, every build installs the newest release of that day: builds are not
    /// reproducible, and a new major version can break the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir requests
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir requests==2.32.3
    /// ```
    pub static RULE = Rule {
        code: "DL3013",
        name: "pip-install-unpinned",
        category: Category::Reliability,
        summary: "a pip install names a package without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| {
        c.manager.family() == Manager::Pip && !c.has_any_flag(&["c", "constraint"])
    });
}
