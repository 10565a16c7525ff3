//! Checks of Telemetry resources: providers, selectors, and deprecated tracing providers.

mod default_selector;
mod lightstep;
mod provider;
mod selector;

pub use default_selector::DefaultSelectorAnalyzer;
pub use lightstep::LightstepAnalyzer;
pub use provider::ProviderAnalyzer;
pub use selector::SelectorAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[
    &DefaultSelectorAnalyzer,
    &LightstepAnalyzer,
    &ProviderAnalyzer,
    &SelectorAnalyzer,
];
