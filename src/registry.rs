//! The rule catalogue and rule selection by code, name, alias, prefix, category or `ALL`.

use crate::rule::{Category, Rule};

/// Every rule wharf knows, sorted by code.
pub fn all() -> &'static [&'static Rule] {
    crate::rules::all()
}

/// Finds a rule by its code (any case), its name or one of its aliases.
pub fn find(key: &str) -> Option<&'static Rule> {
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
/// a likely typo. A shortened word (`warn` for `warning`) counts as close.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let limit = 2.max(word.chars().count() / 3);
    candidates
        .into_iter()
        .filter_map(|c| {
            let cl = c.to_ascii_lowercase();
            let prefix = lower.len() >= 3 && cl.starts_with(&lower);
            let d = edit_distance(&lower, &cl);
            (d <= limit || prefix).then_some((if prefix { 1 } else { d }, c))
        })
        .min_by_key(|(d, _)| *d)
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
