use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `FROM --platform=<constant>` (`--platform=linux/amd64`). A value with a
    /// variable (`$BUILDPLATFORM`, `$TARGETPLATFORM`, an `ARG`) is chosen by the build and is
    /// fine. As BuildKit's `FromPlatformFlagConstDisallowed` does, a stage whose name holds the
    /// platform's OS or architecture (`FROM --platform=linux/arm64 alpine AS build-arm64`) is
    /// not reported: it is one of a set of per-platform stages.
    ///
    /// ## Why is this bad?
    /// A constant platform pins the stage to one architecture: on an ARM machine, or in a
    /// multi-platform build, the stage runs under emulation or produces binaries for the
    /// wrong platform.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 golang:1.23 AS build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM golang:1.23 AS build
    /// ```
    ///
    /// Differences from hadolint: hadolint accepts only `BUILDPLATFORM` and `TARGETPLATFORM`
    /// in the value and reports any other variable; wharf accepts every variable (its value is
    /// chosen at build time), and applies BuildKit's stage-name exception.
    pub static RULE = Rule {
        code: "DL3029",
        name: "from-platform-constant",
        category: Category::Reliability,
        summary: "FROM --platform is a constant",
        aliases: &["FromPlatformFlagConstDisallowed"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    for stage in &df.model.stages {
        let Some(ins) = df.get(stage.from).filter(|i| i.kind == Kind::From) else {
            continue;
        };
        let Some(value) = ins.flag("platform").and_then(|f| f.value.as_ref()) else {
            continue;
        };
        let v = value.value.as_str();
        if v.is_empty() || v.contains('$') {
            continue;
        }
        let (os, arch) = platform_parts(v);
        let named = stage
            .name
            .as_deref()
            .is_some_and(|n| n.contains(&os) || (!arch.is_empty() && n.contains(&arch)));
        if named {
            continue;
        }
        ctx.report(value.span, format!("FROM --platform is the constant `{v}`"))
            .help("use `$BUILDPLATFORM` for build tools or `$TARGETPLATFORM`, or drop the flag");
    }
}

/// The OS and architecture of a platform string, normalised as containerd does
/// (`x86_64` is `amd64`, `aarch64` is `arm64`; a lone architecture means Linux).
fn platform_parts(p: &str) -> (String, String) {
    let lower = p.to_ascii_lowercase();
    let mut parts = lower.split('/');
    let first = parts.next().unwrap_or("");
    let known_os = ["linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "wasip1"];
    let (os, arch) = if known_os.contains(&first) {
        (first, parts.next().unwrap_or(""))
    } else {
        ("linux", first)
    };
    let arch = match arch {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "i386" | "i686" => "386",
        a => a,
    };
    (os.to_string(), arch.to_string())
}

#[cfg(test)]
mod tests {
    use super::platform_parts;

    #[test]
    fn platforms() {
        assert_eq!(platform_parts("linux/amd64"), ("linux".into(), "amd64".into()));
        assert_eq!(platform_parts("aarch64"), ("linux".into(), "arm64".into()));
        assert_eq!(
            platform_parts("windows/amd64"),
            ("windows".into(), "amd64".into())
        );
    }
}
