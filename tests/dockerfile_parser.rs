//! Parser tests: spans of every construct BuildKit accepts, and broken input.

use wharf::dockerfile::{Body, Command, Healthcheck, Kind, parse};

fn t(src: &str, span: wharf::source::Span) -> &str {
    span.text(src)
}

#[test]
fn directives_bom_and_crlf() {
    let src = "\u{feff}# syntax=docker/dockerfile:1\r\n# escape=`\r\n# check=skip=all\r\n\r\nFROM alpine\r\nRUN echo a `\r\n  b\r\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.directives.len(), 3);
    assert_eq!(df.escape, '`');
    assert_eq!(t(src, df.directives[0].value_span), "docker/dockerfile:1");
    assert_eq!(df.instructions.len(), 2);
    let run = &df.instructions[1];
    assert_eq!(t(src, run.span), "RUN echo a `\r\n  b");
    let Some(Command::Shell(text)) = run.command() else {
        panic!()
    };
    assert_eq!(text.text(src), "echo a   b");
    // `b` maps back to the second physical line.
    assert_eq!(t(src, text.span(9, 10)), "b");
}

#[test]
fn directive_block_ends_at_first_other_line() {
    let src = "# a comment\n# escape=`\nFROM alpine\n";
    let df = parse(src);
    assert!(df.directives.is_empty());
    assert_eq!(df.escape, '\\');
}

#[test]
fn comments_and_blank_lines_inside_continuations() {
    let src =
        "FROM alpine\nRUN apt-get update && \\\n    # install\n\n    apt-get install -y curl\n";
    let df = parse(src);
    assert!(df.errors.is_empty());
    let run = &df.instructions[1];
    let Some(Command::Shell(text)) = run.command() else {
        panic!()
    };
    assert_eq!(
        text.text(src),
        "apt-get update &&     apt-get install -y curl"
    );
    assert_eq!(df.comments.len(), 1);
    assert!(df.comments[0].in_continuation);
    assert_eq!(df.empty_continuation_lines.len(), 1);
    let at = text.text(src).find("curl").unwrap();
    assert_eq!(t(src, text.span(at, at + 4)), "curl");
}

#[test]
fn continuation_at_eof_and_escaped_escape() {
    let df = parse("FROM alpine\nRUN echo \\");
    assert!(df.errors.is_empty());
    assert_eq!(df.instructions.len(), 2);
    let df = parse("FROM alpine\nRUN echo a\\\\\nRUN echo b\n");
    assert_eq!(
        df.instructions.len(),
        3,
        "an escaped escape does not continue"
    );
}

#[test]
fn every_instruction_in_any_case() {
    let src = "from alpine AS Base\narg A=1 B\nenv X=1\nlabel a=b\nrun echo\ncmd [\"a\"]\nentrypoint [\"b\"]\ncopy a /b\nadd a /b\nexpose 80\nuser app\nworkdir /w\nvolume /data\nstopsignal SIGTERM\nshell [\"/bin/bash\", \"-c\"]\nhealthcheck none\nonbuild run echo\nmaintainer me\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let kinds: Vec<Kind> = df.instructions.iter().map(|i| i.kind).collect();
    assert_eq!(kinds.len(), 18);
    assert!(!kinds.contains(&Kind::Unknown));
    assert_eq!(df.model.stages[0].name.as_deref(), Some("base"));
}

#[test]
fn flags_and_mounts() {
    let src = "FROM --platform=$BUILDPLATFORM golang AS b\nRUN --mount=type=cache,target=/root/.cache --network=none go build\nCOPY --from=b --chown=1:1 --link /out /out\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let from = &df.instructions[0];
    assert_eq!(from.flag_value("platform"), Some("$BUILDPLATFORM"));
    assert_eq!(t(src, from.flags[0].name_span), "--platform");
    let run = &df.instructions[1];
    let m: Vec<_> = run.mounts().collect();
    assert_eq!(m[0].kind(), "cache");
    assert_eq!(m[0].get("dst"), Some("/root/.cache"));
    assert_eq!(run.flag_value("network"), Some("none"));
    let target = m[0].part("target").unwrap();
    assert_eq!(t(src, target.value_span), "/root/.cache");
    assert_eq!(t(src, target.key_span), "target");
    let copy = &df.instructions[2];
    assert!(copy.flag("link").is_some_and(|f| f.value.is_none()));
    let Body::Copy {
        sources,
        dest,
        json,
    } = &copy.body
    else {
        panic!()
    };
    assert!(!json);
    assert_eq!(t(src, sources[0].span), "/out");
    assert_eq!(dest.as_ref().map(|d| d.value.as_str()), Some("/out"));
}

#[test]
fn exec_form_is_decided_like_docker() {
    let df = parse(
        "FROM a\nCMD [\"a\", \"b c\"]\nCMD ['a','b']\nENTRYPOINT [\"x\"\nRUN [\"echo\", \"$HOME\"]\n",
    );
    assert!(
        matches!(df.instructions[1].command(), Some(Command::Exec { args, .. }) if args[1].value == "b c")
    );
    assert!(matches!(
        df.instructions[2].command(),
        Some(Command::Shell(_))
    ));
    assert!(matches!(
        df.instructions[3].command(),
        Some(Command::Shell(_))
    ));
    assert!(matches!(
        df.instructions[4].command(),
        Some(Command::Exec { .. })
    ));
}

#[test]
fn env_label_arg_forms() {
    let src = "FROM a\nENV A=1 B=\"two words\" C=x\\ y\nENV LEGACY some value\nLABEL \"k.q\"=v\nARG X Y=2 Z=\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let Body::Env(kvs) = &df.instructions[1].body else {
        panic!()
    };
    assert_eq!(kvs.len(), 3);
    assert_eq!(kvs[1].value.as_ref().unwrap().value, "two words");
    assert_eq!(t(src, kvs[1].value.as_ref().unwrap().span), "\"two words\"");
    assert_eq!(kvs[2].value.as_ref().unwrap().value, "x y");
    let Body::Env(legacy) = &df.instructions[2].body else {
        panic!()
    };
    assert_eq!(legacy[0].value.as_ref().unwrap().value, "some value");
    let Body::Label(l) = &df.instructions[3].body else {
        panic!()
    };
    assert_eq!(l[0].key.value, "k.q");
    let Body::Arg(args) = &df.instructions[4].body else {
        panic!()
    };
    assert!(args[0].value.is_none());
    assert_eq!(args[1].value.as_ref().unwrap().value, "2");
    assert_eq!(args[2].value.as_ref().unwrap().value, "");
}

#[test]
fn heredocs() {
    let src = "FROM a\nRUN <<EOF\necho 1\nEOF\nRUN <<-\"X\" cat && cat 3<<Y\n\tliteral $HOME\n\tX\nsecond\nY\nCOPY <<EOF /etc/conf\nk=v\nEOF\nRUN echo done\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.instructions.len(), 5);
    let r1 = &df.instructions[1];
    assert_eq!(r1.heredocs[0].body.text, "echo 1\n");
    assert_eq!(t(src, r1.span), "RUN <<EOF\necho 1\nEOF");
    let r2 = &df.instructions[2];
    assert_eq!(r2.heredocs.len(), 2);
    assert!(r2.heredocs[0].quoted && r2.heredocs[0].strip_tabs);
    assert_eq!(r2.heredocs[0].body.text, "literal $HOME\n");
    assert_eq!(r2.heredocs[1].fd, Some(3));
    assert_eq!(r2.heredocs[1].body.text, "second\n");
    assert_eq!(t(src, r2.heredocs[0].body.span(0, 7)), "literal");
    assert_eq!(df.instructions[3].heredocs[0].body.text, "k=v\n");
    assert_eq!(df.instructions[4].kind, Kind::Run);
}

#[test]
fn healthcheck_and_onbuild() {
    let src = "FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://x/\nHEALTHCHECK NONE\nONBUILD RUN echo hi\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let h = &df.instructions[1];
    assert_eq!(h.flag_value("interval"), Some("5s"));
    assert!(
        matches!(&h.body, Body::Healthcheck(Healthcheck::Cmd(Command::Shell(t))) if t.text(src) == "curl -f http://x/")
    );
    assert!(matches!(
        &df.instructions[2].body,
        Body::Healthcheck(Healthcheck::None(_))
    ));
    let Body::Onbuild(Some(inner)) = &df.instructions[3].body else {
        panic!()
    };
    assert_eq!(inner.kind, Kind::Run);
    assert_eq!(t(src, inner.keyword), "RUN");
}

#[test]
fn stages_and_model() {
    let src = "ARG V=1\nFROM alpine AS base\nUSER app\nWORKDIR /w\nFROM base AS two\nCOPY --from=0 /a /b\nFROM scratch\n";
    let df = parse(src);
    let m = &df.model;
    assert_eq!(m.stages.len(), 3);
    assert_eq!(m.stages[1].base, wharf::dockerfile::Base::Stage(0));
    assert!(m.stages[0].used_as_base && m.stages[0].copied_from);
    assert_eq!(m.stages[2].base, wharf::dockerfile::Base::Scratch);
    // USER inherited through FROM base.
    assert_eq!(m.stage_end[1].user, Some(2));
    assert_eq!(m.stage_end[2].user, None);
    // A global ARG is not visible in a stage that does not re-declare it.
    assert!(df.model.var_at(5, "V").is_none());
    assert_eq!(
        df.model.var_at(1, "V").and_then(|v| v.value.as_deref()),
        Some("1")
    );
}

#[test]
fn mount_parts_map_across_continuations_and_quotes() {
    let src =
        "FROM a\nRUN --mount=type=cache,target=/x,\\\nfrom=quay.io/a/b:1,\"src\"=\"/s\" true\n";
    let df = parse(src);
    let m: Vec<_> = df.instructions[1].mounts().collect();
    let from = m[0].part("from").unwrap();
    assert_eq!(from.value, "quay.io/a/b:1");
    assert_eq!(t(src, from.value_span), "quay.io/a/b:1");
    assert_eq!(t(src, from.span), "from=quay.io/a/b:1");
    let source = m[0].part("source").unwrap();
    assert_eq!(source.value, "/s");
    assert_eq!(t(src, source.value_span), "/s");
}

#[test]
fn arg_and_env_scopes() {
    use wharf::dockerfile::VarKind;
    let src = "\
ARG BASE=alpine:3.20
ARG TAG
ARG V=1
FROM $BASE AS one
ARG V
ARG W=${V}-w
ENV E=e1
ARG E=shadowed
ENV F=$E$V
ARG NOVAL
RUN true
FROM one AS two
ENV V=env
RUN true
FROM scratch
RUN true
";
    let df = parse(src);
    let m = &df.model;
    let val = |i: usize, n: &str| m.var_at(i, n).and_then(|v| v.value.clone());
    assert_eq!(m.stages[0].reference.text, "alpine:3.20");
    // Re-declared without a value: takes the global default.
    assert_eq!(val(5, "V").as_deref(), Some("1"));
    assert_eq!(m.var_at(5, "V").map(|v| v.kind), Some(VarKind::Arg));
    // Visible only after its declaration.
    assert!(m.var_at(4, "V").is_none());
    assert_eq!(val(6, "W").as_deref(), Some("1-w"));
    // ENV wins over a later ARG of the same name.
    assert_eq!(val(8, "E").as_deref(), Some("e1"));
    assert_eq!(val(9, "F").as_deref(), Some("e11"));
    // Declared without a value is not undefined.
    let noval = m.var_at(10, "NOVAL").expect("declared");
    assert_eq!(noval.value, None);
    assert!(m.var_at(10, "UNDECLARED").is_none());
    // Globals re-declared nowhere: TAG is global only.
    assert!(m.var_at(5, "TAG").is_none());
    assert!(m.var_at(3, "TAG").is_some_and(|v| v.value.is_none()));
    // ARG and ENV pass down through FROM <stage>.
    assert_eq!(val(12, "W").as_deref(), Some("1-w"));
    assert_eq!(val(12, "E").as_deref(), Some("e1"));
    assert_eq!(val(13, "V").as_deref(), Some("env"));
    // Not into an unrelated stage.
    assert!(m.var_at(15, "E").is_none());
    // A global re-declared later: each instruction sees the declaration before it.
    let df2 = parse("ARG A=1\nARG B=$A\nARG A=2\nFROM x:$A$B\n");
    assert_eq!(
        df2.model.var_at(1, "A").and_then(|v| v.value.as_deref()),
        Some("1")
    );
    assert_eq!(df2.model.stages[0].reference.text, "x:21");
    // Automatic platform ARGs exist in the global scope, with an unknown value.
    assert!(m.var_at(3, "TARGETARCH").is_some_and(|v| v.value.is_none()));
}

#[test]
fn from_resolves_global_args() {
    let src = "\
ARG REG=gcr.io
ARG BASE=${REG}/distroless/static:nonroot
ARG STAGE=build
ARG UNSET
FROM golang:1.23 AS build
FROM $BASE
FROM ${STAGE}
FROM ${UNSET:-debian}:bookworm
FROM \"${BASE}\"
";
    let df = parse(src);
    let s = &df.model.stages;
    let r = &s[1].reference;
    assert_eq!(r.text, "gcr.io/distroless/static:nonroot");
    assert_eq!(r.domain(), "gcr.io");
    assert_eq!(r.tag.as_deref(), Some("nonroot"));
    assert!(!r.unresolved);
    // The parts of an expanded reference point at the whole word.
    assert_eq!(t(src, r.tag_span.unwrap()), "$BASE");
    // A variable can name a stage.
    assert_eq!(s[2].base, wharf::dockerfile::Base::Stage(0));
    let df2 =
        parse("FROM a AS build\nFROM b\nARG FROM_STAGE=build\nCOPY --from=$FROM_STAGE /x /x\n");
    assert!(df2.model.stages[0].copied_from);
    assert_eq!(s[3].reference.text, "debian:bookworm");
    assert!(s[3].reference.unresolved);
    assert_eq!(s[4].reference.text, "gcr.io/distroless/static:nonroot");
    // A literal reference has exact spans for its parts.
    assert_eq!(t(src, s[0].reference.tag_span.unwrap()), "1.23");
    assert_eq!(s[0].reference.familiar_name(), "golang");
}

#[test]
fn broken_input_never_panics_and_recovers() {
    for src in [
        "",
        "\n\n",
        "#",
        "FROM",
        "RUN \\",
        "FROM a\nRUN <<",
        "FROM a\nCOPY <<EOF",
        "\u{feff}",
        "FROM a\nENV",
        "ONBUILD",
        "HEALTHCHECK CMD",
        "FROM a\nRUN [\"a\", 1]",
        "FROM a\nRUN ['a'",
        "é\\\n\\",
        "FROM a\nCMD [\"\\ud800\"]",
    ] {
        let _ = parse(src);
    }
    let df = parse("FROM alpine\nBOGUS x\nRUN echo ok\n");
    assert_eq!(df.errors.len(), 1);
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(df.instructions[2].kind, Kind::Run);
}

/// Mutates corpus Dockerfiles (fixed seed) with the characters the parser cares about and lints
/// each mutant with every rule: nothing may panic. Skipped when the corpus is absent.
#[test]
fn mutated_corpus_never_panics() {
    let Some(root) = wharf::shared_data::shared_path("corpus/dockerfile") else {
        return;
    };
    let owners = std::fs::read_dir(&root).expect("the corpus is readable");
    let mut files = Vec::new();
    for owner in owners.flatten() {
        let mut stack = vec![owner.path()];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let settings = wharf::engine::FileSettings {
        rules: wharf::registry::all().to_vec(),
        ..Default::default()
    };
    let pieces = [
        "\\",
        "`",
        "\"",
        "'",
        "<<EOF",
        "<<-X",
        "\nEOF\n",
        "[",
        "]",
        "\n",
        "#",
        " --mount=",
        "$(",
        "${",
        "\r\n",
        "é",
        "ONBUILD ",
        "FROM a AS b\n",
        "&&",
        "|",
        "\t",
    ];
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for path in files.iter().step_by(6) {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for _ in 0..12 {
            let mut t = text.clone();
            for _ in 0..4 {
                let mut at = (next() % (t.len() as u64 + 1)) as usize;
                while !t.is_char_boundary(at) {
                    at -= 1;
                }
                if next() % 3 == 0 && at < t.len() {
                    let mut end = at + 1;
                    while !t.is_char_boundary(end) {
                        end += 1;
                    }
                    t.replace_range(at..end, "");
                } else {
                    t.insert_str(at, pieces[(next() % pieces.len() as u64) as usize]);
                }
            }
            let source = wharf::source::SourceFile::new(
                "Dockerfile",
                t,
                wharf::source::FileKind::Dockerfile,
            );
            let _ = wharf::engine::lint_source(&source, &settings);
        }
    }
}

/// The DF000 messages of a Dockerfile, with the text each points at.
fn errors(src: &str) -> Vec<(String, &str)> {
    parse(src)
        .errors
        .iter()
        .map(|e| (e.message.clone(), t(src, e.span)))
        .collect()
}

#[test]
fn copy_and_add_arguments_split_at_whitespace_like_buildkit() {
    // BuildKit's testfiles/escapes: two arguments, whatever the odd quote says.
    let src = "FROM ubuntu:14.04\nADD \\conf\\\\\" /.znc\nCOPY a\"b c\n";
    assert_eq!(errors(src), []);
    let df = parse(src);
    let Body::Copy { sources, dest, .. } = &df.instructions[1].body else {
        panic!()
    };
    assert_eq!(t(src, sources[0].span), "\\conf\\\\\"");
    assert_eq!(dest.as_ref().map(|d| t(src, d.span)), Some("/.znc"));
    // Quoted arguments still read as one word each, and one argument is still an error.
    assert_eq!(errors("FROM a\nCOPY \"a b\" /c\n"), []);
    assert_eq!(
        errors("FROM a\nCOPY onlyone\n"),
        [(
            "COPY requires at least two arguments: a source and a destination".to_string(),
            "onlyone"
        )]
    );
}

#[test]
fn a_line_holding_only_the_escape_continues_an_empty_line() {
    // BuildKit trims the logical line: the instruction is `RUN b`.
    let src = "FROM alpine\n\t\\\n\tRUN b\n  \\\n\n";
    assert_eq!(errors(src), []);
    let df = parse(src);
    assert_eq!(df.instructions.len(), 2);
    assert_eq!(df.instructions[1].kind, Kind::Run);
    assert_eq!(t(src, df.instructions[1].keyword), "RUN");
    // An unknown keyword after such a line is reported at the keyword itself.
    assert_eq!(
        errors("FROM a\n\t\\\n\tRUM b\n"),
        [(
            "unknown instruction `RUM` (did you mean `RUN`?)".to_string(),
            "RUM"
        )]
    );
}

#[test]
fn flags_that_need_a_value_and_boolean_flags() {
    let src = "FROM --platform alpine\nCOPY --chmod 777 a b\nCOPY --link --parents=TRUE a b\nADD --link=maybe a b\nRUN --network echo\n";
    assert_eq!(
        errors(src),
        [
            (
                "flag `--platform` is missing its value (`--platform=...`)".to_string(),
                "--platform"
            ),
            (
                "flag `--chmod` is missing its value (`--chmod=...`)".to_string(),
                "--chmod"
            ),
            (
                "flag `--link` expects a boolean (`true` or `false`), not `maybe`".to_string(),
                "--link=maybe"
            ),
            (
                "flag `--network` is missing its value (`--network=...`)".to_string(),
                "--network"
            ),
        ]
    );
}

#[test]
fn template_runs_that_do_not_parse_are_not_shell_errors() {
    let src = "FROM {{ base }}\nRUN {{InsertTemplate(\"x\",\nRUN echo \"unterminated\n";
    let df = parse(src);
    assert!(df.runs().all(|(_, ins)| df.shell_error(ins).is_none()));
    let df = parse("FROM a\nRUN echo \"unterminated\n");
    assert!(df.runs().any(|(_, ins)| df.shell_error(ins).is_some()));
}

#[test]
fn a_run_that_does_not_parse_gives_no_commands() {
    // The first heredoc parses, the second does not: the RUN is DF003's alone.
    let src =
        "FROM a\nRUN <<A <<B\napt-get install x\nA\necho \"bad\nB\nRUN apt-get install -y y\n";
    let df = parse(src);
    let bad = &df.instructions[1];
    assert!(df.shell_error(bad).is_some());
    let model = df.run_model(bad).expect("a RUN model");
    assert!(!model.scripts().is_empty());
    assert_eq!(model.commands().count(), 0);
    assert!(model.parsed().is_none());
    let models: Vec<_> = df.run_models().collect();
    let runs: Vec<_> = models.iter().filter_map(|m| m.parsed()).collect();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].index, 2);
    let install = runs[0]
        .packages
        .installs(wharf::shell::packages::Manager::AptGet)
        .next()
        .expect("apt-get install");
    assert!(install.yes);
    assert_eq!(install.packages[0].name, "y");
    let cmd = runs[0].command_at(install.order).expect("the command");
    assert_eq!(t(src, cmd.span), "apt-get install -y y");
}

#[test]
fn stage_instructions_with_and_without_triggers() {
    let src = "FROM a\nONBUILD RUN make\nLABEL x=1\n";
    let df = parse(src);
    let stage = &df.model.stages[0];
    let plain: Vec<_> = df.stage_instructions(stage).map(|(_, i)| i.kind).collect();
    assert_eq!(plain, [Kind::Onbuild, Kind::Label]);
    let with: Vec<_> = df
        .stage_instructions_with_onbuild(stage)
        .map(|(i, ins)| (i, ins.kind))
        .collect();
    assert_eq!(with, [(1, Kind::Onbuild), (1, Kind::Run), (2, Kind::Label)]);
}

#[test]
fn values_built_from_values_stay_bounded() {
    // Each ENV doubles the previous value: without a bound this needs 2^200 bytes.
    let mut src = String::from("FROM a\nENV V0=x\n");
    for i in 1..200 {
        src.push_str(&format!("ENV V{i}=${{V{}}}${{V{}}}\n", i - 1, i - 1));
    }
    src.push_str("RUN true\n");
    let df = parse(&src);
    let last = df.instructions.len() - 1;
    let v = df.model.var_at(last, "V199").expect("declared");
    // Past the bound the value is unknown (and what builds on it is unresolved).
    assert!(v.unresolved);
    assert!(v.value.as_deref().is_none_or(|s| s.len() <= 4096));
    let short = df.model.var_at(last, "V3").and_then(|v| v.value.clone());
    assert_eq!(short.as_deref(), Some("xxxxxxxx"));
}

#[test]
fn from_values_name_earlier_stages_by_index_or_name() {
    let src = "FROM a AS build\nFROM b\nCOPY --from=0 /x /x\nCOPY --from=BUILD /y /y\nCOPY --from=2 /z /z\n";
    let df = parse(src);
    assert_eq!(df.model.stage_ref("0", 2), Some(0));
    assert_eq!(df.model.stage_ref("build", 3), Some(0));
    // An index of a stage that is not defined yet, or no stage at all, is an image.
    assert_eq!(df.model.stage_ref("1", 1), None);
    assert_eq!(df.model.stage_ref("2", 4), None);
    assert_eq!(df.model.stage_ref("alpine", 4), None);
    assert!(df.model.stages[0].copied_from);
}

#[test]
fn shell_spans_of_heredoc_cut_by_end_of_file_stay_in_file() {
    // Found by fuzzing: the shell reads the heredoc's delimiter after the line, which the file
    // never wrote, and the error of an unclosed quote ran past the end of the file.
    // A body the file cuts short gave commands past the end too.
    for src in [
        "RUN s <<F'",
        "RUN s <<F'\n",
        "RUN cat <<EOF\necho 'x\n",
        "RUN <<f p\n<<",
    ] {
        let df = parse(src);
        for r in df.run_models() {
            let commands = r.scripts().iter().flat_map(|s| &s.commands);
            let spans = commands.map(|c| c.span).chain(r.error().map(|e| e.span));
            for span in spans {
                assert!(span.end as usize <= src.len(), "{src:?}: {span:?}");
            }
        }
    }
}

#[test]
fn a_line_of_only_the_escape_is_no_instruction_but_is_kept() {
    let src = "FROM alpine\nRUN pwd\n\\";
    let df = parse(src);
    assert_eq!(df.instructions.len(), 2);
    assert_eq!(df.escape_only_lines.len(), 1);
    assert_eq!(t(src, df.escape_only_lines[0]), "\\");
    // With the escape directive, the line of only that character.
    let src = "# escape=`\nFROM alpine\n`\n\n";
    let df = parse(src);
    assert_eq!(df.instructions.len(), 1);
    assert_eq!(t(src, df.escape_only_lines[0]), "`");
}

#[test]
fn heredoc_line_breaks_map_to_the_files_own_line_break() {
    let src = "FROM alpine\r\nRUN <<EOF\r\necho hi\r\necho bye\r\nEOF\r\n";
    let df = parse(src);
    let body = &df.instructions[1].heredocs[0].body;
    assert_eq!(body.text, "echo hi\necho bye\n");
    for (i, c) in body.text.char_indices().filter(|&(_, c)| c == '\n') {
        let at = body.map.to_file(i as u32) as usize;
        assert_eq!(
            &src[at..=at],
            "\n",
            "the line break at {i} ({c:?}) maps to a CR"
        );
    }
}
