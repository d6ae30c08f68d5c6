//! The command line: `wharf check`, `wharf rule`, `wharf rules`.

use crate::config::{self, CliOverrides, ResolvedSettings, Resolver};
use crate::diagnostic::Severity;
use crate::engine::{self, FileSettings};
use crate::output::{self, FileError, Format, LintedFile, OutputOptions, Report};
use crate::registry;
use crate::rule::Rule;
use crate::source::{LineIndex, SourceFile};
use clap::{Args, Parser, Subcommand};
use hashbrown::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Exit code: no findings at or above the failure threshold.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings at or above the failure threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

/// The exit codes, as `--help` and the man pages list them.
const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  no findings at or above the failure threshold
  1  findings at or above the failure threshold
  2  usage, configuration or I/O error, or a file that could not be linted";

#[derive(Parser, Debug)]
#[command(
    name = "wharf",
    version,
    about = "A fast linter for Dockerfiles and Docker Compose files",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint Dockerfiles and compose files (directories are searched).
    #[command(after_help = EXIT_CODES_HELP)]
    Check(CheckArgs),
    /// Print a rule's documentation.
    #[command(
        after_help = "Examples:\n  wharf rule DL3025\n  wharf rule shell-form-cmd\n  wharf rule JSONArgsRecommended"
    )]
    Rule {
        /// A rule code (DL3025), name (shell-form-cmd) or alias (JSONArgsRecommended).
        rule: String,
    },
    /// List every rule: code, name, category, default severity, `fix` when it can fix, summary.
    Rules {
        #[arg(long, value_enum, default_value = "human")]
        format: RulesFormat,
    },
    /// Run the language server on standard input and output (LSP 3.17), for editors.
    Server,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on standard output, or write one page per subcommand.
    Man {
        /// Write wharf.1, wharf-check.1, wharf-rule.1, ... into this directory instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Human,
    Json,
}

#[derive(Args, Debug, Default)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads standard input. Default: the current directory
    /// (or standard input when `--stdin-filename` is given).
    pub paths: Vec<PathBuf>,
    /// Output format; repeat it with `--output` to write several reports in one run (the n-th
    /// `--output` receives the n-th `--format`).
    #[arg(long, short = 'f', value_enum)]
    pub format: Vec<Format>,
    /// Write a report to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Vec<PathBuf>,
    /// Rules to run, replacing the default set: codes, names, prefixes such as DL30,
    /// categories, or ALL; comma-separated, repeatable. ShellCheck codes (SC2086) select what
    /// the ShellCheck pass reports and turn it on; hadolint codes that wharf does not
    /// implement are accepted with a note.
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    pub select: Vec<String>,
    /// Rules to add to the selected set (same forms as --select, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    pub extend_select: Vec<String>,
    /// Rules to leave out (same forms as --select, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    pub ignore: Vec<String>,
    /// The name to report for standard input; its kind (Dockerfile or compose) comes from it.
    /// Without paths, standard input is read; with paths, one of them must be `-`.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Exit with 1 when a finding is at least this severe (default: info).
    #[arg(long, value_name = "SEVERITY", value_parser = severity_parser())]
    pub failure_threshold: Option<Severity>,
    /// Use this configuration file (wharf.toml, .hadolint.yaml or .dclintrc) for every file
    /// instead of searching each file's directories.
    #[arg(long, conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Do not lint files larger than this (each is reported as an error): bytes, or a number
    /// with KiB, MiB or GiB (default: 10MiB; also `max-file-size` in wharf.toml).
    #[arg(long, value_name = "SIZE", value_parser = crate::source::parse_size)]
    pub max_file_size: Option<u64>,
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
    /// Apply the safe fixes, then report what is left. Standard input's fixed text goes to
    /// standard output (and the report to standard error). Also `fix = true` in wharf.toml.
    #[arg(long, overrides_with = "no_fix")]
    pub fix: bool,
    /// Apply no fix, even where the configuration says `fix = true`.
    #[arg(long, overrides_with = "fix")]
    pub no_fix: bool,
    /// When fixing (--fix, --fix-only, --diff), apply the unsafe fixes too: they may change
    /// what the image or the service does. Also `unsafe-fixes = true` in wharf.toml.
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,
    /// Apply only safe fixes, even where the configuration says `unsafe-fixes = true`.
    #[arg(long, overrides_with = "unsafe_fixes")]
    pub no_unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change and write nothing; exit with 1 when
    /// there is something to fix.
    #[arg(long)]
    pub diff: bool,
    /// Apply the fixes and report nothing else; exit with 0 unless a file could not be read
    /// or fixed.
    #[arg(long)]
    pub fix_only: bool,
    /// Also run ShellCheck on the shell of every RUN and heredoc script (SC codes; needs the
    /// `shellcheck` program, or the one WHARF_SHELLCHECK names). Also `shellcheck = true`.
    #[arg(long, overrides_with = "no_shellcheck")]
    pub shellcheck: bool,
    /// Do not run ShellCheck, whatever the configuration says.
    #[arg(long, overrides_with = "shellcheck")]
    pub no_shellcheck: bool,
}

/// The severities `--failure-threshold` accepts, listed by `--help`.
fn severity_parser() -> impl clap::builder::TypedValueParser<Value = Severity> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["error", "warning", "info", "style"])
        .map(|s| Severity::parse(&s).unwrap_or(Severity::Info))
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
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "wharf", &mut buf);
            emit(&buf).map(|()| EXIT_OK)
        }
        Command::Man { dir } => man(dir.as_deref()),
        Command::Server => Ok(crate::server::run()),
    };
    match result {
        Ok(code) => code,
        Err(Stop::Usage(UsageError(msg))) => {
            eprintln!("wharf: error: {}", output::terminal_safe(&msg));
            EXIT_ERROR
        }
        // The reader went away (`wharf rules | head`): end quietly, as ripgrep does.
        Err(Stop::ClosedPipe(code)) => code,
    }
}

/// Why a command stopped early.
#[derive(Debug)]
enum Stop {
    Usage(UsageError),
    /// Standard output was closed by its reader; the exit code the run would have had.
    ClosedPipe(i32),
}

impl From<UsageError> for Stop {
    fn from(e: UsageError) -> Stop {
        Stop::Usage(e)
    }
}

/// Writes to standard output and flushes. A closed pipe stops the command quietly; any other
/// error (a full disk) is an error of the run.
fn emit(bytes: &[u8]) -> Result<(), Stop> {
    emit_or(bytes, EXIT_OK)
}

/// [`emit`], with the exit code to end with when the pipe is closed.
fn emit_or(bytes: &[u8], closed_code: i32) -> Result<(), Stop> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| stdout_error(e, closed_code))
}

/// Why writing to standard output failed: a closed pipe stops quietly with `closed_code`, any
/// other error is an error of the run.
fn stdout_error(e: std::io::Error, closed_code: i32) -> Stop {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Stop::ClosedPipe(closed_code)
    } else {
        Stop::Usage(UsageError(format!(
            "cannot write to standard output: {}",
            crate::discover::io_message(&e)
        )))
    }
}

/// `wharf man`: the top page on standard output, or every page into a directory.
fn man(dir: Option<&Path>) -> Result<i32, Stop> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let io_error = |e: std::io::Error| UsageError(crate::discover::io_message(&e));
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                UsageError(format!(
                    "{}: {}",
                    dir.display(),
                    crate::discover::io_message(&e)
                ))
            })?;
            clap_mangen::generate_to(cmd, dir).map_err(|e| {
                UsageError(format!(
                    "{}: {}",
                    dir.display(),
                    crate::discover::io_message(&e)
                ))
            })?;
            Ok(EXIT_OK)
        }
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(io_error)?;
            emit(&buf)?;
            Ok(EXIT_OK)
        }
    }
}

/// What `wharf rules` and `wharf rule SC####` say about the ShellCheck codes.
const SHELLCHECK_SUMMARY: &str = "findings of ShellCheck on the shell of RUN instructions and \
     heredoc scripts (off by default: --shellcheck or `shellcheck = true`; needs the shellcheck \
     program)";

fn print_shellcheck_code(number: u16) -> Result<i32, Stop> {
    let code = crate::shellcheck::code_str(number);
    let out = format!(
        "# {code} (ShellCheck)\n\n{code} comes from ShellCheck, not from wharf: {SHELLCHECK_SUMMARY}.\n\
         Its severity is ShellCheck's level. Select, ignore, suppress (`# wharf: ignore={code}`,\n\
         `# hadolint ignore={code}`) and exclude it (`[shellcheck] exclude = [\"{code}\"]`) like a\n\
         rule.\n\nDocumentation: {}\n",
        crate::shellcheck::wiki_url(number)
    );
    emit(out.as_bytes())?;
    Ok(EXIT_OK)
}

fn print_rule(key: &str) -> Result<i32, Stop> {
    if registry::find(key).is_none()
        && let Some(n) = crate::shellcheck::code_number(key)
    {
        return print_shellcheck_code(n);
    }
    let Some(rule) = registry::find(key) else {
        let mut msg = format!("unknown rule `{key}`");
        if let Some(s) = registry::suggest(key) {
            msg.push_str(&format!(" (did you mean `{s}`?)"));
        }
        return Err(UsageError(msg).into());
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
    emit(out.as_bytes())?;
    Ok(EXIT_OK)
}

fn print_rules(format: RulesFormat) -> Result<i32, Stop> {
    let mut out = Vec::new();
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
                .chain(std::iter::once(serde_json::json!({
                    "code": "SC", "name": crate::shellcheck::NAME, "source": "shellcheck",
                    "enabled": false, "summary": SHELLCHECK_SUMMARY,
                })))
                .collect();
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&rules).unwrap_or_default()
            );
        }
        RulesFormat::Human => {
            for r in registry::all() {
                let _ = writeln!(
                    out,
                    "{:<7} {:<36} {:<12} {:<8} {:<4}{}{}",
                    r.code,
                    r.name,
                    r.category.as_str(),
                    r.default_severity().as_str(),
                    if r.fixable { "fix" } else { "" },
                    if r.default_enabled() { "" } else { "(off) " },
                    r.summary
                );
            }
            let _ = writeln!(
                out,
                "{:<7} {:<36} {:<12} {:<8} (off) {}",
                "SC####",
                crate::shellcheck::NAME,
                "shellcheck",
                "(level)",
                SHELLCHECK_SUMMARY
            );
        }
    }
    emit(&out)?;
    Ok(EXIT_OK)
}

fn check(args: CheckArgs) -> Result<i32, Stop> {
    let overrides = CliOverrides {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        failure_threshold: args.failure_threshold,
        config: args.config.clone(),
        isolated: args.isolated,
        max_file_size: args.max_file_size,
        shellcheck: match (args.shellcheck, args.no_shellcheck) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
    };
    let config_error = |e: config::ConfigError| UsageError(e.to_string());
    let resolver = Resolver::new(&overrides, &config::process_env).map_err(config_error)?;
    let paths = match (&args.stdin_filename, args.paths.is_empty()) {
        // `--stdin-filename` alone reads standard input, as ruff does.
        (Some(_), true) => vec![PathBuf::from("-")],
        (Some(_), false) if !args.paths.iter().any(|p| p.as_os_str() == "-") => {
            return Err(UsageError(
                "--stdin-filename names standard input, but no path is `-`: add `-` to the paths, or give no paths to lint standard input alone"
                    .into(),
            )
            .into());
        }
        (None, true) => vec![PathBuf::from(".")],
        _ => args.paths.clone(),
    };
    check_outputs(&args)?;

    let mut linted: Vec<LintedFile> = Vec::new();
    let mut errors: Vec<FileError> = Vec::new();
    // Sized for the paths named (most runs name files): a growing map hashes every path again.
    let mut settings_of: HashMap<PathBuf, Arc<ResolvedSettings>> =
        HashMap::with_capacity(args.paths.len());
    let mut fs_paths = Vec::new();
    let mut stdin_done = false;
    let mut stdin_index = None;
    let mut config_errors: Vec<String> = Vec::new();
    for p in &paths {
        if p.as_os_str() != "-" {
            fs_paths.push(p.clone());
            continue;
        }
        if std::mem::replace(&mut stdin_done, true) {
            continue; // `-` twice: standard input is read once
        }
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let settings = resolver.for_file(&name).map_err(config_error)?;
        let cap = settings
            .file
            .max_file_size
            .unwrap_or(crate::source::DEFAULT_MAX_FILE_SIZE);
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin()
            .take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            return Err(UsageError(format!("cannot read standard input: {e}")).into());
        }
        if bytes.len() as u64 > cap {
            return Err(UsageError(format!(
                "standard input: {}",
                crate::source::ReadError::TooLarge(cap)
            ))
            .into());
        }
        let text = match engine::read_text(&name, bytes) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let kind = crate::discover::kind_of(&name, &text);
        let source = SourceFile::new(name.clone(), text, kind);
        probe_shellcheck(&settings.file)?;
        let mut sc = engine::shellcheck_pass(&[(&source, &settings.file)]);
        let extra = match sc.pop() {
            Some(Ok(found)) => found,
            Some(Err(message)) => {
                errors.push(FileError {
                    path: name.clone(),
                    message,
                });
                Vec::new()
            }
            None => Vec::new(),
        };
        let result = engine::lint_isolated_with(&source, &settings.file, extra);
        settings_of.insert(name, settings);
        errors.extend(result.internal_errors);
        if !result.parse_failed {
            stdin_index = Some(linted.len());
            linted.push(LintedFile {
                line_index: LineIndex::new(&source.text),
                source,
                diagnostics: result.diagnostics,
            });
        }
    }
    let mut fs_files = Vec::new();
    if !fs_paths.is_empty() {
        // The settings looked up for each file the walk keeps, reused below instead of
        // being looked up again.
        let looked_up: std::cell::RefCell<HashMap<PathBuf, _>> = Default::default();
        let exclude = |p: &Path| {
            let settings = resolver.for_file(p);
            let excluded = settings.as_ref().is_ok_and(|s| s.excluded);
            if !excluded {
                looked_up.borrow_mut().insert(p.to_path_buf(), settings);
            }
            excluded
        };
        let listed = |dir: &Path, names: &[&std::ffi::OsStr]| resolver.note_listing(dir, names);
        let walk = crate::discover::Walk {
            exclude: &exclude,
            listed: &listed,
            share_listings: true,
            list_above: resolver.lists_directories(),
        };
        let (found, errs) = crate::discover::discover_with(&fs_paths, &walk);
        errors.extend(errs.into_iter().map(|e| FileError {
            path: e.path,
            message: e.message,
        }));
        refuse_linted_outputs(&args, &found)?;
        {
            // Files named on the command line were not walked: their directories are listed
            // for configuration files all at once, in parallel.
            let looked = looked_up.borrow();
            let named: Vec<&Path> = found
                .iter()
                .map(|c| c.path.as_path())
                .filter(|p| !looked.contains_key(*p))
                .collect();
            resolver.prefetch_listings(&named);
        }
        let mut files = Vec::with_capacity(found.len());
        for c in found {
            // A broken configuration sinks only the files it governs: each is reported as not
            // linted, the error itself once, and the other files are linted.
            let found_settings = looked_up.borrow_mut().remove(&c.path);
            match found_settings.unwrap_or_else(|| resolver.for_file(&c.path)) {
                Ok(settings) => {
                    settings_of.insert(c.path.clone(), settings);
                    files.push((c.path, c.kind));
                }
                Err(e) => {
                    let shown = e.to_string();
                    if !config_errors.contains(&shown) {
                        config_errors.push(shown);
                    }
                    errors.push(FileError {
                        path: c.path,
                        message: format!(
                            "not linted: its configuration {} has an error",
                            e.path.display()
                        ),
                    });
                }
            }
        }
        for s in settings_of.values() {
            probe_shellcheck(&s.file)?;
        }
        let (ok, errs) = lint_fs(&files, &resolver, &mut settings_of);
        fs_files = files;
        linted.extend(ok);
        errors.extend(errs);
    }
    for note in resolver.warnings() {
        eprintln!("wharf: note: {}", output::terminal_safe(&note));
    }
    for e in &config_errors {
        eprintln!("wharf: error: {}", output::terminal_safe(e));
    }
    let fixed = fix_files(&args, &mut linted, &settings_of, stdin_index, &mut errors);
    if fixed.written > 0 {
        // Project rules read several files: after writing, lint the run again so that every
        // finding left is one of the files as they now are.
        let (again, _) = lint_fs(&fs_files, &resolver, &mut settings_of);
        for fresh in again {
            if let Some(f) = linted
                .iter_mut()
                .find(|f| f.source.path == fresh.source.path)
            {
                *f = fresh;
            }
        }
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    if args.diff {
        for e in &errors {
            eprintln!("wharf: error: {}", output::terminal_safe(&e.to_string()));
        }
        emit(fixed.diff.as_bytes())?;
        if !args.quiet && fixed.count() > 0 {
            eprintln!("wharf: {}", fixed.summary("would fix"));
        }
        return Ok(if !errors.is_empty() {
            EXIT_ERROR
        } else if fixed.count() > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        });
    }
    if let Some(text) = &fixed.stdin {
        emit(text.as_bytes())?;
    }
    if !args.quiet && fixed.count() > 0 {
        eprintln!("wharf: {}", fixed.summary("fixed"));
    }
    if args.fix_only {
        for e in &errors {
            eprintln!("wharf: error: {}", output::terminal_safe(&e.to_string()));
        }
        return Ok(if errors.is_empty() {
            EXIT_OK
        } else {
            EXIT_ERROR
        });
    }

    // The rules of every configuration in play, for the SARIF catalogue. Files with the same
    // configuration share one `ResolvedSettings`: each is read once.
    let mut distinct: Vec<&Arc<ResolvedSettings>> = settings_of.values().collect();
    distinct.sort_by_key(|s| Arc::as_ptr(s));
    distinct.dedup_by_key(|s| Arc::as_ptr(s));
    let mut rules: Vec<&'static Rule> = distinct
        .iter()
        .flat_map(|s| s.file.rules.iter().copied())
        .collect();
    rules.sort_by_key(|r| r.code);
    rules.dedup_by_key(|r| r.code);
    let report = Report::new(&linted, &rules).with_not_linted(&errors);
    for e in &errors {
        eprintln!("wharf: error: {}", output::terminal_safe(&e.to_string()));
    }
    let failing = linted.iter().any(|f| {
        let settings = settings_of.get(&f.source.path);
        f.diagnostics.iter().any(|d| match settings {
            Some(s) => s.is_failure(d.severity),
            None => d.severity.at_least(Severity::Info),
        })
    });
    let code = if !errors.is_empty() {
        EXIT_ERROR
    } else if failing && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    write_reports(&args, &report, code, fixed.stdin.is_some())?;
    // The process ends after the report: freeing every file's text, line index and findings
    // one by one would only cost time (the system takes the memory back at once).
    std::mem::forget(linted);
    std::mem::forget(settings_of);
    if !errors.is_empty() {
        // Also for the machine formats, whose documents on standard output keep their shape.
        eprintln!(
            "wharf: error: {}; the report covers the others",
            output::not_linted_text(errors.len())
        );
    }
    Ok(code)
}

/// With ShellCheck on, checks once that the program answers, so that a missing `shellcheck`
/// is one clear error (exit 2) rather than one per file.
fn probe_shellcheck(settings: &FileSettings) -> Result<(), Stop> {
    static PROBED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    if !settings.shellcheck.enabled {
        return Ok(());
    }
    PROBED
        .get_or_init(|| crate::shellcheck::Runner::find().map(|_| ()))
        .clone()
        .map_err(|e| UsageError(e).into())
}

/// The `--format`/`--output` pairs: each format with its file, or `None` for standard output.
fn targets(args: &CheckArgs) -> Result<Vec<(Format, Option<&PathBuf>)>, UsageError> {
    if args.output.len() > args.format.len().max(1) {
        return Err(UsageError(
            "more `--output` than `--format` options: give a format for each output file".into(),
        ));
    }
    let formats = if args.format.is_empty() {
        vec![Format::Human]
    } else {
        args.format.clone()
    };
    let targets: Vec<_> = formats
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, args.output.get(i)))
        .collect();
    if targets.iter().filter(|(_, o)| o.is_none()).count() > 1 {
        return Err(UsageError(
            "several formats would go to standard output: give an `--output` file for each but one"
                .into(),
        ));
    }
    Ok(targets)
}

/// Refuses the same `--output` file twice (one report would overwrite the other).
fn check_outputs(args: &CheckArgs) -> Result<(), UsageError> {
    targets(args)?;
    let mut seen = Vec::new();
    for out in &args.output {
        let id = crate::discover::identity(out);
        if seen.contains(&id) {
            return Err(UsageError(format!(
                "`--output {}` is given twice: each report needs its own file",
                out.display()
            )));
        }
        seen.push(id);
    }
    Ok(())
}

/// Refuses an `--output` file that is one of the files to lint (it would be overwritten).
fn refuse_linted_outputs(
    args: &CheckArgs,
    found: &[crate::discover::Candidate],
) -> Result<(), UsageError> {
    if args.output.is_empty() {
        return Ok(());
    }
    let linted: hashbrown::HashSet<PathBuf> = found
        .iter()
        .map(|c| crate::discover::identity(&c.path))
        .collect();
    for out in &args.output {
        let id = crate::discover::identity(out);
        let same_file = std::fs::canonicalize(out).is_ok_and(|real| {
            found
                .iter()
                .any(|c| std::fs::canonicalize(&c.path).is_ok_and(|r| r == real))
        });
        if linted.contains(&id) || same_file {
            return Err(UsageError(format!(
                "`--output {}` is one of the files to lint: the report would overwrite it",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Pairs `--format` with `--output` and writes every report. `code` is the run's exit code,
/// kept when standard output turns out to be a closed pipe. With `to_stderr` (standard
/// output holds the fixed text of standard input), the report meant for standard output goes
/// to standard error.
fn write_reports(
    args: &CheckArgs,
    report: &Report,
    code: i32,
    to_stderr: bool,
) -> Result<(), Stop> {
    let targets = targets(args)?;
    let stdout_tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some();
    for (format, out) in targets {
        let opts = OutputOptions {
            color: out.is_none() && stdout_tty && !no_color,
            quiet: args.quiet,
            show_fixes: args.show_fixes,
            ..OutputOptions::default()
        };
        if args.statistics && out.is_none() {
            let mut buf = Vec::new();
            statistics(report, format, &mut buf);
            if to_stderr {
                let _ = std::io::stderr().write_all(&buf);
            } else {
                emit_or(&buf, code)?;
            }
            continue;
        }
        // Each report goes straight to its destination through a buffer, never whole in
        // memory (a report of many findings is larger than the files it is about).
        match out {
            Some(path) => {
                let file_error = |e: std::io::Error| {
                    UsageError(format!(
                        "{}: {}",
                        path.display(),
                        crate::discover::io_message(&e)
                    ))
                };
                let file = std::fs::File::create(path).map_err(file_error)?;
                let mut w = std::io::BufWriter::new(file);
                output::write(format, report, &opts, &mut w)
                    .and_then(|()| w.flush())
                    .map_err(file_error)?;
            }
            None if to_stderr => {
                let mut w = std::io::BufWriter::new(std::io::stderr().lock());
                let _ = output::write(format, report, &opts, &mut w).and_then(|()| w.flush());
            }
            None => {
                let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                output::write(format, report, &opts, &mut w)
                    .and_then(|()| w.flush())
                    .map_err(|e| stdout_error(e, code))?;
            }
        }
    }
    Ok(())
}

/// Lints the files found on disk, with the Dockerfiles their compose files build and the
/// compose files they include or extend (each under its own configuration), as projects.
fn lint_fs(
    files: &[(PathBuf, Option<crate::source::FileKind>)],
    resolver: &Resolver,
    settings_of: &mut HashMap<PathBuf, Arc<ResolvedSettings>>,
) -> (Vec<LintedFile>, Vec<FileError>) {
    let fallback = FileSettings::default();
    // Every file given to the run was found by discovery, which asked its type.
    let provider = engine::FoundFiles;
    let max_size = |p: &Path| settings_of.get(p).and_then(|s| s.file.max_file_size);
    let mut run = engine::Run::read(&provider, files, &max_size);
    // The Dockerfiles the compose files build, and the compose files they include or
    // extend from, are linted too, under their own configuration, even when only the
    // compose files were named.
    let mut more = Vec::new();
    for (path, kind) in run.wanted(&provider) {
        if resolver.is_excluded(&path).unwrap_or(false) {
            continue;
        }
        if let Ok(settings) = resolver.for_file(&path) {
            settings_of.insert(path.clone(), settings);
            more.push((path, Some(kind)));
        }
    }
    let max_size = |p: &Path| settings_of.get(p).and_then(|s| s.file.max_file_size);
    run.add(&provider, &more, &max_size);
    run.lint(&provider, &|p| {
        settings_of.get(p).map(|s| &s.file).unwrap_or(&fallback)
    })
}

/// What `--fix`, `--fix-only` and `--diff` did to the run's files.
#[derive(Default)]
struct Fixed {
    /// Fixes applied, by rule code.
    by_rule: std::collections::BTreeMap<&'static str, usize>,
    /// Files changed.
    files: usize,
    /// Files written to disk.
    written: usize,
    /// With `--diff`: the diffs of every file, in report order.
    diff: String,
    /// When standard input was fixed: its text after fixing (unchanged when nothing applied).
    stdin: Option<String>,
}

impl Fixed {
    fn count(&self) -> usize {
        self.by_rule.values().sum()
    }

    /// `fixed 3 findings in 2 files (DL3025 2, DF016 1)`.
    fn summary(&self, verb: &str) -> String {
        let n = self.count();
        let rules: Vec<String> = self
            .by_rule
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        format!(
            "{verb} {n} {} in {} {} ({})",
            if n == 1 { "finding" } else { "findings" },
            self.files,
            if self.files == 1 { "file" } else { "files" },
            rules.join(", ")
        )
    }
}

/// Applies the fixes the run asks for (`--fix`, `--fix-only`, `--diff`, or `fix = true` in a
/// file's configuration) to the linted files. A fixed file's findings become those left after
/// fixing; a file that cannot be fixed or written keeps its findings and adds an error.
fn fix_files(
    args: &CheckArgs,
    linted: &mut [LintedFile],
    settings_of: &HashMap<PathBuf, Arc<ResolvedSettings>>,
    stdin_index: Option<usize>,
    errors: &mut Vec<FileError>,
) -> Fixed {
    use crate::diagnostic::Applicability;
    use rayon::prelude::*;
    let asked = args.fix || args.fix_only || args.diff;
    let mut fixed = Fixed::default();
    let fixing = |s: &ResolvedSettings| asked || (s.fix && !args.no_fix);
    if !settings_of.values().any(|s| fixing(s)) {
        return fixed;
    }
    if let Some(i) = stdin_index.filter(|_| !args.diff) {
        let on = settings_of
            .get(&linted[i].source.path)
            .is_some_and(|s| fixing(s));
        if on {
            fixed.stdin = Some(linted[i].source.text.to_string());
        }
    }
    let results: Vec<_> = linted
        .par_iter()
        .map(|f| {
            let s = settings_of.get(&f.source.path).filter(|s| fixing(s))?;
            let unsafe_ok = args.unsafe_fixes || (s.unsafe_fixes && !args.no_unsafe_fixes);
            let level = if unsafe_ok {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            Some(crate::fix::files::fix_file(
                &f.source,
                &f.diagnostics,
                &s.file,
                level,
            ))
        })
        .collect();
    for (i, (f, result)) in linted.iter_mut().zip(results).enumerate() {
        let fix = match result {
            None | Some(Ok(None)) => continue,
            Some(Err(message)) => {
                errors.push(FileError {
                    path: f.source.path.clone(),
                    message,
                });
                continue;
            }
            Some(Ok(Some(fix))) => fix,
        };
        if args.diff {
            let name = f.source.path.display().to_string();
            fixed
                .diff
                .push_str(&crate::fix::diff::unified(&name, &f.source.text, &fix.text));
        } else if Some(i) == stdin_index {
            fixed.stdin = Some(fix.text.clone());
        } else if let Err(e) =
            crate::fix::write::write_fixed(&f.source.path, &f.source.text, &fix.text)
        {
            errors.push(FileError {
                path: f.source.path.clone(),
                message: e.to_string(),
            });
            continue;
        } else {
            fixed.written += 1;
        }
        fixed.files += 1;
        for (code, n) in &fix.applied {
            *fixed.by_rule.entry(code).or_default() += n;
        }
        if !args.diff {
            f.line_index = LineIndex::new(&fix.text);
            f.source.text = fix.text.into();
            f.diagnostics = fix.diagnostics;
        }
    }
    fixed
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
