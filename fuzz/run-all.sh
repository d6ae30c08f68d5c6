#!/usr/bin/env bash
# Seeds every fuzz target from the committed seeds and the shared corpus, then runs each target
# in turn (one at a time, at low priority) for N seconds.
#
#   fuzz/run-all.sh [SECONDS] [TARGET...]     default: 600 seconds, every target
#
# Environment: CORPUS (default ../shared/corpus beside the worktree), RSS_MB (2048),
# MAX_LEN (65536), SANITIZER (none; `address` for ASan, slower), CHUNK (180: seconds per
# libFuzzer run). Working corpora go to
# fuzz/corpus/<target>/ (gitignored), crashes to fuzz/artifacts/<target>/, the libFuzzer log of
# each run to fuzz/logs/<target>.log (gitignored too).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
secs="${1:-600}"
shift || true
all=(dockerfile_parse shell_model yaml_tree compose_model dockerignore interpolate fix_apply lint_dockerfile lint_compose)
targets=("$@"); [ $# -gt 0 ] || targets=("${all[@]}")
corpus_src="${CORPUS:-$here/../../shared/corpus}"
rss="${RSS_MB:-2048}"
max_len="${MAX_LEN:-65536}"
san="${SANITIZER:-none}"

seed_dir() {
    # The committed seeds and the corpus files that fit this target.
    local t="$1" out="corpus/$1"
    mkdir -p "$out"
    case "$t" in
        dockerfile_parse|lint_dockerfile) kind=dockerfile ;;
        yaml_tree|compose_model|lint_compose) kind=compose ;;
        *) kind="" ;;
    esac
    case "$t" in
        dockerfile_parse|lint_dockerfile) cp -n seeds/dockerfile/* "$out"/ ;;
        yaml_tree|compose_model|lint_compose) cp -n seeds/compose/* "$out"/ ;;
        shell_model|dockerignore|interpolate) cp -n seeds/"$t"/* "$out"/ ;;
    esac
    if [ -n "$kind" ] && [ -d "$corpus_src/$kind" ]; then
        # Named by content hash, so re-seeding adds nothing twice.
        find "$corpus_src/$kind" -type f -size -64k -print0 |
            while IFS= read -r -d '' f; do
                cp -n "$f" "$out/seed-$(sha1sum < "$f" | cut -c1-16)"
            done
    fi
    if [ "$t" = shell_model ] && [ -d "$corpus_src/dockerfile" ]; then
        # The RUN lines of the corpus (first physical line of each), one seed per file.
        find "$corpus_src/dockerfile" -type f -size -64k -print0 |
            while IFS= read -r -d '' f; do
                runs="$(sed -n 's/^RUN \(.*\)$/\1/p' "$f" | tr -d '\\')"
                [ -n "$runs" ] && printf '%s\n' "$runs" > "$out/seed-$(sha1sum < "$f" | cut -c1-16)"
            done
    fi
    if [ "$t" = interpolate ] && [ -d "$corpus_src/compose" ]; then
        # Every corpus line holding a `$`, one seed each.
        grep -rhoE '[^ ]*\$[^ ]*' "$corpus_src/compose" 2>/dev/null | sort -u | head -2000 |
            while IFS= read -r line; do
                printf '%s' "$line" > "$out/seed-$(printf '%s' "$line" | sha1sum | cut -c1-16)"
            done
    fi
    return 0
}

mkdir -p logs
if [ $# -gt 0 ]; then
    # Only the targets asked for (each build links the whole of wharf).
    for t in "${targets[@]}"; do cargo +nightly fuzz build -s "$san" "$t"; done
else
    cargo +nightly fuzz build -s "$san"
fi
bin_dir="target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
for t in "${targets[@]}"; do
    seed_dir "$t"
    dict=()
    case "$t" in
        dockerfile_parse|lint_dockerfile|shell_model) dict=(-dict=dictionaries/dockerfile.dict) ;;
        yaml_tree|compose_model|lint_compose|interpolate) dict=(-dict=dictionaries/compose.dict) ;;
    esac
    echo "== $t: $secs s ($(date -u +%H:%M:%S))"
    mkdir -p "artifacts/$t"
    : > "logs/$t.log"
    # libFuzzer stops at the first crash or hang (the input goes to artifacts/<target>/): it
    # is started again until the target's time is used up, in chunks of at most CHUNK seconds,
    # each under a hard timeout (a child stuck in libFuzzer's own timeout handler was seen once
    # on a loaded machine; fork mode waits for such a child forever).
    end=$((SECONDS + secs))
    while [ "$SECONDS" -lt "$end" ]; do
        left=$((end - SECONDS)); chunk=$((left < ${CHUNK:-180} ? left : ${CHUNK:-180}))
        # The binary built above, run directly: `cargo fuzz run` would rebuild it from the
        # sources as they are at each chunk, so an edit made during the run would change (or
        # break) what is fuzzed.
        timeout -k 5 $((chunk + 60)) nice -n 19 "$bin_dir/$t" -artifact_prefix="artifacts/$t/" \
            -max_total_time="$chunk" -timeout=1 -rss_limit_mb="$rss" -max_len="$max_len" \
            -print_final_stats=1 "${dict[@]}" "corpus/$t" >> "logs/$t.log" 2>&1 || true
    done
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | paste -sd+ | bc)
    echo "   executions: ${execs:-0}; artifacts: $(ls "artifacts/$t" | wc -l)"
done
