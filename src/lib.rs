//! meshdeck: lint, install, inspect and shift service-mesh configuration on Kubernetes.
//!
//! The binary (`src/main.rs`) is a thin layer over this library: `cli` declares the commands,
//! `cmd` runs each one, and the capabilities live in their own modules.

pub mod analyze;
pub mod aws;
pub mod cli;
pub mod cmd;
pub mod dashboard;
pub mod exit;
pub mod install;
pub mod kube;
pub mod ops;
pub mod register;
pub mod resource;
pub mod source;
pub mod tls;
pub mod traffic;
pub mod ui;
