//! `meshdeck completion SHELL`: print a completion script.

use crate::cli;
use crate::exit;
use crate::ui::Printer;

pub fn run(shell: clap_complete::Shell, printer: &Printer) -> super::CmdResult {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli::command(), "meshdeck", &mut script);
    printer
        .data(&String::from_utf8_lossy(&script))
        .map_err(super::CmdError::Output)?;
    Ok(exit::SUCCESS)
}
