//! The semantic model: stages, what each stage builds on, and the effective USER, WORKDIR,
//! SHELL and HEALTHCHECK at each instruction, following `FROM <earlier stage>` chains.

use super::{Body, Command, Dockerfile, Instruction, Kind};
use crate::source::Span;
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
    /// The image reference as written (unquoted).
    pub image: String,
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

/// Stages and per-instruction state.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// For each instruction, the stage it belongs to (`None` before the first FROM).
    pub stage_of: Vec<Option<usize>>,
    /// For each instruction, the state in force when it runs (before its own effect).
    pub state_before: Vec<StageState>,
    /// For each stage, the state at its end.
    pub stage_end: Vec<StageState>,
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
}

pub(super) fn build(df: &Dockerfile) -> Model {
    let n = df.instructions.len();
    let mut m = Model {
        stages: Vec::new(),
        stage_of: vec![None; n],
        state_before: vec![StageState::default(); n],
        stage_end: Vec::new(),
    };
    let mut state = StageState::default();
    let mut current: Option<usize> = None;
    for (i, ins) in df.instructions.iter().enumerate() {
        if ins.kind == Kind::From {
            if let Some(c) = current {
                m.stages[c].body.end = i;
                m.stage_end.push(state);
            }
            let (image, name, name_span) = match &ins.body {
                Body::From(f) => (
                    f.image.value.clone(),
                    f.alias.as_ref().map(|(_, w)| w.value.to_ascii_lowercase()),
                    f.alias.as_ref().map(|(_, w)| w.span),
                ),
                _ => (String::new(), None, None),
            };
            let index = m.stages.len();
            let base = if image.eq_ignore_ascii_case("scratch") {
                Base::Scratch
            } else if let Some(p) = m.stage_named(&image, i).map(|s| s.index) {
                Base::Stage(p)
            } else {
                Base::Image
            };
            state = match base {
                Base::Stage(p) => {
                    m.stages[p].used_as_base = true;
                    m.stage_end[p]
                }
                _ => StageState::default(),
            };
            m.stages.push(Stage {
                index,
                from: i,
                name,
                name_span,
                image,
                base,
                body: i + 1..n,
                used_as_base: false,
                copied_from: false,
            });
            current = Some(index);
            m.stage_of[i] = current;
            m.state_before[i] = state;
            continue;
        }
        m.stage_of[i] = current;
        m.state_before[i] = state;
        match ins.kind {
            Kind::User => state.user = Some(i),
            Kind::Workdir => state.workdir = Some(i),
            Kind::Shell => state.shell = Some(i),
            Kind::Healthcheck => state.healthcheck = Some(i),
            Kind::Copy => {
                if let Some(from) = ins.flag_value("from") {
                    let target = match from.parse::<usize>() {
                        Ok(idx) if idx < m.stages.len() => Some(idx),
                        _ => m.stage_named(from, i).map(|s| s.index),
                    };
                    if let Some(t) = target {
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

impl Dockerfile {
    /// The instruction at an index.
    pub fn get(&self, index: usize) -> Option<&Instruction> {
        self.instructions.get(index)
    }

    /// The span of a stage's `FROM` line, where stage-level findings are reported.
    pub fn from_line_span(&self, stage: &super::Stage, text: &str) -> Option<Span> {
        Some(self.get(stage.from)?.first_line_span(text))
    }

    /// The instructions of a stage, FROM excluded.
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
        self.model.root_of(*stage).is_some_and(|root| {
            let image = root.image.to_ascii_lowercase();
            ["windows", "nanoserver", "servercore", "windowsservercore"]
                .iter()
                .any(|w| image.contains(w))
        })
    }

    /// Names declared by ARG or ENV that are visible at an instruction: those of its stage and
    /// its ancestors, declared before it, plus global ARGs.
    pub fn vars_at(&self, index: usize) -> Vec<&str> {
        let mut names = Vec::new();
        fn push_decls<'a>(ins: &'a Instruction, names: &mut Vec<&'a str>) {
            if let Body::Arg(kvs) | Body::Env(kvs) = &ins.body {
                names.extend(kvs.iter().map(|kv| kv.key.value.as_str()));
            }
        }
        for ins in self
            .instructions
            .iter()
            .take_while(|i| i.kind != Kind::From)
        {
            push_decls(ins, &mut names);
        }
        if let Some(Some(stage)) = self.model.stage_of.get(index) {
            for s in self.model.ancestry(*stage) {
                let end = if s.index == *stage { index } else { s.body.end };
                for ins in &self.instructions[s.body.start.min(end)..end] {
                    push_decls(ins, &mut names);
                }
            }
        }
        names
    }
}
