//! Analyzers of the `sidecar` area.

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[];
