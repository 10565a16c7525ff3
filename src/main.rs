//! The meshdeck binary: parse the command line, dispatch, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use meshdeck::cli::{Cli, Command};
use meshdeck::ui::{Printer, Terminal, error};
use meshdeck::{cmd, exit};

/// A large input is millions of small allocations (nodes, keys, scalars), made on every core:
/// mimalloc serves them faster and with less memory than the system allocator (issue 12).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(exit::code(exit::Ending::Parse(&e)));
        }
    };
    let term = Terminal::detect(cli.global.color);
    let mut printer = Printer::new(term, cli.global.quiet);
    let result = match cli.command {
        Command::Analyze(args) => cmd::analyze::run(*args, &cli.global, &mut printer),
        Command::Register(args) => cmd::register::run(*args, &cli.global, &mut printer),
        Command::Deregister(args) => cmd::deregister::run(args, &cli.global, &mut printer),
        Command::Dashboard(args) => cmd::dashboard::run(*args, &cli.global, &mut printer),
        Command::TrafficShift(args) => cmd::traffic_shift::run(*args, &cli.global, &mut printer),
        Command::Manifest(c) => cmd::manifest::run(c, &mut printer),
        Command::Install(args) => cmd::install::run(*args, &cli.global, &mut printer),
        Command::Uninstall(args) => cmd::uninstall::run(args, &cli.global, &mut printer),
        Command::VerifyInstall(args) => cmd::verify_install::run(*args, &cli.global, &mut printer),
        Command::Profile(c) => cmd::profile::run(c, &mut printer),
        Command::Completion { shell } => cmd::completion::run(shell, &printer),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            printer.raw_stderr(&error::render(&e, &term));
            ExitCode::from(exit::code(exit::Ending::Failed(&e)))
        }
    }
}
