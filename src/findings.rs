//! A file's findings kept compact while its tree is alive.
//!
//! A [`Diagnostic`] is about 128 bytes, and a large file can give hundreds of thousands of
//! them (174,457 on the 10 MiB file of `docs/performance.md`, 22 MB). While the rules run,
//! the file's tree is alive too, and the two together made the peak of such a run. The
//! engine therefore keeps the findings of a file in a [`Findings`] store as the rules hand
//! them over: a 24-byte slot each, with the texts kept once per distinct text (findings repeat
//! the same message and help, about a package, a flag or an image, again and again) and the
//! rare fix, related label or foreign file aside. The store gives the findings back as
//! [`Diagnostic`]s, in the order they were added, once the tree has been dropped.

use crate::diagnostic::{Diagnostic, Fix, Related, Severity};
use crate::source::{FileId, Span};
use std::borrow::Cow;
use std::hash::BuildHasher;

/// No help text.
const NONE: u32 = u32::MAX;

/// One finding in the store: where it is and what it says.
#[derive(Clone, Copy)]
struct Slot {
    span: Span,
    /// Index into [`Findings::kinds`].
    kind: u32,
}

/// What findings of one rule with the same severity, message and help share.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Kind {
    /// Index into [`Findings::rules`].
    rule: u16,
    severity: Severity,
    /// Index into [`Findings::texts`].
    message: u32,
    /// Index into [`Findings::texts`], or [`NONE`].
    help: u32,
}

/// What few findings carry.
struct Extra {
    /// The position of the finding in [`Findings::slots`].
    slot: u32,
    fix: Option<Box<Fix>>,
    related: Vec<Related>,
    /// The finding's file, when it is not the store's.
    file: FileId,
}

/// The findings of one file, compact (see the module docs): 12 bytes each, plus what they
/// say once per distinct kind.
pub struct Findings {
    /// The file most findings are in; a finding in another one keeps its file in an extra.
    file: FileId,
    slots: Vec<Slot>,
    kinds: Vec<Kind>,
    /// The kinds by content (indices into `kinds`).
    kind_index: hashbrown::HashTable<u32>,
    /// Each distinct text once; a borrowed text stays borrowed.
    texts: Vec<Cow<'static, str>>,
    /// The texts by content (indices into `texts`).
    text_index: hashbrown::HashTable<u32>,
    /// foldhash, seeded per process: several times faster than SipHash on short texts.
    hasher: hashbrown::DefaultHashBuilder,
    /// Code and name of each rule that reported.
    rules: Vec<(&'static str, &'static str)>,
    /// In the order of their slots.
    extras: Vec<Extra>,
}

impl Findings {
    /// An empty store for the findings of file `file`.
    pub fn new(file: FileId) -> Self {
        Findings {
            file,
            slots: Vec::new(),
            kinds: Vec::new(),
            kind_index: hashbrown::HashTable::new(),
            texts: Vec::new(),
            text_index: hashbrown::HashTable::new(),
            hasher: Default::default(),
            rules: Vec::new(),
            extras: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn text(&mut self, text: Cow<'static, str>) -> u32 {
        let hash = self.hasher.hash_one(text.as_ref());
        let texts = &self.texts;
        if let Some(&i) = self
            .text_index
            .find(hash, |&i| texts[i as usize].as_ref() == text.as_ref())
        {
            return i;
        }
        let i = self.texts.len() as u32;
        self.texts.push(text);
        let (texts, hasher) = (&self.texts, &self.hasher);
        self.text_index
            .insert_unique(hash, i, |&j| hasher.hash_one(texts[j as usize].as_ref()));
        i
    }

    fn kind(&mut self, kind: Kind) -> u32 {
        let hash = self
            .hasher
            .hash_one((kind.rule, kind.severity, kind.message, kind.help));
        let kinds = &self.kinds;
        if let Some(&i) = self.kind_index.find(hash, |&i| kinds[i as usize] == kind) {
            return i;
        }
        let i = self.kinds.len() as u32;
        self.kinds.push(kind);
        let (kinds, hasher) = (&self.kinds, &self.hasher);
        self.kind_index.insert_unique(hash, i, |&j| {
            let k = kinds[j as usize];
            hasher.hash_one((k.rule, k.severity, k.message, k.help))
        });
        i
    }

    fn rule(&mut self, code: &'static str, name: &'static str) -> u16 {
        // A file's findings come from a few dozen rules at most: a scan is cheaper than a map.
        if let Some(i) = self.rules.iter().rposition(|&(c, _)| c == code) {
            return i as u16;
        }
        self.rules.push((code, name));
        (self.rules.len() - 1) as u16
    }

    /// Adds one finding.
    pub fn push(&mut self, d: Diagnostic) {
        let Diagnostic {
            file,
            code,
            name,
            severity,
            span,
            message,
            help,
            fix,
            related,
        } = d;
        let slot = self.slots.len() as u32;
        if fix.is_some() || !related.is_empty() || file != self.file {
            self.extras.push(Extra {
                slot,
                fix,
                related,
                file,
            });
        }
        let kind = Kind {
            rule: self.rule(code, name),
            severity,
            message: self.text(message),
            help: help.map_or(NONE, |h| self.text(h)),
        };
        let kind = self.kind(kind);
        self.slots.push(Slot { span, kind });
    }

    /// Moves every finding of `found` into the store, leaving it empty (with its room).
    pub fn append(&mut self, found: &mut Vec<Diagnostic>) {
        // The engine hands over every rule's list after every RUN: most are empty.
        if found.is_empty() {
            return;
        }
        self.slots.reserve(found.len());
        for d in found.drain(..) {
            self.push(d);
        }
    }

    /// Drops the findings of the rule `code` (one that failed: what it reported before is not
    /// kept either).
    pub fn remove_code(&mut self, code: &str) {
        let Some(rule) = self.rules.iter().position(|&(c, _)| c == code) else {
            return;
        };
        let rule = rule as u16;
        let kinds = &self.kinds;
        let mut extras = std::mem::take(&mut self.extras).into_iter().peekable();
        let mut kept = 0u32;
        let mut at = 0u32;
        self.slots.retain(|s| {
            let keep = kinds[s.kind as usize].rule != rule;
            while let Some(e) = extras.next_if(|e| e.slot <= at) {
                if e.slot == at && keep {
                    self.extras.push(Extra { slot: kept, ..e });
                }
            }
            at += 1;
            kept += u32::from(keep);
            keep
        });
    }

    /// The findings, as diagnostics, in the order they were added. A text that several
    /// findings share is cloned for all but the last (a borrowed one costs nothing).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let Findings {
            file,
            slots,
            kinds,
            mut texts,
            rules,
            extras,
            ..
        } = self;
        let mut uses = vec![0u32; texts.len()];
        for s in &slots {
            let k = kinds[s.kind as usize];
            uses[k.message as usize] += 1;
            if k.help != NONE {
                uses[k.help as usize] += 1;
            }
        }
        let mut take = |i: u32| -> Cow<'static, str> {
            let i = i as usize;
            uses[i] -= 1;
            if uses[i] == 0 {
                std::mem::take(&mut texts[i])
            } else {
                texts[i].clone()
            }
        };
        let mut extras = extras.into_iter().peekable();
        let mut out = Vec::with_capacity(slots.len());
        for (at, s) in slots.into_iter().enumerate() {
            let k = kinds[s.kind as usize];
            let (code, name) = rules[usize::from(k.rule)];
            let (fix, related, file) = match extras.next_if(|e| e.slot as usize == at) {
                Some(e) => (e.fix, e.related, e.file),
                None => (None, Vec::new(), file),
            };
            out.push(Diagnostic {
                file,
                code,
                name,
                severity: k.severity,
                span: s.span,
                message: take(k.message),
                help: (k.help != NONE).then(|| take(k.help)),
                fix,
                related,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit};

    fn finding(code: &'static str, start: u32, message: Cow<'static, str>) -> Diagnostic {
        Diagnostic {
            file: FileId(0),
            code,
            name: "a-name",
            severity: Severity::Warning,
            span: Span::new(start, start + 1),
            message,
            help: None,
            fix: None,
            related: Vec::new(),
        }
    }

    #[test]
    fn findings_come_back_whole_and_in_order() {
        let mut with_all = finding("DL1", 5, Cow::Owned("owned text".to_string()));
        with_all.help = Some(Cow::Borrowed("static help"));
        with_all.fix = Some(Box::new(Fix {
            message: "do it".to_string(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                file: Some(FileId(0)),
                span: Span::new(5, 6),
                content: "x".to_string(),
            }],
        }));
        with_all.related.push(Related {
            file_id: FileId(2),
            file: None,
            span: Span::new(1, 2),
            message: "there".to_string(),
        });
        let mut elsewhere = finding("DL2", 1, Cow::Borrowed("static"));
        elsewhere.file = FileId(3);
        elsewhere.severity = Severity::Error;
        let plain = finding("DL1", 9, Cow::Owned("owned text".to_string()));
        let all = vec![with_all, elsewhere, plain];

        let mut store = Findings::new(FileId(0));
        store.append(&mut all.clone());
        assert_eq!(store.len(), 3);
        // The two equal messages are kept once.
        assert_eq!(store.texts.len(), 3);
        assert_eq!(store.kinds.len(), 3);
        assert_eq!(store.extras.len(), 2);
        assert_eq!(store.into_diagnostics(), all);
    }

    #[test]
    fn findings_that_say_the_same_share_one_kind() {
        let mut store = Findings::new(FileId(0));
        let all: Vec<Diagnostic> = (0..100)
            .map(|i| finding("DL1", i, Cow::Owned(format!("text {}", i % 3))))
            .collect();
        store.append(&mut all.clone());
        assert_eq!((store.kinds.len(), store.texts.len()), (3, 3));
        assert_eq!(store.into_diagnostics(), all);
    }

    #[test]
    fn a_failed_rule_loses_its_findings_and_the_others_keep_theirs() {
        let mut store = Findings::new(FileId(0));
        for (i, code) in ["DL1", "DL2", "DL1", "DL3", "DL1"].into_iter().enumerate() {
            let mut d = finding(code, i as u32, Cow::Borrowed("m"));
            d.file = FileId(i as u32 % 2);
            store.push(d);
        }
        store.remove_code("DL1");
        store.remove_code("DL9");
        let left: Vec<(&str, u32, u32)> = store
            .into_diagnostics()
            .iter()
            .map(|d| (d.code, d.span.start, d.file.0))
            .collect();
        assert_eq!(left, [("DL2", 1, 1), ("DL3", 3, 1)]);
    }

    #[test]
    fn a_slot_is_small() {
        assert_eq!(std::mem::size_of::<Slot>(), 12);
    }
}
