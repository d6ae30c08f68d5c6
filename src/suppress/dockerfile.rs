//! Where suppression comments apply in a Dockerfile: the instruction below a comment block,
//! the stage (hadolint's `stage ignore`, BuildKit's check above a FROM), or the whole file.

use super::comment::{self, CommentPragma, whole_line};
use super::hadolint::HadolintScope;
use super::{Scope, SuppressOptions, Suppressions, Syntax, buildkit, foreign_target, items, wharf};
use crate::dockerfile::{Dockerfile, Kind};

/// True when only a line break and indentation separate `end` from `next`.
fn adjacent(text: &str, end: u32, next: u32) -> bool {
    let Some(gap) = text.get(end as usize..next as usize) else {
        return false;
    };
    let rest = gap.strip_prefix("\r\n").or_else(|| gap.strip_prefix('\n'));
    rest.is_some_and(|r| r.bytes().all(|b| b == b' ' || b == b'\t'))
}

/// Where a comment sits relative to the instructions.
#[derive(Clone, Copy)]
struct Attached {
    /// The instruction right below the comment block.
    instruction: usize,
    /// A bare `#` line separates this comment from the instruction (BuildKit resets there).
    after_reset: bool,
}

pub(super) fn pragmas(text: &str, df: &Dockerfile, opts: &SuppressOptions, set: &mut Suppressions) {
    let ins = &df.instructions;
    let comments = &df.comments;

    // The directive block: `# check=skip=...` for the whole file.
    // The environment's BUILDKIT_DOCKERFILE_CHECK replaces it (the engine applies that one).
    if let Some(d) = df
        .directive("check")
        .filter(|_| !opts.buildkit_check_from_env)
        && let Some(skip) = buildkit::check_skip(&d.value, d.value_span.start as usize)
    {
        let whole = skip.part.unwrap_or_else(|| whole_line(text, d.span));
        set.add(
            Syntax::BuildKit,
            Scope::FILE,
            items(&skip.names, text, buildkit::target),
            whole,
        );
    }

    // Which instruction each comment block sits on, and where each block starts.
    let mut attached: Vec<Option<Attached>> = vec![None; comments.len()];
    let mut block_start: Vec<u32> = ins.iter().map(|i| i.span.start).collect();
    let mut ci = 0;
    for (j, instruction) in ins.iter().enumerate() {
        while ci < comments.len() && comments[ci].span.start < instruction.span.start {
            ci += 1;
        }
        let mut next = instruction.span.start;
        let mut after_reset = false;
        let mut k = ci;
        while k > 0 {
            let c = &comments[k - 1];
            if c.in_continuation || !adjacent(text, c.span.end, next) {
                break;
            }
            attached[k - 1] = Some(Attached {
                instruction: j,
                after_reset,
            });
            if c.text.is_empty() {
                after_reset = true;
            }
            next = c.span.start;
            k -= 1;
        }
        block_start[j] = next;
    }
    let instruction_scope = |j: usize| Scope::through(block_start[j], ins[j].span.end);
    // The end of the stage that starts after `offset` (skipping the FROM at `skip`).
    let stage_end = |offset: u32, skip: Option<usize>| {
        ins.iter()
            .enumerate()
            .find(|&(j, i)| i.kind == Kind::From && i.span.start > offset && Some(j) != skip)
            .map_or(u32::MAX, |(_, i)| i.span.start)
    };

    for (k, c) in comments.iter().enumerate() {
        if df.directives.iter().any(|d| d.span == c.span) {
            continue;
        }
        let Some(pragma) = comment::read(text, c.span.start as usize, c.span.end as usize) else {
            continue;
        };
        let whole = whole_line(text, c.span);
        let below = attached[k].map(|a| a.instruction);
        match pragma {
            CommentPragma::WharfUnknown(span) => wharf::unknown_directive(set, text, span),
            CommentPragma::WharfIgnore {
                file,
                names,
                keyword,
            } => {
                let scope = if file {
                    Scope::FILE
                } else if let Some(j) = below {
                    instruction_scope(j)
                } else if c.in_continuation {
                    // Inside a continued instruction: that instruction.
                    ins.iter()
                        .find(|i| i.span.contains(c.span.start))
                        .map_or(Scope::NOWHERE, |i| Scope::through(i.span.start, i.span.end))
                } else {
                    Scope::NOWHERE
                };
                let items = wharf::items_of(set, text, &names, keyword, whole);
                set.add(Syntax::Wharf, scope, items, whole);
            }
            CommentPragma::Hadolint { scope, codes } => {
                if opts.disable_hadolint_pragmas {
                    continue;
                }
                let scope = match scope {
                    HadolintScope::Global => Scope::FILE,
                    HadolintScope::Next => below.map_or(Scope::NOWHERE, instruction_scope),
                    HadolintScope::Stage => {
                        let skip = below.filter(|&j| ins[j].kind == Kind::From);
                        Scope {
                            start: c.span.start,
                            end: stage_end(c.span.end, skip),
                        }
                    }
                };
                set.add(
                    Syntax::Hadolint,
                    scope,
                    items(&codes, text, foreign_target),
                    whole,
                );
            }
            CommentPragma::Check(skip) => {
                // Per instruction: only in the block right above it, after any bare `#`.
                // Above a FROM it covers the stage, as BuildKit merges it into the stage.
                let scope = match attached[k] {
                    Some(a) if !a.after_reset && !c.in_continuation => {
                        let j = a.instruction;
                        if ins[j].kind == Kind::From {
                            Scope {
                                start: block_start[j],
                                end: stage_end(ins[j].span.start, Some(j)),
                            }
                        } else {
                            instruction_scope(j)
                        }
                    }
                    _ => Scope::NOWHERE,
                };
                let whole = skip.part.unwrap_or(whole);
                set.add(
                    Syntax::BuildKit,
                    scope,
                    items(&skip.names, text, buildkit::target),
                    whole,
                );
            }
            // dclint comments mean nothing in a Dockerfile.
            CommentPragma::Dclint { .. } => {}
        }
    }
}
