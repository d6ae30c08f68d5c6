use crate::compose::ComposeFile;
use crate::compose::refs::{ServiceKey, Target};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};
use crate::source::Span;
use std::collections::{HashMap, HashSet, VecDeque};

declare_rule! {
    /// ## What it does
    /// Reports services that depend on each other in a circle, and names the circle
    /// (`web -> api -> web`). A service depends on the services it names in `depends_on`,
    /// `links`, `network_mode: service:x`, `ipc`/`pid: service:x` and `volumes_from`, as
    /// compose counts them. The finding is at the first link of the circle, with a label at
    /// each of the others.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses the project ("dependency cycle detected"): no service of the
    /// circle can start first.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     depends_on: [api]
    ///   api:
    ///     image: example/api:2.1
    ///     depends_on: [web]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     depends_on: [api]
    ///   api:
    ///     image: example/api:2.1
    /// ```
    pub static RULE = Rule {
        code: "DC011",
        name: "dependency-cycle",
        category: Category::Correctness,
        summary: "services depend on each other in a circle",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let file = ctx.file;
    // The first definition of each name, in file order, and its edges with where each is
    // written (the first reference of a pair).
    let mut order: Vec<&str> = Vec::new();
    let mut edges: HashMap<&str, Vec<(&str, Span)>> = HashMap::new();
    for service in file.services() {
        if edges.contains_key(service.name) {
            continue;
        }
        order.push(service.name);
        let mut out: Vec<(&str, Span)> = Vec::new();
        for r in service.references(file) {
            let Target::Service(key) = r.target else {
                continue;
            };
            if key == ServiceKey::Extends || r.is_interpolated() {
                continue;
            }
            if !out.iter().any(|(n, _)| *n == r.name.value) {
                out.push((r.name.value, r.name.span));
            }
        }
        edges.insert(service.name, out);
    }
    let mut reported: HashSet<Vec<&str>> = HashSet::new();
    for &start in &order {
        let Some(cycle) = shortest_cycle(start, &edges) else {
            continue;
        };
        let mut key = cycle.clone();
        key.sort_unstable();
        if !reported.insert(key) {
            continue;
        }
        let mut names: Vec<&str> = cycle.clone();
        names.push(start);
        let spans: Vec<Span> = names
            .windows(2)
            .filter_map(|w| {
                edges
                    .get(w[0])?
                    .iter()
                    .find(|(n, _)| *n == w[1])
                    .map(|(_, s)| *s)
            })
            .collect();
        let Some((&first, rest)) = spans.split_first() else {
            continue;
        };
        let d = ctx
            .report(first, format!("dependency cycle: {}", names.join(" -> ")))
            .help("remove one of the dependencies so that one service can start first");
        for (i, span) in rest.iter().enumerate() {
            let (from, to) = (names[i + 1], names[i + 2]);
            d.related(*span, format!("`{from}` depends on `{to}`"));
        }
    }
}

/// The services of the shortest circle through `start`, from `start` on, when there is
/// one.
fn shortest_cycle<'a>(start: &'a str, edges: &HashMap<&'a str, Vec<(&'a str, Span)>>) -> Option<Vec<&'a str>> {
    let mut parent: HashMap<&str, &str> = HashMap::new();
    let mut queue: VecDeque<&str> = VecDeque::from([start]);
    let mut seen: HashSet<&str> = HashSet::new();
    while let Some(at) = queue.pop_front() {
        for &(next, _) in edges.get(at).into_iter().flatten() {
            if next == start {
                let mut path = vec![at];
                let mut n = at;
                while n != start {
                    n = parent.get(n)?;
                    path.push(n);
                }
                path.reverse();
                return Some(path);
            }
            if edges.contains_key(next) && seen.insert(next) {
                parent.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}
