//! Criterion benchmarks of the parsers and of the full lint of one file.
//!
//! Inputs are read at run time from the shared corpus (`../shared/corpus`, relative to the
//! crate root); without it, small inline samples stand in so that `cargo bench` and
//! `cargo clippy --all-targets` still work anywhere.
//!
//! Groups:
//! - `dockerfile_parse`: `wharf::dockerfile::parse` (includes the shell model of every RUN)
//! - `shell_model`: `wharf::shell::parse_str` on the shell text of every RUN of a Dockerfile
//!   (continuation lines joined here, so that the group measures the shell model alone)
//! - `yaml_tree`: `wharf::compose::yaml::Tree::parse`, the YAML tree alone
//! - `compose_parse`: `wharf::compose::parse`, the YAML tree and the compose model
//! - `lint_source`: `wharf::engine::lint_source` with every rule (`wharf::registry::all()`)
//! - `corpus`: every corpus file of a kind, parsed (or linted) in sequence, one thread: the
//!   time divided by the file count is the average per-file cost over real-world files
//!
//! Run: `cargo bench --bench parsers` (a filter narrows it: `cargo bench --bench parsers -- compose`).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;
use wharf::engine::{FileSettings, lint_source};
use wharf::source::{FileKind, SourceFile};

/// Representative Dockerfiles: (label, path under `corpus/dockerfile`).
const DOCKERFILES: &[(&str, &str)] = &[
    // ~1 KB, the median size: a generated official image
    (
        "small_dotnet_aspnet",
        "dotnet__dotnet-docker/src/aspnet/8.0/azurelinux3.0/amd64/Dockerfile",
    ),
    // ~10 KB, 90th percentile: long RUN scripts with pipes, ifs and loops
    (
        "medium_postgres",
        "docker-library__postgres/15/bookworm/Dockerfile",
    ),
    // ~20 KB, 99th percentile: many stages, BuildKit mounts and heredocs
    ("large_buildkit", "moby__buildkit/Dockerfile"),
    // Windows: escape=` and PowerShell SHELL (no POSIX shell model)
    (
        "windows_jenkins",
        "jenkinsci__docker/windows/windowsservercore/hotspot/Dockerfile",
    ),
];

/// Representative compose files: (label, path under `corpus/compose`).
const COMPOSE_FILES: &[(&str, &str)] = &[
    // ~300 B, the median size
    (
        "small_nginx_golang",
        "docker__awesome-compose/nginx-golang/compose.yaml",
    ),
    // ~8 KB
    (
        "medium_hoppscotch",
        "hoppscotch__hoppscotch/docker-compose.yml",
    ),
    // ~24 KB, 99th percentile: anchors, many services
    (
        "large_otel_demo",
        "open-telemetry__opentelemetry-demo/compose.yaml",
    ),
];

const INLINE_DOCKERFILE: &str = r#"# syntax=docker/dockerfile:1
FROM debian:bookworm-slim AS build
ARG VERSION=1.2.3
ENV LANG=C.UTF-8 PATH=/opt/app/bin:$PATH
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl; \
    rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/root/.cache <<EOF
set -e
if [ -n "$VERSION" ]; then
  curl -fsSL "https://example.com/app-$VERSION.tar.gz" | tar -xz -C /opt
fi
EOF
FROM gcr.io/distroless/base-debian12
COPY --from=build --chown=nonroot:nonroot /opt/app /opt/app
USER nonroot
EXPOSE 8080
HEALTHCHECK CMD ["/opt/app/bin/app", "health"]
ENTRYPOINT ["/opt/app/bin/app"]
"#;

const INLINE_COMPOSE: &str = r#"name: demo
x-common: &common
  restart: unless-stopped
  environment:
    TZ: UTC
services:
  web:
    <<: *common
    image: nginx:1.27
    ports:
      - "8080:80"
    depends_on:
      api:
        condition: service_healthy
  api:
    <<: *common
    build:
      context: ./api
      dockerfile: Dockerfile
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8000/health"]
      interval: 10s
    volumes:
      - data:/var/lib/api
volumes:
  data: {}
"#;

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// One benchmark input: a label, the file name it is linted as, and its text.
struct Sample {
    label: String,
    path: PathBuf,
    text: String,
}

/// The listed corpus files that exist; the inline sample when none does.
fn samples(sub: &str, list: &[(&str, &str)], inline: &str, inline_name: &str) -> Vec<Sample> {
    let dir = corpus_root().join(sub);
    let mut out: Vec<Sample> = list
        .iter()
        .filter_map(|(label, rel)| {
            let path = dir.join(rel);
            let text = std::fs::read_to_string(&path).ok()?;
            Some(Sample {
                label: (*label).to_string(),
                path,
                text,
            })
        })
        .collect();
    if out.is_empty() {
        eprintln!(
            "note: no corpus at {}; benchmarking an inline {sub} sample",
            dir.display()
        );
        out.push(Sample {
            label: "inline".to_string(),
            path: PathBuf::from(inline_name),
            text: inline.to_string(),
        });
    }
    out
}

fn all_settings() -> FileSettings {
    FileSettings {
        rules: wharf::registry::all().to_vec(),
        ..FileSettings::default()
    }
}

fn bench_dockerfile_parse(c: &mut Criterion) {
    let files = samples("dockerfile", DOCKERFILES, INLINE_DOCKERFILE, "Dockerfile");
    let mut g = c.benchmark_group("dockerfile_parse");
    for s in &files {
        g.throughput(Throughput::Bytes(s.text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(&s.label), &s.text, |b, t| {
            b.iter(|| wharf::dockerfile::parse(black_box(t)))
        });
    }
    g.finish();
}

/// The shell text of each RUN of a Dockerfile (shell form, no heredocs), continuation lines
/// joined: a plain reading, enough to feed the shell model realistic scripts.
fn run_scripts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(cur) = current.as_mut() {
            let t = line.trim_start();
            if t.starts_with('#') {
                continue;
            }
            match line.strip_suffix('\\') {
                Some(head) => {
                    cur.push_str(head);
                    cur.push(' ');
                }
                None => {
                    cur.push_str(line);
                    out.extend(current.take());
                }
            }
            continue;
        }
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("RUN ").or_else(|| t.strip_prefix("run ")) else {
            continue;
        };
        // Flags (`--mount=...`) are not shell; exec form and heredocs are left out.
        let rest = rest
            .split_whitespace()
            .skip_while(|w| w.starts_with("--"))
            .collect::<Vec<_>>()
            .join(" ");
        if rest.starts_with('[') || rest.contains("<<") {
            continue;
        }
        match rest.strip_suffix('\\') {
            Some(head) => current = Some(format!("{head} ")),
            None => out.push(rest),
        }
    }
    out
}

fn bench_shell_model(c: &mut Criterion) {
    let files = samples("dockerfile", DOCKERFILES, INLINE_DOCKERFILE, "Dockerfile");
    let mut g = c.benchmark_group("shell_model");
    for s in &files {
        let scripts = run_scripts(&s.text);
        if scripts.is_empty() {
            continue;
        }
        let bytes: usize = scripts.iter().map(String::len).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_with_input(BenchmarkId::from_parameter(&s.label), &scripts, |b, all| {
            b.iter(|| {
                for script in all {
                    let _ = black_box(wharf::shell::parse_str(black_box(script)));
                }
            })
        });
    }
    g.finish();
}

fn bench_yaml_tree(c: &mut Criterion) {
    let files = samples("compose", COMPOSE_FILES, INLINE_COMPOSE, "compose.yaml");
    let mut g = c.benchmark_group("yaml_tree");
    for s in &files {
        g.throughput(Throughput::Bytes(s.text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(&s.label), &s.text, |b, t| {
            b.iter(|| wharf::compose::yaml::Tree::parse(black_box(t)))
        });
    }
    g.finish();
}

fn bench_compose_parse(c: &mut Criterion) {
    let files = samples("compose", COMPOSE_FILES, INLINE_COMPOSE, "compose.yaml");
    let mut g = c.benchmark_group("compose_parse");
    for s in &files {
        g.throughput(Throughput::Bytes(s.text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(&s.label), &s.text, |b, t| {
            b.iter(|| wharf::compose::parse(black_box(t)))
        });
    }
    g.finish();
}

fn bench_lint_source(c: &mut Criterion) {
    let settings = all_settings();
    let mut g = c.benchmark_group("lint_source");
    for (kind, files) in [
        (
            FileKind::Dockerfile,
            samples("dockerfile", DOCKERFILES, INLINE_DOCKERFILE, "Dockerfile"),
        ),
        (
            FileKind::Compose,
            samples("compose", COMPOSE_FILES, INLINE_COMPOSE, "compose.yaml"),
        ),
    ] {
        for s in files {
            let source = SourceFile::new(s.path, s.text, kind);
            g.throughput(Throughput::Bytes(source.text.len() as u64));
            let id = BenchmarkId::new(kind.as_str(), &s.label);
            g.bench_with_input(id, &source, |b, src| {
                b.iter(|| lint_source(black_box(src), &settings))
            });
        }
    }
    g.finish();
}

/// Every regular file under `dir`, sorted.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&p, out),
            Ok(t) if t.is_file() => out.push(p),
            _ => {}
        }
    }
}

fn load_all(sub: &str, kind: FileKind) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    walk(&corpus_root().join(sub), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            // As the CLI reads files: files it refuses (binary, not UTF-8) are left out.
            let bytes = std::fs::read(&p).ok()?;
            let text = wharf::engine::read_text(&p, bytes).ok()?;
            Some(SourceFile::new(p, text, kind))
        })
        .collect()
}

/// The whole corpus of a kind in one iteration (skipped without the corpus).
fn bench_corpus(c: &mut Criterion) {
    let settings = all_settings();
    let mut g = c.benchmark_group("corpus");
    g.sample_size(10);
    for (sub, kind) in [
        ("dockerfile", FileKind::Dockerfile),
        ("compose", FileKind::Compose),
    ] {
        let files = load_all(sub, kind);
        if files.is_empty() {
            continue;
        }
        let bytes: usize = files.iter().map(|f| f.text.len()).sum();
        eprintln!("corpus/{sub}: {} files, {bytes} bytes", files.len());
        g.throughput(Throughput::Elements(files.len() as u64));
        g.bench_function(BenchmarkId::new("parse", sub), |b| {
            b.iter(|| {
                for f in &files {
                    match kind {
                        FileKind::Dockerfile => {
                            black_box(wharf::dockerfile::parse(black_box(&f.text)));
                        }
                        FileKind::Compose => {
                            black_box(wharf::compose::parse(black_box(&f.text)));
                        }
                    }
                }
            })
        });
        g.bench_function(BenchmarkId::new("lint", sub), |b| {
            b.iter(|| {
                for f in &files {
                    black_box(lint_source(black_box(f), &settings));
                }
            })
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_dockerfile_parse, bench_shell_model, bench_yaml_tree, bench_compose_parse,
        bench_lint_source, bench_corpus
}
criterion_main!(benches);
