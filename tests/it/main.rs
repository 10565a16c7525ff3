//! meshdeck's integration tests, in one binary so the dependency graph links once.

mod analyze_checks;
mod bad_input;
mod cli;
mod cluster;
mod common;
mod conformance;
mod dashboard;
mod docs;
mod duplicates;
mod fake_eks;
mod fake_kubelet;
mod false_alarms;
mod install;
mod install_render;
mod kube;
mod limits;
mod manifests;
mod register;
mod roundtrip;
mod schema;
mod terminal;
mod testcluster;
mod traffic;
