//! Analyzers of the `annotations` area.

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[];
