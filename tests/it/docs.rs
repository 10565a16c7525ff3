//! `completions/` and `man/` are generated from the CLI definitions. This test fails when they no
//! longer match; `MESHDECK_UPDATE_DOCS=1 cargo test --test it generated_docs` rewrites them.

use crate::common::repo;

#[test]
fn generated_docs_match_the_cli() {
    let update = std::env::var_os("MESHDECK_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for (path, contents) in meshdeck::cli::generated_docs() {
        let file = repo().join(&path);
        if update {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &contents).unwrap();
            continue;
        }
        match std::fs::read(&file) {
            Ok(existing) if existing == contents => {}
            _ => stale.push(path),
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; regenerate with MESHDECK_UPDATE_DOCS=1 cargo test --test it generated_docs"
    );
}
