use crate::declare_rule;
use crate::rule::{Category, Check};
use crate::source::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a Dockerfile that BuildKit cannot read: an unknown instruction, a flag an
    /// instruction does not take, `ENV` without `=`, a `FROM` with the wrong number of
    /// arguments, an unterminated heredoc, a JSON array with non-string elements.
    ///
    /// ## Why is this bad?
    /// `docker build` stops at the first such line. wharf reports every one it finds, with its
    /// exact position, and goes on linting the rest of the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUNN echo hello
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN echo hello
    /// ```
    pub static RULE = Rule {
        code: "DF000",
        name: "dockerfile-syntax-error",
        category: Category::Syntax,
        summary: "the Dockerfile cannot be parsed",
        check: Check::Syntax(FileKind::Dockerfile),
    };
}
