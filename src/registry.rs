//! The rule catalogue and rule selection by code, name, alias, prefix, category or `ALL`.

use crate::rule::{Category, Rule};

/// Every rule wharf knows, sorted by code.
pub fn all() -> &'static [&'static Rule] {
    crate::rules::all()
}

/// Finds a rule by its code (any case), its name or one of its aliases.
pub fn find(key: &str) -> Option<&'static Rule> {
    // The catalogue is sorted by code: an exact code, the common case (a finding's own code),
    // is a binary search.
    if let Ok(i) = all().binary_search_by(|r| r.code.cmp(key)) {
        return all().get(i).copied();
    }
    all()
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key || r.aliases.contains(&key))
}

/// The rules a selector names: `ALL`, a code, a name, an alias, a category, or a code prefix
/// (`DL30`). `None` when it names nothing.
pub fn matching(selector: &str) -> Option<Vec<&'static Rule>> {
    let sel = selector.trim();
    if sel.eq_ignore_ascii_case("ALL") {
        return Some(all().to_vec());
    }
    if let Some(rule) = find(sel) {
        return Some(vec![rule]);
    }
    if let Some(codes) = check_group(sel) {
        return Some(codes.iter().filter_map(|c| find(c)).collect());
    }
    if let Some(cat) = Category::parse(sel) {
        return Some(
            all()
                .iter()
                .copied()
                .filter(|r| r.category == cat)
                .collect(),
        );
    }
    let is_prefix = sel.len() >= 2
        && sel.chars().take(2).all(|c| c.is_ascii_alphabetic())
        && sel[2..].chars().all(|c| c.is_ascii_digit());
    if is_prefix {
        let found: Vec<_> = all()
            .iter()
            .copied()
            .filter(|r| r.code.len() > sel.len() && r.code[..sel.len()].eq_ignore_ascii_case(sel))
            .collect();
        if !found.is_empty() {
            return Some(found);
        }
    }
    None
}

/// BuildKit check names that stand for several wharf rules: BuildKit reports in one check what
/// hadolint splits into several codes. They select and suppress every rule of their group.
pub const CHECK_GROUPS: &[(&str, &[&str])] = &[(
    "MultipleInstructionsDisallowed",
    &["DL3012", "DL4003", "DL4004"],
)];

/// The codes a BuildKit group check name stands for (case-sensitive, as BuildKit names are).
pub fn check_group(name: &str) -> Option<&'static [&'static str]> {
    CHECK_GROUPS
        .iter()
        .find(|(n, _)| *n == name.trim())
        .map(|(_, codes)| *codes)
}

/// The group check names a rule answers to, besides its own aliases.
pub fn groups_of(code: &str) -> impl Iterator<Item = &'static str> {
    let code = code.to_string();
    CHECK_GROUPS
        .iter()
        .filter(move |(_, codes)| codes.contains(&code.as_str()))
        .map(|(n, _)| *n)
}

/// The closest known code, name or alias to a mistyped one, for "did you mean" help.
pub fn suggest(key: &str) -> Option<&'static str> {
    closest(
        key,
        all().iter().flat_map(|r| {
            [r.code, r.name]
                .into_iter()
                .chain(r.aliases.iter().copied())
        }),
    )
}

/// The closest candidate to a mistyped word (case-insensitive), if one is close enough to be
/// a likely typo. A shortened word (`warn` for `warning`) counts as close. Ties go to the
/// candidate first in byte order, so the answer never depends on the order of `candidates`
/// (callers pass hash sets).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let chars = word.chars().count();
    let limit = 2.max(chars / 3);
    candidates
        .into_iter()
        .filter_map(|c| {
            // The distance is at least the difference in length: a candidate too long or too
            // short can only be a shortening of it (the word is its prefix). This keeps a long
            // word (a whole line read as an unknown instruction) from costing a full
            // comparison with every candidate.
            let shortened = lower.len() >= 3
                && c.len() >= lower.len()
                && c.as_bytes()[..lower.len()].eq_ignore_ascii_case(lower.as_bytes());
            if shortened {
                return Some((1, c));
            }
            if chars.abs_diff(c.chars().count()) > limit {
                return None;
            }
            let d = edit_distance(&lower, &c.to_ascii_lowercase());
            (d <= limit).then_some((d, c))
        })
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

/// Levenshtein distance, for suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A code of a tool wharf replaces that wharf does not implement (yet): accepted wherever a
/// selector is read, with a note, instead of being an unknown-code error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Foreign {
    /// A hadolint `DL` code wharf has no rule for.
    Hadolint,
    /// A ShellCheck `SC` code (run only with the ShellCheck pass).
    ShellCheck,
}

/// hadolint's retired DL codes, and DL1000 (its parse error, wharf's DF000): never used by a
/// wharf rule, still accepted with a note in old configurations.
pub const HADOLINT_RETIRED: &[&str] = &["DL1000", "DL3005", "DL3017", "DL3031", "DL3039", "DL4002"];

/// hadolint's live DL codes (2.15.1), retired ones excluded.
pub const HADOLINT_CODES: &[&str] = &[
    "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008",
    "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL3018",
    "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026", "DL3027",
    "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036", "DL3037",
    "DL3038", "DL3040", "DL3041", "DL3042", "DL3043", "DL3044", "DL3045", "DL3046", "DL3047",
    "DL3048", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056",
    "DL3057", "DL3058", "DL3059", "DL3060", "DL3061", "DL3062", "DL3063", "DL3064", "DL3065",
    "DL3066", "DL3067", "DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006",
];

/// Whether `code` is a hadolint or ShellCheck code that wharf has no rule for (a retired
/// hadolint code, such as `DL3005`, left in an old configuration). Codes wharf implements, and
/// unknown codes, give `None`.
pub fn foreign(code: &str) -> Option<Foreign> {
    let code = code.trim();
    if find(code).is_some() {
        return None;
    }
    let mut hadolint = HADOLINT_CODES.iter().chain(HADOLINT_RETIRED);
    if hadolint.any(|c| c.eq_ignore_ascii_case(code)) {
        return Some(Foreign::Hadolint);
    }
    let digits = code.get(2..).unwrap_or("");
    let is_sc = code.len() == 6
        && code[..2].eq_ignore_ascii_case("SC")
        && digits.chars().all(|c| c.is_ascii_digit());
    is_sc.then_some(Foreign::ShellCheck)
}

/// BuildKit's build checks (`frontend/dockerfile/linter/ruleset.go`). Every one but
/// `InvalidBaseImagePlatform`, which needs the registry, names a wharf rule or a group.
pub const BUILDKIT_CHECKS: &[&str] = &[
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
];

#[cfg(test)]
mod buildkit_tests {
    use super::*;

    #[test]
    fn every_buildkit_check_names_a_rule() {
        for name in BUILDKIT_CHECKS {
            if *name == "InvalidBaseImagePlatform" {
                assert!(find(name).is_none());
                continue;
            }
            assert!(
                find(name).is_some() || check_group(name).is_some(),
                "BuildKit's {name} names no wharf rule"
            );
        }
    }
}

#[cfg(test)]
mod closest_tests {
    use super::closest;

    #[test]
    fn every_rule_is_found_by_its_code_in_any_case_and_by_its_name() {
        use crate::registry::{all, find};
        for rule in all() {
            for key in [
                rule.code.to_string(),
                rule.code.to_ascii_lowercase(),
                rule.name.to_string(),
            ] {
                assert!(
                    find(&key).is_some_and(|r| std::ptr::eq(r, *rule)),
                    "{key} finds {}",
                    rule.code
                );
            }
        }
        assert!(find("DL0000").is_none());
    }

    #[test]
    fn ties_do_not_depend_on_candidate_order() {
        // `web1` and `web2` are both one edit from `web`.
        assert_eq!(closest("web", ["web2", "web1"]), Some("web1"));
        assert_eq!(closest("web", ["web1", "web2"]), Some("web1"));
        let set: std::collections::HashSet<&str> = ["dbb", "dba", "dbc"].into_iter().collect();
        assert_eq!(closest("db", set.iter().copied()), Some("dba"));
        assert_eq!(closest("zzzzzz", ["web"]), None);
    }

    #[test]
    fn length_rules_out_far_candidates_but_not_shortenings() {
        // A whole line read as a keyword is near none of them.
        let line = "apt-get install -y curl && rm -rf /var/lib/apt/lists/*";
        assert_eq!(closest(line, ["RUN", "COPY", "HEALTHCHECK"]), None);
        // Two edits away, lengths within the limit.
        assert_eq!(
            closest("HEALTHCEK", ["RUN", "HEALTHCHECK"]),
            Some("HEALTHCHECK")
        );
        // A shortening counts however much longer the candidate is.
        assert_eq!(closest("warn", ["warning", "error"]), Some("warning"));
        assert_eq!(closest("heal", ["HEALTHCHECK"]), Some("HEALTHCHECK"));
        // Lengths are counted in characters.
        assert_eq!(closest("éé", ["ee"]), Some("ee"));
    }
}
