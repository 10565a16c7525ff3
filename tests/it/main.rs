//! meshdeck's integration tests, in one binary so the dependency graph links once.

mod bad_input;
mod cli;
mod cluster;
mod common;
mod conformance;
mod docs;
mod duplicates;
mod false_alarms;
mod install;
mod kube;
mod limits;
mod roundtrip;
mod schema;
mod terminal;
mod testcluster;
