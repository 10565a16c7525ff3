//! meshdeck's integration tests, in one binary so the dependency graph links once.

mod common;
mod conformance;
