//! The YAML reader, differentially: whatever the bytes, `parse_documents_within` (the fast reader,
//! falling back to saphyr-parser) gives exactly what saphyr-parser alone gives, tree, positions
//! and error included, and neither panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshdeck::resource::node::{ParseLimits, parse_documents_saphyr, parse_documents_within};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = ParseLimits::DEFAULT;
    let (mut a, mut b) = (limits.max_alias_nodes, limits.max_alias_nodes);
    let read = parse_documents_within(text, 0, limits, &mut a);
    let reference = parse_documents_saphyr(text, 0, limits, &mut b);
    assert_eq!(read, reference, "the readers differ on {text:?}");
    assert_eq!(
        a, b,
        "the readers spent different alias budgets on {text:?}"
    );
});
