use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::{Command, Script};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a `RUN` that runs a script it downloads without checking it first:
    ///
    /// - a download piped into a shell that reads its script from standard input
    ///   (`curl -fsSL https://x/install.sh | sh`, `wget -O- https://x | sudo bash -s --`);
    /// - a download given to a shell as its script (`sh -c "$(curl -fsSL https://x)"`,
    ///   `bash <(curl -fsSL https://x)`, `eval "$(wget -qO- https://x)"`): an argument that
    ///   starts with the substitution (`sh -c "V=$(curl x)"` only reads a value).
    ///
    /// The downloaders are `curl`, `wget`, `fetch` and `aria2c`, by base name; the shells are
    /// the POSIX shells, also through `sudo` and `env`. A RUN that verifies a checksum or a
    /// signature (`sha256sum -c`, `shasum -c`, `gpg --verify`, `cosign verify-blob`...) is not
    /// reported. A shell that reads standard input as data (`curl x | sh -c 'cat > f'`) is not
    /// running the download.
    ///
    /// The finding covers the commands from the downloader to the shell.
    ///
    /// ## Why is this bad?
    /// Whoever controls the server (or the DNS, or a cache on the way) decides what runs in
    /// the build, with the build's secrets and network, and the script may change between two
    /// builds of the same Dockerfile. Downloading to a file and checking it against a known
    /// checksum makes the build run only the script that was reviewed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN curl -fsSL https://example.com/install.sh | sh
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12-slim
    /// ARG INSTALL_SHA256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    /// RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \
    ///  && echo "${INSTALL_SHA256}  /tmp/install.sh" | sha256sum -c - \
    ///  && sh /tmp/install.sh \
    ///  && rm /tmp/install.sh
    /// ```
    pub static RULE = Rule {
        code: "DF004",
        name: "remote-script-piped-to-shell",
        category: Category::Security,
        summary: "a downloaded script is run without a checksum check",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    if run.commands().any(|c| c.effective().verifies_checksum()) {
        return;
    }
    for script in run.scripts {
        for span in piped(script).chain(substituted(script)) {
            ctx.report(span, "a downloaded script runs without a checksum check")
                .help("download to a file, verify it (`sha256sum -c`), then run it");
        }
    }
}

/// `download | shell`: from the downloader to the shell.
fn piped(script: &Script) -> impl Iterator<Item = Span> + '_ {
    script.pipelines.iter().filter_map(|p| {
        let stages: Vec<Option<&Command>> = script.stages(p).collect();
        let from = stages
            .iter()
            .position(|s| s.is_some_and(Command::is_downloader))?;
        let shell = stages[from + 1..]
            .iter()
            .flatten()
            .find(|c| c.effective().shell_reads_stdin())?;
        Some(stages[from]?.span.cover(shell.span))
    })
}

/// `sh -c "$(download)"`, `bash <(download)`, `eval "$(download)"`: the running command.
fn substituted(script: &Script) -> impl Iterator<Item = Span> + '_ {
    let downloads: Vec<Span> = script
        .commands
        .iter()
        .filter(|c| c.in_subshell && c.is_downloader())
        .map(|c| c.span)
        .collect();
    script.commands.iter().filter_map(move |c| {
        if downloads.is_empty() {
            return None;
        }
        let runner = c.effective();
        let runs_args = runner.shell_dialect().is_some() || runner.name_is(&["eval", "source", "."]);
        // The download is the script: the word starts with the substitution.
        let holds_download = |w: &crate::shell::Word| {
            w.has_expansion
                && ["$(", "`", "<("].iter().any(|p| w.text.starts_with(p))
                && downloads
                    .iter()
                    .any(|d| w.span.start <= d.start && d.end <= w.span.end)
        };
        (runs_args && runner.args.iter().any(holds_download)).then_some(c.span)
    })
}
