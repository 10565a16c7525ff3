//! Operations: each wires sources, domain code and the cluster together for one command (cargo's
//! `ops/`). They take a request and return a report or a typed error; they parse no arguments
//! and print nothing. Progress is reported through an [`Observer`], which `ui` implements.

pub mod addons;
pub mod analyze;
pub mod apply;
pub mod dashboard;
pub mod install;
pub mod interrupt;
pub mod register;
pub mod sample;
pub mod traffic;

/// Told about the steps of an operation that can take a while.
pub trait Observer {
    /// A step starts (`Reading the cluster`).
    fn begin(&self, step: &str);
    /// The step finished (`Read 212 objects of 23 kinds`).
    fn end(&self, done: &str);
    /// A step that can take minutes (a readiness wait, a poll): shown as [`Observer::begin`]
    /// shows a step, and where nothing animates also as a line of its own, so that a CI log
    /// says what is being waited for before the wait ends.
    fn begin_wait(&self, step: &str) {
        self.begin(step);
    }
}

/// An observer that ignores everything.
pub struct Unobserved;

impl Observer for Unobserved {
    fn begin(&self, _: &str) {}
    fn end(&self, _: &str) {}
}
