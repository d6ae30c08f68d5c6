//! The semantic model: stages, what each stage builds on (the image reference resolved with
//! the global ARG defaults), the ARG and ENV in scope with their values, and the effective USER,
//! WORKDIR, SHELL and HEALTHCHECK at each instruction, following `FROM <earlier stage>` chains.
//!
//! # Scopes, as BuildKit has them
//!
//! - ARGs before the first FROM are *global*: they are visible in FROM lines, and inside a
//!   stage only when the stage re-declares them (`ARG NAME`, which takes the global default
//!   unless it gives its own).
//! - An ARG or ENV is visible from the instruction after its declaration to the end of its
//!   stage, and in the stages built on it through `FROM <stage>` (BuildKit passes both down).
//! - ENV wins over an ARG of the same name, whichever comes first.
//! - All references in one instruction see the values from before it (`ENV a=x b=$a` uses the
//!   old `a`).
//! - `TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`, `TARGETVARIANT` and their `BUILD*` twins are
//!   automatic globals: known to exist, with a value that depends on the build.

use super::words::{Expansion, VarValue, expand};
use super::{Body, Command, Dockerfile, ImageRef, Instruction, Kind, Word};
use crate::source::Span;
// foldhash (seeded per process): every variable name is hashed several times per file.
use hashbrown::HashMap;
use std::ops::Range;

/// What a stage builds on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// An image from a registry.
    Image,
    /// `FROM scratch`.
    Scratch,
    /// An earlier stage of this file, by index into [`Model::stages`].
    Stage(usize),
}

/// One build stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction.
    pub from: usize,
    /// The stage name, lowercased as BuildKit does.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    /// The image reference as written (unquoted, variables not expanded).
    pub image: String,
    /// The reference with the global ARG defaults expanded (for every base; for an earlier
    /// stage or `scratch` it holds that name).
    pub reference: ImageRef,
    pub base: Base,
    /// Indices of the instructions after the FROM, up to the next FROM.
    pub body: Range<usize>,
    /// A later stage builds `FROM` this one.
    pub used_as_base: bool,
    /// A later `COPY --from` names this stage.
    pub copied_from: bool,
}

/// The effective settings at a point of a stage. Each field is the index of the instruction
/// that set it, possibly in an ancestor stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageState {
    pub user: Option<usize>,
    pub workdir: Option<usize>,
    pub shell: Option<usize>,
    pub healthcheck: Option<usize>,
}

/// Where a variable comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    /// An ARG before the first FROM.
    GlobalArg,
    /// An ARG inside a stage.
    Arg,
    Env,
    /// An automatic platform ARG (`TARGETARCH`...) used without a declaration.
    Automatic,
}

/// A declared variable and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// Inline up to 24 bytes, as `value` (a file of many ENVs keeps one `Var` for each).
    pub name: compact_str::CompactString,
    pub kind: VarKind,
    /// The value with variables expanded; `None` when declared without one (`ARG NAME` with no
    /// default of its own or global), so that only the build can tell.
    pub value: Option<compact_str::CompactString>,
    /// The value depends on a variable whose value is unknown.
    pub unresolved: bool,
    /// The declaring instruction (`None` for automatic ARGs).
    pub at: Option<usize>,
}

impl Var {
    fn as_value(&self) -> VarValue<'_> {
        match &self.value {
            Some(v) => VarValue::Known(v, self.unresolved),
            None => VarValue::Unknown,
        }
    }
}

/// The automatic global ARGs.
pub const AUTOMATIC_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// The longest expanded value kept (a value written out in full is always kept).
const MAX_VALUE_LEN: usize = 4096;

/// How many bytes expansion may add to the values of a whole file, beyond the file's own size.
const EXPANSION_BUDGET: usize = 1 << 20;

/// A variable's declaration: (instruction index, position among that instruction's vars).
/// 32-bit halves: files are capped far below 4 GiB. A file of 100,000 ENVs keeps several of
/// these per name.
type VarLoc = (u32, u32);

/// Where one name is declared, in file order: most names are declared once, and that one
/// location is kept inline (a vector of one costs an allocation per name).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Locs {
    One(VarLoc),
    Many(Vec<VarLoc>),
}

impl Locs {
    fn push(&mut self, loc: VarLoc) {
        match self {
            Locs::One(first) => *self = Locs::Many(vec![*first, loc]),
            Locs::Many(all) => all.push(loc),
        }
    }

    fn as_slice(&self) -> &[VarLoc] {
        match self {
            Locs::One(loc) => std::slice::from_ref(loc),
            Locs::Many(all) => all,
        }
    }
}

/// A variable name as a map key: inline up to 24 bytes, so a key costs no allocation.
type Name = compact_str::CompactString;

/// One value per instruction, read like a slice (`v[i]`, `v.get(i)`), stored as an index
/// into the few distinct values: the stage and the USER/WORKDIR/SHELL/HEALTHCHECK state change
/// at a handful of instructions, so a file of 100,000 instructions keeps 4 bytes for each
/// instead of the value itself (16 bytes for a stage, 64 for a state).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerInstruction<T> {
    values: Vec<T>,
    at: Vec<u32>,
}

impl<T: PartialEq> PerInstruction<T> {
    /// Appends the value of the next instruction.
    fn push(&mut self, value: T) {
        if self.values.last() != Some(&value) {
            self.values.push(value);
        }
        self.at.push(self.values.len() as u32 - 1);
    }
}

impl<T> PerInstruction<T> {
    /// The value of instruction `index`.
    pub fn get(&self, index: usize) -> Option<&T> {
        self.values.get(*self.at.get(index)? as usize)
    }

    /// The number of instructions.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// The values in instruction order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.at.iter().map(|&k| &self.values[k as usize])
    }
}

impl<T> std::ops::Index<usize> for PerInstruction<T> {
    type Output = T;

    fn index(&self, index: usize) -> &T {
        &self.values[self.at[index] as usize]
    }
}

/// Stages and per-instruction state.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// For each instruction, the stage it belongs to (`None` before the first FROM).
    pub stage_of: PerInstruction<Option<usize>>,
    /// For each instruction, the state in force when it runs (before its own effect).
    pub state_before: PerInstruction<StageState>,
    /// For each stage, the state at its end.
    pub stage_end: Vec<StageState>,
    /// The variables the ARG and ENV instructions declare, values expanded, in file order:
    /// instruction `i` declares `vars[decl_at[i]..decl_at[i + 1]]`.
    vars: Vec<Var>,
    decl_at: Vec<u32>,
    /// The global ARGs (by name, the last declaration).
    globals: HashMap<Name, VarLoc>,
    /// Every declaration of each name, in file order.
    by_name: HashMap<Name, Locs>,
    /// For each stage, the variables it inherits through `FROM <stage>`.
    inherited: Vec<HashMap<Name, VarLoc>>,
    /// One [`Var`] per automatic ARG.
    automatic: Vec<Var>,
}

impl Model {
    /// The last stage: the image `docker build` produces without `--target`.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The final stage and the state in force at its end (inherited through `FROM <stage>`).
    pub fn final_stage_state(&self) -> Option<(&Stage, StageState)> {
        let stage = self.final_stage()?;
        Some((stage, *self.stage_end.get(stage.index)?))
    }

    /// The stage is the final one or a later stage builds `FROM` it, so its layers are part of
    /// an image that ships (how DL3009 and DL3060 choose the stages they judge).
    pub fn stage_ships(&self, stage: usize) -> bool {
        self.stages
            .get(stage)
            .is_some_and(|s| s.used_as_base || s.index + 1 == self.stages.len())
    }

    /// The final stage is `stage` or builds on it through `FROM <stage>`: its layers are the
    /// final image's.
    pub fn in_final_image(&self, stage: usize) -> bool {
        self.final_stage()
            .is_some_and(|f| self.ancestry(f.index).any(|s| s.index == stage))
    }

    /// The stage of the instruction at `index` (None before the first FROM).
    pub fn stage_at(&self, index: usize) -> Option<usize> {
        self.stage_of.get(index).copied().flatten()
    }

    /// The number of instructions the model was built for.
    fn instruction_count(&self) -> usize {
        self.decl_at.len().saturating_sub(1)
    }

    /// The stage with this name (case-insensitive), defined before instruction `before`.
    pub fn stage_named(&self, name: &str, before: usize) -> Option<&Stage> {
        self.stages
            .iter()
            .take_while(|s| s.from < before)
            .filter(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .last()
    }

    /// The stage a `--from` value names at instruction `before`: the index of an earlier stage,
    /// or the name of one (case-insensitive). `None` means an image.
    pub fn stage_ref(&self, from: &str, before: usize) -> Option<usize> {
        match from.parse::<usize>() {
            Ok(idx) => self
                .stages
                .get(idx)
                .filter(|s| s.from < before)
                .map(|s| s.index),
            Err(_) => self.stage_named(from, before).map(|s| s.index),
        }
    }

    /// The stage and its ancestors through `FROM <stage>`, nearest first.
    pub fn ancestry(&self, stage: usize) -> impl Iterator<Item = &Stage> {
        let mut next = Some(stage);
        let mut guard = 0;
        std::iter::from_fn(move || {
            let s = self.stages.get(next?)?;
            guard += 1;
            next = match s.base {
                Base::Stage(p) if p < s.index && guard <= self.stages.len() => Some(p),
                _ => None,
            };
            Some(s)
        })
    }

    /// The root of a stage's chain: the stage that builds on an image (or scratch).
    pub fn root_of(&self, stage: usize) -> Option<&Stage> {
        self.ancestry(stage).last()
    }

    /// The names of every ARG and ENV the file declares, sorted.
    pub fn declared_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.by_name.keys().map(Name::as_str).collect();
        names.sort_unstable();
        names
    }

    /// The names of the global ARGs (declared before the first FROM), sorted.
    pub fn global_arg_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.globals.keys().map(Name::as_str).collect();
        names.sort_unstable();
        names
    }

    /// The variables an ARG or ENV instruction declares, with their values.
    pub fn declared_by(&self, index: usize) -> &[Var] {
        match (self.decl_at.get(index), self.decl_at.get(index + 1)) {
            (Some(&a), Some(&b)) => self.vars.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn var(&self, loc: VarLoc) -> &Var {
        &self.vars[self.decl_at[loc.0 as usize] as usize + loc.1 as usize]
    }

    /// The variable `name` as the instruction at `index` sees it (before its own effect):
    /// `None` when it is not defined there. A FROM line and the instructions before the first
    /// FROM see the global ARGs.
    pub fn var_at(&self, index: usize, name: &str) -> Option<&Var> {
        let stage = self.stage_of.get(index).copied().flatten();
        let stage = stage.filter(|&s| self.stages[s].from != index);
        // The declarations of `name` in `start..end`, latest first.
        let declared = |start: usize, end: usize| {
            let locs = self.by_name.get(name).map(Locs::as_slice).unwrap_or(&[]);
            let upto = locs.partition_point(|l| (l.0 as usize) < end);
            locs[..upto]
                .iter()
                .rev()
                .take_while(move |l| l.0 as usize >= start)
                .map(|&l| self.var(l))
        };
        let Some(s) = stage else {
            let first_from = self
                .stages
                .first()
                .map_or(self.instruction_count(), |s| s.from);
            return declared(0, index.min(first_from))
                .next()
                .or_else(|| self.automatic.iter().find(|v| v.name == name));
        };
        let mut arg: Option<&Var> = None;
        for v in declared(self.stages[s].body.start, index) {
            if v.kind == VarKind::Env {
                return Some(v);
            }
            arg = arg.or(Some(v));
        }
        let inherited = self.inherited[s].get(name).map(|&l| self.var(l));
        match (arg, inherited) {
            (Some(a), Some(i)) if i.kind != VarKind::Env => Some(a),
            (Some(_), Some(i)) => Some(i),
            (a, i) => a.or(i),
        }
    }

    /// Expands a word as BuildKit does for the instruction at `index` (COPY, ENV, LABEL, USER,
    /// WORKDIR, flag values...). A variable not declared in the file may come from the base
    /// image's ENV, so it counts as unknown.
    pub fn expand_at(&self, index: usize, raw: &str, escape: char) -> Expansion {
        expand(raw, escape, &|name| match self.var_at(index, name) {
            Some(v) => v.as_value(),
            None => VarValue::Unknown,
        })
    }
}

pub(super) fn build(df: &Dockerfile) -> Model {
    let n = df.instructions.len();
    let declared = df
        .instructions
        .iter()
        .map(|ins| match &ins.body {
            Body::Arg(kvs) | Body::Env(kvs) => kvs.len(),
            _ => 0,
        })
        .sum();
    let mut m = Model {
        stages: Vec::new(),
        stage_of: PerInstruction::default(),
        state_before: PerInstruction::default(),
        stage_end: Vec::new(),
        // Room for every declaration at once: a file of many ENVs would otherwise hold up to
        // twice their size (and both copies while the vector grows).
        vars: Vec::with_capacity(declared),
        decl_at: Vec::with_capacity(n + 1),
        globals: HashMap::new(),
        by_name: HashMap::new(),
        inherited: Vec::new(),
        automatic: AUTOMATIC_ARGS
            .iter()
            .map(|name| Var {
                name: compact_str::CompactString::const_new(name),
                kind: VarKind::Automatic,
                value: None,
                unresolved: true,
                at: None,
            })
            .collect(),
    };
    let mut state = StageState::default();
    let mut current: Option<usize> = None;
    // The variables in scope in the current stage, and at the end of each finished stage.
    let mut scope: HashMap<Name, VarLoc> = HashMap::new();
    let mut scope_end: Vec<HashMap<Name, VarLoc>> = Vec::new();
    let text_len = df.instructions.last().map_or(0, |i| i.span.end as usize);
    let budget = std::cell::Cell::new(EXPANSION_BUDGET + text_len);
    m.decl_at.push(0);
    for (i, ins) in df.instructions.iter().enumerate() {
        // No declarations until `declare` says otherwise.
        m.decl_at.push(m.vars.len() as u32);
        if ins.kind == Kind::From {
            if let Some(c) = current {
                m.stages[c].body.end = i;
                m.stage_end.push(state);
                scope_end.push(std::mem::take(&mut scope));
            }
            let (word, name, name_span) = match &ins.body {
                Body::From(f) => (
                    f.image.clone(),
                    f.alias
                        .as_ref()
                        .map(|(_, w)| w.value.as_str().to_ascii_lowercase()),
                    f.alias.as_ref().map(|(_, w)| w.span),
                ),
                _ => (Word::default(), None, None),
            };
            let expanded = m.expand_global(i, &word.raw, df.escape);
            let reference = ImageRef::from_word(&word, &expanded.value, expanded.unresolved);
            let resolved = expanded.value.as_str();
            let index = m.stages.len();
            let base = if resolved.eq_ignore_ascii_case("scratch") {
                Base::Scratch
            } else if let Some(p) = m.stage_named(resolved, i).map(|s| s.index) {
                Base::Stage(p)
            } else {
                Base::Image
            };
            (state, scope) = match base {
                Base::Stage(p) => {
                    m.stages[p].used_as_base = true;
                    (m.stage_end[p], scope_end[p].clone())
                }
                _ => (StageState::default(), HashMap::new()),
            };
            m.inherited.push(scope.clone());
            m.stages.push(Stage {
                index,
                from: i,
                name,
                name_span,
                image: word.value.into_string(),
                reference,
                base,
                body: i + 1..n,
                used_as_base: false,
                copied_from: false,
            });
            current = Some(index);
            m.stage_of.push(current);
            m.state_before.push(state);
            continue;
        }
        m.stage_of.push(current);
        m.state_before.push(state);
        if matches!(ins.body, Body::Arg(_) | Body::Env(_)) {
            let vars = m.declare(i, ins, current.is_none(), &scope, df.escape, &budget);
            m.vars.extend(vars);
            if let Some(end) = m.decl_at.last_mut() {
                *end = m.vars.len() as u32;
            }
            let first = m.decl_at[i] as usize;
            for (k, v) in m.vars[first..].iter().enumerate() {
                let loc = (i as u32, k as u32);
                match m.by_name.entry(v.name.clone()) {
                    hashbrown::hash_map::Entry::Occupied(mut e) => e.get_mut().push(loc),
                    hashbrown::hash_map::Entry::Vacant(e) => {
                        e.insert(Locs::One(loc));
                    }
                }
                if current.is_none() {
                    m.globals.insert(v.name.clone(), loc);
                    continue;
                }
                let env_wins = v.kind == VarKind::Arg
                    && scope
                        .get(v.name.as_str())
                        .is_some_and(|&l| m.var(l).kind == VarKind::Env);
                if !env_wins {
                    scope.insert(v.name.clone(), loc);
                }
            }
        }
        match ins.kind {
            Kind::User => state.user = Some(i),
            Kind::Workdir => state.workdir = Some(i),
            Kind::Shell => state.shell = Some(i),
            Kind::Healthcheck => state.healthcheck = Some(i),
            Kind::Copy => {
                if let Some(word) = ins.flag("from").and_then(|f| f.value.as_ref()) {
                    // BuildKit expands the flag in the stage's scope before naming a stage.
                    let expanded;
                    let from = if word.raw.contains('$') {
                        expanded = m.expand_at(i, &word.raw, df.escape).value;
                        expanded.as_str()
                    } else {
                        word.value.as_str()
                    };
                    if let Some(t) = m.stage_ref(from, i) {
                        m.stages[t].copied_from = true;
                    }
                }
            }
            _ => {}
        }
    }
    if current.is_some() {
        m.stage_end.push(state);
    }
    m
}

impl Model {
    /// Expands a word with the global ARGs declared before instruction `index` (FROM lines and
    /// global ARG defaults). An undeclared name expands to nothing, as in BuildKit.
    fn expand_global(&self, index: usize, raw: &str, escape: char) -> Expansion {
        expand(raw, escape, &|name| match self.var_at(index, name) {
            Some(v) => v.as_value(),
            None => VarValue::Undefined,
        })
    }

    /// The variables of one ARG/ENV instruction, each value expanded with the scope from
    /// before the instruction.
    fn declare(
        &self,
        index: usize,
        ins: &Instruction,
        global: bool,
        scope: &HashMap<Name, VarLoc>,
        escape: char,
        budget: &std::cell::Cell<usize>,
    ) -> Vec<Var> {
        let kind = ins.kind;
        let (Body::Arg(kvs) | Body::Env(kvs)) = &ins.body else {
            return Vec::new();
        };
        let lookup = |name: &str| -> VarValue<'_> {
            if global {
                return match self.globals.get(name) {
                    Some(&l) => self.var(l).as_value(),
                    None if AUTOMATIC_ARGS.contains(&name) => VarValue::Unknown,
                    None => VarValue::Undefined,
                };
            }
            match scope.get(name) {
                Some(&l) => self.var(l).as_value(),
                // Maybe an ENV of the base image.
                None => VarValue::Unknown,
            }
        };
        kvs.iter()
            .map(|kv| {
                let name = kv.key.value.clone();
                let var_kind = match (kind, global) {
                    (Kind::Env, _) => VarKind::Env,
                    (_, true) => VarKind::GlobalArg,
                    _ => VarKind::Arg,
                };
                let (value, unresolved) = match &kv.value {
                    Some(w) => {
                        let e = expand(&w.raw, escape, &lookup);
                        // Values built from values can grow with every declaration; past a
                        // bound a value is not kept (it becomes unknown), so that memory stays
                        // linear in the file whatever it holds.
                        let grown = e.value.len().saturating_sub(w.raw.len());
                        if grown > 0 && (e.value.len() > MAX_VALUE_LEN || grown > budget.get()) {
                            (None, true)
                        } else {
                            budget.set(budget.get() - grown);
                            (Some(e.value.into()), e.unresolved)
                        }
                    }
                    // `ARG NAME` in a stage takes the global default.
                    None if !global && kind == Kind::Arg => {
                        match self.globals.get(name.as_str()).map(|&l| self.var(l)) {
                            Some(g) => (g.value.clone(), g.unresolved),
                            None => (None, false),
                        }
                    }
                    None => (None, false),
                };
                Var {
                    name,
                    kind: var_kind,
                    value,
                    unresolved,
                    at: Some(index),
                }
            })
            .collect()
    }
}

impl Dockerfile {
    /// The sources a COPY or ADD (or its ONBUILD trigger, under the ONBUILD's index) reads
    /// from the build context, each with its value expanded there and cleaned (`./src/` is
    /// `src`, the whole context is `.`). Nothing for `COPY --from`; heredocs, URLs and git
    /// sources of ADD, and sources that depend on an unknown variable are left out.
    pub fn context_sources<'a>(
        &self,
        index: usize,
        ins: &'a Instruction,
    ) -> Vec<(&'a Word, String)> {
        let Body::Copy { sources, .. } = &ins.body else {
            return Vec::new();
        };
        if !matches!(ins.kind, Kind::Copy | Kind::Add) || ins.flag("from").is_some() {
            return Vec::new();
        }
        sources
            .iter()
            .filter(|w| !w.value.starts_with("<<"))
            .filter(|w| ins.kind != Kind::Add || !is_remote_source(&w.value))
            .filter_map(|w| {
                let e = self.model.expand_at(index, &w.raw, self.escape);
                (!e.unresolved && !e.value.is_empty()).then(|| {
                    (
                        w,
                        crate::dockerignore::clean(e.value.trim_start_matches('/')),
                    )
                })
            })
            .collect()
    }

    /// Every source the file's COPY and ADD instructions (ONBUILD triggers included) read
    /// from the build context, in file order, with the instruction's kind: see
    /// [`Dockerfile::context_sources`].
    pub fn all_context_sources(&self) -> Vec<(Kind, &Word, String)> {
        let mut out = Vec::new();
        for (i, outer) in self.instructions.iter().enumerate() {
            let ins = outer.trigger().unwrap_or(outer);
            out.extend(
                self.context_sources(i, ins)
                    .into_iter()
                    .map(|(word, path)| (ins.kind, word, path)),
            );
        }
        out
    }

    /// The instruction at an index.
    pub fn get(&self, index: usize) -> Option<&Instruction> {
        self.instructions.get(index)
    }

    /// The span of a stage's `FROM` line, where stage-level findings are reported.
    pub fn from_line_span(&self, stage: &super::Stage, text: &str) -> Option<Span> {
        Some(self.get(stage.from)?.first_line_span(text))
    }

    /// The instructions of a stage with their indices, FROM excluded, ONBUILD triggers not
    /// expanded (an `ONBUILD LABEL` is an ONBUILD here). Rules about what the stage's own
    /// image holds use this.
    pub fn stage_instructions(
        &self,
        stage: &super::Stage,
    ) -> impl Iterator<Item = (usize, &Instruction)> {
        let r = stage.body.clone();
        self.instructions[r.clone()]
            .iter()
            .enumerate()
            .map(move |(k, ins)| (r.start + k, ins))
    }

    /// [`Self::stage_instructions`] with each ONBUILD trigger right after its ONBUILD, under
    /// the ONBUILD's index. Rules about how an instruction is written (hadolint applies its
    /// RUN rules to `ONBUILD RUN`) use this.
    pub fn stage_instructions_with_onbuild(
        &self,
        stage: &super::Stage,
    ) -> impl Iterator<Item = (usize, &Instruction)> {
        self.stage_instructions(stage)
            .flat_map(|(i, ins)| std::iter::once((i, ins)).chain(ins.trigger().map(|t| (i, t))))
    }

    /// The SHELL in force at an instruction, as its exec-form words; `None` means the default
    /// `/bin/sh -c`.
    pub fn shell_at(&self, index: usize) -> Option<Vec<&str>> {
        let s = self.model.state_before.get(index)?.shell?;
        match self.instructions.get(s)?.command()? {
            Command::Exec { args, .. } => Some(args.iter().map(|w| w.value.as_str()).collect()),
            Command::Shell(_) => None,
        }
    }

    /// True when the shell at an instruction is not a POSIX shell, so RUN text must not be
    /// parsed as sh: a PowerShell or cmd `SHELL`, or, with no `SHELL`, a Windows base image
    /// (whose default shell is cmd) or a file using the backtick escape.
    pub fn non_posix_shell_at(&self, index: usize) -> bool {
        match self.shell_at(index) {
            Some(words) => words.first().is_some_and(|prog| {
                let p = prog.to_ascii_lowercase();
                p.contains("pwsh")
                    || p.contains("powershell")
                    || p == "cmd"
                    || p.ends_with("cmd.exe")
                    || p.ends_with("\\cmd")
            }),
            None => self.escape == '`' || self.windows_base_at(index),
        }
    }

    /// True when the stage of an instruction builds on a Windows image.
    pub fn windows_base_at(&self, index: usize) -> bool {
        let Some(Some(stage)) = self.model.stage_of.get(index) else {
            return false;
        };
        // Asked for every RUN (which shell runs it): judged once per stage.
        let windows = self.windows_stages.get_or_init(|| {
            (0..self.model.stages.len())
                .map(|s| self.stage_has_windows_base(s))
                .collect()
        });
        windows.get(*stage).copied().unwrap_or(false)
    }

    fn stage_has_windows_base(&self, stage: usize) -> bool {
        self.model.root_of(stage).is_some_and(|root| {
            // With a variable left unknown, the name as written is all there is to go by
            // (`FROM ${NanoServerRepo}:1809`).
            let written = root.reference.unresolved
                && crate::knowledge::images::is_windows(&ImageRef::parse(
                    &root.image.to_ascii_lowercase(),
                    root.reference.span,
                ));
            root.base == Base::Image
                && (crate::knowledge::images::is_windows(&root.reference) || written)
        })
    }
}

/// An ADD source fetched from elsewhere than the context: a URL or a git repository.
fn is_remote_source(value: &str) -> bool {
    value.contains("://") || value.starts_with("git@")
}

#[cfg(test)]
mod per_instruction_tests {
    use super::*;

    #[test]
    fn per_instruction_values_read_like_a_slice() {
        let mut v = PerInstruction::default();
        for x in [None, Some(0), Some(0), Some(1), Some(0)] {
            v.push(x);
        }
        assert_eq!(v.len(), 5);
        assert_eq!(v.values.len(), 4, "runs of one value are stored once");
        assert_eq!(v[2], Some(0));
        assert_eq!(v.get(4), Some(&Some(0)));
        assert_eq!(v.get(5), None);
        assert_eq!(
            v.iter().copied().collect::<Vec<_>>(),
            [None, Some(0), Some(0), Some(1), Some(0)]
        );
    }

    #[test]
    fn state_and_declarations_per_instruction() {
        let df = crate::dockerfile::parse(
            "ARG A=1\nFROM x\nUSER u\nENV B=2 C=$B\nRUN x\nFROM y\nARG D\n",
        );
        let m = &df.model;
        assert_eq!(m.stage_of.len(), 7);
        assert_eq!(m.stage_of[0], None);
        assert_eq!(m.stage_of[4], Some(0));
        assert_eq!(m.stage_of[6], Some(1));
        assert_eq!(m.state_before[2].user, None);
        assert_eq!(m.state_before[3].user, Some(2));
        assert_eq!(m.state_before[6].user, None);
        let names = |i: usize| {
            m.declared_by(i)
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(0), ["A"]);
        assert_eq!(names(3), ["B", "C"]);
        assert_eq!(names(6), ["D"]);
        assert!(names(4).is_empty() && names(7).is_empty());
        assert_eq!(m.var_at(4, "B").and_then(|v| v.value.as_deref()), Some("2"));
        assert_eq!(m.var_at(1, "A").and_then(|v| v.value.as_deref()), Some("1"));
    }
}

#[cfg(test)]
mod locs_tests {
    use super::*;

    #[test]
    fn a_name_declared_again_keeps_every_location_in_order() {
        let mut locs = Locs::One((1, 0));
        assert_eq!(locs.as_slice(), [(1, 0)]);
        locs.push((4, 1));
        locs.push((9, 0));
        assert_eq!(locs.as_slice(), [(1, 0), (4, 1), (9, 0)]);
        // And the model reads them: the latest declaration before an instruction wins.
        let df = crate::dockerfile::parse("FROM a\nENV X=1\nENV X=2\nRUN x\nENV X=3\nRUN y\n");
        let at = |i: usize| df.model.var_at(i, "X").and_then(|v| v.value.as_deref());
        assert_eq!((at(2), at(3), at(5)), (Some("1"), Some("2"), Some("3")));
    }
}
