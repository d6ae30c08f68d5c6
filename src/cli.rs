//! The command line: `wharf check`, `wharf rule`, `wharf rules`.

use crate::config::{self, CliOverrides, ResolvedSettings, Resolver};
use crate::diagnostic::Severity;
use crate::engine::{self, FileSettings};
use crate::output::{self, Format, LintedFile, OutputOptions, Report};
use crate::registry;
use crate::rule::Rule;
use crate::source::{LineIndex, SourceFile};
use clap::{Args, Parser, Subcommand};
use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Exit code: no findings at or above the failure threshold.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings at or above the failure threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "wharf",
    version,
    about = "A fast linter for Dockerfiles and Docker Compose files"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint Dockerfiles and compose files (directories are searched).
    Check(CheckArgs),
    /// Print a rule's documentation.
    Rule {
        /// A rule code (DL3008) or name (apt-get-unpinned).
        rule: String,
    },
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value = "human")]
        format: RulesFormat,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on standard output.
    Man,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Human,
    Json,
}

#[derive(Args, Debug, Default)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads standard input. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Output format; repeat it with `--output` to write several reports in one run (the n-th
    /// `--output` receives the n-th `--format`).
    #[arg(long, short = 'f', value_enum)]
    pub format: Vec<Format>,
    /// Write a report to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Vec<PathBuf>,
    /// Rules to run (codes, names, prefixes such as DL30, categories, or ALL); replaces the default set.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Rules to add to the selected set.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rules to leave out.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The name to report for standard input; its kind (Dockerfile or compose) comes from it.
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Exit with 1 when a finding is at least this severe (default: info).
    #[arg(long, value_parser = parse_severity)]
    pub failure_threshold: Option<Severity>,
    /// Use this configuration file (wharf.toml, .hadolint.yaml or .dclintrc) for every file
    /// instead of searching each file's directories.
    #[arg(long, conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file and `HADOLINT_*` variable.
    #[arg(long)]
    pub isolated: bool,
    /// Exit with 0 even when there are findings (errors reading files still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print the findings only: no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Show the edits of each available fix in the human output.
    #[arg(long)]
    pub show_fixes: bool,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("unknown severity `{s}`: expected error, warning, info or style"))
}

/// An error that ends the run with exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Runs the CLI and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rule { rule } => print_rule(&rule),
        Command::Rules { format } => print_rules(format),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "wharf", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            match clap_mangen::Man::new(cmd).render(&mut buf) {
                Ok(()) => {
                    let _ = std::io::stdout().write_all(&buf);
                    Ok(EXIT_OK)
                }
                Err(e) => Err(UsageError(e.to_string())),
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(UsageError(msg)) => {
            eprintln!("wharf: error: {msg}");
            EXIT_ERROR
        }
    }
}

fn print_rule(key: &str) -> Result<i32, UsageError> {
    let Some(rule) = registry::find(key) else {
        let mut msg = format!("unknown rule `{key}`");
        if let Some(s) = registry::suggest(key) {
            msg.push_str(&format!(" (did you mean `{s}`?)"));
        }
        return Err(UsageError(msg));
    };
    let mut out = format!("# {} ({})\n\n", rule.code, rule.name);
    out.push_str(&format!(
        "Category: {} · default severity: {} · {}{}\n\n",
        rule.category.as_str(),
        rule.default_severity().as_str(),
        if rule.default_enabled() {
            "on by default"
        } else {
            "off by default"
        },
        if rule.fixable { " · fixable" } else { "" }
    ));
    if !rule.aliases.is_empty() {
        out.push_str(&format!("Aliases: {}\n\n", rule.aliases.join(", ")));
    }
    out.push_str(&rule.docs_text());
    print!("{out}");
    Ok(EXIT_OK)
}

fn print_rules(format: RulesFormat) -> Result<i32, UsageError> {
    match format {
        RulesFormat::Json => {
            let rules: Vec<_> = registry::all()
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "category": r.category.as_str(),
                        "severity": r.default_severity().as_str(), "enabled": r.default_enabled(),
                        "fixable": r.fixable, "summary": r.summary, "aliases": r.aliases,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&rules).unwrap_or_default()
            );
        }
        RulesFormat::Human => {
            for r in registry::all() {
                println!(
                    "{:<7} {:<36} {:<12} {:<8} {}{}",
                    r.code,
                    r.name,
                    r.category.as_str(),
                    r.default_severity().as_str(),
                    if r.default_enabled() { "" } else { "(off) " },
                    r.summary
                );
            }
        }
    }
    Ok(EXIT_OK)
}

fn check(args: CheckArgs) -> Result<i32, UsageError> {
    let overrides = CliOverrides {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        failure_threshold: args.failure_threshold,
        config: args.config.clone(),
        isolated: args.isolated,
    };
    let config_error = |e: config::ConfigError| UsageError(e.to_string());
    let resolver = Resolver::new(&overrides, &config::process_env).map_err(config_error)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };

    let mut linted: Vec<LintedFile> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut settings_of: HashMap<PathBuf, Arc<ResolvedSettings>> = HashMap::new();
    let mut fs_paths = Vec::new();
    for p in &paths {
        if p.as_os_str() != "-" {
            fs_paths.push(p.clone());
            continue;
        }
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
            return Err(UsageError(format!("cannot read standard input: {e}")));
        }
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let settings = resolver.for_file(&name).map_err(config_error)?;
        let text = engine::read_text(&name, bytes).map_err(|e| UsageError(e.to_string()))?;
        let kind = crate::discover::kind_of(&name, &text);
        let source = SourceFile::new(name.clone(), text, kind);
        let result = engine::lint_isolated(&source, &settings.file);
        settings_of.insert(name, settings);
        errors.extend(result.internal_errors.iter().map(|e| e.to_string()));
        if !result.parse_failed {
            linted.push(LintedFile {
                line_index: LineIndex::new(&source.text),
                source,
                diagnostics: result.diagnostics,
            });
        }
    }
    if !fs_paths.is_empty() {
        let exclude = |p: &Path| resolver.is_excluded(p).unwrap_or(false);
        let (found, errs) = crate::discover::discover(&fs_paths, &exclude);
        errors.extend(
            errs.into_iter()
                .map(|e| format!("{}: {}", e.path.display(), e.message)),
        );
        let mut files = Vec::with_capacity(found.len());
        for c in found {
            let settings = resolver.for_file(&c.path).map_err(config_error)?;
            settings_of.insert(c.path.clone(), settings);
            files.push((c.path, c.kind));
        }
        let fallback = FileSettings::default();
        let (ok, errs) = engine::lint_files(&files, &|p| {
            settings_of.get(p).map(|s| &s.file).unwrap_or(&fallback)
        });
        linted.extend(ok);
        errors.extend(errs.into_iter().map(|e| e.to_string()));
    }
    for note in resolver.warnings() {
        eprintln!("wharf: note: {note}");
    }

    // The rules of every configuration in play, for the SARIF catalogue.
    let mut rules: Vec<&'static Rule> = settings_of
        .values()
        .flat_map(|s| s.file.rules.iter().copied())
        .collect();
    rules.sort_by_key(|r| r.code);
    rules.dedup_by_key(|r| r.code);
    let report = Report {
        files: &linted,
        rules: &rules,
    };
    write_reports(&args, &report)?;
    for e in &errors {
        eprintln!("wharf: error: {e}");
    }
    if !errors.is_empty() {
        return Ok(EXIT_ERROR);
    }
    let failing = linted.iter().any(|f| {
        let settings = settings_of.get(&f.source.path);
        f.diagnostics.iter().any(|d| match settings {
            Some(s) => s.is_failure(d.severity),
            None => d.severity.at_least(Severity::Info),
        })
    });
    Ok(if failing && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Pairs `--format` with `--output` and writes every report.
fn write_reports(args: &CheckArgs, report: &Report) -> Result<(), UsageError> {
    if args.output.len() > args.format.len().max(1) {
        return Err(UsageError(
            "more `--output` than `--format` options: give a format for each output file".into(),
        ));
    }
    let mut targets: Vec<(Format, Option<&PathBuf>)> = Vec::new();
    let formats = if args.format.is_empty() {
        vec![Format::Human]
    } else {
        args.format.clone()
    };
    for (i, f) in formats.iter().enumerate() {
        targets.push((*f, args.output.get(i)));
    }
    if targets.iter().filter(|(_, o)| o.is_none()).count() > 1 {
        return Err(UsageError(
            "several formats would go to standard output: give an `--output` file for each but one"
                .into(),
        ));
    }
    let stdout_tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some();
    for (format, out) in targets {
        let opts = OutputOptions {
            color: out.is_none() && stdout_tty && !no_color,
            quiet: args.quiet,
            show_fixes: args.show_fixes,
            ..OutputOptions::default()
        };
        let mut buf = Vec::new();
        if args.statistics && out.is_none() {
            statistics(report, format, &mut buf);
        } else {
            output::write(format, report, &opts, &mut buf)
                .map_err(|e| UsageError(e.to_string()))?;
        }
        match out {
            Some(path) => std::fs::write(path, &buf).map_err(|e| {
                UsageError(format!(
                    "{}: {}",
                    path.display(),
                    crate::discover::io_message(&e)
                ))
            })?,
            None => {
                let _ = std::io::stdout().write_all(&buf);
            }
        }
    }
    Ok(())
}

/// Counts per rule, most frequent first.
fn statistics(report: &Report, format: Format, out: &mut Vec<u8>) {
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for f in report.files {
        for d in &f.diagnostics {
            *counts.entry((d.code, d.name)).or_default() += 1;
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if format == Format::Json {
        let v: Vec<_> = rows
            .iter()
            .map(|((code, name), n)| serde_json::json!({"code": code, "name": name, "count": n}))
            .collect();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_default()
        );
        return;
    }
    for ((code, name), n) in rows {
        let _ = writeln!(out, "{n:>6}  {code:<7} {name}");
    }
}
