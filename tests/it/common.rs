//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// `../shared` beside the repository (override with `MESHDECK_SHARED`).
pub fn shared_dir() -> PathBuf {
    std::env::var_os("MESHDECK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The meshdeck binary built for these tests.
pub fn meshdeck() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_meshdeck"))
}
