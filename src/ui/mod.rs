//! Everything that knows about terminals: whether stdout/stderr/stdin are terminals, CI, colour
//! and width; the one [`Printer`] the program writes through; progress, prompts, tables, and the
//! error renderer. Nothing outside `ui` and `cmd` prints.

pub mod confirm;
pub mod error;
pub mod printer;
pub mod progress;
pub mod style;
pub mod table;

use std::io::IsTerminal;

use crate::cli::ColorChoice;

pub use confirm::ConfirmError;
pub use printer::{Mode, Printer};
pub use progress::Progress;
pub use style::{Style, paint};
pub use table::Table;

/// What the process is talking to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terminal {
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    /// Someone could answer a prompt.
    pub stdin_tty: bool,
    /// Colour and decorations on stdout.
    pub color: bool,
    /// Colour and decorations on stderr.
    pub stderr_color: bool,
    /// Running under CI (`CI` set to anything but `false`/`0`).
    pub ci: bool,
    /// Columns of the terminal, when there is one.
    pub width: Option<u16>,
}

impl Terminal {
    pub fn detect(choice: ColorChoice) -> Terminal {
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let stdin_tty = std::io::stdin().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        let auto = |tty: bool| tty && !no_color && !dumb;
        let (color, stderr_color) = match choice {
            ColorChoice::Always => (true, true),
            ColorChoice::Never => (false, false),
            ColorChoice::Auto => (auto(stdout_tty), auto(stderr_tty)),
        };
        let width = if stdout_tty {
            console::Term::stdout().size_checked().map(|(_, w)| w)
        } else if stderr_tty {
            console::Term::stderr().size_checked().map(|(_, w)| w)
        } else {
            None
        };
        Terminal {
            stdout_tty,
            stderr_tty,
            stdin_tty,
            color,
            stderr_color,
            ci,
            width,
        }
    }

    /// No terminal anywhere: pipes, files, tests.
    pub fn plain() -> Terminal {
        Terminal {
            stdout_tty: false,
            stderr_tty: false,
            stdin_tty: false,
            color: false,
            stderr_color: false,
            ci: false,
            width: None,
        }
    }

    /// A colour terminal of `width` columns on every stream, for tests of the terminal rendering.
    pub fn forced(width: u16) -> Terminal {
        Terminal {
            stdout_tty: true,
            stderr_tty: true,
            stdin_tty: true,
            color: true,
            stderr_color: true,
            ci: false,
            width: Some(width),
        }
    }

    /// Whether animated progress may be drawn on stderr.
    pub fn can_animate(&self) -> bool {
        self.stderr_tty && !self.ci
    }

    /// Whether anyone can answer a prompt.
    pub fn can_prompt(&self) -> bool {
        self.stdin_tty && self.stderr_tty
    }
}
