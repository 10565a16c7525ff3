//! meshdeck's integration tests, in one binary so the dependency graph links once.

mod bad_input;
mod cli;
mod cluster;
mod common;
mod conformance;
mod docs;
mod install;
mod install_render;
mod manifests;
mod terminal;
mod testcluster;
