//! Exit codes, istioctl-compatible where istioctl defines them. [`CODES`] is the one list: the
//! text in `--help` and the README's table are made from it (a test checks the README).

/// The command did what it was asked and found nothing to report.
pub const SUCCESS: u8 = 0;
/// Any failure without a more specific code.
pub const FAILURE: u8 = 1;
/// The command line could not be parsed (unknown flag, missing argument or value).
pub const USAGE: u8 = 2;
/// A flag has a value that is not allowed (`-o xml`, an unknown `--analyzer`).
pub const BAD_FLAG_VALUE: u8 = 64;
/// An input could not be read or parsed; the other inputs were still analyzed.
pub const DATA_ERROR: u8 = 65;
/// Analysis found messages at or above `--failure-threshold`.
pub const ANALYZERS_FOUND_ISSUES: u8 = 79;
/// A stepped rollout (`traffic-shift --step`) was rolled back: a version went over a metric
/// gate, or the gate could not be read.
pub const ROLLED_BACK: u8 = 80;
/// Interrupted (Ctrl-C, SIGINT) after cleaning up, as shells report 128 + SIGINT.
pub const INTERRUPTED: u8 = 130;

/// One documented exit code.
#[derive(Clone, Copy, Debug)]
pub struct ExitCode {
    pub code: u8,
    /// A few words, for `--help`.
    pub short: &'static str,
    /// The README's wording (Markdown).
    pub meaning: &'static str,
}

/// Every exit code meshdeck ends with, in ascending order.
pub const CODES: &[ExitCode] = &[
    ExitCode {
        code: SUCCESS,
        short: "success",
        meaning: "success: no message at or above the failure threshold",
    },
    ExitCode {
        code: FAILURE,
        short: "failure",
        meaning: "any other failure (cluster unreachable, credentials rejected, namespace not found, timeout)",
    },
    ExitCode {
        code: USAGE,
        short: "usage error",
        meaning: "usage error (unknown flag, missing argument, a flag without its value)",
    },
    ExitCode {
        code: BAD_FLAG_VALUE,
        short: "bad flag value",
        meaning: "bad flag value (`-o xml`, an unknown `--analyzer`, a malformed `-S`, an unknown `--explain` code, a bad `--set` path or value)",
    },
    ExitCode {
        code: DATA_ERROR,
        short: "input that does not parse",
        meaning: "an input could not be read or parsed (the others were still analyzed); an `-f` IstioOperator with bad content; a `.meshdeck.yaml` with bad content",
    },
    ExitCode {
        code: ANALYZERS_FOUND_ISSUES,
        short: "analysis found messages at or above the failure threshold",
        meaning: "analysis found messages at or above `--failure-threshold`, in every output format; `traffic-shift` found errors in the routing it would apply (without `--force`)",
    },
    ExitCode {
        code: ROLLED_BACK,
        short: "rollout rolled back",
        meaning: "a stepped `traffic-shift --step` rollout was rolled back to the split it started from: a version went over `--max-error-rate` or `--max-p99`, or Prometheus could not be read",
    },
    ExitCode {
        code: INTERRUPTED,
        short: "interrupted",
        meaning: "interrupted by Ctrl-C (SIGINT): `register` first deletes the role it made; a `traffic-shift --step` rollout stays at its last applied step and says how to resume or undo; `install` and `uninstall` (also on SIGTERM) stop at once and say what was applied or deleted and how to converge or undo",
    },
];

/// `Exit codes: 0 success, 1 failure, ...` for `--help`.
pub fn help_text() -> String {
    let parts: Vec<String> = CODES
        .iter()
        .map(|c| format!("{} {}", c.code, c.short))
        .collect();
    format!("Exit codes: {}.", parts.join(", "))
}

/// The README's table (`| code | meaning |` and one row per code).
pub fn markdown_table() -> String {
    let mut out = String::from("| code | meaning |\n| --- | --- |\n");
    for c in CODES {
        out.push_str(&format!("| {} | {} |\n", c.code, c.meaning));
    }
    out
}

/// How a run of meshdeck ended, as far as its exit code is concerned.
#[derive(Debug)]
pub enum Ending<'a> {
    /// clap could not parse the command line (or printed `--help` / `--version`).
    Parse(&'a clap::Error),
    /// A command failed with this error.
    Failed(&'a crate::cmd::CmdError),
    /// An analysis finished: whether a message reached `--failure-threshold`, and how many
    /// inputs could not be read or parsed.
    Analysis {
        failing_messages: bool,
        unparsed_inputs: usize,
    },
}

/// The one mapping from how a run ended to its exit code.
///
/// - A parse error: help and version are successes, a value clap rejected is a bad flag value,
///   and everything else (a flag missing its value among them) a usage error.
/// - A failed command: bad flag values and bad input have their own codes, all else is 1.
/// - An analysis: messages at or above the failure threshold (79) win over inputs that did not
///   parse (65), which win over success.
pub fn code(ending: Ending<'_>) -> u8 {
    use crate::cmd::CmdError;
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    match ending {
        Ending::Parse(e) => match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => SUCCESS,
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
                // clap reports `--timeout` with nothing after it as the invalid value "".
                let missing = matches!(
                    e.get(ContextKind::InvalidValue),
                    Some(ContextValue::String(v)) if v.is_empty()
                );
                if missing { USAGE } else { BAD_FLAG_VALUE }
            }
            _ => USAGE,
        },
        Ending::Failed(e) => match e {
            CmdError::Analyze(e) if e.is_bad_flag_value() => BAD_FLAG_VALUE,
            CmdError::Traffic(e) if e.is_bad_flag_value() => BAD_FLAG_VALUE,
            CmdError::UnknownCode(_) => BAD_FLAG_VALUE,
            CmdError::Register(e) if e.is_bad_flag_value() => BAD_FLAG_VALUE,
            CmdError::Dashboard(e) if e.is_bad_flag_value() => BAD_FLAG_VALUE,
            CmdError::Install(e) if e.is_bad_flag_value() => BAD_FLAG_VALUE,
            CmdError::Install(e) if e.is_bad_input() => DATA_ERROR,
            CmdError::Addons(e) if e.is_bad_flag_value() => BAD_FLAG_VALUE,
            CmdError::Addons(e) if e.is_bad_input() => DATA_ERROR,
            CmdError::Register(e) if e.is_interrupted() => INTERRUPTED,
            CmdError::Install(e) if e.is_interrupted() => INTERRUPTED,
            CmdError::Traffic(e) if e.is_interrupted() => INTERRUPTED,
            CmdError::Traffic(e) if e.is_rolled_back() => ROLLED_BACK,
            CmdError::Traffic(e) if e.is_analysis_failure() => ANALYZERS_FOUND_ISSUES,
            CmdError::Analyze(e) if e.is_bad_input() => DATA_ERROR,
            CmdError::Analyze(_)
            | CmdError::Install(_)
            | CmdError::Addons(_)
            | CmdError::NotImplemented(..)
            | CmdError::Confirm(_)
            | CmdError::Output(_)
            | CmdError::Register(_)
            | CmdError::Dashboard(_)
            | CmdError::Traffic(_) => FAILURE,
        },
        Ending::Analysis {
            failing_messages: true,
            ..
        } => ANALYZERS_FOUND_ISSUES,
        Ending::Analysis {
            unparsed_inputs, ..
        } if unparsed_inputs > 0 => DATA_ERROR,
        Ending::Analysis { .. } => SUCCESS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_issues_win_over_unparsed_inputs() {
        let analysis = |failing_messages, unparsed_inputs| {
            code(Ending::Analysis {
                failing_messages,
                unparsed_inputs,
            })
        };
        assert_eq!(analysis(true, 3), ANALYZERS_FOUND_ISSUES);
        assert_eq!(analysis(false, 3), DATA_ERROR);
        assert_eq!(analysis(true, 0), ANALYZERS_FOUND_ISSUES);
        assert_eq!(analysis(false, 0), SUCCESS);
    }

    #[test]
    fn help_text_names_every_code() {
        let text = help_text();
        for c in CODES {
            assert!(text.contains(&format!("{} {}", c.code, c.short)), "{text}");
        }
        assert!(text.starts_with("Exit codes: 0 success, 1 failure, 2 usage error"));
    }
}
