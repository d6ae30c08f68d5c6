use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an `EXPOSE` port that carries an IP address or a host port
    /// (`EXPOSE 8080:80`, `EXPOSE 127.0.0.1:80:80`), also in an `ONBUILD EXPOSE` trigger.
    ///
    /// ## Why is this bad?
    /// `EXPOSE` only documents the ports the container listens on; it cannot publish a port
    /// on the host. Docker ignores the address and host part (BuildKit warns and may refuse
    /// them in a later version), so the mapping the line promises never happens.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 8080:80
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80
    /// ```
    /// and publish with `docker run -p 8080:80` or the compose `ports:` key.
    pub static RULE = Rule {
        code: "DF021",
        name: "expose-invalid-format",
        category: Category::Correctness,
        summary: "EXPOSE names an IP address or a host port",
        aliases: &["ExposeInvalidFormat"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let ports = super::dl3011_expose_port_out_of_range::expose_ports(ctx.file);
    for word in ports.filter(|w| w.value.contains(':')) {
        ctx.report(word.span, format!("EXPOSE `{}` names an IP address or a host port", word.value))
            .help("expose the container port only; publish it with `docker run -p` or compose `ports:`");
    }
}
