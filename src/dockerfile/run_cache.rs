//! Shell models of RUNs kept across parses of one document, for a caller that lints the same
//! file again and again (the language server, on every edit).
//!
//! An edit touches one instruction; every other RUN keeps its text, so its shell model is the
//! one built before, moved by as many bytes as the text before it grew or shrank. The model of
//! a RUN depends only on the instruction's own text, the file's escape character and whether
//! the file is a template (the shell in force is checked anew on every call), so those are the
//! key. A model not asked for during one lint is dropped at the next: the cache never holds
//! more than the models of the file's RUNs as of the last two lints.

// foldhash (seeded per process): the keys are whole RUN texts, hashed on every edit.
use hashbrown::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::scripts::RunScript;
use super::{Dockerfile, Instruction};
use crate::source::Span;

/// The shell models of one document's RUNs, keyed by the instruction's text. Shared between
/// the parses of that document: see [`Dockerfile::use_run_cache`].
#[derive(Default)]
pub struct RunCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The text of the file being linted now (the keys are slices of it).
    text: String,
    escape: char,
    template: bool,
    /// The models asked for since the last [`RunCache::begin`].
    current: HashMap<Key, Kept>,
    /// The models of the lint before: moved to `current` when asked for again, dropped at the
    /// next `begin` otherwise.
    previous: HashMap<Key, Kept>,
}

/// The instruction's text, and whether it is an ONBUILD trigger.
type Key = (Box<str>, bool);

/// A model, with the offset of the instruction it was built for.
struct Kept {
    start: u32,
    script: RunScript,
}

impl std::fmt::Debug for RunCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        f.debug_struct("RunCache")
            .field("current", &inner.current.len())
            .field("previous", &inner.previous.len())
            .finish()
    }
}

impl RunCache {
    pub fn new() -> Arc<RunCache> {
        Arc::new(RunCache::default())
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while the lock was held cannot leave the maps half-written: keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many models are kept (from this lint and the one before).
    pub fn len(&self) -> usize {
        let inner = self.lock();
        inner.current.len() + inner.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts a new lint of the document, whose text is now `text`.
    fn begin(&self, text: &str, escape: char, template: bool) {
        let mut inner = self.lock();
        let inner = &mut *inner;
        if inner.escape != escape || inner.template != template {
            inner.current.clear();
            inner.previous.clear();
        }
        inner.escape = escape;
        inner.template = template;
        inner.previous = std::mem::take(&mut inner.current);
        inner.text.clear();
        inner.text.push_str(text);
    }

    /// The model of a RUN: the one kept for its text, moved to where it is now, or a new one
    /// from `build` (kept for the next time).
    pub(super) fn model(
        &self,
        ins: &Instruction,
        trigger: bool,
        build: impl FnOnce() -> Option<RunScript>,
    ) -> Option<RunScript> {
        let start = ins.span.start;
        let key = {
            let mut guard = self.lock();
            let inner = &mut *guard;
            let Some(text) = inner.text.get(ins.span.range()) else {
                drop(guard);
                return build();
            };
            let key: Key = (text.into(), trigger);
            if let Some(kept) = inner.previous.remove(&key) {
                inner.current.insert(key.clone(), kept);
            }
            if let Some(kept) = inner.current.get(&key) {
                let mut script = kept.script.clone();
                shift_run(&mut script, i64::from(start) - i64::from(kept.start));
                return Some(script);
            }
            key
        };
        // Built without the lock: a panic in the shell parser leaves the cache as it was.
        let script = build()?;
        self.lock().current.insert(
            key,
            Kept {
                start,
                script: script.clone(),
            },
        );
        Some(script)
    }
}

impl Dockerfile {
    /// Makes this parse of `text` take its RUN models from `cache` (and keep the new ones
    /// there), for a caller that parses the same document after every edit. Call it once per
    /// parse, before the file is linted; the models of RUNs not asked for since the previous
    /// call are dropped.
    pub fn use_run_cache(&mut self, cache: Arc<RunCache>, text: &str) {
        cache.begin(text, self.escape, self.template);
        self.run_cache = Some(cache);
    }
}

fn shift(span: &mut Span, delta: i64) {
    let by = |at: u32| u32::try_from(i64::from(at) + delta).unwrap_or(at);
    *span = Span::new(by(span.start), by(span.end));
}

/// Moves every span of a RUN's model by `delta` bytes.
fn shift_run(r: &mut RunScript, delta: i64) {
    if delta == 0 {
        return;
    }
    let mut at = Span::empty(r.at);
    shift(&mut at, delta);
    r.at = at.start;
    for s in &mut r.scripts {
        super::scripts::each_span(s, &mut |span| shift(span, delta));
    }
    if let Some(e) = r.error.as_mut() {
        shift(&mut e.span, delta);
    }
    let p = &mut r.packages;
    for c in &mut p.commands {
        shift(&mut c.span, delta);
        shift(&mut c.name_span, delta);
        if let Some(s) = c.subcommand_span.as_mut() {
            shift(s, delta);
        }
        for pkg in &mut c.packages {
            shift(&mut pkg.span, delta);
        }
    }
    for m in &mut p.cache_mounts {
        shift(&mut m.span, delta);
    }
    for c in &mut p.cleanups {
        shift(&mut c.span, delta);
    }
    for i in &mut p.project_installs {
        shift(&mut i.span, delta);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every RUN model of `text`, built afresh.
    fn fresh(text: &str) -> Vec<RunScript> {
        let df = crate::dockerfile::parse(text);
        df.run_models().map(|m| m.script).collect()
    }

    /// Every RUN model of `text`, through `cache`.
    fn cached(cache: &Arc<RunCache>, text: &str) -> Vec<RunScript> {
        let mut df = crate::dockerfile::parse(text);
        df.use_run_cache(cache.clone(), text);
        df.run_models().map(|m| m.script).collect()
    }

    /// The fixture Dockerfiles, a varied set of RUNs (heredocs, mounts, package managers,
    /// parse errors, ONBUILD triggers).
    fn fixture_texts() -> Vec<String> {
        let mut out = Vec::new();
        let Ok(dirs) = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")) else {
            return out;
        };
        for dir in dirs.flatten() {
            let Ok(files) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            for f in files.flatten() {
                let text = std::fs::read_to_string(f.path()).unwrap_or_default();
                if text.contains("RUN") && !text.contains("services:") {
                    out.push(text);
                }
            }
        }
        out
    }

    /// Where a line may be added without changing how the rest parses: before the first
    /// instruction after the parser directives (at the start of its line).
    fn insertion_point(text: &str) -> Option<usize> {
        let df = crate::dockerfile::parse(text);
        df.instructions.get(1).map(|i| i.span.start as usize)
    }

    #[test]
    fn a_kept_model_moved_equals_a_fresh_one() {
        let texts = fixture_texts();
        assert!(texts.len() > 50, "fixtures found: {}", texts.len());
        let mut compared = 0;
        for text in &texts {
            let cache = RunCache::new();
            assert_eq!(cached(&cache, text), fresh(text));
            // Unchanged: every model comes from the cache.
            assert_eq!(cached(&cache, text), fresh(text));
            let Some(at) = insertion_point(text) else {
                continue;
            };
            for added in ["LABEL a=b\n", ""] {
                let mut edited = text.clone();
                edited.insert_str(at, added);
                let want = fresh(&edited);
                compared += want.len();
                assert_eq!(cached(&cache, &edited), want, "{edited}");
            }
        }
        assert!(compared > 100, "RUNs compared: {compared}");
    }

    #[test]
    fn models_not_asked_for_are_dropped() {
        let cache = RunCache::new();
        let a = "FROM debian\nRUN apt-get update\nRUN echo one\n";
        let b = "FROM debian\nRUN apt-get update\nRUN echo two\n";
        cached(&cache, a);
        assert_eq!(cache.len(), 2);
        cached(&cache, b);
        // `echo one` is still there from the lint before.
        assert_eq!(cache.len(), 3);
        cached(&cache, b);
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn a_new_escape_character_empties_the_cache() {
        let cache = RunCache::new();
        cached(&cache, "FROM debian\nRUN echo a\n");
        let text = "# escape=`\nFROM debian\nRUN echo a\n";
        assert_eq!(cached(&cache, text), fresh(text));
        assert_eq!(cache.len(), fresh(text).len());
    }
}
