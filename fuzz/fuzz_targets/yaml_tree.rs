//! Fuzz target `yaml_tree`: see `wharf_fuzz::targets::yaml_tree` for what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    wharf_fuzz::init();
    wharf_fuzz::targets::yaml_tree(data);
});
