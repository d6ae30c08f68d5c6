//! What the ordering rules (DC032 to DC036) share: the keys of a mapping as written, and the
//! order dclint sorts names in.
//!
//! The rules judge the text as written, so they are anchor-aware: merge keys (`<<: *base`) and
//! what they bring in are not part of a mapping's order, and a value that is only an alias
//! (`web: *base`) has no order of its own.

use crate::compose::{ComposeFile, EntryRef, NodeRef};
use crate::rule::Context;
use crate::source::Span;
use std::cmp::Ordering;

/// The entries of a mapping as written, merge keys left out; nothing for an alias.
pub fn written_entries(node: NodeRef<'_>) -> Vec<EntryRef<'_>> {
    if node.is_alias() {
        return Vec::new();
    }
    node.raw_entries()
        .filter(|e| e.key_str() != Some("<<"))
        .collect()
}

/// Names compared without case, digit runs by their value (`web2` before `web10`).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let m = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (p, q) = (&x[..n], &y[..m]);
                let strip = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
                let (p, q) = (&p[strip(p)..], &q[strip(q)..]);
                let o = p.len().cmp(&q.len()).then_with(|| p.cmp(q));
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[n..];
                y = &y[m..];
            }
            (Some(c), Some(d)) => {
                let o = c.to_ascii_lowercase().cmp(&d.to_ascii_lowercase());
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

/// Reports the first item of a list that sorts before the one written before it (`what` names
/// the items in the message: "port", "service"), once per written place: a list that reaches
/// several services through an anchor is reported where it is written.
pub fn report_unsorted(
    ctx: &mut Context<'_, ComposeFile>,
    items: &[(Span, &str)],
    what: &str,
    help: &'static str,
    seen: &mut Vec<Span>,
) {
    let Some((span, before, i)) = first_out_of_order(items) else {
        return;
    };
    if seen.contains(&span) {
        return;
    }
    seen.push(span);
    ctx.report(
        span,
        format!(
            "{what}`{}` should come before `{}`",
            items[i].1,
            items[i - 1].1
        ),
    )
    .help(help)
    .related(before, "written before it");
}

/// The first item that sorts before the item written before it, with that earlier item.
pub fn first_out_of_order<T: Copy>(items: &[(T, &str)]) -> Option<(T, T, usize)> {
    items.windows(2).enumerate().find_map(|(i, w)| {
        (natural_cmp(w[1].1, w[0].1) == Ordering::Less).then_some((w[1].0, w[0].0, i + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        assert_eq!(natural_cmp("web2", "web10"), Ordering::Less);
        assert_eq!(natural_cmp("Api", "db"), Ordering::Less);
        assert_eq!(natural_cmp("80:80", "8080:80"), Ordering::Less);
        assert_eq!(natural_cmp("b", "a"), Ordering::Greater);
        let items = [(1, "a"), (2, "c"), (3, "b")];
        assert_eq!(first_out_of_order(&items), Some((3, 2, 2)));
        assert_eq!(first_out_of_order(&[(1, "a"), (2, "b")]), None);
    }
}
