//! Analyzers of the `webhook` area.

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[];
