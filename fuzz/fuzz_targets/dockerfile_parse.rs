//! Fuzz target `dockerfile_parse`: see `wharf_fuzz::targets::dockerfile_parse` for what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    wharf_fuzz::init();
    wharf_fuzz::targets::dockerfile_parse(data);
});
