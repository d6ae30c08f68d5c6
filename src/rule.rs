//! Rule metadata: code, name, category, default severity, docs, and the function that checks.

use crate::compose::ComposeFile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::dockerfile::{Dockerfile, ParsedRun, RunModel};
use crate::settings::{OptionsDecl, RuleOptions, RuleSettings};
use crate::source::{FileId, SourceFile, Span};

/// What a rule is about. The category sets the default severity and whether the rule is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// The file cannot be read by Docker at all.
    Syntax,
    /// The build or `compose up` fails or misbehaves.
    Correctness,
    /// A security weakness.
    Security,
    /// The container will be fragile at run time.
    Reliability,
    /// Image size, build time, cache busting.
    Efficiency,
    /// Consistency and readability; off by default.
    Style,
    /// Strict checks that many projects do not want; off by default.
    Pedantic,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Syntax,
        Category::Correctness,
        Category::Security,
        Category::Reliability,
        Category::Efficiency,
        Category::Style,
        Category::Pedantic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Reliability => "reliability",
            Category::Efficiency => "efficiency",
            Category::Style => "style",
            Category::Pedantic => "pedantic",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Category::Syntax | Category::Correctness => Severity::Error,
            Category::Security | Category::Reliability => Severity::Warning,
            Category::Efficiency => Severity::Info,
            Category::Style | Category::Pedantic => Severity::Style,
        }
    }

    pub fn default_enabled(self) -> bool {
        !matches!(self, Category::Style | Category::Pedantic)
    }
}

/// How often a rule's findings are right, in SARIF's words (GitHub code scanning sorts by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// The finding is a fact of the file (a syntax error).
    VeryHigh,
    /// Wrong only in unusual setups.
    High,
    /// A heuristic: some findings are deliberate or harmless.
    Medium,
    /// Often a matter of taste or context.
    Low,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

impl Category {
    /// The precision of a category's rules unless a rule states its own: parse errors are
    /// facts; correctness, security and reliability rules are held to a low false-positive
    /// rate (docs/accuracy.md); efficiency and style findings are often deliberate; pedantic
    /// ones are opinions.
    pub fn default_precision(self) -> Precision {
        match self {
            Category::Syntax => Precision::VeryHigh,
            Category::Correctness | Category::Security | Category::Reliability => Precision::High,
            Category::Efficiency | Category::Style => Precision::Medium,
            Category::Pedantic => Precision::Low,
        }
    }
}

/// The function a rule runs, by the kind of file it reads.
#[derive(Clone, Copy)]
pub enum Check {
    Dockerfile(fn(&mut Context<'_, Dockerfile>)),
    /// A Dockerfile rule about the shell of each RUN: called for every RUN and ONBUILD RUN
    /// trigger whose shell parsed, in file order. The engine builds one RUN's shell model,
    /// runs every selected hook on it, then drops it, and builds no model at all when no
    /// selected rule has a hook.
    Run(fn(&mut Context<'_, Dockerfile>, &ParsedRun<'_>)),
    /// A Dockerfile rule that reads the shell of the RUNs and keeps facts across them (what a
    /// stage used, the RUN before): the function makes the rule's state for one file, which
    /// sees each RUN in file order, then [`RunVisitor::finish`].
    Runs(fn() -> Box<dyn RunVisitor>),
    Compose(fn(&mut Context<'_, ComposeFile>)),
    /// A rule over several files of a project (a compose file and the Dockerfiles it builds);
    /// it can report into any of them.
    Project(fn(&mut ProjectContext<'_>)),
    /// Reported by the engine itself from parse errors (DF000, DC000).
    Syntax(crate::source::FileKind),
    /// Reported by the engine itself from suppression bookkeeping.
    Meta,
}

/// The state of a [`Check::Runs`] rule over one Dockerfile. It keeps no model: what it needs
/// from a RUN after the RUN's hook it keeps as a small summary (spans, indices, flags).
pub trait RunVisitor {
    /// One RUN (or ONBUILD RUN trigger) under a POSIX shell, in file order, whether its shell
    /// parsed or not ([`RunModel::parsed`]).
    fn run(&mut self, ctx: &mut Context<'_, Dockerfile>, run: &RunModel<'_>);

    /// After the last RUN of the file.
    fn finish(&mut self, _ctx: &mut Context<'_, Dockerfile>) {}
}

impl Check {
    /// The rule reads the shell model of the RUNs (the engine builds it only then).
    pub fn needs_run_models(&self) -> bool {
        matches!(self, Check::Run(_) | Check::Runs(_))
    }
}

/// A rule's static description. Declare one with [`declare_rule!`](crate::declare_rule).
pub struct Rule {
    pub code: &'static str,
    /// kebab-case, naming the bad pattern.
    pub name: &'static str,
    pub category: Category,
    /// One line: what is wrong. Used by `wharf rules` and SARIF's short description.
    pub summary: &'static str,
    /// The doc comment of the rule, in markdown.
    pub docs: &'static str,
    /// Other names the rule answers to (BuildKit check names, dclint rule names).
    pub aliases: &'static [&'static str],
    /// Overrides the category's default severity.
    pub severity: Option<Severity>,
    /// Overrides the category's default on/off.
    pub enabled: Option<bool>,
    pub fixable: bool,
    /// Overrides the category's default precision (SARIF `properties.precision`).
    pub precision: Option<Precision>,
    /// The rule's options, declared with [`options`](crate::settings::options) or
    /// [`options_of`](crate::settings::options_of); `None` when it has none.
    pub options: Option<OptionsDecl>,
    pub check: Check,
    /// The module that declares the rule (`wharf::rules::dockerfile::dl3002_last_user_is_root`),
    /// filled in by [`declare_rule!`](crate::declare_rule).
    pub module: &'static str,
}

impl Rule {
    /// The defaults a rule declaration starts from.
    pub const DEFAULT: Rule = Rule {
        code: "",
        name: "",
        category: Category::Correctness,
        summary: "",
        docs: "",
        aliases: &[],
        severity: None,
        enabled: None,
        fixable: false,
        precision: None,
        options: None,
        check: Check::Meta,
        module: "",
    };

    /// How often the rule's findings are right.
    pub fn precision(&self) -> Precision {
        self.precision
            .unwrap_or_else(|| self.category.default_precision())
    }

    pub fn default_severity(&self) -> Severity {
        self.severity
            .unwrap_or_else(|| self.category.default_severity())
    }

    pub fn default_enabled(&self) -> bool {
        self.enabled
            .unwrap_or_else(|| self.category.default_enabled())
    }

    /// The docs with the one leading space of each doc-comment line removed, and, for a rule
    /// with options, the option table generated from its options struct at the start of the
    /// `## Options` section (the section is added when the doc comment has none).
    pub fn docs_text(&self) -> String {
        let mut out = String::new();
        let generated = self
            .options
            .as_ref()
            .map(|d| crate::settings::options_section(self.code, d));
        let mut placed = false;
        for line in self.docs.lines() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            out.push_str(line);
            out.push('\n');
            if let Some(g) = &generated
                && line.trim().eq_ignore_ascii_case("## Options")
            {
                out.push('\n');
                out.push_str(g);
                out.push('\n');
                placed = true;
            }
        }
        let mut out = out.trim_end().to_string() + "\n";
        if let Some(g) = generated.filter(|_| !placed) {
            out.push_str("\n## Options\n\n");
            out.push_str(&g);
        }
        out
    }

    /// The fenced code blocks of one docs section (`## Example`, `## Use instead`), without
    /// the blocks that are files beside an example (see [`Self::doc_example_files`]).
    pub fn doc_examples(&self, section: &str) -> Vec<String> {
        self.doc_example_files(section)
            .into_iter()
            .map(|(text, _)| text)
            .collect()
    }

    /// The examples of one docs section, each with the files that sit beside it in its
    /// build context: a block whose info string names a path after the language
    /// (```` ```text .dockerignore ````) is such a file of the example before it; a path
    /// that ends with `/` is a directory (its block is empty).
    pub fn doc_example_files(&self, section: &str) -> Vec<(String, Vec<(String, String)>)> {
        let text = self.docs_text();
        let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
        let mut in_section = false;
        // The block being read, and the path it is a file at.
        let mut block: Option<(String, Option<String>)> = None;
        for line in text.lines() {
            if let Some((b, _)) = block.as_mut() {
                if line.starts_with("```") {
                    let (body, path) = block.take().unwrap_or_default();
                    match (path, out.last_mut()) {
                        (Some(p), Some((_, files))) => files.push((p, body)),
                        (Some(_), None) => {}
                        (None, _) => out.push((body, Vec::new())),
                    }
                } else {
                    b.push_str(line);
                    b.push('\n');
                }
                continue;
            }
            if let Some(h) = line.strip_prefix("## ") {
                in_section = h.trim().eq_ignore_ascii_case(section);
            } else if let Some(info) = line.strip_prefix("```").filter(|_| in_section) {
                let path = info.split_whitespace().nth(1).map(str::to_string);
                block = Some((String::new(), path));
            }
        }
        out
    }

    /// The help URI for SARIF and the human output.
    pub fn url(&self) -> String {
        format!(
            "https://github.com/wharf-lint/wharf/blob/main/docs/rules.md#{}",
            self.code.to_ascii_lowercase()
        )
    }

    pub fn applies_to(&self, kind: crate::source::FileKind) -> bool {
        use crate::source::FileKind;
        match self.check {
            Check::Dockerfile(_) | Check::Run(_) | Check::Runs(_) => kind == FileKind::Dockerfile,
            Check::Compose(_) => kind == FileKind::Compose,
            Check::Syntax(k) => k == kind,
            // Runs once per project, not per file (see `engine::lint_project`).
            Check::Project(_) => false,
            Check::Meta => true,
        }
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code, self.name)
    }
}

/// Declares a rule: its doc comment becomes its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub static RULE = Rule { code: "DL3002", name: "last-user-is-root", ..., check: Check::Dockerfile(check) };
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        pub static $ident:ident = Rule { $($field:ident : $value:expr),* $(,)? };
    ) => {
        $(#[doc = $doc])*
        #[allow(clippy::needless_update)]
        pub static $ident: $crate::rule::Rule = $crate::rule::Rule {
            docs: concat!($($doc, "\n"),*),
            module: module_path!(),
            $($field: $value,)*
            ..$crate::rule::Rule::DEFAULT
        };
    };
}

/// What a rule's check function gets: the parsed file, the settings, and a place to report.
pub struct Context<'a, F> {
    pub file: &'a F,
    pub source: &'a SourceFile,
    pub settings: &'a RuleSettings,
    pub rule: &'static Rule,
    /// The identity of the file in this run.
    pub file_id: FileId,
    /// For a Dockerfile linted in a project: the compose services that build its final
    /// stage (empty otherwise).
    pub built_by: &'a [crate::project::BuiltBy],
    /// For a compose file linted in a project: the other compose files compose reads with
    /// it (its base or override files, the files it includes or extends from).
    pub layers: &'a [&'a ComposeFile],
    /// For a compose file linted in a run: the compose files of its project, which give the
    /// effective services ([`Context::effective_service`]).
    pub compose_project: Option<&'a crate::compose::project::Project<'a>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The build context of a Dockerfile, read on first use.
    build: Option<&'a crate::dockerignore::LazyBuildContext>,
}

impl<'a, F> Context<'a, F> {
    pub fn new(
        file: &'a F,
        source: &'a SourceFile,
        settings: &'a RuleSettings,
        rule: &'static Rule,
    ) -> Self {
        Context {
            file,
            source,
            settings,
            rule,
            file_id: FileId::default(),
            built_by: &[],
            layers: &[],
            compose_project: None,
            diagnostics: Vec::new(),
            build: None,
        }
    }

    /// The same context with the compose files of the project.
    pub fn with_compose_project(mut self, p: &'a crate::compose::project::Project<'a>) -> Self {
        self.compose_project = Some(p);
        self
    }

    /// The same context with the compose files read together with this one.
    pub fn with_layers(mut self, layers: &'a [&'a ComposeFile]) -> Self {
        self.layers = layers;
        self
    }

    /// The same context with the compose services that build the file.
    pub fn with_built_by(mut self, built_by: &'a [crate::project::BuiltBy]) -> Self {
        self.built_by = built_by;
        self
    }

    /// The same context with the build context of the file (see
    /// [`Context::build_context`]).
    pub fn with_build_context(mut self, build: &'a crate::dockerignore::LazyBuildContext) -> Self {
        self.build = Some(build);
        self
    }

    /// The build context the Dockerfile is built with (by default its own directory), with
    /// its `.dockerignore`: read once per file, on first use. `None` when the file is not on
    /// disk.
    pub fn build_context(&self) -> Option<&'a crate::dockerignore::BuildContext> {
        self.build?.get()
    }

    /// The same context for the file `id` of a run.
    pub fn with_file_id(mut self, id: FileId) -> Self {
        self.file_id = id;
        self
    }

    /// Reports a finding of this rule at `span`. Returns it so help or a fix can be added.
    pub fn report(
        &mut self,
        span: Span,
        message: impl Into<std::borrow::Cow<'static, str>>,
    ) -> &mut Diagnostic {
        push_report(
            &mut self.diagnostics,
            self.rule,
            self.file_id,
            span,
            message.into(),
        )
    }

    /// The options of type `T` under the configuration of this file (parsed once per
    /// configuration). The rule declares `T` with `options: options::<T>()`.
    pub fn options<T: RuleOptions>(&self) -> &'a T {
        self.settings.get::<T>()
    }

    pub fn text(&self, span: Span) -> &'a str {
        span.text(&self.source.text)
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

impl<'a> Context<'a, ComposeFile> {
    /// The service `name` as compose merges it for this file: override files and layers,
    /// `include` and `extends` applied (only this file when it is linted alone).
    pub fn effective_service(&self, name: &str) -> Option<crate::compose::project::Effective<'a>> {
        match self.compose_project {
            Some(p) => p.effective(self.file_id, name),
            None => {
                crate::compose::project::Project::single(self.file, &self.source.path, self.file_id)
                    .effective(self.file_id, name)
            }
        }
    }

    /// The services a rule about production readiness judges in this file, each as compose
    /// merges it: those meant for production (all with `everywhere`) whose production
    /// definition is in this file ([`Effective::production_home`]), so that a service is
    /// judged once across its files; a service wharf cannot see whole is left out.
    ///
    /// [`Effective::production_home`]: crate::compose::project::Effective::production_home
    pub fn production_services(
        &self,
        everywhere: bool,
    ) -> Vec<(
        crate::compose::Service<'a>,
        crate::compose::project::Effective<'a>,
    )> {
        let file: &'a ComposeFile = self.file;
        file.services()
            .filter_map(|service| {
                let merged = self.effective_service(service.name)?;
                let home = merged.production_home(everywhere)?;
                let here =
                    home.file == self.file_id && home.service.name_span() == service.name_span();
                (here && !merged.incomplete).then_some((service, merged))
            })
            .collect()
    }
}

/// A finding's text without spare room: `format!` reserves about twice its literal parts, and
/// a file may keep hundreds of thousands of findings (each naming a package, say) until the
/// report is written.
fn exact_text(text: std::borrow::Cow<'static, str>) -> std::borrow::Cow<'static, str> {
    match text {
        std::borrow::Cow::Owned(s) if s.capacity() > s.len() => {
            std::borrow::Cow::Owned(s.as_str().to_owned())
        }
        text => text,
    }
}

/// How many bytes of text [`shared_text`] keeps for the whole process, at most: a file that
/// names thousands of packages once each fills it without sharing anything, and pays this
/// (and the table) on top.
const SHARED_TEXT_BYTES: usize = 256 << 10;

/// A finding's text that many findings repeat (the message and help that name a package, in
/// a file that installs the same packages in every RUN: 130,000 of the 152,000 such texts of
/// the mixed file of `benches/gen_large.py`), kept once for the whole process and borrowed by
/// every finding that has it, instead of one allocation per finding. At most
/// [`SHARED_TEXT_BYTES`] are kept, so that a long-running process (the language server)
/// cannot grow without bound; past that, texts are owned again. The text is unchanged.
pub fn shared_text(text: String) -> std::borrow::Cow<'static, str> {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static TEXTS: OnceLock<Mutex<(HashSet<&'static str>, usize)>> = OnceLock::new();
    let table = TEXTS.get_or_init(|| Mutex::new((HashSet::new(), 0)));
    let mut table = table
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (texts, bytes) = &mut *table;
    if let Some(&kept) = texts.get(text.as_str()) {
        return std::borrow::Cow::Borrowed(kept);
    }
    if *bytes + text.len() > SHARED_TEXT_BYTES {
        return exact_text(std::borrow::Cow::Owned(text));
    }
    let kept: &'static str = Box::leak(text.into_boxed_str());
    *bytes += kept.len();
    texts.insert(kept);
    std::borrow::Cow::Borrowed(kept)
}

fn push_report<'d>(
    out: &'d mut Vec<Diagnostic>,
    rule: &'static Rule,
    file: FileId,
    span: Span,
    message: std::borrow::Cow<'static, str>,
) -> &'d mut Diagnostic {
    out.push(Diagnostic {
        file,
        code: rule.code,
        name: rule.name,
        severity: rule.default_severity(),
        span,
        message: exact_text(message),
        help: None,
        fix: None,
        related: Vec::new(),
    });
    let last = out.len() - 1;
    &mut out[last]
}

/// One file of a project run, parsed.
pub struct ProjectFile<'a> {
    pub id: FileId,
    pub source: &'a SourceFile,
    pub parsed: &'a crate::engine::Parsed,
}

/// What a project rule's check function gets: every file of the project, and a place to
/// report into any of them. The engine routes each finding to its file before that file's
/// suppression comments apply.
pub struct ProjectContext<'a> {
    pub files: &'a [ProjectFile<'a>],
    /// Every compose service of the project with a `build`, linked to what it builds.
    pub builds: &'a [crate::project::BuildLink],
    /// For each compose file, the other compose files compose reads with it (base and
    /// override files, included files, layers of the same directory).
    pub layers: &'a [(FileId, Vec<FileId>)],
    /// The compose files of the project, which give the effective services.
    pub compose_project: Option<&'a crate::compose::project::Project<'a>>,
    pub settings: &'a RuleSettings,
    pub rule: &'static Rule,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> ProjectContext<'a> {
    pub fn new(
        files: &'a [ProjectFile<'a>],
        settings: &'a RuleSettings,
        rule: &'static Rule,
    ) -> Self {
        ProjectContext {
            files,
            builds: &[],
            layers: &[],
            compose_project: None,
            settings,
            rule,
            diagnostics: Vec::new(),
        }
    }

    /// The same context with the project's build links.
    pub fn with_builds(mut self, builds: &'a [crate::project::BuildLink]) -> Self {
        self.builds = builds;
        self
    }

    /// The same context with the compose layers of each compose file.
    pub fn with_layers(mut self, layers: &'a [(FileId, Vec<FileId>)]) -> Self {
        self.layers = layers;
        self
    }

    /// The same context with the compose files of the project.
    pub fn with_compose_project(mut self, p: &'a crate::compose::project::Project<'a>) -> Self {
        self.compose_project = Some(p);
        self
    }

    /// The service `name` as compose merges it for the compose file `id`.
    pub fn effective_service(
        &self,
        id: FileId,
        name: &str,
    ) -> Option<crate::compose::project::Effective<'a>> {
        self.compose_project?.effective(id, name)
    }

    /// The file `id` of the project.
    pub fn file(&self, id: FileId) -> Option<&'a ProjectFile<'a>> {
        self.files.get(id.0 as usize).filter(|f| f.id == id)
    }

    /// The parsed compose file `id`.
    pub fn compose(&self, id: FileId) -> Option<&'a ComposeFile> {
        match self.file(id)?.parsed {
            crate::engine::Parsed::Compose(cf) => Some(cf),
            crate::engine::Parsed::Dockerfile(_) => None,
        }
    }

    /// The parsed Dockerfile `id`.
    pub fn dockerfile(&self, id: FileId) -> Option<&'a Dockerfile> {
        match self.file(id)?.parsed {
            crate::engine::Parsed::Dockerfile(df) => Some(df),
            crate::engine::Parsed::Compose(_) => None,
        }
    }

    /// Each build link with the compose service it belongs to.
    pub fn services_with_builds(
        &self,
    ) -> impl Iterator<Item = (&'a crate::project::BuildLink, crate::compose::Service<'a>)> + 'a
    {
        let files = self.files;
        self.builds.iter().filter_map(move |link| {
            let f = files.get(link.compose.0 as usize)?;
            let crate::engine::Parsed::Compose(cf) = f.parsed else {
                return None;
            };
            Some((link, cf.service(&link.service)?))
        })
    }

    /// Reports a finding of this rule in file `file` at `span` (a span of that file's text).
    pub fn report(
        &mut self,
        file: FileId,
        span: Span,
        message: impl Into<std::borrow::Cow<'static, str>>,
    ) -> &mut Diagnostic {
        push_report(&mut self.diagnostics, self.rule, file, span, message.into())
    }

    /// The options of type `T` under the project's configuration.
    pub fn options<T: RuleOptions>(&self) -> &'a T {
        self.settings.get::<T>()
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

impl Diagnostic {
    pub fn help(&mut self, help: impl Into<std::borrow::Cow<'static, str>>) -> &mut Self {
        self.help = Some(exact_text(help.into()));
        self
    }

    /// Attaches a fix; its edits without a file are in the diagnostic's file.
    pub fn fix(&mut self, mut fix: crate::diagnostic::Fix) -> &mut Self {
        for e in &mut fix.edits {
            e.file.get_or_insert(self.file);
        }
        self.fix = Some(Box::new(fix));
        self
    }

    /// A related label in the diagnostic's own file.
    pub fn related(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        let file = self.file;
        self.related_in(file, span, message)
    }

    /// A related label in file `file` of the run (a project rule's other file).
    pub fn related_in(
        &mut self,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Self {
        self.related.push(crate::diagnostic::Related {
            file_id: file,
            file: None,
            span,
            message: message.into(),
        });
        self
    }
}

/// Lists the rules of one folder of `rules/`: declares each file as a module and collects their
/// `RULE`s into the folder's `RULES`, from which [`crate::rules::all`] builds the catalogue.
///
/// ```ignore
/// crate::register_rules! {
///     dl3002_last_user_is_root,
///     dl3025_shell_form_cmd,
/// }
/// ```
#[macro_export]
macro_rules! register_rules {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// The rules of this folder.
        pub static RULES: &[&$crate::rule::Rule] = &[$(&$module::RULE),*];
    };
}

#[cfg(test)]
mod text_tests {
    #[test]
    fn a_shared_text_is_kept_once_and_reads_the_same() {
        let a = super::shared_text(format!("`{}` is not pinned", "shared-text-test"));
        let b = super::shared_text(format!("`{}` is not pinned", "shared-text-test"));
        assert_eq!(a, "`shared-text-test` is not pinned");
        let (std::borrow::Cow::Borrowed(a), std::borrow::Cow::Borrowed(b)) = (a, b) else {
            panic!("a shared text is borrowed")
        };
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn finding_texts_are_kept_without_spare_room() {
        let mut wide = String::with_capacity(64);
        wide.push_str("`curl` is not pinned");
        let text = super::exact_text(wide.into());
        assert_eq!(text, "`curl` is not pinned");
        let std::borrow::Cow::Owned(s) = text else {
            panic!("an owned text stays owned")
        };
        assert_eq!(s.capacity(), s.len());
        assert!(matches!(
            super::exact_text("static".into()),
            std::borrow::Cow::Borrowed("static")
        ));
    }
}
