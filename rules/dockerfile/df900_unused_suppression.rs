use crate::declare_rule;
use crate::rule::{Category, Check};

declare_rule! {
    /// ## What it does
    /// Reports suppression comments in a Dockerfile that silence nothing: a rule named in
    /// `# wharf: ignore=`, `# hadolint ignore=` (and its `global`/`stage` forms) or
    /// `# check=skip=` that reports nothing where the comment applies. It also reports names
    /// in `# wharf:` comments that match no rule, `# wharf: ignore` without any rule, and
    /// `DF000`, which no comment can silence.
    ///
    /// Only rules that ran are judged: a comment naming a rule turned off in this run is left
    /// alone, since another configuration may still need it. Names in hadolint and BuildKit
    /// comments that wharf does not know (ShellCheck codes, for instance) are never reported.
    ///
    /// ## Why is this bad?
    /// A stale suppression waits to hide the next real finding of that rule at the same place,
    /// and tells readers there is a problem where there is none. A misspelled rule name
    /// silences nothing at all, which is easy to miss.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// # wharf: ignore=DL3025 -- the app handles signals itself
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the rule's name from the comment, or the whole comment when nothing else
    /// would be left in it. In wharf's own comments it is safe: the name silenced nothing, so
    /// wharf's findings stay the same. In hadolint and BuildKit comments it is unsafe: that tool may still
    /// need the name, and would report again without it.
    pub static RULE = Rule {
        code: "DF900",
        name: "unused-suppression",
        category: Category::Style,
        summary: "a suppression comment silences nothing",
        fixable: true,
        check: Check::Meta,
    };
}
