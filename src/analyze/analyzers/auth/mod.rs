//! Analyzers of the `auth` area.

mod authorization_policies;

pub use authorization_policies::AuthorizationPoliciesAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&AuthorizationPoliciesAnalyzer];
