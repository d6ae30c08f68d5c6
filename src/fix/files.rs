//! Fixing linted files: what `wharf check --fix` and `--diff` do to each file before it is
//! written or shown.
//!
//! A file is fixed to a fixpoint ([`super::fix_from`]): its fixes are applied, it is re-linted
//! with the same settings, and so on until no fix is left. The result is checked before anyone
//! sees it: fixes that do not converge, a rule that panics on the fixed text, or a fixed text
//! that no longer parses where the original did, are bugs in wharf; the file is then left as it
//! was and the error names the rules involved.

use std::collections::BTreeMap;

use crate::diagnostic::{Applicability, Diagnostic};
use crate::engine::{self, FileSettings, Parsed};
use crate::source::SourceFile;

/// What fixing one file gave.
#[derive(Debug, Clone)]
pub struct FileFix {
    /// The fixed text.
    pub text: String,
    /// How many fixes each rule applied, by code.
    pub applied: BTreeMap<&'static str, usize>,
    /// The findings left in `text`.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileFix {
    /// The number of fixes applied.
    pub fn count(&self) -> usize {
        self.applied.values().sum()
    }
}

/// True when a finding offers a fix that may be applied at `level`.
pub fn has_fix_at(diagnostics: &[Diagnostic], level: Applicability) -> bool {
    super::fixes_of(diagnostics).any(|(_, f)| f.applicability.allowed_at(level))
}

/// Fixes `source`, whose findings under `settings` are `diagnostics`, at `level`. `Ok(None)`
/// when no fix applies; `Err` with a message when fixing would damage the file (see the
/// module docs), in which case nothing should be written.
pub fn fix_file(
    source: &SourceFile,
    diagnostics: &[Diagnostic],
    settings: &FileSettings,
    level: Applicability,
) -> Result<Option<FileFix>, String> {
    if !has_fix_at(diagnostics, level) {
        return Ok(None);
    }
    let mut internal: Vec<String> = Vec::new();
    let point = super::fix_from(&source.text, diagnostics.to_vec(), level, |text| {
        let fixed = SourceFile::new(source.path.clone(), text, source.kind);
        let linted = engine::lint_isolated(&fixed, settings);
        internal.extend(linted.internal_errors.into_iter().map(|e| e.message));
        linted.diagnostics
    });
    if let Some(e) = point.error() {
        return Err(format!("not fixed: {e}; this is a bug in wharf"));
    }
    if let Some(e) = internal.first() {
        return Err(format!("not fixed: {e}"));
    }
    let before = syntax_errors(&source.text, source);
    let after = syntax_errors(&point.text, source);
    if after > before {
        let rules: Vec<&str> = point.by_rule.keys().copied().collect();
        return Err(format!(
            "not fixed: the fixes of {} would leave a file that does not parse; this is a bug in wharf",
            rules.join(", ")
        ));
    }
    Ok(Some(FileFix {
        text: point.text,
        applied: point.by_rule,
        diagnostics: point.diagnostics,
    }))
}

/// The number of syntax errors of `text` read as `like` is (its kind), whichever rules are
/// selected: Dockerfile and compose syntax errors and RUN shells that do not parse.
fn syntax_errors(text: &str, like: &SourceFile) -> usize {
    let source = SourceFile::new(like.path.clone(), text, like.kind);
    match Parsed::parse(&source) {
        Parsed::Dockerfile(df) => {
            df.errors.len()
                + df.iter()
                    .filter(|ins| df.shell_error(ins).is_some())
                    .count()
        }
        Parsed::Compose(cf) => cf.errors.len(),
    }
}
