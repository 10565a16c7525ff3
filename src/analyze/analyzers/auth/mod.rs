//! Analyzers of the `auth` area.

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[];
