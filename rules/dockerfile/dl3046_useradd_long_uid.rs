use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `useradd` with a UID of more than five digits (`-u 100000`, `--uid=1000000`)
    /// and without `-l` (`--no-log-init`), at the UID. Also through `sudo`, by base name
    /// (`/usr/sbin/useradd`), in heredoc scripts and `ONBUILD RUN` triggers.
    ///
    /// A UID given by a variable is judged by its value when the file declares it
    /// (`ARG UID=1000`, `-u ${UID}`), and not at all otherwise; hadolint judges the
    /// variable's name.
    ///
    /// ## Why is this bad?
    /// Without `-l`, useradd writes the user's entry into `/var/log/lastlog` and
    /// `/var/log/faillog`, at an offset proportional to the UID. The file is sparse on disk,
    /// but image layers store it in full: a UID of 100000000 makes a layer of many
    /// gigabytes, and can exhaust the builder's disk.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN useradd -u 123456789 app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN useradd -l -u 123456789 app
    /// ```
    pub static RULE = Rule {
        code: "DL3046",
        name: "useradd-long-uid",
        category: Category::Efficiency,
        summary: "useradd creates a user with a long UID without -l",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    let df = ctx.file;
    for cmd in run.commands() {
        let eff = cmd.effective();
        if eff.base_name() != Some("useradd") || eff.has_any_flag(&["l", "no-log-init"]) {
            continue;
        }
        let Some(word) = eff.flag_value_word("u").or_else(|| eff.flag_value_word("uid")) else {
            continue;
        };
        let text = word.text.strip_prefix("--uid=").unwrap_or(&word.text);
        let uid = if word.has_expansion {
            let e = df.model.expand_at(run.index, text, df.escape);
            if e.unresolved {
                continue;
            }
            e.value
        } else {
            text.to_string()
        };
        if uid.len() > 5 {
            ctx.report(word.span, format!("`useradd` with the long UID `{uid}` and without `-l`"))
                .help("add `-l` (`--no-log-init`) so that useradd does not fill lastlog and faillog");
        }
    }
}
