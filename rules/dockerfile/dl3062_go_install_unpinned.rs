use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each package of a `go install` or `go get` that names no version, or names
    /// `@latest` or `@none`.
    ///
    /// Local packages (`.`, `./cmd/...`, `/src/app`) build what the context holds and are
    /// fine, and so are variables. The values of Go's flags (`-ldflags "-s -w"`, `-tags
    /// netgo`, `-o /out`) are not packages. `go run pkg@version` is not judged.
    ///
    /// ## Why is this bad?
    /// Without a version, Go resolves the newest release at build time (for `go install`
    /// outside a module, a bare path does not even build): builds are not reproducible, and a
    /// breaking release reaches the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN go install golang.org/x/tools/gopls@latest
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN go install golang.org/x/tools/gopls@v0.16.2
    /// ```
    pub static RULE = Rule {
        code: "DL3062",
        name: "go-install-unpinned",
        category: Category::Reliability,
        summary: "a go install names a package without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| c.manager == Manager::Go);
}
