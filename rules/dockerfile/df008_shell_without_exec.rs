use crate::declare_rule;
use crate::dockerfile::{Body, Command, Dockerfile, Kind, Word};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an exec-form `CMD` or `ENTRYPOINT` that starts a shell
    /// (`["sh", "-c", "..."]`, bash, dash, ash and the like) on a script of several commands
    /// whose last one does not `exec` the program. A script of one simple command is fine:
    /// bash and dash then replace themselves with the command. Scripts that `trap` signals or
    /// `wait` for their children handle signals themselves and are fine too, as is a `CMD`
    /// behind an init (`tini`, `dumb-init`) `ENTRYPOINT`.
    ///
    /// ## Why is this bad?
    /// The shell stays PID 1 and runs the program as its child. `docker stop` sends
    /// `SIGTERM` to the shell, which does not pass it on: the program never shuts down
    /// cleanly and is killed after the timeout, dropping requests and unflushed data.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["sh", "-c", "python manage.py migrate && gunicorn app.wsgi"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["sh", "-c", "python manage.py migrate && exec gunicorn app.wsgi"]
    /// ```
    pub static RULE = Rule {
        code: "DF008",
        name: "shell-without-exec",
        category: Category::Reliability,
        summary: "an exec-form CMD or ENTRYPOINT runs a shell script that does not exec",
        check: Check::Dockerfile(check),
    };
}

const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"];
const INITS: &[&str] = &["tini", "dumb-init", "catatonit", "s6-svscan", "/init"];

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    for stage in &df.model.stages {
        let mut behind_init = false;
        for (_, ins) in df.stage_instructions(stage) {
            let Some(Command::Exec { args, .. }) = ins.command() else {
                continue;
            };
            match (&ins.body, ins.kind) {
                (Body::Entrypoint(_), Kind::Entrypoint) => {
                    behind_init = args.first().is_some_and(|a| is_init(&a.value));
                }
                (Body::Cmd(_), Kind::Cmd) if behind_init => continue,
                (Body::Cmd(_), Kind::Cmd) => {}
                _ => continue,
            }
            let Some(script) = shell_script(args) else {
                continue;
            };
            let Some(last) = missing_exec(&script.value) else {
                continue;
            };
            ctx.report(
                script.span,
                format!("the shell runs `{last}` as its child, not as PID 1"),
            )
            .help(format!(
                "start the last command with `exec` (`exec {last} ...`) so that it receives signals"
            ));
        }
    }
}

fn is_init(program: &str) -> bool {
    let base = crate::shell::base_name(program);
    INITS.contains(&base) || INITS.contains(&program)
}

/// The script of `["sh", "-c", "script", ...]` (the `-c` may be in a cluster: `-ec`).
fn shell_script(args: &[Word]) -> Option<&Word> {
    let prog = args.first()?.value.as_str();
    let base = crate::shell::base_name(prog);
    if !SHELLS.contains(&base) {
        return None;
    }
    let mut rest = args[1..].iter();
    for w in rest.by_ref() {
        let v = w.value.as_str();
        if !v.starts_with('-') || v.starts_with("--") {
            return None;
        }
        if v.contains('c') {
            break;
        }
    }
    rest.next()
}

/// The name of the last command when a script of several commands does not `exec` it.
fn missing_exec(script: &str) -> Option<String> {
    let parsed = crate::shell::parse_str(script).ok()?;
    let top: Vec<_> = parsed.commands.iter().filter(|c| !c.in_subshell).collect();
    if top.len() < 2 && parsed.pipes.is_empty() {
        return None;
    }
    let execs = |c: &&crate::shell::Command| {
        c.wrappers.first().is_some_and(|w| w.text == "exec") && c.name.is_some()
    };
    let handles = |c: &&crate::shell::Command| c.name_is(&["trap", "wait"]);
    if top.iter().any(execs) || top.iter().any(handles) {
        return None;
    }
    let last = top.last()?;
    let name = last.name_str()?;
    // A script that ends by printing or failing does not run a long-lived program.
    if matches!(name, "echo" | "printf" | "exit" | "true" | "false" | "set") {
        return None;
    }
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::missing_exec;

    #[test]
    fn scripts() {
        assert_eq!(missing_exec("cd /app && node server.js").as_deref(), Some("node"));
        assert_eq!(missing_exec("node server.js"), None);
        assert_eq!(missing_exec("cd /app && exec node server.js"), None);
        assert_eq!(missing_exec("trap 'kill $p' TERM; node a & p=$!; wait"), None);
        assert_eq!(missing_exec("a | b").as_deref(), Some("b"));
    }
}
