//! Analyzers of the `envoyfilter` area.

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[];
