use crate::declare_rule;
use crate::dockerfile::{AUTOMATIC_ARGS, Base, Body, Dockerfile, Instruction, Kind, Word};
use crate::registry::closest;
use crate::rule::{Category, Check, Context};
use crate::dockerfile::{has_fallback, referenced_vars};

declare_rule! {
    /// ## What it does
    /// Reports a variable used in an instruction that Docker expands (`ADD`, `COPY`, `ENV`,
    /// `EXPOSE`, `LABEL`, `USER`, `VOLUME`, `WORKDIR`, `STOPSIGNAL`) that no `ARG` or `ENV`
    /// defines at that point, with the nearest defined name suggested. This is BuildKit's
    /// `UndefinedVar` check, narrowed to what the Dockerfile alone can tell: only in stages
    /// whose chain of `FROM <stage>` ends at `scratch`, where every variable is known. Under
    /// an image, the variable may be an `ENV` of that image, which wharf does not guess.
    /// The proxy ARGs (`HTTP_PROXY`...) and the platform ARGs (`TARGETARCH`...) count as
    /// defined, and a reference with a fallback (`${NAME:-x}`) is fine.
    ///
    /// ## Why is this bad?
    /// An undefined variable expands to nothing: `COPY app /opt/$APP_DIR/` copies into
    /// `/opt/`, `USER $UID` fails. It is almost always a typo or an `ARG` declared in another
    /// stage (ARGs do not cross stages).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM scratch
    /// ARG APP_DIR=/app
    /// COPY app $APP_DRI/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM scratch
    /// ARG APP_DIR=/app
    /// COPY app $APP_DIR/
    /// ```
    pub static RULE = Rule {
        code: "DF015",
        name: "undefined-var",
        category: Category::Reliability,
        summary: "a variable is used that no ARG or ENV defines",
        aliases: &["UndefinedVar"],
        check: Check::Dockerfile(check),
    };
}

const PROXIES: &[&str] = &["HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY"];

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    // A template declares its variables in parts that are not rendered yet.
    if df.template {
        return;
    }
    let mut known: Vec<&str> = df.model.declared_names();
    known.extend(AUTOMATIC_ARGS);
    for stage in &df.model.stages {
        let scratch = df
            .model
            .root_of(stage.index)
            .is_some_and(|r| r.base == Base::Scratch);
        if !scratch {
            continue;
        }
        for (i, ins) in df.stage_instructions(stage) {
            let own: Vec<&str> = match &ins.body {
                Body::Env(kvs) | Body::Arg(kvs) => kvs.iter().map(|kv| kv.key.value.as_str()).collect(),
                _ => Vec::new(),
            };
            for word in expanded_words(ins) {
                for name in referenced_vars(&word.raw, df.escape) {
                    let predefined = PROXIES.contains(&name.to_ascii_uppercase().as_str())
                        || AUTOMATIC_ARGS.contains(&name.as_str());
                    if predefined || own.contains(&name.as_str()) || df.model.var_at(i, &name).is_some() {
                        continue;
                    }
                    let span = word.var_span(&name).unwrap_or(word.span);
                    if has_fallback(ctx.text(span), &name) {
                        continue;
                    }
                    let d = ctx.report(span, format!("`{name}` is not defined here"));
                    match closest(&name, known.iter().copied().filter(|k| *k != name)) {
                        Some(near) => d.help(format!("did you mean `{near}`? declare it with ARG or ENV in this stage")),
                        None => d.help(format!("declare `ARG {name}` or `ENV {name}=...` in this stage before using it")),
                    };
                }
            }
        }
    }
}

/// The words of an instruction that Docker expands.
fn expanded_words(ins: &Instruction) -> Vec<&Word> {
    let flags = ins.flags.iter().filter_map(|f| f.value.as_ref());
    match (&ins.body, ins.kind) {
        (Body::Copy { sources, dest, .. }, Kind::Copy | Kind::Add) => flags
            .chain(sources.iter().filter(|w| !w.value.starts_with("<<")))
            .chain(dest.as_deref())
            .collect(),
        (Body::Env(kvs), _) => kvs.iter().filter_map(|kv| kv.value.as_ref()).collect(),
        (Body::Label(kvs), _) => kvs
            .iter()
            .flat_map(|kv| std::iter::once(&kv.key).chain(&kv.value))
            .collect(),
        (Body::Expose(words) | Body::Volume(words), _) => words.iter().collect(),
        (Body::Value(w), Kind::User | Kind::Workdir | Kind::Stopsignal) => vec![w],
        _ => Vec::new(),
    }
}
