use crate::declare_rule;
use crate::rule::{Category, Check};

declare_rule! {
    /// ## What it does
    /// Reports suppression comments in a compose file that silence nothing: a rule named in
    /// `# wharf: ignore=` or a `# dclint disable...` comment that reports nothing where the
    /// comment applies. It also reports names in `# wharf:` comments that match no rule,
    /// `# wharf: ignore` without any rule, and `DC000`, which no comment can silence.
    ///
    /// Only rules that ran are judged: a comment naming a rule turned off in this run is left
    /// alone, since another configuration may still need it. dclint rule names that wharf does
    /// not know are never reported.
    ///
    /// ## Why is this bad?
    /// A stale suppression waits to hide the next real finding of that rule at the same place,
    /// and tells readers there is a problem where there is none. A Dockerfile rule named in a
    /// compose file never runs there, so the comment does nothing.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     # wharf: ignore=DL3025
    ///     command: nginx -g "daemon off;"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     command: nginx -g "daemon off;"
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the rule's name from the comment, or the whole comment when nothing else
    /// would be left in it. In wharf's own comments it is safe: the name silenced nothing, so
    /// wharf's findings stay the same. In dclint comments it is unsafe: that tool may still
    /// need the name, and would report again without it.
    pub static RULE = Rule {
        code: "DC900",
        name: "unused-compose-suppression",
        category: Category::Style,
        summary: "a suppression comment in a compose file silences nothing",
        fixable: true,
        check: Check::Meta,
    };
}
