//! Yes/no questions before a command changes something. Nobody is asked where nobody can
//! answer: without a terminal the command stops and names `--yes`.

use super::Printer;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfirmError {
    #[error("this needs confirmation, and there is no terminal to ask on: {question}")]
    #[diagnostic(
        code(meshdeck::confirm::no_terminal),
        help("pass --yes (-y, or --skip-confirmation) to go ahead without a prompt")
    )]
    NoTerminal { question: String },
    #[error("cannot ask for confirmation")]
    #[diagnostic(code(meshdeck::confirm::prompt))]
    Prompt(#[source] dialoguer::Error),
}

impl Printer {
    /// Asks `question` (default: no). `yes` (`-y/--yes`) answers it without asking. Without a
    /// terminal on stdin and stderr this is an error that names `--yes`; it never blocks.
    pub fn confirm(&self, question: &str, yes: bool) -> Result<bool, ConfirmError> {
        if yes {
            return Ok(true);
        }
        if !self.terminal().can_prompt() {
            return Err(ConfirmError::NoTerminal {
                question: question.to_string(),
            });
        }
        let theme = dialoguer::theme::SimpleTheme;
        let answer = || {
            dialoguer::Confirm::with_theme(&theme)
                .with_prompt(question)
                .default(false)
                .interact_on(&console::Term::stderr())
        };
        let bar = self.active.lock().ok().and_then(|a| a.clone());
        match bar {
            Some(bar) => bar.suspend(answer),
            None => answer(),
        }
        .map_err(ConfirmError::Prompt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::Terminal;

    #[test]
    fn without_a_terminal_it_refuses_and_names_yes() {
        let (p, out, err) = Printer::buffered(Terminal::plain(), false);
        let e = p.confirm("Delete the mesh", false).unwrap_err();
        assert!(matches!(e, ConfirmError::NoTerminal { .. }));
        let help = miette::Diagnostic::help(&e).unwrap().to_string();
        assert!(help.contains("--yes"), "{help}");
        assert!(
            e.to_string()
                .ends_with("no terminal to ask on: Delete the mesh")
        );
        assert_eq!(out.contents() + &err.contents(), "", "nothing was asked");
    }

    #[test]
    fn a_terminal_on_stdout_alone_is_not_enough() {
        let term = Terminal {
            stdin_tty: false,
            ..Terminal::forced(80)
        };
        let (p, ..) = Printer::buffered(term, false);
        assert!(p.confirm("Apply", false).is_err());
    }

    #[test]
    fn yes_answers_without_asking() {
        let (p, out, err) = Printer::buffered(Terminal::plain(), false);
        assert!(p.confirm("Delete the mesh", true).unwrap());
        assert_eq!(out.contents() + &err.contents(), "");
    }
}
