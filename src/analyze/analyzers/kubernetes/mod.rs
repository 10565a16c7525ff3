//! meshdeck's own checks of plain Kubernetes objects (codes `MDK*`).

mod service_selector;

pub use service_selector::ServiceSelectorAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&ServiceSelectorAnalyzer];
