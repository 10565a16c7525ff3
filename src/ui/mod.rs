//! Everything that knows about terminals: whether stdout/stderr are terminals, colour, and
//! whether anyone can answer a prompt. Nothing outside `ui` and `cmd` prints.

use std::io::IsTerminal;

use crate::cli::ColorChoice;

/// What the process is talking to.
#[derive(Clone, Copy, Debug)]
pub struct Terminal {
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    /// Colour and decorations on stdout.
    pub color: bool,
    /// Colour and decorations on stderr.
    pub stderr_color: bool,
    /// Running under CI (`CI` set to anything but `false`/`0`).
    pub ci: bool,
}

impl Terminal {
    pub fn detect(choice: ColorChoice) -> Terminal {
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        let auto = |tty: bool| tty && !no_color && !dumb;
        let (color, stderr_color) = match choice {
            ColorChoice::Always => (true, true),
            ColorChoice::Never => (false, false),
            ColorChoice::Auto => (auto(stdout_tty), auto(stderr_tty)),
        };
        Terminal {
            stdout_tty,
            stderr_tty,
            color,
            stderr_color,
            ci,
        }
    }

    /// Plain output for tests and pipes.
    pub fn plain() -> Terminal {
        Terminal {
            stdout_tty: false,
            stderr_tty: false,
            color: false,
            stderr_color: false,
            ci: false,
        }
    }
}

/// ANSI styling that is a no-op when colour is off.
pub fn paint(on: bool, code: &str, text: &str) -> String {
    if on && !code.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
