//! One file per subcommand: arguments in, one library call, rendered output out.

pub mod analyze;
pub mod completion;

use crate::exit;

/// A failed command: what to tell the user and which exit code to end with.
#[derive(Debug)]
pub struct CmdError {
    pub code: u8,
    pub message: String,
    pub hint: Option<String>,
}

impl CmdError {
    pub fn new(code: u8, message: impl Into<String>) -> CmdError {
        CmdError {
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: Option<String>) -> CmdError {
        self.hint = hint;
        self
    }

    pub fn failure(message: impl Into<String>) -> CmdError {
        CmdError::new(exit::FAILURE, message)
    }
}

pub type CmdResult = Result<u8, CmdError>;
