use crate::compose::ComposeFile;
use crate::compose::project::{Project, Sourced};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};
use crate::source::Span;
// foldhash (seeded per process): the maps are keyed by service names, hashed many times.
use hashbrown::{HashMap, HashSet};
use std::collections::VecDeque;

declare_rule! {
    /// ## What it does
    /// Reports services that depend on each other in a circle, and names the circle
    /// (`web -> api -> web`). A service depends on the services it names in `depends_on`,
    /// `links`, `network_mode: service:x`, `ipc`/`pid: service:x` and `volumes_from`, as
    /// compose counts them. Services are read as compose merges them: a dependency given by an
    /// override file, another compose file read with this one, or a service it `extends`
    /// counts, so a circle may go through several files. The finding is at the first link of
    /// the circle in the first of those files, with a label at each of the others (in their
    /// own files).
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
    let single;
    let project = match ctx.compose_project {
        Some(p) => p,
        None => {
            single = Project::single(ctx.file, &ctx.source.path, ctx.file_id);
            &single
        }
    };
    let here = ctx.file_id;
    // Every service of the files merged with this one, as compose merges it, and its edges
    // with where each is written (the first reference of a pair).
    let order: Vec<&str> = project.service_names(here);
    let group = project.merged_files(here);
    let mut edges: HashMap<&str, Vec<(&str, Sourced<Span>)>> = HashMap::new();
    for &name in &order {
        let Some(service) = project.effective(here, name) else {
            continue;
        };
        let out = service
            .dependencies()
            .into_iter()
            .map(|d| {
                let at = Sourced {
                    value: d.value.span,
                    file: d.file,
                };
                (d.value.value, at)
            })
            .collect();
        edges.insert(name, out);
    }
    // Only a service in a circle has a cycle through it: the circles lie inside the strongly
    // connected components, found in one pass, so that a long chain of services costs one
    // walk instead of one per service.
    let comp = components(&order, &edges);
    let mut size: HashMap<usize, usize> = HashMap::new();
    for c in comp.values() {
        *size.entry(*c).or_default() += 1;
    }
    let mut reported: HashSet<Vec<&str>> = HashSet::new();
    for &start in &order {
        let Some(&c) = comp.get(start) else {
            continue;
        };
        let self_loop = edges
            .get(start)
            .is_some_and(|out| out.iter().any(|(n, _)| *n == start));
        if size.get(&c).copied().unwrap_or(0) < 2 && !self_loop {
            continue;
        }
        let Some(cycle) = shortest_cycle(start, &edges, &|n| comp.get(n) == Some(&c)) else {
            continue;
        };
        let mut key = cycle.clone();
        key.sort_unstable();
        if !reported.insert(key) {
            continue;
        }
        let mut names: Vec<&str> = cycle.clone();
        names.push(start);
        let links: Vec<Sourced<Span>> = names
            .windows(2)
            .filter_map(|w| {
                edges
                    .get(w[0])?
                    .iter()
                    .find(|(n, _)| *n == w[1])
                    .map(|(_, s)| *s)
            })
            .collect();
        // A circle through several files is reported once, in the first of the files merged
        // with this one that holds a link, from its first link there. A circle whose links are
        // all in services extended from other files is reported at the first service's name.
        let Some(first_file) = links.iter().map(|l| l.file).filter(|f| group.contains(f)).min()
        else {
            let Some(home) = project.effective(here, start).and_then(|e| e.home().copied()) else {
                continue;
            };
            if home.file != here {
                continue;
            }
            let d = ctx
                .report(home.service.name_span(), format!("dependency cycle: {}", names.join(" -> ")))
                .help("remove one of the dependencies so that one service can start first");
            for (i, link) in links.iter().enumerate() {
                let (from, to) = (names[i], names[i + 1]);
                d.related_in(link.file, link.value, format!("`{from}` depends on `{to}`"));
            }
            continue;
        };
        if first_file != here {
            continue;
        }
        let Some(at) = links.iter().position(|l| l.file == here) else {
            continue;
        };
        let n = links.len();
        names.pop();
        let turn = |i: usize| names[(at + i) % n];
        let mut circle: Vec<&str> = (0..n).map(turn).collect();
        circle.push(turn(0));
        let d = ctx
            .report(links[at].value, format!("dependency cycle: {}", circle.join(" -> ")))
            .help("remove one of the dependencies so that one service can start first");
        for i in 1..n {
            let link = links[(at + i) % n];
            let (from, to) = (turn(i), turn(i + 1));
            d.related_in(link.file, link.value, format!("`{from}` depends on `{to}`"));
        }
    }
}

/// The strongly connected component of each service (Tarjan's algorithm, without
/// recursion): two services share one when each reaches the other.
fn components<'a, T>(
    order: &[&'a str],
    edges: &HashMap<&'a str, Vec<(&'a str, T)>>,
) -> HashMap<&'a str, usize> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut low: HashMap<&str, usize> = HashMap::new();
    let mut on_stack: HashSet<&str> = HashSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut comp: HashMap<&str, usize> = HashMap::new();
    let mut next_comp = 0;
    for &root in order {
        if index.contains_key(root) {
            continue;
        }
        // The walk: each service with the position of the next of its edges to follow.
        let mut work: Vec<(&str, usize)> = vec![(root, 0)];
        index.insert(root, index.len());
        low.insert(root, index.len() - 1);
        stack.push(root);
        on_stack.insert(root);
        while let Some(&(v, i)) = work.last() {
            let out = edges.get(v).map_or(&[][..], Vec::as_slice);
            let low_v = low.get(v).copied().unwrap_or(0);
            if let Some(&(w, _)) = out.get(i) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if !edges.contains_key(w) {
                    continue;
                }
                match index.get(w).copied() {
                    None => {
                        let n = index.len();
                        index.insert(w, n);
                        low.insert(w, n);
                        stack.push(w);
                        on_stack.insert(w);
                        work.push((w, 0));
                    }
                    Some(iw) if on_stack.contains(w) => {
                        low.insert(v, low_v.min(iw));
                    }
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                let low_u = low.get(u).copied().unwrap_or(0);
                low.insert(u, low_u.min(low_v));
            }
            if Some(&low_v) == index.get(v) {
                while let Some(w) = stack.pop() {
                    on_stack.remove(w);
                    comp.insert(w, next_comp);
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// The services of the shortest circle through `start`, from `start` on, when there is
/// one. The walk keeps to the services `within` accepts (the component of `start`: a circle
/// never leaves it).
fn shortest_cycle<'a, T>(
    start: &'a str,
    edges: &HashMap<&'a str, Vec<(&'a str, T)>>,
    within: &dyn Fn(&str) -> bool,
) -> Option<Vec<&'a str>> {
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
            if edges.contains_key(next) && within(next) && seen.insert(next) {
                parent.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}
