//! A YAML tree that remembers where everything came from.
//!
//! Built from `saphyr-parser` events. Every node (scalar, mapping, sequence, alias) has a byte
//! [`Span`]; a mapping keeps its key nodes, so keys have spans too. Aliases stay references to
//! the anchored node and are never expanded, so a "billion laughs" file costs no more than its
//! size. Merge keys (`<<: *base`, `<<: [*a, *b]`) are applied lazily by [`NodeRef::entries`]
//! and [`NodeRef::get`], with Compose's precedence: explicit keys win over merged ones, and an
//! earlier merge source wins over a later one.
//!
//! Problems are collected as [`SyntaxError`]s and never abort the build: duplicate keys, merge
//! values that are not mappings, aliases to their own ancestor, and YAML syntax errors (after
//! which the tree built so far is kept).
//!
//! saphyr counts positions in characters; one private helper (`Positions`) turns them into
//! byte offsets, and nothing else does.

use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, ScanError, Tag};
use std::collections::{HashMap, HashSet};

/// A syntax-level problem in a compose file; the engine reports each as a DC000 diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the problem is.
    pub span: Span,
    /// What is wrong: short, lowercase, no final period.
    pub message: String,
    /// A second location that explains the first (the earlier key of a duplicate).
    pub related: Option<(Span, String)>,
}

impl SyntaxError {
    fn new(span: Span, message: impl Into<String>) -> Self {
        SyntaxError {
            span,
            message: message.into(),
            related: None,
        }
    }
}

/// The index of a node in its [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// The position of the node in the tree's node list.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// Unquoted.
    Plain,
    /// `'...'`
    SingleQuoted,
    /// `"..."`
    DoubleQuoted,
    /// `|` block.
    Literal,
    /// `>` block.
    Folded,
}

impl ScalarStyle {
    /// Quoted or block: the value is a string whatever it looks like.
    pub fn is_quoted(self) -> bool {
        !matches!(self, ScalarStyle::Plain)
    }
}

impl From<SaphyrStyle> for ScalarStyle {
    fn from(s: SaphyrStyle) -> Self {
        match s {
            SaphyrStyle::Plain => ScalarStyle::Plain,
            SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            SaphyrStyle::Literal => ScalarStyle::Literal,
            SaphyrStyle::Folded => ScalarStyle::Folded,
        }
    }
}

/// One node of the tree.
#[derive(Clone, Debug)]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// The node's text: a scalar with its quotes or block indicator, a flow collection from
    /// bracket to bracket, a block collection from its first entry to the end of its last.
    /// Anchors and tags are not part of it.
    pub span: Span,
    /// The tag, as written (`!reset`, `!override`, `!!str`).
    pub tag: Option<Box<str>>,
    /// The anchor's name, without `&`.
    pub anchor: Option<Box<str>>,
    /// A collection written in flow style (`{...}`, `[...]`).
    pub flow: bool,
}

/// The four kinds of node.
#[derive(Clone, Debug)]
pub enum NodeKind {
    /// A scalar with its resolved value (quotes removed, escapes and folding applied).
    Scalar {
        /// The resolved text.
        value: String,
        /// How it was written.
        style: ScalarStyle,
    },
    /// A mapping's entries in file order, merge keys and duplicates included.
    Mapping(Vec<Entry>),
    /// A sequence's items in file order.
    Sequence(Vec<NodeId>),
    /// `*name`: a reference to an anchored node.
    Alias {
        /// The anchor's name, without `*`.
        name: Box<str>,
        /// The anchored node; `None` when the anchor is unknown or the alias would make a cycle.
        target: Option<NodeId>,
    },
}

/// One `key: value` pair of a mapping, as written.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The key node.
    pub key: NodeId,
    /// The value node.
    pub value: NodeId,
    /// A later repetition of a key already in the mapping: reported, and skipped by
    /// [`NodeRef::entries`] and [`NodeRef::get`] (the first one wins).
    pub duplicate: bool,
}

/// One YAML document of a stream.
#[derive(Clone, Debug)]
pub struct Document {
    /// The top-level node; `None` for a document cut short by a syntax error before any node.
    pub root: Option<NodeId>,
    /// From the document marker or first node to the end of the document.
    pub span: Span,
    /// False when a syntax error stopped the parse inside this document.
    pub complete: bool,
}

/// All the documents of a file and their nodes.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    /// The documents, in file order.
    pub documents: Vec<Document>,
}

/// What [`NodeRef::node`] gives for an id that is not in the tree.
static MISSING: Node = Node {
    kind: NodeKind::Scalar {
        value: String::new(),
        style: ScalarStyle::Plain,
    },
    span: Span::empty(0),
    tag: None,
    anchor: None,
    flow: false,
};

impl Tree {
    /// Gives back the room the tree's vectors and strings grew into while it was built (about
    /// a quarter of a tree). For a tree that waits to be linted beside many others (a whole
    /// run's compose files); not worth its reallocations for one linted at once.
    pub fn shrink_to_fit(&mut self) {
        self.nodes.shrink_to_fit();
        self.documents.shrink_to_fit();
        for n in &mut self.nodes {
            match &mut n.kind {
                NodeKind::Scalar { value, .. } => value.shrink_to_fit(),
                NodeKind::Mapping(entries) => entries.shrink_to_fit(),
                NodeKind::Sequence(items) => items.shrink_to_fit(),
                NodeKind::Alias { .. } => {}
            }
        }
    }

    /// Parses a YAML stream. Never panics; problems land in the returned errors.
    pub fn parse(text: &str) -> (Tree, Vec<SyntaxError>) {
        build(text)
    }

    /// A handle on a node, for reading.
    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { tree: self, id }
    }

    /// Every node, in the order the parser met them.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// A handle on every node, in the order of [`Tree::nodes`].
    pub fn node_refs(&self) -> impl Iterator<Item = NodeRef<'_>> + '_ {
        (0..self.nodes.len()).map(move |i| self.node(NodeId(i as u32)))
    }

    /// The root nodes of the documents that have one.
    pub fn roots(&self) -> impl Iterator<Item = NodeRef<'_>> + '_ {
        self.documents
            .iter()
            .filter_map(|d| d.root)
            .map(|id| self.node(id))
    }
}

/// A node together with its tree: the read API.
#[derive(Clone, Copy)]
pub struct NodeRef<'t> {
    tree: &'t Tree,
    id: NodeId,
}

impl std::fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeRef({:?} {:?})", self.id.0, self.span())
    }
}

/// A mapping entry seen through [`NodeRef`].
#[derive(Clone, Copy, Debug)]
pub struct EntryRef<'t> {
    /// The key node (not resolved: an alias key stays an alias).
    pub key: NodeRef<'t>,
    /// The value node (not resolved).
    pub value: NodeRef<'t>,
}

impl<'t> EntryRef<'t> {
    /// The key's text, when the key is a scalar (through an alias if need be).
    pub fn key_str(&self) -> Option<&'t str> {
        self.key.scalar_value()
    }

    /// From the start of the key to the end of the value.
    pub fn span(&self) -> Span {
        let k = self.key.span();
        let v = self.value.span();
        if v.end >= k.start {
            Span::new(k.start, v.end.max(k.end))
        } else {
            k
        }
    }
}

impl<'t> NodeRef<'t> {
    /// The node's id.
    pub fn id(self) -> NodeId {
        self.id
    }

    /// The tree the node belongs to.
    pub fn tree(self) -> &'t Tree {
        self.tree
    }

    /// The node itself.
    pub fn node(self) -> &'t Node {
        self.tree.nodes.get(self.id.index()).unwrap_or(&MISSING)
    }

    /// What kind of node this is.
    pub fn kind(self) -> &'t NodeKind {
        &self.node().kind
    }

    /// The node's span (for an alias: the `*name` text).
    pub fn span(self) -> Span {
        self.node().span
    }

    /// The node's tag (`!reset`, `!!str`), if any.
    pub fn tag(self) -> Option<&'t str> {
        self.node().tag.as_deref()
    }

    /// Whether the node is an alias.
    pub fn is_alias(self) -> bool {
        matches!(self.kind(), NodeKind::Alias { .. })
    }

    /// The node an alias refers to; any other node is returned as is. An alias whose anchor is
    /// unknown resolves to itself.
    pub fn resolve(self) -> NodeRef<'t> {
        let mut cur = self;
        // Anchors are never set on aliases, so one hop is enough; the bound is a guard.
        for _ in 0..8 {
            match cur.kind() {
                NodeKind::Alias {
                    target: Some(t), ..
                } if *t != cur.id => cur = self.tree.node(*t),
                _ => return cur,
            }
        }
        cur
    }

    /// The scalar's value and style (through an alias).
    pub fn as_scalar(self) -> Option<(&'t str, ScalarStyle)> {
        match self.resolve().kind() {
            NodeKind::Scalar { value, style } => Some((value.as_str(), *style)),
            _ => None,
        }
    }

    /// The scalar's value (through an alias), `null` included as written.
    pub fn scalar_value(self) -> Option<&'t str> {
        self.as_scalar().map(|(v, _)| v)
    }

    /// The scalar's value (through an alias), or `None` for a null or a collection.
    pub fn as_str(self) -> Option<&'t str> {
        if self.is_null() {
            None
        } else {
            self.scalar_value()
        }
    }

    /// An empty value, `~` or `null` (plain, untagged), through an alias.
    pub fn is_null(self) -> bool {
        let r = self.resolve();
        match r.kind() {
            NodeKind::Scalar {
                value,
                style: ScalarStyle::Plain,
            } => {
                let untagged = r.tag().is_none_or(|t| t == "!!null");
                untagged && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// Whether the node is (or aliases) a mapping.
    pub fn is_mapping(self) -> bool {
        matches!(self.resolve().kind(), NodeKind::Mapping(_))
    }

    /// Whether the node is (or aliases) a sequence.
    pub fn is_sequence(self) -> bool {
        matches!(self.resolve().kind(), NodeKind::Sequence(_))
    }

    /// The items of a sequence (through an alias); nothing for other nodes. Items are not
    /// resolved.
    pub fn items(self) -> impl Iterator<Item = NodeRef<'t>> + 't {
        let tree = self.tree;
        let items: &'t [NodeId] = match self.resolve().kind() {
            NodeKind::Sequence(items) => items,
            _ => &[],
        };
        items.iter().map(move |&id| tree.node(id))
    }

    /// The entries of a mapping as written (through an alias): merge keys and duplicates
    /// included, nothing merged in.
    pub fn raw_entries(self) -> impl Iterator<Item = EntryRef<'t>> + 't {
        let tree = self.tree;
        let entries: &'t [Entry] = match self.resolve().kind() {
            NodeKind::Mapping(entries) => entries,
            _ => &[],
        };
        entries.iter().map(move |e| EntryRef {
            key: tree.node(e.key),
            value: tree.node(e.value),
        })
    }

    /// The effective entries of a mapping (through an alias), with merge keys applied: the
    /// mapping's own keys first (the first of duplicates only), then the keys of each merge
    /// source not seen yet, earlier sources before later ones. Nothing for other nodes.
    pub fn entries(self) -> Entries<'t> {
        Entries::new(self.tree, self.resolve().id, true)
    }

    /// The value of `key` in a mapping, merge keys applied.
    pub fn get(self, key: &str) -> Option<NodeRef<'t>> {
        self.entry(key).map(|e| e.value)
    }

    /// The entry of `key` in a mapping, merge keys applied (the key node tells where it is).
    pub fn entry(self, key: &str) -> Option<EntryRef<'t>> {
        let map = self.resolve();
        let NodeKind::Mapping(entries) = map.kind() else {
            return None;
        };
        // The mapping's own keys come first in effective order, and the first of duplicates
        // wins: look among them without building the iterator (rules ask for keys one by one,
        // so this is the common case).
        let tree = self.tree;
        let mut merges = false;
        for e in entries {
            let k = tree.node(e.key);
            // A merge key is a `<<` scalar: the test for one is made only on that text.
            let text = k.scalar_value();
            if text == Some("<<") && is_merge_key(tree, e) {
                merges = true;
                continue;
            }
            if text == Some(key) {
                return Some(EntryRef {
                    key: k,
                    value: tree.node(e.value),
                });
            }
        }
        if !merges {
            return None;
        }
        // Without de-duplication the first match in effective order is the winner.
        Entries::new(tree, map.id, false).find(|e| e.key_str() == Some(key))
    }
}

/// Looks `key` up in a mapping node, merge keys applied.
pub fn get<'t>(node: NodeRef<'t>, key: &str) -> Option<NodeRef<'t>> {
    node.get(key)
}

/// Whether an entry is a merge key (`<<`, plain, untagged or tagged `!!merge`).
fn is_merge_key(tree: &Tree, e: &Entry) -> bool {
    let k = tree.node(e.key);
    matches!(k.kind(), NodeKind::Scalar { value, style: ScalarStyle::Plain } if value == "<<")
        && k.tag().is_none_or(|t| t == "!!merge")
}

/// The mappings a merge value names, in order: the mapping itself, or the mappings of a list.
fn merge_sources(tree: &Tree, value: NodeId) -> Vec<NodeId> {
    let v = tree.node(value).resolve();
    match v.kind() {
        NodeKind::Mapping(_) => vec![v.id],
        NodeKind::Sequence(items) => items
            .iter()
            .map(|&i| tree.node(i).resolve())
            .filter(|n| matches!(n.kind(), NodeKind::Mapping(_)))
            .map(|n| n.id)
            .collect(),
        _ => Vec::new(),
    }
}

/// Iterator over a mapping's effective entries; see [`NodeRef::entries`].
pub struct Entries<'t> {
    tree: &'t Tree,
    /// Mappings still to read, the next one on top, with the index of the next entry. Inline:
    /// most mappings have no merge key, and an iteration allocates nothing.
    stack: smallvec::SmallVec<[(NodeId, usize); 2]>,
    /// Merge sources found in the mapping being read, in order.
    pending: Vec<NodeId>,
    /// Mappings already read (each is read once, which also stops merge cycles).
    visited: smallvec::SmallVec<[NodeId; 4]>,
    visited_set: HashSet<NodeId>,
    /// Keys yielded so far; only used once a merge is involved.
    seen: Option<HashSet<&'t str>>,
    dedupe: bool,
}

impl<'t> Entries<'t> {
    fn new(tree: &'t Tree, map: NodeId, dedupe: bool) -> Self {
        let has_merge = match tree.node(map).kind() {
            NodeKind::Mapping(entries) => entries.iter().any(|e| is_merge_key(tree, e)),
            _ => false,
        };
        Entries {
            tree,
            stack: smallvec::smallvec![(map, 0)],
            pending: Vec::new(),
            visited: smallvec::smallvec![map],
            visited_set: HashSet::new(),
            seen: (dedupe && has_merge).then(HashSet::new),
            dedupe,
        }
    }

    fn mark_visited(&mut self, id: NodeId) -> bool {
        // A short list is cheaper than hashing; switch to the set when it grows.
        if self.visited.contains(&id) || self.visited_set.contains(&id) {
            return false;
        }
        if self.visited.len() < 16 {
            self.visited.push(id);
        } else {
            self.visited_set.insert(id);
        }
        true
    }
}

impl<'t> Iterator for Entries<'t> {
    type Item = EntryRef<'t>;

    fn next(&mut self) -> Option<EntryRef<'t>> {
        let tree = self.tree;
        loop {
            let &mut (map, ref mut idx) = self.stack.last_mut()?;
            let entries: &'t [Entry] = match tree.node(map).kind() {
                NodeKind::Mapping(entries) => entries,
                _ => &[],
            };
            let Some(e) = entries.get(*idx) else {
                // This mapping is done: its merge sources come next, first source on top.
                self.stack.pop();
                let pending = std::mem::take(&mut self.pending);
                for &src in pending.iter().rev() {
                    self.stack.push((src, 0));
                }
                continue;
            };
            *idx += 1;
            if is_merge_key(tree, e) {
                for src in merge_sources(tree, e.value) {
                    if self.mark_visited(src) {
                        self.pending.push(src);
                    }
                }
                continue;
            }
            if e.duplicate && self.dedupe {
                continue;
            }
            let entry = EntryRef {
                key: tree.node(e.key),
                value: tree.node(e.value),
            };
            if let Some(seen) = self.seen.as_mut()
                && let Some(k) = entry.key_str()
                && !seen.insert(k)
            {
                continue;
            }
            return Some(entry);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building the tree.

/// How often the parse may be retried with workarounds for saphyr strictnesses that Docker's
/// YAML reader (go-yaml) does not share. Each retry is a full parse, so this bounds the cost.
const MAX_ATTEMPTS: usize = 16;

/// Character index (as saphyr counts) to byte offset. When the text had to be patched for a
/// retry (spaces inserted at the start of some lines), it first maps the patched index back
/// to the original one.
struct Positions {
    /// Byte offset of every character, plus one past the end; empty for ASCII text.
    char_bytes: Vec<u32>,
    len: u32,
    /// Inserted spaces: `(patched index, original index, count)`, sorted.
    inserts: Vec<(usize, usize, usize)>,
}

impl Positions {
    fn new(text: &str) -> Self {
        let char_bytes = if text.is_ascii() {
            Vec::new()
        } else {
            let mut v: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            v.push(text.len() as u32);
            v
        };
        Positions {
            char_bytes,
            len: text.len() as u32,
            inserts: Vec::new(),
        }
    }

    /// Records the spaces inserted before original character indices (sorted by index).
    fn set_inserts(&mut self, inserts: impl Iterator<Item = (usize, usize)>) {
        self.inserts.clear();
        let mut shift = 0;
        for (at, n) in inserts {
            self.inserts.push((at + shift, at, n));
            shift += n;
        }
    }

    /// The original character index of a patched one (inserted spaces map to the character
    /// they were inserted before).
    fn unpatch(&self, idx: usize) -> usize {
        let i = self
            .inserts
            .partition_point(|&(patched, _, _)| patched <= idx);
        let Some(&(patched, orig, n)) = i.checked_sub(1).and_then(|i| self.inserts.get(i)) else {
            return idx;
        };
        if idx < patched + n {
            orig
        } else {
            // Everything up to and including this insertion shifted the text by this much.
            idx - (patched - orig) - n
        }
    }

    /// The byte offset of a (patched) character index.
    fn byte(&self, idx: usize) -> u32 {
        let idx = self.unpatch(idx);
        if self.char_bytes.is_empty() {
            (idx as u32).min(self.len)
        } else {
            self.char_bytes.get(idx).copied().unwrap_or(self.len)
        }
    }

    /// The character index of a byte offset of the original text.
    fn char_of(&self, byte: usize) -> usize {
        if self.char_bytes.is_empty() {
            byte
        } else {
            self.char_bytes.partition_point(|&b| (b as usize) < byte)
        }
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span::new(start, end)
    }
}

/// Spaces inserted at the start of a line of the original text.
#[derive(Clone, Copy)]
struct Insert {
    /// Byte offset of the line start.
    byte: usize,
    /// Character index of the line start.
    at: usize,
    /// How many spaces.
    n: usize,
    /// Added because the line looks like one that needed it, not because saphyr failed on it;
    /// checked after the parse.
    speculative: bool,
}

/// Changes to the text that make saphyr accept what go-yaml accepts. Each keeps the original
/// characters, so positions map back exactly.
#[derive(Default)]
struct Patches {
    /// Lines inside a flow collection indented less than saphyr wants (go-yaml ignores
    /// indentation inside brackets), sorted.
    inserts: Vec<Insert>,
    /// Byte offsets of tabs to read as spaces (a tab right after `key:`).
    tabs: Vec<usize>,
    /// Line starts where a speculative insert turned out to be wrong.
    rejected: HashSet<usize>,
}

impl Patches {
    /// The patched text, or `None` when nothing is patched.
    fn apply(&self, text: &str) -> Option<String> {
        if self.inserts.is_empty() && self.tabs.is_empty() {
            return None;
        }
        // (byte, spaces to insert, is a tab to replace)
        let mut cuts: Vec<(usize, usize, bool)> = self
            .inserts
            .iter()
            .map(|i| (i.byte, i.n, false))
            .chain(self.tabs.iter().map(|&t| (t, 0, true)))
            .collect();
        cuts.sort_unstable();
        let extra: usize = self.inserts.iter().map(|i| i.n).sum();
        let mut out = String::with_capacity(text.len() + extra);
        let mut last = 0usize;
        for (byte, n, is_tab) in cuts {
            if byte < last || byte > text.len() {
                continue;
            }
            out.push_str(text.get(last..byte)?);
            if is_tab {
                out.push(' ');
                last = byte + 1;
            } else {
                out.extend(std::iter::repeat_n(' ', n));
                last = byte;
            }
        }
        out.push_str(text.get(last..)?);
        Some(out)
    }

    fn add_insert(&mut self, ins: Insert) {
        match self.inserts.binary_search_by_key(&ins.byte, |i| i.byte) {
            Ok(i) => {
                if let Some(old) = self.inserts.get_mut(i) {
                    old.n += ins.n;
                    old.speculative &= ins.speculative;
                }
            }
            Err(i) => self.inserts.insert(i, ins),
        }
    }

    /// Checks the inserted spaces before `limit` against the tree parsed with them: each must
    /// sit inside a flow collection and outside any scalar (where spaces could change the
    /// value). Wrong speculative inserts are dropped for a retry; a wrong insert made for a
    /// saphyr error means the workaround does not apply.
    fn check_inserts(&mut self, tree: &Tree, limit: u32) -> Verdict {
        if self.inserts.is_empty() {
            return Verdict::Fine;
        }
        let mut flows: Vec<Span> = Vec::new();
        let mut scalars: Vec<Span> = Vec::new();
        for n in tree.nodes() {
            match n.kind {
                NodeKind::Scalar { .. } if !n.span.is_empty() => scalars.push(n.span),
                // Nested collections come after their parent: keep the outermost only.
                NodeKind::Mapping(_) | NodeKind::Sequence(_)
                    if n.flow && flows.last().is_none_or(|l| n.span.start >= l.end) =>
                {
                    flows.push(n.span);
                }
                _ => {}
            }
        }
        scalars.sort_unstable();
        let inside = |spans: &[Span], at: u32| {
            let i = spans.partition_point(|s| s.start < at);
            i.checked_sub(1)
                .and_then(|i| spans.get(i))
                .is_some_and(|s| at < s.end)
        };
        let fits = |at: u32| at >= limit || (inside(&flows, at) && !inside(&scalars, at));
        if self
            .inserts
            .iter()
            .any(|i| !i.speculative && !fits(i.byte as u32))
        {
            return Verdict::GiveUp;
        }
        let before = self.inserts.len();
        let rejected = &mut self.rejected;
        self.inserts.retain(|i| {
            let ok = fits(i.byte as u32);
            if !ok {
                rejected.insert(i.byte);
            }
            ok
        });
        if self.inserts.len() == before {
            Verdict::Fine
        } else {
            Verdict::Retry
        }
    }
}

/// What [`Patches::check_inserts`] found.
enum Verdict {
    Fine,
    Retry,
    GiveUp,
}

enum Frame {
    Mapping {
        id: NodeId,
        key: Option<NodeId>,
        flow: bool,
        /// saphyr's column of the opening bracket (flow only).
        col: usize,
    },
    Sequence {
        id: NodeId,
        flow: bool,
        col: usize,
    },
}

impl Frame {
    fn id(&self) -> NodeId {
        match self {
            Frame::Mapping { id, .. } | Frame::Sequence { id, .. } => *id,
        }
    }
    fn flow_col(&self) -> Option<usize> {
        match self {
            Frame::Mapping { flow, col, .. } | Frame::Sequence { flow, col, .. } => {
                flow.then_some(*col)
            }
        }
    }
}

struct Builder<'s> {
    text: &'s str,
    pos: &'s Positions,
    nodes: Vec<Node>,
    documents: Vec<Document>,
    stack: Vec<Frame>,
    /// Whether a node is an open collection (to catch aliases to their own ancestor).
    open: Vec<bool>,
    /// saphyr anchor id -> node.
    anchors: Vec<Option<NodeId>>,
    /// The first node of the current document (anchors do not cross documents).
    doc_first_node: usize,
    /// Byte offset where the previous event ended.
    prev_end: u32,
    errors: Vec<SyntaxError>,
}

/// What stopped a parse attempt.
struct Failure {
    error: ScanError,
    /// saphyr's column of the outermost open flow collection when the error happened.
    flow_col: Option<usize>,
}

fn build(text: &str) -> (Tree, Vec<SyntaxError>) {
    let mut pos = Positions::new(text);
    let mut patches = Patches::default();
    for _ in 0..MAX_ATTEMPTS {
        pos.set_inserts(patches.inserts.iter().map(|i| (i.at, i.n)));
        let patched = patches.apply(text);
        let input = patched.as_deref().unwrap_or(text);
        let (tree, errors, failure) = build_once(text, input, &pos);
        let limit = failure
            .as_ref()
            .map_or(u32::MAX, |f| pos.byte(f.error.marker().index()));
        match patches.check_inserts(&tree, limit) {
            Verdict::Fine => {}
            Verdict::Retry => continue,
            Verdict::GiveUp => break,
        }
        match failure {
            Some(f) if patch_for(&f, text, &pos, &mut patches) => {}
            _ => return (tree, errors),
        }
    }
    // Out of attempts, or a workaround that does not fit: read the text as it is.
    pos.set_inserts(std::iter::empty());
    let (tree, errors, _) = build_once(text, text, &pos);
    (tree, errors)
}

/// Adds a workaround for the failure, if it is one saphyr raises on YAML that go-yaml reads.
fn patch_for(f: &Failure, text: &str, pos: &Positions, patches: &mut Patches) -> bool {
    let mark = f.error.marker();
    match f.error.info() {
        // A line inside a flow collection indented less than the block around it: go-yaml
        // does not care about indentation inside brackets. Indent the line past the bracket
        // (saphyr wants one column more than the block indentation, which is at most the
        // bracket's column).
        "invalid indentation" | "invalid indentation in flow construct" => {
            let Some(flow_col) = f.flow_col else {
                return false;
            };
            let col = mark.col();
            if col > flow_col {
                return false;
            }
            let need = flow_col + 1 - col;
            let at = pos.unpatch(mark.index().saturating_sub(col));
            let byte = pos.byte(mark.index().saturating_sub(col)) as usize;
            patches.add_insert(Insert {
                byte,
                at,
                n: need,
                speculative: false,
            });
            speculate(text, pos, patches, byte, need);
            true
        }
        // `key:<TAB>value`: go-yaml takes the tab as a separator.
        "':' must be followed by a valid YAML whitespace" => {
            let at = pos.byte(mark.index()) as usize;
            let bytes = text.as_bytes();
            let mut i = at;
            let mut found = false;
            while i > 0 {
                match bytes.get(i - 1) {
                    Some(b'\t') => {
                        if !patches.tabs.contains(&(i - 1)) {
                            patches.tabs.push(i - 1);
                            found = true;
                        }
                    }
                    Some(b' ') => {}
                    _ => break,
                }
                i -= 1;
            }
            found
        }
        _ => false,
    }
}

/// After patching a closing-bracket line (`    ]`), patches the later lines that start the
/// same way too, so that a file with many of them needs one retry instead of one per line.
/// Those patches are checked after the next parse ([`Patches::check_inserts`]).
fn speculate(text: &str, pos: &Positions, patches: &mut Patches, line_start: usize, n: usize) {
    let Some(line) = text.get(line_start..) else {
        return;
    };
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let Some(prefix) = line.get(..indent + 1) else {
        return;
    };
    if !(prefix.ends_with(']') || prefix.ends_with('}')) {
        return;
    }
    let mut found = Vec::new();
    let mut from = line_start + 1;
    while let Some(i) = text.get(from..).and_then(|t| t.find('\n')) {
        let start = from + i + 1;
        if text.get(start..).is_some_and(|t| t.starts_with(prefix))
            && !patches.rejected.contains(&start)
        {
            found.push(start);
        }
        from = start;
    }
    for byte in found {
        patches.add_insert(Insert {
            byte,
            at: pos.char_of(byte),
            n,
            speculative: true,
        });
    }
}

fn build_once(
    text: &str,
    input: &str,
    pos: &Positions,
) -> (Tree, Vec<SyntaxError>, Option<Failure>) {
    let mut b = Builder {
        text,
        pos,
        nodes: Vec::new(),
        documents: Vec::new(),
        stack: Vec::new(),
        open: Vec::new(),
        anchors: Vec::new(),
        doc_first_node: 0,
        prev_end: 0,
        errors: Vec::new(),
    };
    let mut parser = Parser::new_from_str(input);
    // saphyr is not known to panic, but a linter must not die on a file: contain it.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        while let Some(next) = parser.next_event() {
            match next {
                Ok((event, span)) => {
                    if matches!(event, Event::StreamEnd) {
                        break;
                    }
                    b.event(event, span);
                }
                Err(e) => return Some(e),
            }
        }
        None
    }));
    let failure = match outcome {
        Ok(None) => None,
        Ok(Some(error)) => {
            let flow_col = b.stack.iter().find_map(Frame::flow_col);
            let at = pos.byte(error.marker().index());
            b.close_all(at);
            let span = char_span_at(text, at);
            let message = if error.info().contains("unknown anchor") {
                // saphyr's marker is on the alias: name it.
                let name: String = text
                    .get(at as usize..)
                    .unwrap_or("")
                    .trim_start_matches('*')
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
                    .collect();
                format!("unknown anchor \"{name}\"")
            } else {
                error_message(error.info())
            };
            b.errors.push(SyntaxError::new(span, message));
            Some(Failure { error, flow_col })
        }
        Err(_) => {
            let at = b.prev_end;
            b.close_all(at);
            b.errors.push(SyntaxError::new(
                Span::empty(at),
                "the yaml parser failed on this file",
            ));
            None
        }
    };
    let tree = Tree {
        nodes: b.nodes,
        documents: b.documents,
    };
    (tree, b.errors, failure)
}

/// saphyr's message, lightly reworded to read well after "error:".
fn error_message(info: &str) -> String {
    let info = info.trim().trim_end_matches('.');
    format!("invalid yaml: {info}")
}

/// A span covering the character at `at` (empty at a line break or the end).
fn char_span_at(text: &str, at: u32) -> Span {
    let i = at as usize;
    match text.get(i..).and_then(|s| s.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => Span::new(at, at + c.len_utf8() as u32),
        _ => Span::empty(at),
    }
}

fn format_tag(tag: &Tag) -> Box<str> {
    match tag.handle.as_str() {
        "!" => format!("!{}", tag.suffix),
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        h => format!("{h}{}", tag.suffix),
    }
    .into_boxed_str()
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: saphyr_parser::Span) {
        let sp = self.pos.span(span);
        let is_map = matches!(event, Event::MappingStart(..));
        // An implicit document start's span lies on the first node: it must not move
        // `prev_end` past that node's indicators.
        let moves_prev_end = !matches!(event, Event::DocumentStart(false));
        match event {
            Event::DocumentStart(_) => {
                self.documents.push(Document {
                    root: None,
                    span: Span::empty(sp.start),
                    complete: false,
                });
                self.doc_first_node = self.nodes.len();
            }
            Event::DocumentEnd => {
                // An explicit `...` belongs to the document; an implicit end sits on the next
                // document's `---` (or the end of the text), which does not.
                let explicit = self.text.get(sp.range()) == Some("...");
                if let Some(doc) = self.documents.last_mut() {
                    let root_end = doc
                        .root
                        .and_then(|r| self.nodes.get(r.index()))
                        .map_or(0, |n| n.span.end);
                    let end = if explicit { sp.end } else { sp.start };
                    doc.span.end = end.max(root_end).max(doc.span.start);
                    doc.complete = true;
                }
            }
            Event::Scalar(value, style, anchor_id, tag) => {
                let style = ScalarStyle::from(style);
                let (anchor, content) = self.properties(sp, anchor_id > 0 || tag.is_some());
                let span = if value.is_empty() && style == ScalarStyle::Plain {
                    Span::empty(content.min(sp.end))
                } else if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    self.block_scalar_span(sp, content, anchor_id > 0 || tag.is_some())
                } else if style.is_quoted() {
                    self.quoted_span(content.min(sp.end), sp.end)
                } else {
                    Span::new(content.min(sp.end), sp.end)
                };
                let node = Node {
                    kind: NodeKind::Scalar {
                        value: value.into_owned(),
                        style,
                    },
                    span,
                    tag: tag.map(|t| format_tag(&t)),
                    anchor,
                    flow: false,
                };
                let id = self.push(node, anchor_id, false);
                self.attach(id);
            }
            Event::Alias(anchor_id) => {
                let name = self
                    .text
                    .get(sp.range())
                    .unwrap_or("")
                    .trim_start_matches('*')
                    .into();
                let mut target = self
                    .anchors
                    .get(anchor_id)
                    .copied()
                    .flatten()
                    .filter(|t| t.index() >= self.doc_first_node);
                if target.is_none() {
                    self.errors
                        .push(SyntaxError::new(sp, format!("unknown anchor \"{name}\"")));
                } else if target.is_some_and(|t| self.open.get(t.index()) == Some(&true)) {
                    self.errors.push(SyntaxError::new(
                        sp,
                        format!("alias \"{name}\" refers to a node that contains it"),
                    ));
                    target = None;
                }
                let node = Node {
                    kind: NodeKind::Alias { name, target },
                    span: sp,
                    tag: None,
                    anchor: None,
                    flow: false,
                };
                let id = self.push(node, 0, false);
                self.attach(id);
            }
            Event::MappingStart(anchor_id, tag) | Event::SequenceStart(anchor_id, tag) => {
                let (anchor, content) = self.properties(sp, anchor_id > 0 || tag.is_some());
                let content = content.min(sp.end.max(sp.start));
                // A flow collection's event covers its bracket; a block one's is empty (or
                // covers only the properties), even when its first entry starts with `[`.
                let flow = content < sp.end
                    && self.text.as_bytes().get(content as usize).copied()
                        == Some(if is_map { b'{' } else { b'[' });
                let content = if !is_map && !flow {
                    self.block_sequence_start(content)
                } else {
                    content
                };
                let node = Node {
                    kind: if is_map {
                        NodeKind::Mapping(Vec::new())
                    } else {
                        NodeKind::Sequence(Vec::new())
                    },
                    span: Span::empty(content),
                    tag: tag.map(|t| format_tag(&t)),
                    anchor,
                    flow,
                };
                let id = self.push(node, anchor_id, true);
                self.attach(id);
                let col = span.start.col() + (content - sp.start.min(content)) as usize;
                self.stack.push(if is_map {
                    Frame::Mapping {
                        id,
                        key: None,
                        flow,
                        col,
                    }
                } else {
                    Frame::Sequence { id, flow, col }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(frame) = self.stack.pop() {
                    // A flow collection ends at its bracket (saphyr's span runs over the
                    // blanks after it); a block one ends with its last entry.
                    let close = match frame {
                        Frame::Mapping { .. } => b'}',
                        Frame::Sequence { .. } => b']',
                    };
                    let flow_end = frame
                        .flow_col()
                        .map(|_| self.closing_bracket(sp.start, close).unwrap_or(sp.end));
                    self.close(frame, flow_end);
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        if moves_prev_end {
            self.prev_end = self.prev_end.max(sp.end);
        }
    }

    /// Reads the anchor and tag in front of a node. Returns the anchor's name and the byte
    /// offset where the node's content starts.
    fn properties(&self, sp: Span, has_props: bool) -> (Option<Box<str>>, u32) {
        if !has_props {
            return (None, sp.start);
        }
        let b = self.text.as_bytes();
        let end = sp.end as usize;
        let mut i = sp.start as usize;
        let mut anchor = None;
        while i < end {
            match b.get(i) {
                Some(b'&') => {
                    let s = i + 1;
                    i = s;
                    while i < end
                        && !matches!(
                            b.get(i),
                            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']')
                                | Some(b'{' | b'}')
                        )
                    {
                        i += 1;
                    }
                    anchor = self.text.get(s..i).map(Box::from);
                }
                Some(b'!') => {
                    while i < end && !matches!(b.get(i), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
                    {
                        i += 1;
                    }
                }
                _ => break,
            }
            // Separation between properties and content: blanks, line breaks, comments.
            while i < end {
                match b.get(i) {
                    Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
                    Some(b'#') => {
                        while i < end && !matches!(b.get(i), None | Some(b'\n' | b'\r')) {
                            i += 1;
                        }
                    }
                    _ => break,
                }
            }
        }
        (anchor, i.min(end) as u32)
    }

    /// A block scalar's span: from its `|` or `>` indicator to the end of its last line of
    /// text. saphyr's span starts at the content (or at the properties) and runs over the
    /// trailing blank lines.
    fn block_scalar_span(&self, sp: Span, content: u32, has_props: bool) -> Span {
        let b = self.text.as_bytes();
        let from = if has_props {
            content
        } else {
            self.prev_end.min(sp.start)
        };
        let mut start = sp.start;
        let mut i = from as usize;
        let limit = sp.end as usize;
        while i < limit {
            match b.get(i) {
                Some(b'|' | b'>') => {
                    start = i as u32;
                    break;
                }
                Some(b'#') if i == from as usize || matches!(b.get(i - 1), Some(b' ' | b'\t')) => {
                    while i < limit && !matches!(b.get(i), None | Some(b'\n' | b'\r')) {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        let mut end = sp.end as usize;
        while end > start as usize && matches!(b.get(end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            end -= 1;
        }
        Span::new(start, end as u32)
    }

    /// The offset just past the closing bracket that ends a flow collection. saphyr's end
    /// event may start at a trailing comma and run over the blanks after the bracket.
    fn closing_bracket(&self, from: u32, close: u8) -> Option<u32> {
        let b = self.text.as_bytes();
        let mut i = from as usize;
        loop {
            match b.get(i)? {
                &c if c == close => return Some(i as u32 + 1),
                b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
                b'#' => {
                    while b.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                        i += 1;
                    }
                }
                _ => return None,
            }
        }
    }

    /// A quoted scalar's span, up to its closing quote (saphyr's runs over the blanks and the
    /// comment that follow).
    fn quoted_span(&self, start: u32, end: u32) -> Span {
        let b = self.text.as_bytes();
        let Some(&quote) = b.get(start as usize) else {
            return Span::new(start, end);
        };
        let mut i = start as usize + 1;
        let limit = end as usize;
        while i < limit {
            match b.get(i) {
                Some(b'\\') if quote == b'"' => i += 2,
                Some(&c) if c == quote => {
                    if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                    } else {
                        return Span::new(start, i as u32 + 1);
                    }
                }
                _ => i += 1,
            }
        }
        Span::new(start, end)
    }

    /// The start of a block sequence: its first `-`. saphyr puts an indentless sequence's
    /// start on its first item (or, when that item is empty, further on), so look for the
    /// last entry indicator between the previous event and there, skipping comments.
    fn block_sequence_start(&self, at: u32) -> u32 {
        let b = self.text.as_bytes();
        let blank_or_end = |i: usize| matches!(b.get(i), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        if b.get(at as usize) == Some(&b'-') && blank_or_end(at as usize + 1) {
            return at;
        }
        let from = self.prev_end.min(at) as usize;
        let mut found = None;
        let mut i = from;
        while i < at as usize {
            match b.get(i) {
                Some(b'#') if i == from || blank_or_end(i - 1) => {
                    while i < at as usize && !matches!(b.get(i), None | Some(b'\n' | b'\r')) {
                        i += 1;
                    }
                }
                Some(b'-') if blank_or_end(i + 1) => {
                    found = Some(i as u32);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        found.unwrap_or(at)
    }

    fn push(&mut self, node: Node, anchor_id: usize, open: bool) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(node);
        self.open.push(open);
        if anchor_id > 0 {
            if self.anchors.len() <= anchor_id {
                self.anchors.resize(anchor_id + 1, None);
            }
            if let Some(slot) = self.anchors.get_mut(anchor_id) {
                *slot = Some(id);
            }
        }
        id
    }

    /// Hangs a new node under the open collection (or makes it the document's root).
    fn attach(&mut self, id: NodeId) {
        match self.stack.last_mut() {
            Some(Frame::Mapping { id: map, key, .. }) => match key.take() {
                None => *key = Some(id),
                Some(k) => {
                    if let Some(Node {
                        kind: NodeKind::Mapping(entries),
                        ..
                    }) = self.nodes.get_mut(map.index())
                    {
                        entries.push(Entry {
                            key: k,
                            value: id,
                            duplicate: false,
                        });
                    }
                }
            },
            Some(Frame::Sequence { id: seq, .. }) => {
                if let Some(Node {
                    kind: NodeKind::Sequence(items),
                    ..
                }) = self.nodes.get_mut(seq.index())
                {
                    items.push(id);
                }
            }
            None => {
                if let Some(doc) = self.documents.last_mut() {
                    if doc.root.is_none() {
                        doc.root = Some(id);
                        if let Some(n) = self.nodes.get(id.index()) {
                            doc.span.start = doc.span.start.min(n.span.start);
                        }
                    }
                } else {
                    // A node outside any document cannot happen with saphyr; keep it anyway.
                    self.documents.push(Document {
                        root: Some(id),
                        span: Span::empty(0),
                        complete: false,
                    });
                }
            }
        }
    }

    /// Finishes a collection: its end, duplicate keys, merge values.
    fn close(&mut self, frame: Frame, flow_end: Option<u32>) {
        let id = frame.id();
        if let Some(o) = self.open.get_mut(id.index()) {
            *o = false;
        }
        // A key left without value (only after a syntax error): keep it with itself as value.
        if let Frame::Mapping { key: Some(k), .. } = frame
            && let Some(Node {
                kind: NodeKind::Mapping(entries),
                ..
            }) = self.nodes.get_mut(id.index())
        {
            entries.push(Entry {
                key: k,
                value: k,
                duplicate: false,
            });
        }
        let last_child_end = match self.nodes.get(id.index()).map(|n| &n.kind) {
            Some(NodeKind::Mapping(entries)) => entries
                .last()
                .and_then(|e| {
                    self.nodes
                        .get(e.value.index())
                        .zip(self.nodes.get(e.key.index()))
                })
                .map(|(v, k)| v.span.end.max(k.span.end)),
            Some(NodeKind::Sequence(items)) => items
                .last()
                .and_then(|i| self.nodes.get(i.index()))
                .map(|n| n.span.end),
            _ => None,
        };
        if let Some(node) = self.nodes.get_mut(id.index()) {
            let end = flow_end.or(last_child_end).unwrap_or(node.span.start);
            // A flow collection cut short by an error still covers its opening bracket.
            let min_end = node.span.start + u32::from(node.flow);
            node.span.end = end.max(min_end);
        }
        if matches!(frame, Frame::Mapping { .. }) {
            self.check_mapping(id);
        }
    }

    /// Marks duplicate keys and reports them, and checks merge values.
    fn check_mapping(&mut self, id: NodeId) {
        let tree = Tree {
            nodes: std::mem::take(&mut self.nodes),
            documents: Vec::new(),
        };
        let mut dups: Vec<(usize, NodeId, NodeId)> = Vec::new();
        let mut bad_merges: Vec<Span> = Vec::new();
        if let NodeKind::Mapping(entries) = tree.node(id).kind() {
            let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity(entries.len());
            for (i, e) in entries.iter().enumerate() {
                if let Some(k) = tree.node(e.key).scalar_value() {
                    match seen.entry(k) {
                        std::collections::hash_map::Entry::Occupied(first) => {
                            dups.push((i, *first.get(), e.key));
                        }
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(e.key);
                        }
                    }
                }
                // (A key left without value by a syntax error has itself as value.)
                if e.key != e.value && is_merge_key(&tree, e) && !valid_merge_value(&tree, e.value)
                {
                    bad_merges.push(tree.node(e.value).span());
                }
            }
        }
        for &(_, first, second) in &dups {
            let name = tree.node(second).scalar_value().unwrap_or_default();
            self.errors.push(SyntaxError {
                span: tree.node(second).span(),
                message: format!("duplicate key \"{name}\""),
                related: Some((tree.node(first).span(), "first defined here".to_string())),
            });
        }
        for span in bad_merges {
            self.errors.push(SyntaxError::new(
                span,
                "a merge key needs a mapping or a list of mappings",
            ));
        }
        self.nodes = tree.nodes;
        if let Some(Node {
            kind: NodeKind::Mapping(entries),
            ..
        }) = self.nodes.get_mut(id.index())
        {
            for (i, _, _) in dups {
                if let Some(e) = entries.get_mut(i) {
                    e.duplicate = true;
                }
            }
        }
    }

    /// Closes every open collection after a syntax error, keeping what was built.
    fn close_all(&mut self, at: u32) {
        while let Some(frame) = self.stack.pop() {
            self.close(frame, None);
        }
        if let Some(doc) = self.documents.last_mut() {
            doc.span.end = at.max(doc.span.start);
            doc.complete = false;
        }
    }
}

fn valid_merge_value(tree: &Tree, value: NodeId) -> bool {
    let v = tree.node(value).resolve();
    match v.kind() {
        NodeKind::Mapping(_) => true,
        NodeKind::Sequence(items) => items
            .iter()
            .all(|&i| matches!(tree.node(i).resolve().kind(), NodeKind::Mapping(_))),
        // An unresolved alias was reported already.
        NodeKind::Alias { target: None, .. } => true,
        _ => false,
    }
}
