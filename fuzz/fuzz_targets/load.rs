//! Loading and analysis: the bytes as a `.yaml` and as a `.json` file through the loader, then
//! every analyzer over what loaded, as `meshdeck analyze` runs them on files. Nothing may panic,
//! and the analysis gives the same messages twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshdeck::analyze::{self, analyzers, mesh::MeshConfig};
use meshdeck::resource::SourceText;
use meshdeck::resource::document::{LoadOptions, parse_source};
use meshdeck::resource::snapshot::Snapshot;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["fuzz.yaml", "fuzz.json"] {
        let source = SourceText::new(name, text);
        let (resources, _issues) = parse_source(&source, &LoadOptions::default());
        let snapshot = Snapshot::new(resources, true);
        let run = || {
            let outcome = analyze::run(
                &snapshot,
                &MeshConfig::default(),
                "istio-system",
                &analyzers::all(),
                true,
            );
            format!("{:?}", outcome.findings)
        };
        assert_eq!(run(), run(), "analysis is not deterministic");
    }
});
