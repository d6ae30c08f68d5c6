//! Fuzz target `lint_compose`: see `wharf_fuzz::targets::lint_compose` for what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    wharf_fuzz::init();
    wharf_fuzz::targets::lint_compose(data);
});
