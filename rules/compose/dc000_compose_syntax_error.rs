use crate::declare_rule;
use crate::rule::{Category, Check};
use crate::source::FileKind;

declare_rule! {
    /// ## What it does
    /// Reports a compose file that cannot be read: invalid YAML, a key given twice in one
    /// mapping, or a top level that is not a mapping.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses the file. Duplicate keys are easy to miss in review because
    /// many YAML tools silently keep the last value.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     image: nginx:1.26
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    pub static RULE = Rule {
        code: "DC000",
        name: "compose-syntax-error",
        category: Category::Syntax,
        summary: "the compose file cannot be parsed",
        check: Check::Syntax(FileKind::Compose),
    };
}
