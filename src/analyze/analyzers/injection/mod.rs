//! Analyzers of the `injection` area.

mod analyzer;
mod image;
mod image_auto;

pub use analyzer::InjectionAnalyzer;
pub use image::ImageAnalyzer;
pub use image_auto::ImageAutoAnalyzer;

use crate::analyze::Analyzer;

pub static ANALYZERS: &[&dyn Analyzer] = &[&InjectionAnalyzer, &ImageAnalyzer, &ImageAutoAnalyzer];
