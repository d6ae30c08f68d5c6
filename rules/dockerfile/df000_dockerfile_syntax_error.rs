use crate::declare_rule;
use crate::rule::{Category, Check};
use crate::source::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a Dockerfile that BuildKit cannot read: an unknown instruction, a flag an
    /// instruction does not take, a flag without its `=value` (`COPY --chmod 777 a b`) or a
    /// boolean flag with another value, `ENV` without `=`, a `FROM` with the wrong number of
    /// arguments, an unterminated heredoc, a JSON array with non-string elements.
    ///
    /// Arguments are counted as BuildKit's parser counts them: COPY and ADD split at
    /// whitespace, so an odd quote inside an argument does not merge it with the next.
    ///
    /// ## Why is this bad?
    /// `docker build` stops at the first such line. wharf reports every one it finds, with its
    /// exact position, and goes on linting the rest of the file.
    ///
    /// A file that holds template placeholders (`{{ ... }}` or `{% ... %}`, as Jinja, Go
    /// templates and cookiecutter write them) is not a Dockerfile until it is rendered: it gets
    /// only its first syntax error, whose help says so and counts the others, instead of one
    /// finding per templated line.
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
