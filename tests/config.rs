//! Configuration: discovery (nearest wins, `--config`, `--isolated`), precedence, every error
//! kind with its position, the hadolint and dclint migrations, per-file ignores, exclusion,
//! and the JSON Schema kept up to date.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wharf::config::{CliOverrides, ConfigError, ResolvedSettings, Resolver};
use wharf::diagnostic::Severity;
use wharf::rules::dockerfile::df001_final_stage_runs_as_root::NonRootImages;
use wharf::rules::dockerfile::dl3026_untrusted_registry::TrustedRegistries;
use wharf::rules::dockerfile::dl3057_missing_healthcheck::{
    HealthcheckOptions, HealthcheckRequired,
};
use wharf::rules::dockerfile::dl3064_secret_in_arg_or_env::SecretNames;
use wharf::rules::dockerfile::labels::{LabelSchema, LabelType};

/// A temporary project: files are written relative to its root.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    fn resolver(&self, cli: CliOverrides, env: &[(&str, &str)]) -> Result<Resolver, ConfigError> {
        let vars: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |name: &str| vars.get(name).cloned();
        Resolver::with_cwd(&cli, &lookup, self.root())
    }

    /// The settings of a file, with no CLI flag and no environment.
    fn settings(&self, rel: &str) -> Result<Arc<ResolvedSettings>, ConfigError> {
        self.resolver(CliOverrides::default(), &[])?
            .for_file(&self.path(rel))
    }

    /// The error a configuration produces for a file, rendered, with the temp root removed.
    fn error(&self, rel: &str) -> String {
        let e = self
            .settings(rel)
            .expect_err("expected a configuration error");
        self.strip(&e.to_string())
    }

    fn strip(&self, s: &str) -> String {
        s.replace(&format!("{}/", self.root().display()), "")
    }
}

fn has(s: &ResolvedSettings, code: &str) -> bool {
    s.file.rules.iter().any(|r| r.code == code)
}

fn no_env() -> impl Fn(&str) -> Option<String> {
    |_: &str| None
}

// ---------------------------------------------------------------- discovery

#[test]
fn defaults_without_any_config() {
    let p = Project::new();
    let s = p.settings("Dockerfile").unwrap();
    assert!(has(&s, "DL3002"));
    assert!(s.config_files.is_empty());
    assert_eq!(s.failure_threshold, Severity::Info);
    assert!(!s.no_fail && !s.excluded && !s.disable_ignore_pragma);
    assert!(
        s.file
            .rule_settings
            .get::<TrustedRegistries>()
            .trusted_registries
            .is_empty()
    );
}

#[test]
fn nearest_config_wins_and_configs_do_not_merge() {
    let p = Project::new();
    p.write(
        "wharf.toml",
        "ignore = [\"DL3002\"]\nfailure-threshold = \"error\"\n",
    )
    .write("services/api/wharf.toml", "ignore = [\"DL3057\"]\n");
    let top = p.settings("Dockerfile").unwrap();
    assert!(!has(&top, "DL3002") && has(&top, "DL3057"));
    assert_eq!(top.failure_threshold, Severity::Error);
    let deep = p.settings("services/api/build/Dockerfile").unwrap();
    assert!(has(&deep, "DL3002") && !has(&deep, "DL3057"));
    assert_eq!(deep.failure_threshold, Severity::Info);
    assert_eq!(deep.config_files, vec![p.path("services/api/wharf.toml")]);
    let sibling = p.settings("services/web/Dockerfile").unwrap();
    assert_eq!(sibling.config_files, vec![p.path("wharf.toml")]);
}

#[test]
fn dot_wharf_toml_is_preferred_and_the_other_is_noted() {
    let p = Project::new();
    p.write(".wharf.toml", "ignore = [\"DL3002\"]\n")
        .write("wharf.toml", "ignore = [\"DL3057\"]\n");
    let r = p.resolver(CliOverrides::default(), &[]).unwrap();
    let s = r.for_file(&p.path("Dockerfile")).unwrap();
    assert!(!has(&s, "DL3002") && has(&s, "DL3057"));
    let warnings = r.warnings();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("wharf.toml: ignored because"),
        "{warnings:?}"
    );
}

#[test]
fn configs_are_found_in_small_listed_and_large_probed_directories() {
    // A directory the walk has not listed is read once for its configuration names; one
    // with many entries is probed name by name instead. Both find the same files.
    let p = Project::new();
    p.write("small/.hadolint.yaml", "ignored: [DL3002]\n")
        .write("large/wharf.toml", "ignore = [\"DL3057\"]\n");
    for i in 0..600 {
        p.write(&format!("large/f{i}"), "");
    }
    let small = p.settings("small/Dockerfile").unwrap();
    assert_eq!(small.config_files, vec![p.path("small/.hadolint.yaml")]);
    assert!(!has(&small, "DL3002"));
    let large = p.settings("large/Dockerfile").unwrap();
    assert_eq!(large.config_files, vec![p.path("large/wharf.toml")]);
    assert!(!has(&large, "DL3057") && has(&large, "DL3002"));
}

#[test]
fn listings_read_ahead_are_the_ones_the_lookup_uses() {
    // `prefetch_listings` lists every directory above the files at once. The lookup then
    // reads those listings: a configuration created afterwards in a listed directory is not
    // seen, which shows the listing was used. A large directory is left to be probed name by
    // name, so a file created there afterwards is found.
    let p = Project::new();
    p.write("a/b/.hadolint.yaml", "ignored: [DL3002]\n")
        .write("a/c/Dockerfile", "FROM alpine\n")
        .write("large/Dockerfile", "FROM alpine\n");
    for i in 0..600 {
        p.write(&format!("large/f{i}"), "");
    }
    let r = p.resolver(CliOverrides::default(), &[]).unwrap();
    let files = [
        p.path("a/b/Dockerfile"),
        p.path("a/c/Dockerfile"),
        p.path("large/Dockerfile"),
    ];
    r.prefetch_listings(&files.iter().map(|f| f.as_path()).collect::<Vec<_>>());
    p.write("a/c/wharf.toml", "ignore = [\"DL3057\"]\n")
        .write("large/wharf.toml", "ignore = [\"DL3057\"]\n");
    let b = r.for_file(&files[0]).unwrap();
    assert_eq!(b.config_files, vec![p.path("a/b/.hadolint.yaml")]);
    assert!(!has(&b, "DL3002"));
    let c = r.for_file(&files[1]).unwrap();
    assert!(c.config_files.is_empty(), "{:?}", c.config_files);
    let large = r.for_file(&files[2]).unwrap();
    assert_eq!(large.config_files, vec![p.path("large/wharf.toml")]);
    assert!(!has(&large, "DL3057"));
}

#[test]
fn one_file_is_not_read_ahead() {
    // A run of one file looks its directories up when it needs them, on the calling thread:
    // the read-ahead does nothing, so a configuration written after it is still found.
    let p = Project::new();
    p.write("a/Dockerfile", "FROM alpine\n");
    let r = p.resolver(CliOverrides::default(), &[]).unwrap();
    let file = p.path("a/Dockerfile");
    r.prefetch_listings(&[file.as_path()]);
    p.write("a/wharf.toml", "ignore = [\"DL3057\"]\n");
    let s = r.for_file(&file).unwrap();
    assert_eq!(s.config_files, vec![p.path("a/wharf.toml")]);
}

#[test]
fn each_config_is_read_once_and_settings_are_shared() {
    let p = Project::new();
    p.write("wharf.toml", "ignore = [\"DL3002\"]\n");
    let r = p.resolver(CliOverrides::default(), &[]).unwrap();
    let a = r.for_file(&p.path("a/Dockerfile")).unwrap();
    // Removing the file proves the second lookup does not read it again.
    std::fs::remove_file(p.path("wharf.toml")).unwrap();
    let b = r.for_file(&p.path("a/Dockerfile.dev")).unwrap();
    let c = r.for_file(&p.path("Dockerfile")).unwrap();
    assert!(Arc::ptr_eq(&a, &b) && Arc::ptr_eq(&a, &c));
}

#[test]
fn config_flag_overrides_discovery() {
    let p = Project::new();
    p.write("wharf.toml", "ignore = [\"DL3002\"]\n").write(
        "ci/strict.toml",
        "ignore = [\"DL3057\"]\nexclude = [\"legacy\"]\n",
    );
    let cli = CliOverrides {
        config: Some(PathBuf::from("ci/strict.toml")),
        ..CliOverrides::default()
    };
    let r = p.resolver(cli, &[]).unwrap();
    let s = r.for_file(&p.path("Dockerfile")).unwrap();
    assert!(has(&s, "DL3002") && !has(&s, "DL3057"));
    assert_eq!(s.config_files, vec![p.path("ci/strict.toml")]);
    // Globs of a --config file are relative to the current directory, as in ruff.
    assert!(r.is_excluded(&p.path("legacy/Dockerfile")).unwrap());
}

#[test]
fn config_flag_reads_a_hadolint_file_too() {
    let p = Project::new();
    p.write("lint/hadolint.yaml", "ignored: [DL3002]\n");
    let cli = CliOverrides {
        config: Some(p.path("lint/hadolint.yaml")),
        ..CliOverrides::default()
    };
    let s = p
        .resolver(cli, &[])
        .unwrap()
        .for_file(&p.path("Dockerfile"))
        .unwrap();
    assert!(!has(&s, "DL3002"));
}

#[test]
fn missing_config_flag_file_is_an_error() {
    let p = Project::new();
    let cli = CliOverrides {
        config: Some(PathBuf::from("nope.toml")),
        ..CliOverrides::default()
    };
    let e = p.resolver(cli, &[]).err().expect("error");
    assert_eq!(
        p.strip(&e.to_string()),
        "nope.toml: no such file or directory"
    );
}

#[test]
fn isolated_ignores_files_and_environment() {
    let p = Project::new();
    p.write("wharf.toml", "ignore = [\"DL3002\"]\n")
        .write(".hadolint.yaml", "ignored: [DL3057]\n");
    let cli = CliOverrides {
        isolated: true,
        ..CliOverrides::default()
    };
    let r = p.resolver(cli, &[("HADOLINT_IGNORE", "DL3025")]).unwrap();
    let s = r.for_file(&p.path("Dockerfile")).unwrap();
    assert!(has(&s, "DL3002") && has(&s, "DL3057") && has(&s, "DL3025"));
    assert!(s.config_files.is_empty());
}

#[test]
fn isolated_and_config_conflict() {
    let p = Project::new();
    p.write("wharf.toml", "");
    let cli = CliOverrides {
        isolated: true,
        config: Some(p.path("wharf.toml")),
        ..CliOverrides::default()
    };
    let e = p.resolver(cli, &[]).err().expect("error");
    assert_eq!(
        e.to_string(),
        "--isolated: cannot be combined with --config"
    );
}

#[test]
fn resolver_is_shareable_across_threads() {
    fn check<T: Send + Sync>() {}
    check::<Resolver>();
    check::<ResolvedSettings>();
}

// ---------------------------------------------------------------- precedence

#[test]
fn precedence_defaults_file_environment_cli() {
    let p = Project::new();
    p.write(
        "wharf.toml",
        r#"
ignore = ["DL3057"]
failure-threshold = "warning"
[severity]
DL3002 = "error"
DL3025 = "style"
"#,
    );
    // The file beats the defaults.
    let file = p.settings("Dockerfile").unwrap();
    assert!(!has(&file, "DL3057"));
    assert_eq!(file.failure_threshold, Severity::Warning);
    assert_eq!(file.file.severity.get("DL3002"), Some(&Severity::Error));

    // The environment beats the file.
    let env = [
        ("HADOLINT_FAILURE_THRESHOLD", "style"),
        ("HADOLINT_OVERRIDE_INFO", "DL3002"),
    ];
    let with_env = p
        .resolver(CliOverrides::default(), &env)
        .unwrap()
        .for_file(&p.path("Dockerfile"))
        .unwrap();
    assert_eq!(with_env.failure_threshold, Severity::Style);
    assert_eq!(with_env.file.severity.get("DL3002"), Some(&Severity::Info));
    assert_eq!(with_env.file.severity.get("DL3025"), Some(&Severity::Style));

    // The command line beats both.
    let cli = CliOverrides {
        extend_select: vec!["DL3057".into()],
        ignore: vec!["DL3025".into()],
        failure_threshold: Some(Severity::Error),
        ..CliOverrides::default()
    };
    let with_cli = p
        .resolver(cli, &env)
        .unwrap()
        .for_file(&p.path("Dockerfile"))
        .unwrap();
    assert!(has(&with_cli, "DL3057") && !has(&with_cli, "DL3025"));
    assert_eq!(with_cli.failure_threshold, Severity::Error);
}

#[test]
fn cli_select_replaces_the_file_selection() {
    let p = Project::new();
    p.write("wharf.toml", "select = [\"DL3002\", \"DL3025\"]\n");
    let file = p.settings("Dockerfile").unwrap();
    let codes: Vec<_> = file.file.rules.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["DL3002", "DL3025"]);
    let cli = CliOverrides {
        select: vec!["DL3057".into()],
        ..CliOverrides::default()
    };
    let s = p
        .resolver(cli, &[])
        .unwrap()
        .for_file(&p.path("Dockerfile"))
        .unwrap();
    let codes: Vec<_> = s.file.rules.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["DL3057"]);
}

#[test]
fn selectors_accept_names_prefixes_categories_and_all() {
    let p = Project::new();
    p.write(
        "wharf.toml",
        "select = [\"ALL\"]\nignore = [\"last-user-is-root\", \"DL305\", \"style\"]\n",
    );
    let s = p.settings("Dockerfile").unwrap();
    assert!(!has(&s, "DL3002") && !has(&s, "DL3051") && !has(&s, "DL3049"));
    assert!(has(&s, "DL3025") && has(&s, "DL3026"));
}

#[test]
fn failure_decision_uses_threshold_and_no_fail() {
    let p = Project::new();
    p.write("wharf.toml", "failure-threshold = \"warning\"\n")
        .write("lenient/wharf.toml", "no-fail = true\n");
    let s = p.settings("Dockerfile").unwrap();
    assert!(s.is_failure(Severity::Error) && s.is_failure(Severity::Warning));
    assert!(!s.is_failure(Severity::Info));
    let lenient = p.settings("lenient/Dockerfile").unwrap();
    assert!(!lenient.is_failure(Severity::Error));
}

#[test]
fn rule_options_and_other_keys() {
    let p = Project::new();
    p.write(
        "wharf.toml",
        r#"
disable-ignore-pragma = true
shellcheck = { enabled = false, exclude = ["sc2086"] }

[rules.untrusted-registry]
trusted-registries = ["GHCR.io", "*.corp.example"]

[rules.DL3049]
label-schema = { maintainer = "email", "org.opencontainers.image.version" = "semver" }
strict-labels = true

[rules.DF001]
non-root-images = ["MyOrg/base*"]
"#,
    );
    let s = p.settings("Dockerfile").unwrap();
    let (rs, labels) = (
        s.file.rule_settings.get::<TrustedRegistries>(),
        s.file.rule_settings.get::<LabelSchema>(),
    );
    assert_eq!(rs.trusted_registries, ["ghcr.io", "*.corp.example"]);
    assert_eq!(
        s.file.rule_settings.get::<NonRootImages>().non_root_images,
        ["myorg/base*"]
    );
    assert_eq!(
        labels.label_schema.get("maintainer"),
        Some(&LabelType::Email)
    );
    assert_eq!(
        labels.label_schema.get("org.opencontainers.image.version"),
        Some(&LabelType::Semver)
    );
    assert!(labels.strict_labels);
    assert!(s.disable_ignore_pragma);
    assert!(!s.shellcheck.enabled);
    assert_eq!(s.shellcheck.exclude, ["SC2086"]);

    p.write("other/wharf.toml", "shellcheck = false\n");
    assert!(!p.settings("other/Dockerfile").unwrap().shellcheck.enabled);
}

// ---------------------------------------------------------------- errors

fn toml_error(text: &str) -> String {
    let p = Project::new();
    p.write("wharf.toml", text);
    p.error("Dockerfile")
}

#[test]
fn error_unknown_top_level_key() {
    assert_eq!(
        toml_error("select = []\nselct = [\"DL3002\"]\n"),
        "wharf.toml:2:1: unknown key `selct` (did you mean `select`?)"
    );
    assert_eq!(
        toml_error("failure_threshold = \"error\"\n"),
        "wharf.toml:1:1: unknown key `failure_threshold` (did you mean `failure-threshold`?)"
    );
}

#[test]
fn error_unknown_key_without_a_close_match_lists_the_keys() {
    let e = toml_error("colour = true\n");
    assert!(
        e.starts_with("wharf.toml:1:1: unknown key `colour`, expected one of: select, "),
        "{e}"
    );
}

#[test]
fn error_unknown_rule_in_select_ignore_and_extend_select() {
    assert_eq!(
        toml_error("select = [\"DL3002\", \"DL3O25\"]\n"),
        "wharf.toml:1:21: unknown rule selector `DL3O25` (did you mean `DL3025`?)"
    );
    assert_eq!(
        toml_error("\nignore = [\n  \"last-user-is-rot\",\n]\n"),
        "wharf.toml:3:3: unknown rule selector `last-user-is-rot` (did you mean `last-user-is-root`?)"
    );
    assert_eq!(
        toml_error("extend-select = [\"XX9\"]\n"),
        "wharf.toml:1:18: unknown rule selector `XX9`"
    );
}

#[test]
fn error_unknown_rule_in_severity() {
    assert_eq!(
        toml_error("[severity]\nDL3002 = \"error\"\nDL3002x = \"info\"\n"),
        "wharf.toml:3:1: unknown rule selector `DL3002x` (did you mean `DL3002`?)"
    );
}

#[test]
fn error_bad_severity_value() {
    assert_eq!(
        toml_error("[severity]\nDL3002 = \"erorr\"\n"),
        "wharf.toml:2:10: unknown value `erorr` (did you mean `error`?)"
    );
    assert_eq!(
        toml_error("failure-threshold = \"fatal\"\n"),
        "wharf.toml:1:21: unknown value `fatal`, expected one of: error, warning, info, style"
    );
}

#[test]
fn error_bad_types() {
    assert_eq!(
        toml_error("failure-threshold = 3\n"),
        "wharf.toml:1:21: invalid type: expected a string"
    );
    assert_eq!(
        toml_error("select = \"DL3002\"\n"),
        "wharf.toml:1:10: invalid type: string \"DL3002\", expected a sequence"
    );
    assert_eq!(
        toml_error("shellcheck = \"yes\"\n"),
        "wharf.toml:1:14: invalid type: string \"yes\", expected a boolean or a table"
    );
}

#[test]
fn error_toml_syntax() {
    assert_eq!(
        toml_error("select = [\"DL3002\"\n"),
        "wharf.toml:1:19: unclosed array, expected `]`"
    );
}

#[test]
fn error_unknown_rule_in_per_file_ignores() {
    assert_eq!(
        toml_error("[per-file-ignores]\n\"legacy/*\" = [\"DL3002\", \"DL9999\"]\n"),
        "wharf.toml:2:25: unknown rule selector `DL9999`"
    );
}

#[test]
fn error_rules_tables() {
    assert_eq!(
        toml_error("[rules.DL3002x]\ntrusted-registries = []\n"),
        "wharf.toml:1:8: unknown rule `DL3002x` (did you mean `DL3002`?)"
    );
    assert_eq!(
        toml_error("[rules.DL3026]\ntrusted-registry = [\"ghcr.io\"]\n"),
        "wharf.toml:2:1: unknown key `trusted-registry` (did you mean `trusted-registries`?)"
    );
    assert_eq!(
        toml_error("[rules.DL3002]\ntrusted-registries = [\"ghcr.io\"]\n"),
        "wharf.toml:2:22: DL3002 has no option `trusted-registries`; it belongs under [rules.DL3026]"
    );
    assert_eq!(
        toml_error("[rules.DL3052]\nlabel-schema = { a = \"url\" }\n"),
        "wharf.toml:2:16: DL3052 has no option `label-schema`; it belongs under [rules.DL3049]"
    );
    assert_eq!(
        toml_error("[rules.DL3049]\nlabel-schema = { maintainer = \"emial\" }\n"),
        "wharf.toml:2:31: unknown value `emial` (did you mean `email`?)"
    );
    assert_eq!(
        toml_error("[rules.DL3026]\ntrusted-registries = [\"a\"]\n[rules.untrusted-registry]\n"),
        "wharf.toml:3:8: options of DL3026 are given twice"
    );
    assert_eq!(
        toml_error("[rules.DL3026]\ntrusted-registries = [\"my registry\"]\n"),
        "wharf.toml:2:23: invalid registry `my registry`"
    );
    // Rules that read DL3049's options point there; a rule without options says so.
    assert_eq!(
        toml_error("[rules.DL3050]\nstrict-labels = true\n"),
        "wharf.toml:2:17: DL3050 has no option `strict-labels`; it belongs under [rules.DL3049]"
    );
    assert_eq!(
        toml_error("[rules.DL3002]\nstrict-label = true\n"),
        "wharf.toml:2:1: DL3002 has no option `strict-label` (did you mean `strict-labels`?)"
    );
    assert_eq!(
        toml_error("[rules.DL3049]\nlabel-schema = { \" \" = \"text\" }\n"),
        "wharf.toml:2:18: empty label name"
    );
    assert_eq!(
        toml_error("[rules.DL3049]\nstrict-labels = \"yes\"\n"),
        "wharf.toml:2:17: invalid type: string \"yes\", expected a boolean"
    );
}

#[test]
fn error_bad_globs_and_shellcheck_codes() {
    assert_eq!(
        toml_error("exclude = [\"ok\", \"a[b\"]\n"),
        "wharf.toml:1:18: invalid glob `a[b`: unclosed character class; missing ']'"
    );
    assert_eq!(
        toml_error("shellcheck = { exclude = [\"DL3002\"] }\n"),
        "wharf.toml:1:27: `DL3002` is not a ShellCheck code (SC1000-SC9999)"
    );
    assert_eq!(
        toml_error("shellcheck = { enable = true }\n"),
        "wharf.toml:1:16: unknown key `enable` (did you mean `enabled`?)"
    );
}

#[test]
fn error_fields_are_exposed() {
    let p = Project::new();
    p.write("wharf.toml", "\n  selct = []\n");
    let e = p.settings("Dockerfile").unwrap_err();
    assert_eq!(e.path, p.path("wharf.toml"));
    assert_eq!((e.line, e.column), (2, 3));
    assert_eq!(e.message, "unknown key `selct`");
    assert_eq!(e.help.as_deref(), Some("select"));
}

#[test]
fn error_columns_count_characters() {
    assert_eq!(
        toml_error("# héllo wörld\nselect = [\"é\"]\n"),
        "wharf.toml:2:11: unknown rule selector `é`"
    );
}

#[test]
fn error_cli_selector() {
    let p = Project::new();
    let cli = CliOverrides {
        ignore: vec!["DL30O2".into()],
        ..CliOverrides::default()
    };
    let e = p.resolver(cli, &[]).err().expect("error");
    assert_eq!(
        e.to_string(),
        "--ignore: unknown rule selector `DL30O2` (did you mean `DL3002`?)"
    );
}

#[test]
fn broken_config_below_does_not_affect_files_above() {
    let p = Project::new();
    p.write("sub/wharf.toml", "nope = 1\n");
    assert!(p.settings("Dockerfile").is_ok());
    assert!(p.settings("sub/Dockerfile").is_err());
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "\u{0}\u{1}\u{2}",
        "[[[[",
        "= = =",
        "select = [[[[[[[[[[]]]]]]]]]]",
        "[rules]\nDL3026 = 1",
        "[rules.DL3026]\ntrusted-registries = [1]",
        "[per-file-ignores]\n\"\" = []",
        "exclude = [\"\"]",
        "[severity]\n\"\" = \"error\"",
        "\u{feff}select = []",
    ];
    for text in inputs {
        let p = Project::new();
        p.write("wharf.toml", text)
            .write("h/.hadolint.yaml", text)
            .write("d/.dclintrc", text);
        for f in ["Dockerfile", "h/Dockerfile", "d/compose.yaml"] {
            let _ = p.settings(f);
        }
    }
}

// ---------------------------------------------------------------- per-file ignores, exclude

#[test]
fn per_file_ignores() {
    let p = Project::new();
    p.write(
        "wharf.toml",
        r#"
[per-file-ignores]
"legacy/*" = ["DL3002"]
"*.dev.Dockerfile" = ["DL3057", "DL3025"]
"#,
    );
    let plain = p.settings("Dockerfile").unwrap();
    assert!(has(&plain, "DL3002") && has(&plain, "DL3057"));
    let legacy = p.settings("legacy/Dockerfile").unwrap();
    assert!(!has(&legacy, "DL3002") && has(&legacy, "DL3057"));
    // `*` does not cross a directory, but a match on a directory covers what is inside it.
    let deep = p.settings("legacy/old/Dockerfile").unwrap();
    assert!(!has(&deep, "DL3002"));
    let dev = p.settings("services/api/app.dev.Dockerfile").unwrap();
    assert!(has(&dev, "DL3002") && !has(&dev, "DL3057") && !has(&dev, "DL3025"));
    // Per-file ignores apply even when the command line selects the rule.
    let cli = CliOverrides {
        select: vec!["DL3002".into()],
        ..CliOverrides::default()
    };
    let s = p
        .resolver(cli, &[])
        .unwrap()
        .for_file(&p.path("legacy/Dockerfile"))
        .unwrap();
    assert!(s.file.rules.is_empty());
}

#[test]
fn exclude_globs() {
    let p = Project::new();
    p.write(
        "wharf.toml",
        "exclude = [\"vendor\", \"docker/legacy/\", \"**/*.generated.Dockerfile\"]\n",
    );
    let r = p.resolver(CliOverrides::default(), &[]).unwrap();
    let ex = |rel: &str| r.is_excluded(&p.path(rel)).unwrap();
    assert!(ex("vendor/Dockerfile"));
    assert!(ex("a/b/vendor/c/Dockerfile"));
    assert!(ex("docker/legacy/Dockerfile"));
    assert!(!ex("other/docker/legacy/Dockerfile"));
    assert!(ex("x/y/app.generated.Dockerfile"));
    assert!(!ex("Dockerfile"));
    assert!(!ex("vendors/Dockerfile"));
    // With --config, globs are relative to the current directory; outside it only the
    // file's own name is matched.
    let cli = CliOverrides {
        config: Some(p.path("wharf.toml")),
        ..CliOverrides::default()
    };
    let from_sub = Resolver::with_cwd(&cli, &no_env(), &p.path("sub")).unwrap();
    assert!(
        from_sub
            .is_excluded(&p.path("sub/vendor/Dockerfile"))
            .unwrap()
    );
    assert!(!from_sub.is_excluded(&p.path("vendor/Dockerfile")).unwrap());
    assert!(
        !from_sub
            .is_excluded(&p.path("docker/legacy/Dockerfile"))
            .unwrap()
    );
    // Relative paths are taken from the current directory.
    assert!(
        r.is_excluded(Path::new("./vendor/../vendor/Dockerfile"))
            .unwrap()
    );
}

// ---------------------------------------------------------------- .hadolint.yaml

#[test]
fn hadolint_yaml_mapping() {
    let p = Project::new();
    p.write(
        ".hadolint.yaml",
        r#"
ignored:
  - DL3002
  - SC2086
override:
  error: [DL3025]
  style:
    - DL3025
  warning: [DL3057]
trustedRegistries:
  - ghcr.io
  - "*.corp.example"
label-schema:
  maintainer: email
  org.opencontainers.image.created: rfc3339
strict-labels: true
failure-threshold: warning
disable-ignore-pragma: true
no-fail: false
no-color: true
format: json
verbose: false
"#,
    );
    let s = p.settings("Dockerfile").unwrap();
    assert!(!has(&s, "DL3002"));
    // error beats style whatever the order.
    assert_eq!(s.file.severity.get("DL3025"), Some(&Severity::Error));
    assert_eq!(s.file.severity.get("DL3057"), Some(&Severity::Warning));
    let (rs, labels) = (
        s.file.rule_settings.get::<TrustedRegistries>(),
        s.file.rule_settings.get::<LabelSchema>(),
    );
    assert_eq!(rs.trusted_registries, ["ghcr.io", "*.corp.example"]);
    assert_eq!(
        labels.label_schema.get("maintainer"),
        Some(&LabelType::Email)
    );
    assert_eq!(
        labels.label_schema.get("org.opencontainers.image.created"),
        Some(&LabelType::Rfc3339)
    );
    assert!(labels.strict_labels);
    assert_eq!(s.failure_threshold, Severity::Warning);
    assert!(s.disable_ignore_pragma && !s.no_fail);
    assert!(s.file.suppress.disable_hadolint_pragmas);
    assert_eq!(s.config_files, vec![p.path(".hadolint.yaml")]);
}

#[test]
fn hadolint_override_turns_off_rules_on() {
    let p = Project::new();
    p.write(".hadolint.yml", "override:\n  info: [DL3049]\n")
        .write("wharf.toml", "ignore = [\"DL3049\"]\n");
    // wharf.toml beats .hadolint.yml in the same directory.
    assert!(!has(&p.settings("Dockerfile").unwrap(), "DL3049"));
    std::fs::remove_file(p.path("wharf.toml")).unwrap();
    let s = p.settings("Dockerfile").unwrap();
    assert!(has(&s, "DL3049"));
    assert_eq!(s.file.severity.get("DL3049"), Some(&Severity::Info));
}

#[test]
fn wharf_config_above_beats_hadolint_config_nearer() {
    let p = Project::new();
    p.write("wharf.toml", "ignore = [\"DL3057\"]\n")
        .write("app/.hadolint.yaml", "ignored: [DL3002]\n");
    let s = p.settings("app/Dockerfile").unwrap();
    assert!(!has(&s, "DL3057") && has(&s, "DL3002"));
}

#[test]
fn hadolint_threshold_none_fails_on_everything() {
    let p = Project::new();
    p.write(".hadolint.yaml", "failure-threshold: none\n");
    assert_eq!(
        p.settings("Dockerfile").unwrap().failure_threshold,
        Severity::Style
    );
}

#[test]
fn hadolint_codes_wharf_lacks_are_notes() {
    let p = Project::new();
    p.write(".hadolint.yaml", "ignored: [DL3005, SC2086]\n");
    let r = p.resolver(CliOverrides::default(), &[]).unwrap();
    assert!(r.for_file(&p.path("Dockerfile")).is_ok());
    let w = r.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        p.strip(&w[0])
            .starts_with(".hadolint.yaml:1:11: wharf has no rule DL3005"),
        "{w:?}"
    );
    // A ShellCheck code is left out of the ShellCheck pass, which stays off.
    let sc = &r.for_file(&p.path("Dockerfile")).unwrap().file.shellcheck;
    assert_eq!(
        (sc.enabled, sc.exclude.as_slice()),
        (false, &[1090, 1091, 2086][..])
    );
}

fn hadolint_error(text: &str) -> String {
    let p = Project::new();
    p.write(".hadolint.yaml", text);
    p.error("Dockerfile")
}

#[test]
fn hadolint_errors() {
    assert_eq!(
        hadolint_error("ignored: [DL3002]\nignore: [DL3057]\n"),
        ".hadolint.yaml:2:1: unknown key `ignore` (did you mean `ignored`?)"
    );
    assert_eq!(
        hadolint_error("ignored:\n  - DL3O02\n"),
        ".hadolint.yaml:2:5: unknown rule code `DL3O02` (did you mean `DL3002`?)"
    );
    assert_eq!(
        hadolint_error("override:\n  eror: [DL3002]\n"),
        ".hadolint.yaml:2:3: unknown key `eror` (did you mean `error`?)"
    );
    assert_eq!(
        hadolint_error("trustedRegistries: docker.io\n"),
        ".hadolint.yaml:1:20: `trustedRegistries` must be a list, found a scalar"
    );
    assert_eq!(
        hadolint_error("failure-threshold: warn\n"),
        ".hadolint.yaml:1:20: unknown failure threshold `warn` (did you mean `warning`?)"
    );
    assert_eq!(
        hadolint_error("label-schema:\n  maintainer: mail\n"),
        ".hadolint.yaml:2:15: unknown value `mail` (did you mean `email`?)"
    );
    assert_eq!(
        hadolint_error("strict-labels: yes please\n"),
        ".hadolint.yaml:1:16: `strict-labels` must be true or false, found `yes please`"
    );
    assert_eq!(
        hadolint_error("ignored: [DL3002\n"),
        ".hadolint.yaml:2:1: invalid yaml: while parsing a flow sequence, expected ',' or ']'"
    );
    assert_eq!(
        hadolint_error("- DL3002\n"),
        ".hadolint.yaml:1:1: expected a mapping at the top level, found a list"
    );
    assert_eq!(
        hadolint_error("ignored: []\nignored: [DL3002]\n"),
        ".hadolint.yaml:2:1: duplicate key \"ignored\""
    );
    assert_eq!(
        hadolint_error("a: &x [DL3002]\nignored: *x\n"),
        ".hadolint.yaml:2:10: yaml aliases are not supported here"
    );
}

#[test]
fn hadolint_empty_file_and_null_values() {
    let p = Project::new();
    p.write(".hadolint.yaml", "")
        .write("a/.hadolint.yaml", "ignored:\noverride:\n");
    assert!(p.settings("Dockerfile").is_ok());
    assert!(has(&p.settings("a/Dockerfile").unwrap(), "DL3002"));
}

// ---------------------------------------------------------------- environment

#[test]
fn hadolint_environment_variables() {
    let p = Project::new();
    p.write(
        ".hadolint.yaml",
        "trustedRegistries: [ghcr.io]\nlabel-schema:\n  a: text\n",
    );
    let env = [
        ("HADOLINT_IGNORE", "DL3002, SC2086"),
        ("HADOLINT_OVERRIDE_ERROR", "DL3025"),
        ("HADOLINT_OVERRIDE_STYLE", "DL3025,DL3057"),
        ("HADOLINT_FAILURE_THRESHOLD", "Error"),
        ("HADOLINT_TRUSTED_REGISTRIES", "quay.io,*.corp.example"),
        (
            "HADOLINT_REQUIRE_LABELS",
            "maintainer:email, version:semver",
        ),
        ("HADOLINT_STRICT_LABELS", "YES"),
        ("HADOLINT_DISABLE_IGNORE_PRAGMA", "on"),
        ("HADOLINT_NOFAIL", "1"),
    ];
    let s = p
        .resolver(CliOverrides::default(), &env)
        .unwrap()
        .for_file(&p.path("Dockerfile"))
        .unwrap();
    assert!(!has(&s, "DL3002"));
    assert_eq!(s.file.severity.get("DL3025"), Some(&Severity::Error));
    assert_eq!(s.file.severity.get("DL3057"), Some(&Severity::Style));
    assert_eq!(s.failure_threshold, Severity::Error);
    let (rs, labels) = (
        s.file.rule_settings.get::<TrustedRegistries>(),
        s.file.rule_settings.get::<LabelSchema>(),
    );
    // Lists add to the file's, as in hadolint.
    assert_eq!(
        rs.trusted_registries,
        ["ghcr.io", "quay.io", "*.corp.example"]
    );
    assert_eq!(labels.label_schema.len(), 3);
    assert_eq!(labels.label_schema.get("version"), Some(&LabelType::Semver));
    assert!(labels.strict_labels && s.disable_ignore_pragma && s.no_fail);
}

#[test]
fn hadolint_environment_falsy_values() {
    let p = Project::new();
    p.write(".hadolint.yaml", "no-fail: true\nstrict-labels: true\n");
    let env = [("HADOLINT_NOFAIL", "0"), ("HADOLINT_STRICT_LABELS", "nope")];
    let s = p
        .resolver(CliOverrides::default(), &env)
        .unwrap()
        .for_file(&p.path("Dockerfile"))
        .unwrap();
    assert!(!s.no_fail && !s.file.rule_settings.get::<LabelSchema>().strict_labels);
}

#[test]
fn hadolint_environment_errors() {
    let p = Project::new();
    let err = |name: &str, value: &str| {
        p.resolver(CliOverrides::default(), &[(name, value)])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        err("HADOLINT_IGNORE", "DL3002, DL3O25"),
        "$HADOLINT_IGNORE:1:9: unknown rule code `DL3O25` (did you mean `DL3025`?)"
    );
    assert_eq!(
        err("HADOLINT_FAILURE_THRESHOLD", "warnings"),
        "$HADOLINT_FAILURE_THRESHOLD:1:1: unknown failure threshold `warnings` (did you mean `warning`?)"
    );
    assert_eq!(
        err("HADOLINT_REQUIRE_LABELS", "maintainer:email,version"),
        "$HADOLINT_REQUIRE_LABELS:1:18: expected `name:type`, found `version`"
    );
    assert_eq!(
        err("HADOLINT_REQUIRE_LABELS", "maintainer:e-mail"),
        "$HADOLINT_REQUIRE_LABELS:1:12: unknown value `e-mail` (did you mean `email`?)"
    );
}

#[test]
fn process_env_lookup_is_usable() {
    let lookup = no_env();
    let p = Project::new();
    assert!(Resolver::with_cwd(&CliOverrides::default(), &lookup, p.root()).is_ok());
    assert!(wharf::config::process_env("WHARF_SURELY_UNSET_VARIABLE_1234").is_none());
}

// ---------------------------------------------------------------- .dclintrc

#[test]
fn dclintrc_json() {
    let p = Project::new();
    p.write(
        ".dclintrc",
        r#"{
  "rules": {
    "shell-form-cmd": 0,
    "JSONArgsRecommended": 0,
    "last-user-is-root": "error",
    "missing-healthcheck": [1, {}],
    "no-version-field": 2,
    "some-future-rule": 2
  },
  "exclude": ["generated"],
  "quiet": false
}"#,
    );
    let r = p.resolver(CliOverrides::default(), &[]).unwrap();
    let s = r.for_file(&p.path("compose.yaml")).unwrap();
    assert!(!has(&s, "DL3025"));
    assert_eq!(s.file.severity.get("DL3002"), Some(&Severity::Error));
    assert_eq!(s.file.severity.get("DL3057"), Some(&Severity::Warning));
    // dclint's rule names are aliases of wharf's compose rules.
    assert!(has(&s, "DC001"));
    assert_eq!(s.file.severity.get("DC001"), Some(&Severity::Error));
    assert!(r.is_excluded(&p.path("generated/compose.yaml")).unwrap());
    let w = r.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        p.strip(&w[0]),
        ".dclintrc:8:5: wharf has no rule for dclint's `some-future-rule`; skipped"
    );
}

#[test]
fn dclintrc_rules_turn_on_dclint_forms() {
    use wharf::rules::compose::dc015_data_port_on_all_interfaces::DataPortOptions;
    use wharf::rules::compose::dc016_unquoted_port_mapping::UnquotedPortOptions;
    let p = Project::new();
    p.write(
        ".dclintrc.yaml",
        "rules:\n  no-unbound-port-interfaces: error\n  require-quotes-in-ports: 0\n",
    );
    let s = p.settings("compose.yaml").unwrap();
    assert_eq!(s.file.severity.get("DC015"), Some(&Severity::Error));
    assert!(s.file.rule_settings.get::<DataPortOptions>().all_ports);
    assert!(!has(&s, "DC016"));
    assert!(
        !s.file
            .rule_settings
            .get::<UnquotedPortOptions>()
            .all_unquoted
    );
}

#[test]
fn dclintrc_yaml_and_levels() {
    let p = Project::new();
    p.write(
        ".dclintrc.yaml",
        "rules:\n  missing-healthcheck: warn\n  last-user-is-root: off\n",
    );
    let s = p.settings("compose.yaml").unwrap();
    assert!(!has(&s, "DL3002"));
    assert_eq!(s.file.severity.get("DL3057"), Some(&Severity::Warning));
}

#[test]
fn dclintrc_and_hadolint_combine_when_no_wharf_config() {
    let p = Project::new();
    p.write(".dclintrc", "{\"rules\": {\"missing-healthcheck\": 0}}")
        .write(".hadolint.yaml", "ignored: [DL3002]\n");
    let s = p.settings("Dockerfile").unwrap();
    assert!(!has(&s, "DL3057") && !has(&s, "DL3002"));
    assert_eq!(s.config_files.len(), 2);
}

#[test]
fn dclintrc_errors() {
    let err = |text: &str| {
        let p = Project::new();
        p.write(".dclintrc", text);
        p.error("compose.yaml")
    };
    assert_eq!(
        err("{\"rules\": {\"missing-healthcheck\": 3}}"),
        ".dclintrc:1:35: invalid level `3` for `missing-healthcheck`: expected 0, 1, 2, \"off\", \"warn\" or \"error\""
    );
    assert_eq!(
        err("{\"rule\": {}}"),
        ".dclintrc:1:2: unknown key `rule` (did you mean `rules`?)"
    );
    assert_eq!(
        err("{\"rules\": {\"a\" 1}}"),
        ".dclintrc:1:16: invalid yaml: invalid trailing content after double-quoted scalar"
    );
}

#[test]
fn healthcheck_requirement_option() {
    let p = Project::new();
    let required = |p: &Project| {
        let s = p.settings("Dockerfile").unwrap();
        s.file.rule_settings.get::<HealthcheckOptions>().require
    };
    assert_eq!(required(&p), HealthcheckRequired::Exposed);
    p.write(
        "wharf.toml",
        "[rules.missing-healthcheck]\nrequire = \"always\"\n",
    );
    assert_eq!(required(&p), HealthcheckRequired::Always);
    p.write("wharf.toml", "[rules.DL3026]\nrequire = \"always\"\n");
    assert_eq!(
        p.error("Dockerfile"),
        "wharf.toml:2:11: DL3026 has no option `require`; it belongs under [rules.DL3057]"
    );
}

#[test]
fn secret_name_options() {
    let p = Project::new();
    p.write(
        "wharf.toml",
        "[rules.secret-in-arg-or-env]\nsecret-names = [\"ACME_CRED\"]\nnot-secret-names = [\"X_TOKEN\"]\n",
    );
    let s = p.settings("Dockerfile").unwrap();
    let names = s.file.rule_settings.get::<SecretNames>();
    assert_eq!(names.secret_names, ["ACME_CRED"]);
    assert_eq!(names.not_secret_names, ["X_TOKEN"]);
    p.write("wharf.toml", "[rules.DL3064]\nsecret-names = [\"A B\"]\n");
    assert_eq!(
        p.error("Dockerfile"),
        "wharf.toml:2:17: invalid variable name `A B`"
    );
}

// ---------------------------------------------------------------- rule fixtures' loader

#[test]
fn rule_settings_from_file() {
    let p = Project::new();
    p.write(
        "wharf.toml",
        "[rules.DL3026]\ntrusted-registries = [\"ghcr.io\"]\n",
    );
    let rs = wharf::config::rule_settings_from_file(&p.path("wharf.toml")).unwrap();
    assert_eq!(
        rs.get::<TrustedRegistries>().trusted_registries,
        ["ghcr.io"]
    );
}

// ---------------------------------------------------------------- schema

#[test]
fn schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(wharf::config::SCHEMA_FILE);
    let want = wharf::config::json_schema();
    if std::env::var_os("WHARF_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is out of date: run `WHARF_BLESS=1 cargo test --test config`",
        path.display()
    );
}

#[test]
fn schema_describes_every_configurable_rule_and_key() {
    let schema: serde_json::Value = serde_json::from_str(&wharf::config::json_schema()).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for key in [
        "select",
        "extend-select",
        "ignore",
        "severity",
        "failure-threshold",
        "exclude",
        "per-file-ignores",
        "disable-ignore-pragma",
        "no-fail",
        "rules",
        "shellcheck",
    ] {
        assert!(props.contains_key(key), "{key}");
    }
    let rules = &schema["$defs"]["RulesTable"]["properties"];
    for key in [
        "DL3026",
        "untrusted-registry",
        "DL3049",
        "missing-required-label",
    ] {
        assert!(rules.get(key).is_some(), "{key}");
    }
}

#[test]
fn buildkit_check_environment_variable() {
    let p = Project::new();
    let err = p
        .resolver(
            CliOverrides::default(),
            &[("BUILDKIT_DOCKERFILE_CHECK", "error=maybe")],
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.starts_with("$BUILDKIT_DOCKERFILE_CHECK"), "{err}");
    assert!(err.contains("`maybe` is not a boolean"), "{err}");
    let r = p
        .resolver(
            CliOverrides::default(),
            &[(
                "BUILDKIT_DOCKERFILE_CHECK",
                "skip=JSONArgsRecommended;error=true",
            )],
        )
        .unwrap();
    let s = r.for_file(&p.path("Dockerfile")).unwrap();
    let check = s.file.buildkit_check.as_ref().expect("parsed");
    assert!(check.error && check.skips("DL3025"));
    assert!(s.file.suppress.buildkit_check_from_env);
}

#[test]
fn shellcheck_codes_in_selectors() {
    let p = Project::new();
    let sc = |cli: CliOverrides| {
        let r = p.resolver(cli, &[]).unwrap();
        r.for_file(&p.path("Dockerfile"))
            .unwrap()
            .file
            .shellcheck
            .clone()
    };
    // Off by default, SC1090/SC1091 left out.
    let off = sc(CliOverrides::default());
    assert!(!off.enabled && off.include.is_none());
    assert_eq!(off.exclude, [1090, 1091]);
    // Selecting a code turns the pass on and narrows it; naming SC1091 brings it back.
    let only = sc(CliOverrides {
        select: vec!["DL3000".into(), "SC1091".into(), "sc2086".into()],
        ..CliOverrides::default()
    });
    assert!(only.enabled && only.reports(2086) && only.reports(1091) && !only.reports(2154));
    // --no-shellcheck wins over a selected code; --ignore leaves a code out.
    let no = sc(CliOverrides {
        extend_select: vec!["SC2154".into()],
        shellcheck: Some(false),
        ..CliOverrides::default()
    });
    assert!(!no.enabled);
    p.write("wharf.toml", "shellcheck = { exclude = [\"SC2164\"] }\n");
    let on = sc(CliOverrides {
        ignore: vec!["SC2086".into()],
        ..CliOverrides::default()
    });
    assert!(on.enabled && on.reports(2154) && !on.reports(2164) && !on.reports(2086));
}
