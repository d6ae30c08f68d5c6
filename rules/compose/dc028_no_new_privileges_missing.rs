use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service without `no-new-privileges:true` in its `security_opt`
    /// (`no-new-privileges`, `no-new-privileges=true` count too). Off by default: it is a
    /// hardening checklist item that most files do not follow.
    ///
    /// ## Why is this bad?
    /// Without it, a process in the container can gain privileges through set-uid binaries
    /// or file capabilities: a non-root user that reaches `su`, `sudo` or a set-uid helper
    /// can become root. With it the kernel refuses any such gain.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     security_opt:
    ///       - no-new-privileges:true
    /// ```
    pub static RULE = Rule {
        code: "DC028",
        name: "no-new-privileges-missing",
        category: Category::Pedantic,
        severity: Some(Severity::Warning),
        summary: "a service does not set `no-new-privileges`",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        let set = service.list("security_opt").iter().any(|o| {
            let v = o.resolved().unwrap_or_default().trim().to_ascii_lowercase();
            matches!(
                v.as_str(),
                "no-new-privileges" | "no-new-privileges:true" | "no-new-privileges=true"
            )
        });
        if set {
            continue;
        }
        ctx.report(
            service.name_span(),
            format!("service `{}` does not set `no-new-privileges`", service.name),
        )
        .help("add `security_opt: [\"no-new-privileges:true\"]`");
    }
}
