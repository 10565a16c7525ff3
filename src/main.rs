//! The meshdeck binary: parse the command line, dispatch, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use meshdeck::cli::{Cli, Command};
use meshdeck::cmd::{self, CmdError};
use meshdeck::exit;
use meshdeck::ui::Terminal;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => exit::SUCCESS,
                ErrorKind::InvalidValue | ErrorKind::ValueValidation => exit::BAD_FLAG_VALUE,
                _ => exit::USAGE,
            };
            let _ = e.print();
            let code = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                exit::USAGE
            } else {
                code
            };
            return ExitCode::from(code);
        }
    };
    let term = Terminal::detect(cli.global.color);
    // Errors: colour and line wrapping only on a terminal, so logs keep whole lines.
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .wrap_lines(term.stderr_tty)
                .color(term.stderr_color)
                .build(),
        )
    }));
    let result = match cli.command {
        Command::Analyze(args) => cmd::analyze::run(*args, &cli.global, term),
        Command::Completion { shell } => cmd::completion::run(shell),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(CmdError {
            code,
            message,
            hint,
        }) => {
            let report = match hint {
                Some(h) => miette::miette!(help = h, "{message}"),
                None => miette::miette!("{message}"),
            };
            eprintln!("{report:?}");
            ExitCode::from(code)
        }
    }
}
