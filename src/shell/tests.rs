use super::*;
use crate::source::{MappedText, Span};

fn p(text: &str) -> Script {
    match parse_str(text) {
        Ok(s) => s,
        Err(e) => panic!("{text:?} failed to parse: {e:?}"),
    }
}

fn names(s: &Script) -> Vec<String> {
    s.commands
        .iter()
        .map(|c| {
            c.name
                .as_ref()
                .map_or("-".to_string(), |w| w.text.to_string())
        })
        .collect()
}

fn texts<'a>(words: impl IntoIterator<Item = &'a Word>) -> Vec<&'a str> {
    words.into_iter().map(|w| w.text.as_str()).collect()
}

fn one(text: &str) -> Command {
    let s = p(text);
    assert_eq!(s.commands.len(), 1, "{text:?}: {:?}", names(&s));
    s.commands
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!())
}

#[test]
fn lists_and_pipelines() {
    let s = p("apt-get update && apt-get install -y curl || true; echo a | grep b |& wc -l");
    assert_eq!(
        names(&s),
        ["apt-get", "apt-get", "true", "echo", "grep", "wc"]
    );
    assert_eq!(s.pipes.len(), 2);
    assert_eq!(s.pipelines.len(), 1);
    assert_eq!(s.pipelines[0].stages, [Some(3), Some(4), Some(5)]);
    let text = "apt-get update && apt-get install -y curl || true; echo a | grep b |& wc -l";
    assert_eq!(s.pipes[0].text(text), "|");
    assert_eq!(s.pipes[1].text(text), "|&");
    assert!(!p("a || b").has_pipe());
}

#[test]
fn compound_commands() {
    let s = p(
        "(cd /x && make) ; { a; b; } ; if c; then d; elif e; then f; else g; fi; \
               for i in 1 2; do h $i; done; while i; do j; done; until k; do l; done; \
               case $x in a|b) m;; *) n;; esac; fn() { o; }; function p { q; }; [[ -f r ]] && s",
    );
    assert_eq!(
        names(&s),
        [
            "cd", "make", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
            "o", "q", "s"
        ]
    );
    assert!(s.commands[0].in_subshell && s.commands[1].in_subshell);
    assert!(!s.commands[2].in_subshell);
    // The `|` of a case pattern is not a pipe.
    assert!(!s.has_pipe());
}

#[test]
fn substitutions() {
    let s = p("echo \"$(curl -fsSL x | sh)\" `uname -m` ${V:-$(id -u)} > $(mktemp)");
    assert_eq!(names(&s), ["echo", "curl", "sh", "uname", "id", "mktemp"]);
    assert!(s.commands[1].in_subshell && !s.commands[0].in_subshell);
    assert_eq!(s.pipes.len(), 1);
    assert_eq!(texts(&s.commands[0].args)[..1], ["$(curl -fsSL x | sh)"]);
    // Nested, and in assignments, for lists and case words.
    let s = p("X=$(a $(b)) c; for f in $(d); do :; done; case `e` in *) ;; esac");
    assert_eq!(names(&s), ["c", "a", "b", "d", ":", "e"]);
    assert_eq!(s.commands[0].assignment("X"), Some("$(a $(b))"));
    // Escaped backticks inside backticks.
    let s = p("echo `dirname \\`which gcc\\``");
    assert_eq!(names(&s), ["echo", "dirname", "which"]);
    let s = p("diff <(sort a) >(tee b)");
    assert_eq!(names(&s), ["diff", "sort", "tee"]);
    assert_eq!(texts(&s.commands[0].args), ["<(sort a)", ">(tee b)"]);
}

#[test]
fn substitution_spans() {
    let text = "echo $(apt-get install -y  vim) `ls  /tmp` \"${X:-$(id  -u)}\"";
    let s = p(text);
    let spans: Vec<&str> = s
        .commands
        .iter()
        .flat_map(|c| c.args.iter().map(|w| w.span.text(text)))
        .collect();
    assert_eq!(
        spans,
        [
            "$(apt-get install -y  vim)",
            "`ls  /tmp`",
            "\"${X:-$(id  -u)}\"",
            "install",
            "-y",
            "vim",
            "/tmp",
            "-u"
        ]
    );
    assert_eq!(s.commands[1].span.text(text), "apt-get install -y  vim");
}

#[test]
fn backtick_escapes_map_back() {
    let text = "echo `a \\`b  c\\``";
    let s = p(text);
    assert_eq!(names(&s), ["echo", "a", "b"]);
    assert_eq!(s.commands[2].args[0].span.text(text), "c");
    assert_eq!(s.commands[1].args[0].span.text(text), "\\`b  c\\`");
}

#[test]
fn wrappers() {
    for text in [
        "command apt-get install x",
        "builtin apt-get install x",
        "exec apt-get install x",
        "busybox apt-get install x",
        "run apt-get install x",
        "exec -a foo apt-get install x",
        "exec command apt-get install x",
    ] {
        let c = one(text);
        assert_eq!(c.name_str(), Some("apt-get"), "{text}");
        assert!(c.is("apt-get", "install"), "{text}");
        assert_eq!(texts(&c.args), ["install", "x"], "{text}");
        assert_eq!(
            c.original_name().map(|w| w.text.as_str()),
            text.split(' ').next()
        );
    }
    assert_eq!(one("command -v curl").name_str(), Some("command"));
    assert_eq!(one("exec").name_str(), Some("exec"));
    assert_eq!(
        one("/usr/bin/apt-get install x").name_str(),
        Some("/usr/bin/apt-get")
    );
    assert_eq!(one("$PM install x").name_str(), None);
    assert!(one("$PM install x").name.is_some());
    assert_eq!(one("\"apt-get\" install x").name_str(), Some("apt-get"));

    let c = one("sudo -E -u root apt-get install -y x");
    assert_eq!(c.name_str(), Some("sudo"));
    assert!(!c.is("apt-get", "install"));
    let inner = c.unwrap_sudo().unwrap_or_else(|| unreachable!());
    assert!(inner.is("apt-get", "install") && inner.has_flag("y"));
    assert_eq!(texts(&inner.wrappers), ["sudo", "-E", "-u", "root"]);
    assert!(one("sudo -v").unwrap_sudo().is_none());
    assert!(one("apt-get x").unwrap_sudo().is_none());
}

#[test]
fn flags() {
    let c = one(
        "apt-get install -qy --no-install-recommends --target-release=bookworm -o Dpkg::Options::=--force-confold - -- -z pkg",
    );
    assert_eq!(
        c.flags().collect::<Vec<_>>(),
        ["q", "y", "no-install-recommends", "target-release", "o"]
    );
    assert!(c.has_flag("y") && c.has_flag("q") && !c.has_flag("z"));
    assert!(c.has_any_flag(&["yes", "y", "assume-yes"]));
    assert!(!c.has_any_flag(&["yes", "assume-yes"]));
    assert_eq!(c.flag_value("target-release"), Some("bookworm"));
    assert_eq!(c.flag_value("o"), Some("Dpkg::Options::=--force-confold"));
    assert_eq!(
        texts(c.args_without_flags()),
        [
            "install",
            "Dpkg::Options::=--force-confold",
            "-",
            "-z",
            "pkg"
        ]
    );
    assert_eq!(
        texts(c.args_without_flags_and_values(&["o"])),
        ["install", "-", "-z", "pkg"]
    );
    assert!(c.is("apt-get", "install") && !c.is("apt-get", "update") && !c.is("apk", "install"));
    assert_eq!(c.subcommand().map(|w| w.text.as_str()), Some("install"));

    let c = one("apt-get install -t bookworm-backports --target-release x curl");
    assert_eq!(
        texts(c.args_without_flags_and_values(&["t", "target-release"])),
        ["install", "curl"]
    );
    assert_eq!(c.flag_values("t"), ["bookworm-backports"]);
    let c = one("tar -xzf file.tgz -C /opt");
    assert_eq!(c.flag_value("f"), Some("file.tgz"));
    assert_eq!(c.flag_value("C"), Some("/opt"));
    assert!(one("pip install -r requirements.txt").name_is(&["pip", "pip3"]));
    assert_eq!(one("npm run install").arg_position("install"), Some(1));
}

#[test]
fn flag_counting_and_non_ascii_flags() {
    let c = one("apt-get -q -q update -qq -é");
    assert_eq!(c.flag_count("q"), 4);
    assert_eq!(c.flags().collect::<Vec<_>>(), ["q", "q", "q", "q", "é"]);
}

#[test]
fn substitution_with_case_and_unparsable_content() {
    // A bare pattern's `)` inside double-quoted `$(...)` does not close the substitution.
    let s = p("x=\"$(case $a in amd64) echo x86_64;; *) echo other;; esac)\" && y");
    assert_eq!(names(&s), ["-", "echo", "echo", "y"]);
    assert!(s.unparsed.is_empty());
    let s = p("x=$(case $a in (amd64) echo x86_64;; esac) && y");
    assert_eq!(names(&s), ["-", "echo", "y"]);
    // Known brush limitation: unquoted, a bare pattern's `)` ends the substitution early.
    assert!(parse_str("x=$(case $a in amd64) echo x86_64;; esac)").is_err());
    // The outer script is fine; the substitution's content is not shell: kept as unparsed.
    let text = "echo \"$(if)\" done";
    let s = p(text);
    assert_eq!(names(&s), ["echo"]);
    assert_eq!(s.unparsed.len(), 1);
    assert_eq!(s.unparsed[0].text(text), "if");
}

#[test]
fn exec_form_runs() {
    let word = |t: &str, at: u32| {
        let span = Span::new(at, at + t.len() as u32 + 2);
        Word::new(t.into(), &format!("\"{t}\""), span, false, true)
    };
    let s = exec_form(vec![
        word("exec", 5),
        word("apt-get", 13),
        word("install", 24),
    ]);
    assert!(s.commands[0].is("apt-get", "install"));
    assert_eq!(s.commands[0].span, Span::new(5, 33));
    assert!(exec_form(Vec::new()).commands.is_empty());
}

#[test]
fn quotes_removed() {
    let c = one("echo \"a b\" 'c' a\"b\"c \\-y $'t\\tu' \"$HOME/x\" ${V} plain");
    assert_eq!(
        texts(&c.args),
        ["a b", "c", "abc", "-y", "t\tu", "$HOME/x", "${V}", "plain"]
    );
    let q: Vec<bool> = c.args.iter().map(|w| w.quoted).collect();
    assert_eq!(q, [true, true, true, true, true, true, false, false]);
    let e: Vec<bool> = c.args.iter().map(|w| w.has_expansion).collect();
    assert_eq!(e, [false, false, false, false, false, true, true, false]);
    assert_eq!(c.args[0].raw(), "\"a b\"");
    assert!(one("apt-get install \"-y\" x").has_flag("y"));
}

#[test]
fn assignments_and_redirects() {
    let text = "DEBIAN_FRONTEND=noninteractive A+=1 apt-get install -y curl 2>&1 >/dev/null";
    let c = one(text);
    assert_eq!(
        texts(&c.assignments),
        ["DEBIAN_FRONTEND=noninteractive", "A+=1"]
    );
    assert_eq!(c.assignment("DEBIAN_FRONTEND"), Some("noninteractive"));
    assert_eq!(c.assignment("A"), Some("1"));
    assert!(c.is("apt-get", "install"));
    assert_eq!(texts(&c.args), ["install", "-y", "curl"]);
    let ops: Vec<&str> = c.redirects.iter().map(|r| r.operator).collect();
    assert_eq!(ops, [">&", ">"]);
    assert_eq!(c.redirects[0].fd, Some(2));
    assert_eq!(c.span.text(text), text);
    // Only assignments: no name.
    let s = p("X=1 Y=\"$(pwd)\"");
    assert_eq!(names(&s), ["-", "pwd"]);
    assert!(s.commands[0].name.is_none() && s.commands[0].args.is_empty());
    let text = ">out echo hi";
    assert_eq!(one(text).span.text(text), text);
    // Declarations keep their assignment words as arguments.
    let c = one("export PATH=\"/x:$PATH\" Y");
    assert_eq!(texts(&c.args), ["PATH=/x:$PATH", "Y"]);
}

#[test]
fn heredoc_inside_script() {
    let text = "cat <<EOF > /etc/x.conf\nkey=$(hostname)\n'quoted' \"q\"\nEOF\napt-get install -y vim\ncat <<'RAW'\n$(not run)\nRAW\n";
    let s = p(text);
    assert_eq!(names(&s), ["cat", "hostname", "apt-get", "cat"]);
    assert_eq!(s.commands[1].span.text(text), "hostname");
    assert_eq!(s.commands[0].redirects[0].operator, "<<");
    assert_eq!(
        s.commands[0].redirects[0]
            .target
            .as_ref()
            .map(|w| w.text.as_str()),
        Some("EOF")
    );
    assert_eq!(s.commands[2].args[2].span.text(text), "vim");
    let s = p("cat <<-EOF | tee x\n\tbody\n\tEOF\n");
    assert_eq!(names(&s), ["cat", "tee"]);
    assert_eq!(s.pipes.len(), 1);
}

/// Builds the shell text of `RUN apt-get update && \` / `    apt-get install -y curl` the way the
/// Dockerfile parser does: pieces of the physical lines, with the continuation removed.
#[test]
fn spans_across_pieces() {
    let file = "FROM x\nRUN apt-get update && \\\n    apt-get install -y curl\n";
    let first = file.find("apt-get").unwrap_or(0);
    let line1 = "apt-get update && ";
    let second = file.find("    apt-get install").unwrap_or(0);
    let mut src = MappedText::default();
    src.push_str(line1, first as u32);
    src.push_str("    apt-get install -y curl", second as u32);
    let s = parse(&src).unwrap_or_else(|e| panic!("{e:?}"));
    let curl = &s.commands[1].args[2];
    assert_eq!(curl.text, "curl");
    assert_eq!(curl.span.text(file), "curl");
    let idx = crate::source::LineIndex::new(file);
    assert_eq!(idx.line_col(file, curl.span.start).line, 3);
    assert_eq!(s.commands[1].span.text(file), "apt-get install -y curl");
    assert_eq!(s.commands[0].span.text(file), "apt-get update");

    // Words in substitutions too.
    let file = "RUN echo $(dpkg \\\n  --print-architecture)\n";
    let mut src = MappedText::default();
    src.push_str("echo $(dpkg ", 4);
    let off = file.find("  --print").unwrap_or(0);
    src.push_str("  --print-architecture)", off as u32);
    let s = parse(&src).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(names(&s), ["echo", "dpkg"]);
    assert_eq!(
        s.commands[1].args[0].span.text(file),
        "--print-architecture"
    );
    assert_eq!(
        s.commands[0].args[0].span.text(file),
        "$(dpkg \\\n  --print-architecture)"
    );
}

#[test]
fn non_ascii() {
    let text = "echo 'héllo wörld' ünïcode && printf \"→ %s\" $(echo ✓ done) | cat";
    let s = p(text);
    assert_eq!(names(&s), ["echo", "printf", "echo", "cat"]);
    assert_eq!(texts(&s.commands[0].args), ["héllo wörld", "ünïcode"]);
    assert_eq!(s.commands[0].args[1].span.text(text), "ünïcode");
    assert_eq!(s.commands[2].args[1].span.text(text), "done");
    assert_eq!(s.pipes[0].text(text), "|");
    // A multi-piece map with non-ASCII in both pieces.
    let file = "RUN echo é \\\n  ü x\n";
    let mut src = MappedText::default();
    src.push_str("echo é ", 4);
    let off = file.find("  ü").unwrap_or(0);
    src.push_str("  ü x", off as u32);
    let s = parse(&src).unwrap_or_else(|e| panic!("{e:?}"));
    let spans: Vec<&str> = s.commands[0]
        .args
        .iter()
        .map(|w| w.span.text(file))
        .collect();
    assert_eq!(spans, ["é", "ü", "x"]);
}

#[test]
fn errors_have_spans() {
    // brush reports the furthest token it could not use.
    let text = "echo ok && ; echo b";
    let e = parse_str(text).err().unwrap_or_else(|| unreachable!());
    assert_eq!(e.span.text(text), ";", "{e:?}");
    assert!(e.message.contains("`;`"));
    let text = "if then";
    let e = parse_str(text).err().unwrap_or_else(|| unreachable!());
    assert!(!e.span.is_empty() && e.span.end as usize <= text.len());
    let text = "echo 'abc";
    let e = parse_str(text).err().unwrap_or_else(|| unreachable!());
    assert_eq!(e.span.text(text), "'abc");
    assert!(e.message.contains("single quote"));
    let text = "if true; then echo";
    let e = parse_str(text).err().unwrap_or_else(|| unreachable!());
    assert_eq!(e.span, Span::new(0, text.len() as u32));
    for bad in [
        "echo \"abc",
        "echo $(ls",
        "echo `ls",
        "a && ",
        "| b",
        "(a",
        "a )",
        "case x in",
        "echo ${a",
        "99999999999999999999>x",
        "for do done",
        "fi",
        "a;;b",
    ] {
        assert!(parse_str(bad).is_err(), "{bad:?} should fail");
    }
}

#[test]
fn bash_constructs() {
    for text in [
        "set -o pipefail && [[ -f /x && $a == b* ]] && arr=(1 2 \"3 4\") && echo ${arr[@]}",
        "echo {a,b}.txt $((1 + 2)) ${x//a/b} ${#x} ${x^^} <<< \"here\"",
        "shopt -s extglob; rm -rf !(keep)",
        "exec 3>&1; ls 2>&1 >&3 | cat; cmd &> /dev/null &",
        "! grep -q x f || time make",
        "local -a x=(); declare -A m=([k]=v); let i++; (( i > 1 )) && echo",
        "for ((i=0; i<3; i++)); do echo $i; done",
        "trap 'rm -f $tmp' EXIT",
        "echo $'it\\'s'",
        "",
        "   ",
        "# just a comment",
        "echo a # trailing comment",
        "a\nb\n\nc",
    ] {
        parse_str(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
    }
    let s = p("[[ $(uname -m) == x86_64 ]] && (( $(nproc) > 1 ))");
    assert_eq!(names(&s), ["uname", "nproc"]);
}

#[test]
fn queries_on_script() {
    let s = p("apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*");
    assert!(s.any(|c| c.is("apt-get", "install")));
    assert_eq!(s.commands_named("apt-get").count(), 2);
    let rm = s
        .find(|c| c.name_is(&["rm"]))
        .map(|c| texts(c.args_without_flags()));
    assert_eq!(rm, Some(vec!["/var/lib/apt/lists/*"]));
    let s = p("curl -fsSL https://x | bash -");
    let pl = &s.pipelines[0];
    let stage_names: Vec<Option<&str>> = s
        .stages(pl)
        .map(|c| c.and_then(Command::name_str))
        .collect();
    assert_eq!(stage_names, [Some("curl"), Some("bash")]);
    let s = p("{ a; } | b");
    assert_eq!(s.pipelines[0].stages, [None, Some(1)]);
    assert_eq!(s.pipes.len(), 1);
}

#[test]
fn weird_input_never_panics_or_hangs() {
    let nested_parens = "(".repeat(5000);
    let nested_subs = "$(".repeat(3000);
    let nested_ifs = "if a; then ".repeat(2000);
    let inputs = [
        nested_parens.as_str(),
        nested_subs.as_str(),
        nested_ifs.as_str(),
        "a=~+99999999999999999999999",
        "echo ~+99999999999999999999999/x",
        "echo {1..99999999999999999999}",
        "\0\u{1}\u{7f}",
        "$(((((((",
        "`` `` ``",
        "<<",
        "<<EOF",
        "cat <<A <<B\nx\nA\n",
        "${",
        "$[",
        "case",
        ";;",
        "&&&&",
        "|||",
        "\\",
        "a=(",
        "f() {",
        "[[",
        "]]",
        "$'",
        "echo \"$(echo \")\"",
        "$(case x in a) ;; esac",
        "{ } ( ) ! !",
        "coproc",
        "time",
        "<<$( |#",
        "a <<\"$( |#\"",
    ];
    // Just under the nesting limit: must parse, and must not exhaust a 2 MiB thread stack.
    let deep = 60;
    let ok = [
        format!("{}a{}", "$(".repeat(deep), ")".repeat(deep)),
        format!("{}a{}", "(".repeat(deep), ")".repeat(deep)),
        format!("{}a{}", "{ ".repeat(deep), "; }".repeat(deep)),
        format!("echo {}a{}", "${x:-".repeat(deep), "}".repeat(deep)),
        format!("{}b{}", "if a; then ".repeat(deep), "; fi".repeat(deep)),
        format!("{}b{}", "while a; do ".repeat(deep), "; done".repeat(deep)),
        // `case` has its own, lower limit (see `nested_case_is_bounded`).
        format!("{}b{}", "case x in x) ".repeat(6), ";; esac".repeat(6)),
        format!(
            "echo \"{}a{}\"",
            "$(echo \"".repeat(deep),
            "\")".repeat(deep)
        ),
    ];
    for text in &ok {
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn({
                let text = text.clone();
                move || parse_str(&text).map(|_| ())
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let r = handle.join().unwrap_or_else(|_| panic!("thread died"));
        assert!(r.is_ok(), "{text:?}: {r:?}");
    }
    for text in inputs {
        let _ = parse_str(text);
    }
}

/// Splits a Dockerfile into the shell texts of its shell-form, non-heredoc RUNs, roughly: the
/// RUN line and its continuation lines, joined with the escapes removed, comment lines dropped,
/// and leading `--flag` words stripped. Only a harness for the corpus test.
fn rough_runs(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        i += 1;
        let Some(rest) = line
            .get(..4)
            .filter(|h| h.eq_ignore_ascii_case("run "))
            .map(|_| &line[4..])
        else {
            continue;
        };
        let first = i;
        let mut body = String::new();
        let mut cur = rest.to_string();
        loop {
            let trimmed = cur.trim_end();
            if let Some(stripped) = trimmed.strip_suffix('\\') {
                body.push_str(stripped);
                while i < lines.len()
                    && (lines[i].trim_start().starts_with('#') || lines[i].trim().is_empty())
                {
                    i += 1;
                }
                if i >= lines.len() {
                    break;
                }
                cur = lines[i].to_string();
                i += 1;
            } else {
                body.push_str(&cur);
                break;
            }
        }
        let mut body = body.trim_start();
        while body.starts_with("--") {
            body = body
                .split_once(char::is_whitespace)
                .map_or("", |(_, r)| r)
                .trim_start();
        }
        // A `<<` anywhere in a RUN starts a Dockerfile heredoc (a `<<<` here-string does not).
        if body.starts_with('[') || body.replace("<<<", "").contains("<<") {
            continue;
        }
        out.push((first, body.to_string()));
    }
    out
}

#[test]
fn corpus_runs_parse() {
    let Some(files) = crate::shared_data::shared_files("corpus/dockerfile") else {
        return;
    };
    let start = std::time::Instant::now();
    let (mut runs, mut failures, mut commands, mut skipped) = (0usize, Vec::new(), 0usize, 0usize);
    let (mut broken, mut templates) = (Vec::new(), 0usize);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let lower = text.to_ascii_lowercase();
        if lower
            .lines()
            .take(10)
            .any(|l| l.replace(' ', "").starts_with("#escape="))
        {
            continue;
        }
        // RUNs of a non-POSIX SHELL, or of a Windows image (cmd by default), are not shell
        // scripts.
        let windows = [
            "powershell",
            "pwsh",
            "cmd",
            "servercore",
            "nanoserver",
            "windows",
        ];
        if lower.lines().any(|l| {
            let l = l.trim_start();
            (l.starts_with("shell ") || l.starts_with("from "))
                && windows.iter().any(|s| l.contains(s))
        }) {
            skipped += 1;
            continue;
        }
        for (line, run) in rough_runs(&text) {
            runs += 1;
            match parse_str(&run) {
                Ok(s) => {
                    commands += s.commands.len();
                    check_invariants(&run, &s, &mut broken);
                }
                // Template files (`{{ if ... }}` placeholders) are not shell until rendered.
                Err(_) if run.contains("{{") => templates += 1,
                Err(e) => failures.push(format!(
                    "{}:{line}: {} [{}]",
                    path.display(),
                    e.message,
                    e.span.text(&run)
                )),
            }
        }
    }
    eprintln!(
        "corpus: {} files ({skipped} skipped as Windows), {runs} RUNs, {commands} commands, \
         {} parse failures (+{templates} in templates), {:?}",
        files.len(),
        failures.len(),
        start.elapsed()
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    for b in &broken {
        eprintln!("  broken invariant: {b}");
    }
    assert!(broken.is_empty(), "{} broken invariants", broken.len());
    // A failure on valid shell is a bug; the rough harness lets a few non-shell RUNs through.
    assert!(
        failures.len() * 100 <= runs,
        "too many parse failures: {}",
        failures.len()
    );
}

/// Model invariants that must hold for any script: word spans cover their raw text (outside
/// backticks, whose escapes are removed before parsing), commands come in source order, and the
/// pipes of the pipelines are the script's pipes.
fn check_invariants(run: &str, s: &Script, broken: &mut Vec<String>) {
    for c in &s.commands {
        for w in c
            .assignments
            .iter()
            .chain(&c.wrappers)
            .chain(&c.name)
            .chain(&c.args)
        {
            let covered = w.span.text(run);
            if covered != w.raw() && !covered.contains('\\') {
                broken.push(format!(
                    "{run:?}: word {:?} has span text {covered:?}",
                    w.raw()
                ));
            }
            if !c.span.contains(w.span.start) || w.span.end > c.span.end {
                broken.push(format!("{run:?}: word {:?} outside its command", w.raw()));
            }
        }
    }
    if s.commands
        .windows(2)
        .any(|p| p[0].span.start > p[1].span.start)
    {
        broken.push(format!("{run:?}: commands out of order"));
    }
    let piped: usize = s.pipelines.iter().map(|p| p.pipes.len()).sum();
    if piped != s.pipes.len() || s.pipes.iter().any(|p| !matches!(p.text(run), "|" | "|&")) {
        broken.push(format!("{run:?}: pipes {:?} vs pipelines", s.pipes));
    }
}
/// A small deterministic fuzz: random concatenations of shell fragments must parse or fail
/// cleanly and keep the model's invariants.
#[test]
fn random_fragments_never_panic() {
    let atoms = [
        "a", " ", "$(", ")", "(", "`", "'", "\"", "\\", "${", "}", "{", "|", "&&", ";", "\n", "<<",
        "EOF", "if ", "then ", "fi", "case ", " in ", "esac", "$((", "[[", "]]", "=", "-", "é",
        "<(", ">", "2>&1", "#", "$'", "~", "do ", "done", "for x", "while ", "!", "*", "<<<",
        "\nEOF\n",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut broken = Vec::new();
    for _ in 0..5000 {
        let len = next() % 40;
        let text: String = (0..len).map(|_| atoms[next() % atoms.len()]).collect();
        match parse_str(&text) {
            Ok(s) => check_invariants(&text, &s, &mut broken),
            Err(e) => assert!(
                !e.message.contains("failed on"),
                "brush panicked on {text:?}"
            ),
        }
    }
    assert!(broken.is_empty(), "{broken:?}");
}

/// Runs `parse_str` on a thread with the default 2 MiB stack of spawned threads (less than
/// rayon's workers may get), so that unbounded recursion would overflow it.
fn parse_on_small_stack(text: String) -> Result<Script, ShellError> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || parse_str(&text))
        .unwrap_or_else(|e| panic!("{e}"))
        .join()
        .unwrap_or_else(|_| panic!("the parse thread died"))
}

/// Every construct that nests, `n` deep.
fn nested_scripts(n: usize) -> Vec<(&'static str, String)> {
    let wrap =
        |open: &str, mid: &str, close: &str| format!("{}{mid}{}", open.repeat(n), close.repeat(n));
    let mut heredocs = String::from("a");
    for i in 0..n.min(2000) {
        heredocs = format!("$(cat <<E{i}\n{heredocs}\nE{i}\n)");
    }
    let mut backticks = String::from("a");
    for _ in 0..n / 2 {
        backticks = format!("`echo $(echo {backticks})`");
    }
    vec![
        (
            "case",
            format!(
                "{}true;; {}esac",
                "case x in x) ".repeat(n),
                "esac;; ".repeat(n - 1)
            ),
        ),
        (
            "if with brace arguments",
            wrap("if true; then echo }; ", "b", "; fi"),
        ),
        ("if", wrap("if a; then ", "b", "; fi")),
        ("if else", wrap("if a; then b; else ", "c", "; fi")),
        ("for", wrap("for x in a; do ", "b", "; done")),
        (
            "arithmetic for",
            wrap("for ((i = 0; i < 1; i++)); do ", "b", "; done"),
        ),
        ("select", wrap("select x in a; do ", "b", "; done")),
        ("while", wrap("while a; do ", "b", "; done")),
        ("until", wrap("until a; do ", "b", "; done")),
        ("subshell", wrap("(", "a", ")")),
        ("brace group", wrap("{ ", "a", "; }")),
        ("function", wrap("f() { ", "a", "; }")),
        ("function keyword", wrap("function f { ", "a", "; }")),
        ("time -p", wrap("time -p if a; then ", "b", "; fi")),
        ("negation", wrap("! if a; then ", "b", "; fi")),
        ("pipeline", wrap("a | if a; then ", "b", "; fi")),
        ("command substitution", wrap("$(", "a", ")")),
        ("nested quotes", wrap("echo \"$(", "a", ")\"")),
        ("quoted closers", wrap("$(echo ')' ", "a", ")")),
        ("backticks in substitutions", backticks),
        ("arithmetic expansion", wrap("echo $((", "1", "))")),
        (
            "arithmetic command",
            format!("(( {} ))", wrap("(", "1", ")")),
        ),
        ("parameter expansion", wrap("echo ${x:-", "a", "}")),
        ("process substitution", wrap("cat <(", "a", ")")),
        ("test negation", format!("[[ {}a ]]", "! ".repeat(n))),
        (
            "test parentheses",
            format!("[[ {} ]]", wrap("( ", "a", " )")),
        ),
        ("test conjunction", format!("[[ a{} ]]", " && a".repeat(n))),
        ("heredoc in substitution", format!("echo {heredocs}")),
    ]
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    for (what, text) in nested_scripts(5000) {
        match parse_on_small_stack(text) {
            Err(e) if e.kind == ShellErrorKind::TooDeep => {
                assert!(e.message.contains("too deeply nested"), "{what}: {e}");
            }
            // Constructs brush cannot read that deep fail as syntax errors, still without
            // overflowing.
            Err(e) if matches!(what, "select" | "backticks in substitutions") => {
                assert_eq!(e.kind, ShellErrorKind::Syntax, "{what}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}

#[test]
fn shallow_nesting_of_every_construct_parses() {
    for (what, text) in nested_scripts(20) {
        let r = parse_on_small_stack(text);
        // brush reads neither `select` nor backquotes nested without escapes.
        if matches!(what, "select" | "backticks in substitutions") {
            continue;
        }
        if what == "case" {
            assert!(
                matches!(&r, Err(e) if e.message.contains("`case`")),
                "{r:?}"
            );
            continue;
        }
        assert!(r.is_ok(), "{what}: {r:?}");
    }
}

#[test]
fn nested_case_is_bounded() {
    // brush parses a `case` branch's commands twice when the first reading fails (as an item
    // ending in `;;`, then as a last item without one), so its time doubles with each `case`
    // nested in another when anything fails inside: 24 unclosed ones took over a minute.
    let ok = |n: usize, last: &str| {
        format!(
            "{}true{last} {}esac",
            "case x in x) ".repeat(n),
            format!("esac{last} ").repeat(n - 1)
        )
    };
    for last in [";;", ";"] {
        assert!(parse_str(&ok(6, last)).is_ok(), "{last:?}");
        let deeper = parse_str(&ok(7, last)).map(|_| ());
        assert!(
            matches!(&deeper, Err(e) if e.kind == ShellErrorKind::TooDeep),
            "{deeper:?}"
        );
    }
    for text in [
        "case x in a) ".repeat(30),
        format!("{}){}", "case x in a) ".repeat(30), " ;; esac".repeat(30)),
        format!("{}x{}", "case $(u) in x) ".repeat(30), " esac".repeat(30)),
    ] {
        let r = parse_str(&text).map(|_| ());
        assert!(
            matches!(&r, Err(e) if e.kind == ShellErrorKind::TooDeep),
            "{r:?}"
        );
    }
    // Cases one after the other are not nested.
    assert!(parse_str(&"case x in a) b;; esac; ".repeat(50)).is_ok());
}

#[test]
fn closers_match_their_own_opener() {
    // Words that look like closers, but are arguments or patterns, close nothing; real closers
    // of long flat scripts keep the count low.
    let flat = [
        "if a; then b; fi; ".repeat(500),
        "case x in a) b;; (c) d;; esac; ".repeat(500),
        "{ a; }; ( b ); [[ -n c ]]; for x in y; do z; done; ".repeat(500),
        "echo } fi done esac ]] \\) then; ".repeat(500),
        "while a; do b; done; until c; do d; done; ".repeat(500),
        "echo \"$(a)\" ${b} $((1)) `c`; ".repeat(500),
    ];
    for text in flat {
        let r = parse_on_small_stack(text.clone());
        assert!(r.is_ok(), "{}: {r:?}", &text[..40]);
    }
}

#[test]
fn long_flat_scripts_parse() {
    // Each was quadratic once, or could be: all must take seconds, not minutes.
    let n = 200_000;
    let s = parse_str(&format!("a{}", " | b".repeat(n))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.pipelines[0].stages.len(), n + 1);
    assert_eq!(s.pipes.len(), n);
    assert_eq!(
        s.pipes[n - 1],
        Span::new(4 * n as u32 - 2, 4 * n as u32 - 1)
    );
    for sep in [" && ", "; ", " || ", " \\\n  && "] {
        let text = format!("a{}", format!("{sep}b").repeat(n / 4));
        let s = parse_str(&text).unwrap_or_else(|e| panic!("{sep:?}: {e}"));
        assert_eq!(s.commands.len(), n / 4 + 1, "{sep:?}");
    }
}

#[test]
fn a_heredoc_left_open_reads_to_the_end() {
    // sh and bash accept it with a warning; BuildKit does not see a heredoc in `<< /x`.
    for text in [
        "<< /no-here",
        "cat <<EOF",
        "cat <<'EOF' && echo",
        "cat <<-EOF\n\tbody",
    ] {
        let r = parse_str(text);
        assert!(r.is_ok(), "{text:?}: {r:?}");
    }
    let s = p("cat <<EOF");
    assert_eq!(s.commands.len(), 1);
    assert_eq!(s.commands[0].redirects[0].operator, "<<");
}

#[test]
fn a_misplaced_reserved_word_is_reported_at_itself() {
    for (text, word, lacking) in [
        ("do not", "do", "a `for`, `while` or `until`"),
        ("a; then echo", "then", "an `if`"),
        ("fi", "fi", "an `if`"),
        ("echo ok; done", "done", "a `do`"),
        ("while a; then b; done", "then", "an `if`"),
        ("{ a; esac", "esac", "a `case`"),
        ("echo; }", "}", "a `{`"),
        ("if a; then b; done", "done", "a `do`"),
    ] {
        let e = parse_str(text)
            .err()
            .unwrap_or_else(|| panic!("{text:?} parsed"));
        let at = text.find(word).unwrap_or(0);
        assert_eq!(
            e.span,
            Span::new(at as u32, (at + word.len()) as u32),
            "{text:?}"
        );
        assert_eq!(
            e.message,
            format!("shell syntax error: `{word}` without {lacking}"),
            "{text:?}"
        );
    }
    // Arguments that look like reserved words are not misplaced.
    assert!(parse_str("echo do fi done; for x in do; do echo then; done").is_ok());
}

#[test]
fn unclosed_parentheses_are_refused_quickly() {
    // Found by fuzzing: brush backtracks over every unclosed `(`, doubling its time with each;
    // 20 unclosed `((x` took a minute. (Refused up front, so this returns at once.)
    for text in ["((x".repeat(20), "(".repeat(30), "a && ( ".repeat(25)] {
        let e = parse_str(&text).unwrap_err();
        assert_eq!(e.message, "unclosed `(`", "{text}");
    }
}

#[test]
fn empty_heredoc_delimiter_before_trailing_blanks_returns() {
    // Found by fuzzing: brush's tokenizer never returned (and grew without bound) on a
    // here-document whose delimiter is empty, or a lone CR, when blanks end the text.
    for text in [
        "<<\"\" ",
        "<<'' ",
        "<<\"\"\t",
        "<<\r\t",
        "<<\r ",
        "a <<-\"\" \t",
        "echo $(<<\"\" )",
    ] {
        let _ = parse_str(text);
        let mut mapped = crate::source::MappedText::default();
        mapped.push_str(text, 0);
        let _ = parse(&mapped);
    }
    // The blanks are dropped, an escaped last one is kept.
    assert_eq!(super::parse::without_trailing_blanks("a b \t "), "a b");
    assert_eq!(super::parse::without_trailing_blanks("a\\  "), "a\\ ");
    assert_eq!(super::parse::without_trailing_blanks("a\\\\ "), "a\\\\");
}

#[test]
fn here_documents_left_open_at_the_end_never_loop() {
    // Each of these made brush's tokenizer loop, allocating gigabytes (found by fuzzing): the
    // text ended while it waited for the line after a here-document whose delimiter it read as
    // empty. A final line break moves it on; each is now read as bash reads it, or refused with
    // an error, and returns.
    for text in [
        "<<\"\" #",
        "cat <<'' # c",
        "cat <<-\"\" #",
        "echo <<\"\" a #",
        "cat <<''\"\" # x\nbody\n\nnext",
        "npm install && cat <<\"\" # comment",
        "cat <<''",
        "cat <<\"\" /no-here",
        // A comment that ends in a backslash (the text ends in the comment), or a last line
        // whose break is escaped.
        "cat <<'' # c\\",
        "echo `cat <<'' # c\\\\\\\\\\\\`",
        "cat <<'' x \\\n",
        // A delimiter of carriage returns alone.
        "<<\r\t#",
        "cat << \r\t#",
        "cat <<-\r\r\t# x",
        "cat <<\r",
    ] {
        let script = parse_str(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(!script.commands.is_empty(), "{text:?}");
    }
    let npm = parse_str("npm install && cat <<\"\" # comment").unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = npm.commands.iter().filter_map(|c| c.name_str()).collect();
    assert_eq!(names, ["npm", "cat"]);
    // Shapes with no delimiter, or none brush can read: an error, at once.
    for text in [
        "cat <<\"\" |#",
        "<<\r;$(",
        "<<\r<#",
        "$(<< ))#",
        "$( (<<  ``)",
        "<<$( |#",
        "a <<\"$( |#\"",
    ] {
        let mut joined = MappedText::default();
        joined.push_str(text, 0);
        let e = parse(&joined).expect_err(text);
        assert_eq!(e.kind, ShellErrorKind::Syntax, "{text:?}");
    }
    // brush reads a delimiter-less `<<` closed by the substitution (bash refuses it): what
    // matters here is that it returns.
    assert!(parse_str("a $(<< ) #").is_ok());
}

#[test]
fn array_indexes_with_many_brackets_are_read_in_linear_time() {
    // brush decides whether `name[index]=...` is an assignment with a grammar that takes
    // exponential time on some indexes; those words are decided by `array_index.rs`, and the
    // model still reads their text from the script.
    let text = "a[$(( (1+2)*(3) ))]=x b[$(f \"$(g)\" ${h[1]})]+=y cmd c[$((((1))))]";
    let s = p(text);
    assert_eq!(names(&s), ["cmd", "f", "g"]);
    let c = &s.commands[0];
    assert_eq!(
        texts(&c.assignments),
        ["a[$(( (1+2)*(3) ))]=x", "b[$(f \"$(g)\" ${h[1]})]+=y"]
    );
    assert_eq!(texts(&c.args), ["c[$((((1))))]"]);
    // The shapes fuzzing found: each bracket used to double the time or worse.
    for n in [20, 200, 2000] {
        let parens = format!("E[$(e${{{}}})", "(a&".repeat(n));
        assert!(parse_str(&parens).is_ok(), "{n} parens");
        let mut nested = String::from("${c\"\"}");
        for _ in 0..n.min(60) / 2 {
            nested = format!("${{E[{nested}''}}");
        }
        // brush rejects it (a stray `)`), or it nests past the limit: either way an error.
        let brackets = format!("echo I[$({nested}'')<'')");
        assert!(parse_str(&brackets).is_err(), "{n} brackets");
    }
}

#[test]
fn each_substitution_is_read_once() {
    // A here-document whose body crosses the end of the substitution it starts in (found by
    // fuzzing, reduced): the substitutions of its body were reached from their own frame and
    // again from every enclosing one, so they were read (and their commands listed) once per
    // level, and a few hundred bytes took a second.
    let input = include_bytes!(
        "../../tests/fuzz-regressions/shell_model/slow-reread-substitutions-reduced"
    );
    let text = String::from_utf8_lossy(input);
    // The RUN's lines joined by continuations, as a Dockerfile gives them.
    let mut src = MappedText::default();
    let mut file_len = 0u32;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        src.push_str(body, file_len);
        file_len += body.len() as u32 + if line.ends_with('\n') { 2 } else { 0 };
    }
    let script = parse(&src).unwrap_or_else(|e| panic!("{e}"));
    let mut spans: Vec<Span> = script.commands.iter().map(|c| c.span).collect();
    let all = spans.len();
    spans.sort();
    spans.dedup();
    assert_eq!(spans.len(), all, "a command listed twice");
    assert!(all > 5, "{all} commands");
}
