//! The CPU time of each rule over a run, for finding the expensive ones: with the environment
//! variable `WHARF_RULE_TIMES=1`, the engine times every rule call (and the parse, the shell
//! model of each RUN and the per-file finishing) on the thread that runs it, and the process
//! prints a table to stderr when it ends. Without the variable, each timing point costs one
//! load of a flag. A debugging aid: the output is not stable and no test asserts on it.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// What is timed besides the rules (their codes are the other keys).
pub const PARSE: &str = "(parse)";
/// The shell model of one RUN and its package facts, built for the per-RUN rules.
pub const RUN_MODEL: &str = "(run model)";
/// Suppressions, severities and the sort of one file's findings.
pub const FINISH: &str = "(finish)";

static ENABLED: LazyLock<bool> = LazyLock::new(|| {
    std::env::var_os("WHARF_RULE_TIMES").is_some_and(|v| !v.is_empty() && v != "0")
});

/// Nanoseconds and calls per key.
static TABLE: LazyLock<Mutex<HashMap<&'static str, (u64, u64)>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Whether rule times are being collected in this process.
pub fn enabled() -> bool {
    *ENABLED
}

/// The CPU time of the calling thread in nanoseconds (the monotonic clock where there is no
/// thread clock).
fn now() -> u64 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant of libc.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        if rc == 0 {
            return (ts.tv_sec as u64)
                .saturating_mul(1_000_000_000)
                .saturating_add(ts.tv_nsec as u64);
        }
    }
    static START: LazyLock<std::time::Instant> = LazyLock::new(std::time::Instant::now);
    START.elapsed().as_nanos() as u64
}

/// Runs `f`, adding its CPU time to `key` when rule times are on.
pub fn time<T>(key: &'static str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = now();
    let result = f();
    let spent = now().saturating_sub(start);
    if let Ok(mut table) = TABLE.lock() {
        let entry = table.entry(key).or_insert((0, 0));
        entry.0 += spent;
        entry.1 += 1;
    }
    result
}

/// The cost of one empty timing (two clock reads), measured here, to subtract per call.
fn overhead() -> u64 {
    const N: u64 = 2_000;
    let start = now();
    for _ in 0..N {
        std::hint::black_box(now());
        std::hint::black_box(now());
    }
    now().saturating_sub(start) / N
}

/// The table of what was collected, most expensive first: key, CPU milliseconds (the timing
/// overhead taken out), calls, share of the timed total. Empty when rule times are off.
pub fn table() -> String {
    if !enabled() {
        return String::new();
    }
    let each = overhead();
    let mut rows: Vec<(&'static str, u64, u64)> = match TABLE.lock() {
        Ok(t) => t
            .iter()
            .map(|(k, &(ns, calls))| (*k, ns.saturating_sub(calls * each), calls))
            .collect(),
        Err(_) => return String::new(),
    };
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total: u64 = rows.iter().map(|r| r.1).sum::<u64>().max(1);
    let mut out = format!(
        "{:<14} {:>10} {:>9} {:>6}\n",
        "rule", "CPU ms", "calls", "share"
    );
    for (key, ns, calls) in &rows {
        out.push_str(&format!(
            "{:<14} {:>10.2} {:>9} {:>5.1}%\n",
            key,
            *ns as f64 / 1e6,
            calls,
            100.0 * *ns as f64 / total as f64
        ));
    }
    out.push_str(&format!(
        "{:<14} {:>10.2}    (timing overhead taken out: {} ns a call)\n",
        "total",
        total as f64 / 1e6,
        each
    ));
    out
}

/// Prints [`table`] to stderr when rule times are on (at the end of the process).
pub fn report() {
    if enabled() {
        eprint!("{}", table());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thread_clock_moves_forward() {
        let a = now();
        let mut x = 0u64;
        for i in 0..200_000u64 {
            x = std::hint::black_box(x.wrapping_add(i));
        }
        let b = now();
        assert!(b >= a);
        assert!(x > 0);
    }

    #[test]
    fn timing_off_runs_the_closure_and_keeps_no_table() {
        // The variable is not set under `cargo test`.
        if !enabled() {
            assert_eq!(time("X", || 41 + 1), 42);
            assert!(table().is_empty());
        }
    }
}
