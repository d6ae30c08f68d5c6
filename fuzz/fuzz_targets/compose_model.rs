//! Fuzz target `compose_model`: see `wharf_fuzz::targets::compose_model` for what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    wharf_fuzz::init();
    wharf_fuzz::targets::compose_model(data);
});
