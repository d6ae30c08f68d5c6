//! Tests of the compose parser: tree, spans, merges, errors, typed view, corpus.

use super::*;
use std::path::Path;
use std::time::Instant;

/// The value node of a path of keys from the first document's root.
fn at<'t>(file: &'t ComposeFile, path: &[&str]) -> NodeRef<'t> {
    let mut n = file.tree.roots().next().expect("a root");
    for k in path {
        n = n.get(k).unwrap_or_else(|| panic!("no key {k}"));
    }
    n
}

fn svc(f: &ComposeFile, i: usize) -> Service<'_> {
    f.services().nth(i).expect("a service")
}

fn keys<'t>(n: NodeRef<'t>) -> Vec<&'t str> {
    n.entries().filter_map(|e| e.key_str()).collect()
}

fn messages(file: &ComposeFile) -> Vec<&str> {
    file.errors.iter().map(|e| e.message.as_str()).collect()
}

// ----- spans --------------------------------------------------------------------------------

#[test]
fn key_and_value_spans() {
    let src = "services:\n  web:\n    image: \"nginx:1.25\"  # pinned\n    command: echo hi\n    ports: ['80:80', 443]\n    labels: {a: b}\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let web = at(&f, &["services", "web"]);
    let image = web.entry("image").unwrap();
    assert_eq!(image.key.span().text(src), "image");
    assert_eq!(image.value.span().text(src), "\"nginx:1.25\"");
    assert_eq!(image.value.as_str(), Some("nginx:1.25"));
    assert_eq!(image.span().text(src), "image: \"nginx:1.25\"");
    assert_eq!(web.get("command").unwrap().span().text(src), "echo hi");
    let ports = web.get("ports").unwrap();
    assert_eq!(ports.span().text(src), "['80:80', 443]");
    let items: Vec<_> = ports.items().map(|i| i.span().text(src)).collect();
    assert_eq!(items, ["'80:80'", "443"]);
    assert_eq!(web.get("labels").unwrap().span().text(src), "{a: b}");
    let f2 = parse("a: { c: s, }  # x\nb: [x, ]\n");
    let src2 = "a: { c: s, }  # x\nb: [x, ]\n";
    assert_eq!(at(&f2, &["a"]).span().text(src2), "{ c: s, }");
    assert_eq!(at(&f2, &["b"]).span().text(src2), "[x, ]");
    assert_eq!(
        web.span().text(src),
        "image: \"nginx:1.25\"  # pinned\n    command: echo hi\n    ports: ['80:80', 443]\n    labels: {a: b}"
    );
    let svc = svc(&f, 0);
    assert_eq!(svc.name, "web");
    assert_eq!(svc.name_span().text(src), "web");
    assert_eq!(svc.image().unwrap().span.text(src), "\"nginx:1.25\"");
}

#[test]
fn block_scalar_spans() {
    let src =
        "a: |\n  line 1\n  line 2\n\nb: >-  # folded\n  f\nc: &x |+\n  kept\n\nd: !t |\n  tagged\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let root = f.tree.roots().next().unwrap();
    let text = |k: &str| root.get(k).unwrap().span().text(src);
    assert_eq!(text("a"), "|\n  line 1\n  line 2");
    assert_eq!(text("b"), ">-  # folded\n  f");
    assert_eq!(text("c"), "|+\n  kept");
    assert_eq!(text("d"), "|\n  tagged");
    assert_eq!(root.get("a").unwrap().as_str(), Some("line 1\nline 2\n"));
    assert_eq!(root.get("c").unwrap().node().anchor.as_deref(), Some("x"));
    assert_eq!(root.get("d").unwrap().tag(), Some("!t"));
}

#[test]
fn sequence_and_nested_spans() {
    let src = "x:\n  - a\n  - b: 1\n    c: 2\n  - - nested\ny:\n- indentless\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let x = at(&f, &["x"]);
    assert_eq!(x.span().text(src), "- a\n  - b: 1\n    c: 2\n  - - nested");
    let items: Vec<_> = x.items().map(|i| i.span().text(src)).collect();
    assert_eq!(items, ["a", "b: 1\n    c: 2", "- nested"]);
    assert_eq!(at(&f, &["y"]).span().text(src), "- indentless");
    // An indentless sequence whose first item is empty.
    let src = "ports:\n- # \"80:80\"\n- \"81:81\"\nz: 1\n";
    let f = parse(src);
    assert_eq!(
        at(&f, &["ports"]).span().text(src),
        "- # \"80:80\"\n- \"81:81\""
    );
    // A block sequence whose first item is a flow sequence.
    let src = "h:\n  test:\n  -   [\n        \"CMD\",\n      ]\n  interval: 5s\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let test = at(&f, &["h", "test"]);
    assert_eq!(test.span().text(src), "-   [\n        \"CMD\",\n      ]");
    assert_eq!(
        test.items().next().unwrap().span().text(src),
        "[\n        \"CMD\",\n      ]"
    );
}

#[test]
fn null_values() {
    let src = "a:\nb: ~\nc: null\nd: \"\"\ne: {f, g: }\n";
    let f = parse(src);
    let root = f.tree.roots().next().unwrap();
    for k in ["a", "b", "c"] {
        assert!(root.get(k).unwrap().is_null(), "{k}");
        assert_eq!(root.get(k).unwrap().as_str(), None);
    }
    assert_eq!(root.get("d").unwrap().as_str(), Some(""));
    let e = root.get("e").unwrap();
    assert!(e.get("f").unwrap().is_null());
    assert!(e.get("g").unwrap().is_null());
    assert!(e.get("f").unwrap().span().is_empty());
}

#[test]
fn non_ascii_spans() {
    let src = "x-ünïcode: \"日本語\"\nservices:\n  café:\n    image: ñ/é:1 # ☕\n    environment:\n      - GRÜSS=grüß\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let root = f.tree.roots().next().unwrap();
    let e = root.entry("x-ünïcode").unwrap();
    assert_eq!(e.key.span().text(src), "x-ünïcode");
    assert_eq!(e.value.span().text(src), "\"日本語\"");
    let s = svc(&f, 0);
    assert_eq!(s.name_span().text(src), "café");
    assert_eq!(s.image().unwrap().span.text(src), "ñ/é:1");
    let env = s.environment()[0];
    assert_eq!(env.key, "GRÜSS");
    assert_eq!(env.key_span.text(src), "GRÜSS");
    assert_eq!(env.value.as_ref().unwrap().span.text(src), "grüß");
}

#[test]
fn crlf_spans() {
    let src = "services:\r\n  web:\r\n    image: nginx\r\n    command: |\r\n      a\r\n      b\r\n    user: \"1000\"\r\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let s = svc(&f, 0);
    assert_eq!(s.image().unwrap().span.text(src), "nginx");
    assert_eq!(s.str("user").unwrap().span.text(src), "\"1000\"");
    assert_eq!(
        s.command().unwrap().span.text(src),
        "|\r\n      a\r\n      b"
    );
    assert_eq!(s.command().unwrap().args[0].value, "a\nb\n");
}

#[test]
fn bom_is_skipped() {
    let src = "\u{feff}services:\n  web:\n    image: a\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(svc(&f, 0).name_span().text(src), "web");
}

// ----- anchors, aliases, merges ------------------------------------------------------------

#[test]
fn aliases_are_references() {
    let src = "x-img: &img nginx:1\nservices:\n  a:\n    image: *img\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let image = at(&f, &["services", "a", "image"]);
    assert!(image.is_alias());
    assert_eq!(image.span().text(src), "*img");
    assert_eq!(image.resolve().span().text(src), "nginx:1");
    assert_eq!(image.as_str(), Some("nginx:1"));
    // The typed view points at the anchored text.
    assert_eq!(svc(&f, 0).image().unwrap().span.text(src), "nginx:1");
}

#[test]
fn reset_and_override_tags() {
    let src = "services:\n  web:\n    ports: !reset []\n    environment: !override\n      A: 1\n    command: !reset null\n    user: !!str 0\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let web = at(&f, &["services", "web"]);
    let ports = web.get("ports").unwrap();
    assert_eq!(ports.tag(), Some("!reset"));
    assert_eq!(ports.span().text(src), "[]");
    let env = web.get("environment").unwrap();
    assert_eq!(env.tag(), Some("!override"));
    assert_eq!(env.span().text(src), "A: 1");
    assert_eq!(web.get("command").unwrap().tag(), Some("!reset"));
    assert_eq!(web.get("command").unwrap().span().text(src), "null");
    assert_eq!(web.get("user").unwrap().tag(), Some("!!str"));
    assert_eq!(svc(&f, 0).environment()[0].key, "A");
}

#[test]
fn merge_key_single() {
    let src = "\
x-base: &base
  image: base
  restart: always
  user: root
services:
  web:
    <<: *base
    image: mine
";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let web = at(&f, &["services", "web"]);
    assert_eq!(keys(web), ["image", "restart", "user"]);
    assert_eq!(web.get("image").unwrap().as_str(), Some("mine"));
    assert_eq!(web.get("restart").unwrap().as_str(), Some("always"));
    let s = svc(&f, 0);
    assert_eq!(s.image().unwrap().span.text(src), "mine");
    assert_eq!(s.str("restart").unwrap().value, "always");
    assert_eq!(s.str("user").unwrap().span.text(src), "root");
    // The raw view still shows the merge key.
    let raw: Vec<_> = web.raw_entries().filter_map(|e| e.key_str()).collect();
    assert_eq!(raw, ["<<", "image"]);
}

#[test]
fn merge_key_list_earlier_source_wins() {
    let src = "\
a: &a {x: a1, y: a2}
b: &b {y: b2, z: b3, <<: *c0}
c0: &c0 {w: c}
m:
  z: explicit
  <<: [*a, *b]
";
    // `*c0` is used before it is defined: an unknown anchor, reported, and ignored.
    let f = parse(src);
    assert_eq!(messages(&f), ["unknown anchor \"c0\""]);
    let src = "\
c0: &c0 {w: c, x: c}
a: &a {x: a1, y: a2}
b: &b {y: b2, z: b3, <<: *c0}
m:
  z: explicit
  <<: [*a, *b]
";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let m = at(&f, &["m"]);
    let got: Vec<_> = m
        .entries()
        .map(|e| (e.key_str().unwrap(), e.value.as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [("z", "explicit"), ("x", "a1"), ("y", "a2"), ("w", "c")]
    );
    assert_eq!(m.get("y").unwrap().span().text(src), "a2");
    assert_eq!(m.get("w").unwrap().as_str(), Some("c"));
    assert!(m.get("nope").is_none());
}

#[test]
fn merge_cycles_and_bad_merges() {
    // A mapping merging itself through its own anchor.
    let src = "a: &a\n  x: 1\n  <<: *a\n";
    let f = parse(src);
    assert_eq!(
        messages(&f),
        ["alias \"a\" refers to a node that contains it"]
    );
    assert_eq!(keys(at(&f, &["a"])), ["x"]);
    let f = parse("s: &s str\nm:\n  <<: *s\n");
    assert_eq!(
        messages(&f),
        ["a merge key needs a mapping or a list of mappings"]
    );
    // Two mappings merging each other cannot be written (anchors come first), but a source
    // reached twice is read once.
    let f = parse("a: &a {x: 1}\nb: &b {<<: [*a, *a]}\nc: {<<: [*b, *a, *b]}\n");
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(keys(at(&f, &["c"])), ["x"]);
}

#[test]
fn alias_bomb_is_cheap() {
    let mut src = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='z' {
        src.push_str(&format!(
            "{c}: &{c} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
        prev = c;
    }
    // The same with merge keys: each level merges the previous one nine times.
    src.push_str("m0: &m0 {k: v}\n");
    for i in 1..30 {
        src.push_str(&format!(
            "m{i}: &m{i} {{<<: [{}], k{i}: v}}\n",
            vec![format!("*m{}", i - 1); 9].join(",")
        ));
    }
    src.push_str(
        "services:\n  web:\n    <<: *m29\n    environment: *z\n    volumes: *z\n    ports: *z\n",
    );
    let f = parse(&src);
    let web = at(&f, &["services", "web"]);
    assert_eq!(keys(web).len(), 1 + 29 + 3);
    for root in f.tree.roots() {
        for e in root.entries() {
            let _ = e.value.entries().count();
            let _ = e.value.items().count();
        }
    }
    assert!(f.errors.is_empty(), "{:?}", f.errors);
}

// ----- errors ------------------------------------------------------------------------------

#[test]
fn duplicate_keys() {
    let src = "services:\n  web:\n    image: a\n    ports: []\n    image: b\n";
    let f = parse(src);
    assert_eq!(f.errors.len(), 1);
    let e = &f.errors[0];
    assert_eq!(e.message, "duplicate key \"image\"");
    assert_eq!(e.span.text(src), "image");
    assert_eq!(e.span.start, src.rfind("image").unwrap() as u32);
    let (rel, msg) = e.related.as_ref().unwrap();
    assert_eq!(rel.start, src.find("image").unwrap() as u32);
    assert_eq!(rel.text(src), "image");
    assert_eq!(msg, "first defined here");
    // The first one wins in lookups and iteration.
    assert_eq!(svc(&f, 0).image().unwrap().value, "a");
    assert_eq!(keys(at(&f, &["services", "web"])), ["image", "ports"]);
    // Quoted and plain spellings are the same key.
    let f = parse("a: 1\n\"a\": 2\n");
    assert_eq!(messages(&f), ["duplicate key \"a\""]);
    // Same key in different mappings is fine.
    assert!(parse("a: {x: 1}\nb: {x: 1}\n").errors.is_empty());
}

#[test]
fn syntax_error_positions() {
    let cases: &[(&str, &str)] = &[
        ("services:\n  web:\n    image: \"unterminated\n", "\""),
        ("a: b: c\n", ":"),
        ("a:\n  - b\n  c: 1\n", "c"),
        ("a: [1, 2\n", ""),
        ("a: @x\n", "@"),
    ];
    for (src, text) in cases {
        let f = parse(src);
        assert_eq!(f.errors.len(), 1, "{src:?}: {:?}", f.errors);
        let e = &f.errors[0];
        assert!(e.message.starts_with("invalid yaml: "), "{}", e.message);
        assert_eq!(e.span.text(src), *text, "{src:?}: {:?}", e);
    }
    // Position of a well-known error: the unterminated quote at its opening.
    let src = "services:\n  web:\n    image: \"unterminated\n";
    let f = parse(src);
    assert_eq!(f.errors[0].span.start as usize, src.find('"').unwrap());
}

#[test]
fn tree_is_kept_after_an_error() {
    let src = "services:\n  web:\n    image: nginx\n  db:\n    image: [unclosed\n";
    let f = parse(src);
    assert_eq!(f.errors.len(), 1);
    assert!(!f.tree.documents[0].complete);
    assert_eq!(f.services().count(), 2);
    assert_eq!(svc(&f, 0).image().unwrap().value, "nginx");
}

#[test]
fn top_level_must_be_a_mapping() {
    let f = parse("- a\n- b\n");
    assert_eq!(
        messages(&f),
        ["the top level of a compose file must be a mapping"]
    );
    assert_eq!(f.errors[0].span.text("- a\n- b\n"), "- a\n- b");
    assert!(parse("just a string\n").errors.len() == 1);
    // Empty files and comment-only files are fine.
    for src in ["", "\n", "# nothing\n", "---\n", "~\n"] {
        assert!(parse(src).errors.is_empty(), "{src:?}");
    }
}

#[test]
fn multi_document() {
    let src =
        "services:\n  a:\n    image: x\n---\nservices:\n  b:\n    image: y\n...\n---\n# empty\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(f.tree.documents.len(), 3);
    let names: Vec<_> = f.services().map(|s| s.name).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(svc(&f, 1).image().unwrap().span.text(src), "y");
    assert_eq!(
        f.tree.documents[1].span.text(src),
        "---\nservices:\n  b:\n    image: y\n..."
    );
    // Anchors do not cross documents.
    let f = parse("a: &x 1\n---\nb: *x\n");
    assert!(!f.errors.is_empty());
}

#[test]
fn go_yaml_leniencies() {
    // A closing bracket less indented than its key, as in real files.
    let src = "services:\n  kafka:\n    command: [\n      \"sh\", \"-c\",\n      \"run\"\n    ]\n    ports:\n      - \"9092:9092\"\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let cmd = svc(&f, 0).command().unwrap();
    assert_eq!(cmd.args.len(), 3);
    assert_eq!(cmd.args[2].span.text(src), "\"run\"");
    assert_eq!(
        cmd.span.text(src),
        "[\n      \"sh\", \"-c\",\n      \"run\"\n    ]"
    );
    assert_eq!(svc(&f, 0).ports()[0].span().text(src), "\"9092:9092\"");
    // The same inside a mapping nested deeper, and a flow mapping; non-ASCII before it.
    let src = "é: 1\na:\n  b: [\n \"x\",\n  ]\n  c: {\n d: 1\n  }\n  e: 2\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let a = at(&f, &["a"]);
    assert_eq!(a.get("b").unwrap().span().text(src), "[\n \"x\",\n  ]");
    assert_eq!(a.get("c").unwrap().get("d").unwrap().span().text(src), "1");
    assert_eq!(a.get("e").unwrap().span().text(src), "2");
    // A plain scalar in brackets, indented like its key.
    let src = "a:\n  b: [x,\n  y]\n  c: 1\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(at(&f, &["a", "b"]).span().text(src), "[x,\n  y]");
    assert_eq!(at(&f, &["a", "c"]).span().text(src), "1");
    // Real indentation errors outside brackets stay errors.
    for src in ["a:\n  b: [x]\n c: 1\n", "a:\n  b: [x,\n  y]\n c: 1\n"] {
        assert_eq!(parse(src).errors.len(), 1, "{src:?}");
    }
    // Many of them need one retry, not one per line.
    let mut src = String::from("services:\n");
    for i in 0..500 {
        src.push_str(&format!(
            "  s{i}:\n    image: a\n    command: [\n      \"x\"\n    ]\n"
        ));
    }
    let f = parse(&src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(f.services().count(), 500);
    assert!(f.services().all(|s| s.command().unwrap().args.len() == 1));
    // A line that looks the same inside a block scalar keeps its value.
    let src = "a:\n  b: [\n    \"x\",\n  ]\nz: |\n  ]\n  more\nq: \"one\n  ] two\"\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let root = f.tree.roots().next().unwrap();
    assert_eq!(root.get("z").unwrap().as_str(), Some("]\nmore\n"));
    assert_eq!(root.get("z").unwrap().span().text(src), "|\n  ]\n  more");
    assert_eq!(root.get("q").unwrap().as_str(), Some("one ] two"));
    // A tab after `key:`.
    let src = "services:\n  web:\n    image:\tnginx\n";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(svc(&f, 0).image().unwrap().span.text(src), "nginx");
}

#[test]
fn no_panic_on_truncations_and_mutations() {
    let src = "\
x-common: &common
  restart: unless-stopped
  environment: &env
    - A=1
services:
  web:
    <<: *common
    image: \"nginx:1.25\"
    ports: [\"80:80\", {target: 443, published: 8443}]
    command: |
      echo é
    depends_on: {db: {condition: service_healthy}}
  db: {image: postgres, environment: *env}
---
volumes: {data: }
";
    let mut n = 0;
    for (i, _) in src.char_indices() {
        let _ = parse(&src[..i]);
        let _ = parse(&src[i..]);
        n += 2;
    }
    // Byte mutations with a small deterministic generator.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet = b"{}[],:-?&*!|>'\"#%@` \t\n\rab1$";
    for _ in 0..3000 {
        let mut bytes = src.as_bytes().to_vec();
        for _ in 0..3 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let pos = (seed % bytes.len() as u64) as usize;
            let c = alphabet[((seed >> 32) % alphabet.len() as u64) as usize];
            bytes[pos] = c;
        }
        let text = String::from_utf8_lossy(&bytes);
        let f = parse(&text);
        for e in &f.errors {
            assert!(e.span.end as usize <= text.len());
            assert!(text.is_char_boundary(e.span.start as usize));
        }
        n += 1;
    }
    assert!(n > 100);
}

// ----- typed view --------------------------------------------------------------------------

#[test]
fn depends_on_short_and_long() {
    let src = "\
services:
  a:
    depends_on: [db, \"cache\"]
  b:
    depends_on:
      db:
        condition: service_healthy
        restart: true
      cache:
";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let a = svc(&f, 0).depends_on();
    assert_eq!(a.len(), 2);
    assert!(!a[0].long_form);
    assert_eq!(a[1].name, "cache");
    assert_eq!(a[1].span.text(src), "\"cache\"");
    let b = svc(&f, 1).depends_on();
    assert_eq!(b.len(), 2);
    assert!(b[0].long_form);
    assert_eq!(b[0].span.text(src), "db");
    assert_eq!(
        b[0].condition.as_ref().unwrap().span.text(src),
        "service_healthy"
    );
    assert_eq!(b[0].restart.as_ref().unwrap().as_bool(), Some(true));
    assert_eq!(b[1].name, "cache");
    assert!(b[1].condition.is_none());
}

#[test]
fn environment_list_and_map() {
    let src = "\
services:
  a:
    environment:
      - PLAIN=1
      - \"QUOTED=two words\"
      - FROM_SHELL
      - EMPTY=
      - EQ=a=b
  b:
    environment:
      NUM: 8080
      NULL:
      STR: \"x\"
";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let a = svc(&f, 0).environment();
    let got: Vec<_> = a
        .iter()
        .map(|e| (e.key, e.value.as_ref().map(|v| v.value)))
        .collect();
    assert_eq!(
        got,
        [
            ("PLAIN", Some("1")),
            ("QUOTED", Some("two words")),
            ("FROM_SHELL", None),
            ("EMPTY", Some("")),
            ("EQ", Some("a=b"))
        ]
    );
    assert_eq!(a[0].key_span.text(src), "PLAIN");
    assert_eq!(a[0].value.as_ref().unwrap().span.text(src), "1");
    assert_eq!(a[0].span.text(src), "PLAIN=1");
    assert_eq!(a[1].key_span.text(src), "QUOTED");
    assert_eq!(a[1].value.as_ref().unwrap().span.text(src), "two words");
    assert_eq!(a[4].value.as_ref().unwrap().span.text(src), "a=b");
    assert!(a.iter().all(|e| e.list_form));
    let b = svc(&f, 1).environment();
    assert_eq!(b.len(), 3);
    assert_eq!(b[0].value.as_ref().unwrap().value, "8080");
    assert_eq!(b[0].span.text(src), "NUM: 8080");
    assert!(b[1].value.is_none());
    assert_eq!(b[2].value.as_ref().unwrap().span.text(src), "\"x\"");
    assert!(!b[0].list_form);
}

#[test]
fn ports_short_and_long() {
    let src = "\
services:
  a:
    ports:
      - 80
      - \"8080:80\"
      - 127.0.0.1:5432:5432/tcp
      - \"[::1]:53:53/udp\"
      - 9000-9001:9000-9001
      - target: 443
        published: \"8443\"
        protocol: tcp
        mode: host
";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let p = svc(&f, 0).ports();
    assert_eq!(p.len(), 6);
    let t = |s: &Option<Str>| s.as_ref().map(|s| s.span.text(src).to_string());
    assert_eq!(t(&p[0].target).as_deref(), Some("80"));
    assert!(p[0].published.is_none());
    assert_eq!(t(&p[1].published).as_deref(), Some("8080"));
    assert_eq!(t(&p[1].target).as_deref(), Some("80"));
    assert_eq!(t(&p[2].host_ip).as_deref(), Some("127.0.0.1"));
    assert_eq!(t(&p[2].published).as_deref(), Some("5432"));
    assert_eq!(p[2].protocol.as_ref().unwrap().value, "tcp");
    assert_eq!(t(&p[2].protocol).as_deref(), Some("tcp"));
    assert_eq!(p[3].host_ip.as_ref().unwrap().value, "::1");
    assert_eq!(t(&p[3].host_ip).as_deref(), Some("::1"));
    assert_eq!(t(&p[3].protocol).as_deref(), Some("udp"));
    assert_eq!(t(&p[4].published).as_deref(), Some("9000-9001"));
    assert!(p[5].long_form);
    assert_eq!(t(&p[5].target).as_deref(), Some("443"));
    assert_eq!(t(&p[5].published).as_deref(), Some("\"8443\""));
    assert_eq!(p[5].mode.as_ref().unwrap().value, "host");
    assert_eq!(
        p[5].span().text(src),
        "target: 443\n        published: \"8443\"\n        protocol: tcp\n        mode: host"
    );
}

#[test]
fn volumes_short_and_long() {
    let src = "\
services:
  a:
    volumes:
      - data:/var/lib/data
      - ./conf:/etc/conf:ro
      - /anonymous
      - C:\\\\dir:/w:rw,z
      - ${HOST_DIR}:/h
      - type: bind
        source: /src
        target: /dst
        read_only: true
      - type: tmpfs
        target: /tmp
";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let v = svc(&f, 0).volumes();
    assert_eq!(v.len(), 7);
    let t = |s: &Option<Str>| s.as_ref().map(|s| s.span.text(src).to_string());
    assert_eq!(v[0].kind, VolumeKind::Volume);
    assert_eq!(t(&v[0].source).as_deref(), Some("data"));
    assert_eq!(t(&v[0].target).as_deref(), Some("/var/lib/data"));
    assert_eq!(v[1].kind, VolumeKind::Bind);
    assert!(v[1].read_only);
    assert_eq!(t(&v[1].mode).as_deref(), Some("ro"));
    assert!(v[2].source.is_none());
    assert_eq!(t(&v[2].target).as_deref(), Some("/anonymous"));
    assert_eq!(v[3].source.as_ref().unwrap().value, "C:\\\\dir");
    assert_eq!(v[3].kind, VolumeKind::Bind);
    assert!(!v[3].read_only);
    assert_eq!(v[4].kind, VolumeKind::Bind);
    assert!(v[5].long_form);
    assert_eq!(v[5].kind, VolumeKind::Bind);
    assert!(v[5].read_only);
    assert_eq!(t(&v[5].source).as_deref(), Some("/src"));
    assert_eq!(v[6].kind, VolumeKind::Tmpfs);
}

#[test]
fn build_healthcheck_deploy_and_top_level() {
    let src = "\
version: '3.8'
name: proj
services:
  app:
    build:
      context: .
      dockerfile: Dockerfile.dev
      target: dev
      args:
        - VERSION=1
    healthcheck:
      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]
      interval: 30s
    deploy:
      resources:
        limits: {cpus: '0.5', memory: 512M}
    networks: [front]
    privileged: true
    secrets: [token, {source: cert, target: /c}]
  short:
    build: ./short
    networks:
      back:
        aliases: [b]
volumes:
  data:
networks: {front: {}, back: }
secrets:
  token: {file: ./t}
";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let v = f.version_entries().next().unwrap();
    assert_eq!(v.key.span().text(src), "version");
    assert_eq!(v.span().text(src), "version: '3.8'");
    assert_eq!(v.value.as_str(), Some("3.8"));
    assert_eq!(f.name().unwrap().value, "proj");
    let app = f.service("app").unwrap();
    let b = app.build().unwrap();
    assert!(!b.short_form);
    assert_eq!(b.context.unwrap().span.text(src), ".");
    assert_eq!(b.str("dockerfile").unwrap().value, "Dockerfile.dev");
    assert_eq!(b.str("target").unwrap().value, "dev");
    assert_eq!(b.args()[0].key, "VERSION");
    let h = app.healthcheck().unwrap();
    let test = h.test().unwrap();
    assert!(test.exec);
    assert_eq!(test.args[0].value, "CMD");
    assert_eq!(h.str("interval").unwrap().span.text(src), "30s");
    let d = app.deploy().unwrap();
    let lim = d.limits().unwrap();
    assert_eq!(lim.str("cpus").unwrap().span.text(src), "'0.5'");
    assert_eq!(lim.str("memory").unwrap().value, "512M");
    assert_eq!(app.networks()[0].name, "front");
    assert_eq!(app.str("privileged").unwrap().as_bool(), Some(true));
    let secrets: Vec<_> = app.secrets().iter().map(|s| s.value).collect();
    assert_eq!(secrets, ["token", "cert"]);
    let short = f.service("short").unwrap();
    let b = short.build().unwrap();
    assert!(b.short_form);
    assert_eq!(b.context.unwrap().span.text(src), "./short");
    assert!(b.str("target").is_none());
    assert!(short.networks()[0].long_form);
    assert_eq!(short.networks()[0].span.text(src), "back");
    let volumes: Vec<_> = f.resources("volumes").collect();
    assert_eq!(volumes[0].name, "data");
    assert_eq!(volumes[0].span.text(src), "data");
    let nets: Vec<_> = f.resources("networks").map(|n| n.name).collect();
    assert_eq!(nets, ["front", "back"]);
    assert_eq!(f.resources("secrets").count(), 1);
    // Generic access reaches what the view does not model.
    let aliases = short.node.get("networks").unwrap().get("back").unwrap();
    assert_eq!(get(aliases, "aliases").unwrap().span().text(src), "[b]");
}

// ----- conformance and corpus --------------------------------------------------------------

#[test]
fn corpus_parses_without_false_errors() {
    let (Some(dir), Some(files)) = (
        crate::shared_data::shared_path("corpus/compose"),
        crate::shared_data::shared_files("corpus/compose"),
    ) else {
        return;
    };
    let mut with_errors = Vec::new();
    let mut checked = 0usize;
    let start = Instant::now();
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let f = parse(&text);
        checked += check_span_invariants(&text, &f.tree, f.errors.is_empty());
        if let Some(e) = f.errors.first() {
            let rel = p.strip_prefix(&dir).unwrap_or(p).display().to_string();
            let template = text.contains("{{") || text.contains("{%");
            with_errors.push((
                format!("{rel}: {} ({} errors)", e.message, f.errors.len()),
                template,
            ));
        }
    }
    println!(
        "{} files in {:?}, {checked} nodes checked",
        files.len(),
        start.elapsed()
    );
    for (e, _) in &with_errors {
        println!("  {e}");
    }
    // Files Docker accepts must not get a DC000. What is left must be templates (cookiecutter
    // `{% ... %}`, Go `{{ ... }}`), which are not YAML until rendered.
    let unexpected: Vec<_> = with_errors.iter().filter(|(_, t)| !t).collect();
    assert!(unexpected.is_empty(), "unexpected errors: {unexpected:#?}");
}

/// Checks that node spans cover what they should; returns how many nodes were checked.
/// `strict`: the file parsed without errors, so every collection was closed by its bracket.
fn check_span_invariants(src: &str, tree: &Tree, strict: bool) -> usize {
    let mut n = 0;
    for (i, node) in tree.nodes().iter().enumerate() {
        let text = node.span.text(src);
        assert!(node.span.end as usize <= src.len());
        assert!(src.is_char_boundary(node.span.start as usize));
        assert!(src.is_char_boundary(node.span.end as usize));
        let ctx = || format!("node {i} {:?} {text:?}", node.span);
        match &node.kind {
            NodeKind::Scalar { value, style } => match style {
                ScalarStyle::Plain if !text.contains(['\n', '\r']) => {
                    assert_eq!(text, value, "{}", ctx())
                }
                ScalarStyle::SingleQuoted => {
                    assert!(text.starts_with('\'') && text.ends_with('\''), "{}", ctx())
                }
                ScalarStyle::DoubleQuoted => {
                    assert!(text.starts_with('"') && text.ends_with('"'), "{}", ctx())
                }
                ScalarStyle::Literal => assert!(text.starts_with('|'), "{}", ctx()),
                ScalarStyle::Folded => assert!(text.starts_with('>'), "{}", ctx()),
                _ => {}
            },
            NodeKind::Alias { name, .. } => assert_eq!(text, format!("*{name}"), "{}", ctx()),
            NodeKind::Mapping(entries) => {
                if let Some(first) = entries.first() {
                    let k = tree.node(first.key).span();
                    if node.flow {
                        assert!(text.starts_with('{'), "{}", ctx());
                        assert!(!strict || text.ends_with('}'), "{}", ctx());
                    } else {
                        // At the first key, at the `?` of an explicit one, or at the key's
                        // anchor or tag.
                        let between = src.get(node.span.start as usize..k.start as usize);
                        assert!(
                            between.is_some_and(|t| t.is_empty() || t.starts_with(['?', '&', '!'])),
                            "{}",
                            ctx()
                        );
                    }
                }
                for e in entries {
                    let v = tree.node(e.value).span();
                    assert!(
                        v.end <= node.span.end || tree.node(e.value).is_alias(),
                        "{}",
                        ctx()
                    );
                }
            }
            NodeKind::Sequence(_) if node.flow => {
                assert!(text.starts_with('['), "{}", ctx());
                assert!(!strict || text.ends_with(']'), "{}", ctx());
            }
            NodeKind::Sequence(_) if !text.is_empty() => {
                assert!(text.starts_with('-'), "{}", ctx());
            }
            NodeKind::Sequence(_) => {}
        }
        n += 1;
    }
    n
}

/// Mutates every corpus file many times (inserting and replacing YAML punctuation) and checks
/// that parsing never panics and spans stay sound. Slow: run it on demand with
/// `cargo test --release --lib compose::tests::corpus_mutations -- --ignored`.
#[test]
#[ignore]
fn corpus_mutations() {
    let Some(files) = crate::shared_data::shared_files("corpus/compose") else {
        return;
    };
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| !t.is_empty())
        .collect();
    let pieces = [
        "{", "}", "[", "]", ",", ":", "- ", "?", "&a", "*a", "!x", "|", ">", "'", "\"", "#", "\n",
        "\r\n", "\r", "\t", " ", "  ", "é", "<<: *a\n", "\n  ]", "\n ]\n", "${", "\u{feff}", "%",
        "---\n", "...\n",
    ];
    let mut seed: u64 = 0xfeed_beef_1357_9bdf;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut count = 0;
    for round in 0..400 {
        for text in &texts {
            let mut t = text.clone();
            for _ in 0..(1 + round % 12) {
                let r = next();
                let mut pos = (r % t.len().max(1) as u64) as usize;
                while !t.is_char_boundary(pos) {
                    pos -= 1;
                }
                let piece = pieces[((r >> 40) % pieces.len() as u64) as usize];
                if r & 1 == 0 {
                    let mut end = (pos + 1 + ((r >> 20) % 4) as usize).min(t.len());
                    while !t.is_char_boundary(end) {
                        end += 1;
                    }
                    t.replace_range(pos..end, piece);
                } else {
                    t.insert_str(pos, piece);
                }
            }
            let f = parse(&t);
            let checked = std::panic::catch_unwind(|| {
                check_span_invariants(&t, &f.tree, f.errors.is_empty())
            });
            assert!(checked.is_ok(), "span invariants broken for {t:?}");
            count += 1;
        }
    }
    println!("{count} mutated files");
}

// ----- short syntaxes with interpolation -----------------------------------------------------

#[test]
fn short_syntaxes_split_outside_interpolations() {
    let src = "\
services:
  a:
    build: ${CTX:-./app}
    ports:
      - \"${HOST_PORT:-8080}:80\"
      - \"${BIND:-127.0.0.1}:${P:-5432}:5432/${PROTO:-tcp}\"
      - ${ONLY}
    volumes:
      - \"${DATA:-./data}:/data:ro\"
      - ${NAMED:-cache}:/cache
      - ${SRC}:${DST:-/dst}
    depends_on: [\"${DB:-db}\"]
    environment:
      - URL=http://${HOST:-x}:80
    secrets: [\"${S:-token}\"]
    configs: [{source: \"${C:-conf}\"}]
";
    let f = parse(src);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let a = svc(&f, 0);
    let text = |s: Option<Str>| s.map(|s| s.span.text(src).to_string());
    let p = a.ports();
    assert!(p[0].host_ip.is_none());
    assert_eq!(text(p[0].published).as_deref(), Some("${HOST_PORT:-8080}"));
    assert_eq!(text(p[0].target).as_deref(), Some("80"));
    let published = p[0].published.unwrap();
    assert!(published.is_interpolated());
    assert_eq!(published.as_int(), Some(8080));
    assert_eq!(text(p[1].host_ip).as_deref(), Some("${BIND:-127.0.0.1}"));
    assert_eq!(text(p[1].published).as_deref(), Some("${P:-5432}"));
    assert_eq!(text(p[1].protocol).as_deref(), Some("${PROTO:-tcp}"));
    assert_eq!(text(p[2].target).as_deref(), Some("${ONLY}"));
    assert_eq!(p[2].target.unwrap().resolved(), None);
    let v = a.volumes();
    assert_eq!(text(v[0].source).as_deref(), Some("${DATA:-./data}"));
    assert_eq!(text(v[0].target).as_deref(), Some("/data"));
    assert!(v[0].read_only);
    assert_eq!(v[0].kind, VolumeKind::Bind);
    assert_eq!(v[1].source.unwrap().value, "${NAMED:-cache}");
    assert_eq!(v[1].kind, VolumeKind::Volume);
    assert_eq!(v[2].kind, VolumeKind::Bind);
    assert_eq!(text(v[2].target).as_deref(), Some("${DST:-/dst}"));
    assert_eq!(a.depends_on()[0].name, "${DB:-db}");
    let env = a.environment();
    assert_eq!(env[0].key, "URL");
    assert_eq!(text(env[0].value).as_deref(), Some("http://${HOST:-x}:80"));
    assert_eq!(a.secrets()[0].resolved().as_deref(), Some("token"));
    assert_eq!(a.configs()[0].resolved().as_deref(), Some("conf"));
    let build = a.build().unwrap();
    assert_eq!(build.context.unwrap().resolved().as_deref(), Some("./app"));
}

#[test]
fn typed_reads_judge_interpolated_values_by_their_default() {
    let src = "services:\n  a:\n    privileged: ${P:-true}\n    read_only: yes\n    scale: \"${N:-3}\"\n    init: ${I}\n    cpus: $$1\n";
    let f = parse(src);
    let a = svc(&f, 0);
    assert_eq!(a.str("privileged").unwrap().as_bool(), Some(true));
    assert_eq!(a.str("read_only").unwrap().as_bool(), Some(true));
    assert_eq!(a.str("scale").unwrap().as_int(), Some(3));
    assert_eq!(a.str("init").unwrap().as_bool(), None);
    assert_eq!(a.str("cpus").unwrap().resolved().as_deref(), Some("$1"));
    assert_eq!(a.file(), FileIndex(0));
    assert_eq!(
        parse_file(src, FileIndex(3))
            .services()
            .next()
            .unwrap()
            .str("init")
            .unwrap()
            .file,
        FileIndex(3)
    );
}

/// No part of a short port or volume split cuts a `${...}` in two, over the corpus (46 of its
/// files have interpolated short items).
#[test]
fn corpus_short_syntaxes_keep_interpolations_whole() {
    let Some(files) = crate::shared_data::shared_files("corpus/compose") else {
        return;
    };
    let balanced = |s: &Option<Str>| {
        s.is_none_or(|s| s.value.matches("${").count() == s.value.matches('}').count())
    };
    let mut interpolated = 0;
    let mut broken = Vec::new();
    for p in files {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let f = parse(&text);
        let mut seen = false;
        for s in f.services() {
            for port in s.ports() {
                seen |= port.short.is_some_and(|s| s.value.contains("${"));
                let parts = [port.host_ip, port.published, port.target, port.protocol];
                if !parts.iter().all(balanced) {
                    broken.push(format!("{}: {}", p.display(), port.span().text(&text)));
                }
            }
            for v in s.volumes() {
                seen |= !v.long_form && v.node.as_str().is_some_and(|s| s.contains("${"));
                if ![v.source, v.target, v.mode].iter().all(balanced) {
                    broken.push(format!("{}: {}", p.display(), v.span().text(&text)));
                }
            }
        }
        interpolated += usize::from(seen);
    }
    assert!(
        interpolated >= 40,
        "only {interpolated} files with interpolated items"
    );
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn service_facts_for_the_checklist_rules() {
    let text = "x-lim: &lim\n  deploy: {resources: {limits: {memory: 256M}}, replicas: 3}\nservices:\n  db:\n    image: postgres:16.4\n    healthcheck: {test: [\"NONE\"]}\n    restart: always\n  web:\n    <<: *lim\n    image: \"ghcr.io/acme/web:${TAG:-latest}\"\n    healthcheck: {disable: true}\n    profiles: [prod-eu]\n  api:\n    image: acme/api\n    mem_limit: 1g\n    scale: \"${N:-2}\"\n    healthcheck: {test: [CMD, curl]}\n    deploy: {restart_policy: {condition: on-failure}}\n    build: {context: ., secrets: [npm, {source: gh}]}\n";
    let f = parse(text);
    let (db, web, api) = (svc(&f, 0), svc(&f, 1), svc(&f, 2));
    let (image, r) = db.image_ref().unwrap();
    assert_eq!(r.tag.as_deref(), Some("16.4"));
    assert_eq!(r.tag_span.unwrap().text(text), "16.4");
    assert_eq!(image.value, "postgres:16.4");
    assert_eq!(db.data_service().map(|d| d.kind), Some("database"));
    let (image, r) = web.image_ref().unwrap();
    assert_eq!(r.tag.as_deref(), Some("latest"));
    assert_eq!(
        r.tag_span,
        Some(image.span),
        "a tag from a default points at the value"
    );
    assert!(api.image_ref().unwrap().1.tag.is_none());
    assert!(db.healthcheck().unwrap().is_disabled());
    assert!(web.healthcheck().unwrap().is_disabled());
    assert!(!api.healthcheck().unwrap().is_disabled());
    assert_eq!(web.memory_limit().map(|m| m.value), Some("256M"));
    assert_eq!(api.memory_limit().map(|m| m.value), Some("1g"));
    assert!(db.memory_limit().is_none());
    assert_eq!(db.restart_policy().map(|r| r.value), Some("always"));
    assert_eq!(api.restart_policy().map(|r| r.value), Some("on-failure"));
    assert_eq!(web.replicas().map(|r| r.0), Some(3));
    assert_eq!(api.replicas().map(|r| r.0), Some(2));
    assert!(web.has_production_profile() && !db.has_production_profile());
    assert!(db.is_production(Path::new("docker-compose.prod.yml")));
    assert!(!db.is_production(Path::new("compose.yaml")));
    assert!(web.can_run_with(&db));
    let names: Vec<_> = api
        .build()
        .unwrap()
        .secrets()
        .iter()
        .map(|s| s.value)
        .collect();
    assert_eq!(names, ["npm", "gh"]);
}

#[test]
fn published_ports_addresses_and_protocols() {
    let text = "services:\n  a:\n    image: x\n    ports:\n      - \"8080:80\"\n      - \"127.0.0.1:7000-7010:7000-7010/udp\"\n      - \"80\"\n      - \"[::]:${P:-9000}:9000\"\n      - {target: 53, published: \"5353\", host_ip: 0.0.0.0, protocol: UDP}\n      - \"${HOST}:${Q}:1\"\n";
    let f = parse(text);
    let ports = svc(&f, 0).ports();
    let ranges: Vec<_> = ports.iter().map(|p| p.published_range()).collect();
    assert_eq!(
        ranges,
        [
            Some((8080, 8080)),
            Some((7000, 7010)),
            None,
            Some((9000, 9000)),
            Some((5353, 5353)),
            None
        ]
    );
    let addresses: Vec<_> = ports.iter().map(|p| p.bound_address()).collect();
    assert_eq!(
        addresses,
        [
            None,
            Some("127.0.0.1".to_string()),
            None,
            None,
            None,
            Some("${HOST}".to_string())
        ]
    );
    let protocols: Vec<_> = ports.iter().map(|p| p.protocol_name()).collect();
    assert_eq!(protocols, ["tcp", "udp", "tcp", "tcp", "udp", "tcp"]);
}

#[test]
fn profiles_decide_whether_services_run_together() {
    let f = parse(
        "services:\n  a: {image: x, profiles: [one, two]}\n  b: {image: x, profiles: [two]}\n  c: {image: x, profiles: [three]}\n  d: {image: x}\n",
    );
    let (a, b, c, d) = (svc(&f, 0), svc(&f, 1), svc(&f, 2), svc(&f, 3));
    assert!(a.can_run_with(&b));
    assert!(!a.can_run_with(&c) && !b.can_run_with(&c));
    assert!(c.can_run_with(&d) && d.can_run_with(&a));
}

#[test]
fn scalar_values_are_every_value_once_and_no_key() {
    let text = "x-a: &a \"${X\"\nservices:\n  web:\n    image: nginx\n    labels:\n      <<: *a\n    command: [a, \"b c\"]\n";
    let file = super::parse(text);
    let values: Vec<&str> = file.scalar_values().iter().map(|s| s.value).collect();
    assert_eq!(values, ["${X", "nginx", "a", "b c"]);
    let s = file.scalar_values()[3];
    assert_eq!(s.span_of(2..3).text(text), "c");
}

#[test]
fn byte_sizes_in_bytes() {
    use super::model::byte_size;
    assert_eq!(byte_size("1024"), Some(1024.0));
    assert_eq!(byte_size("1g"), byte_size("1024m"));
    assert_eq!(byte_size("1.5GiB"), Some(1.5 * 1024.0 * 1024.0 * 1024.0));
    assert_eq!(byte_size("2 kb"), Some(2048.0));
    assert_eq!(byte_size("12xb"), None);
    assert_eq!(byte_size(""), None);
}
