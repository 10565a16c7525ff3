//! Checks of request authentication against the control plane's configuration.

mod blocked_cidrs;

pub use blocked_cidrs::BlockedCIDRsAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&BlockedCIDRsAnalyzer];
