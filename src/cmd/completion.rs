//! `meshdeck completion SHELL`: print a completion script.

use crate::cli;
use crate::exit;

pub fn run(shell: clap_complete::Shell) -> super::CmdResult {
    clap_complete::generate(
        shell,
        &mut cli::command(),
        "meshdeck",
        &mut std::io::stdout(),
    );
    Ok(exit::SUCCESS)
}
