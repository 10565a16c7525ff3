//! Exit codes, istioctl-compatible where istioctl defines them. Documented in the README.

/// The command did what it was asked and found nothing to report.
pub const SUCCESS: u8 = 0;
/// Any failure without a more specific code.
pub const FAILURE: u8 = 1;
/// The command line could not be parsed (unknown flag, missing argument).
pub const USAGE: u8 = 2;
/// A flag has a value that is not allowed (`-o xml`, an unknown `--analyzer`).
pub const BAD_FLAG_VALUE: u8 = 64;
/// An input could not be read or parsed; the other inputs were still analyzed.
pub const DATA_ERROR: u8 = 65;
/// Analysis found messages at or above `--failure-threshold`.
pub const ANALYZERS_FOUND_ISSUES: u8 = 79;
