//! Fuzz target `shell_model`: see `wharf_fuzz::targets::shell_model` for what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    wharf_fuzz::init();
    wharf_fuzz::targets::shell_model(data);
});
