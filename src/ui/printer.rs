//! The one printer of the program. Requested data goes to stdout; everything else (status,
//! notes, warnings, errors, progress) goes to stderr, so `-o json | jq` sees JSON alone.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use super::style::{Style, paint};
use super::{Progress, Terminal};

/// How output is shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A person at a terminal: colour (unless turned off), progress, tables with borders.
    Human,
    /// No terminal: stable plain text, line by line.
    Plain,
    /// `-o json|yaml|...`: stdout carries the document alone; no progress.
    Machine,
}

type Sink = Mutex<Box<dyn Write + Send>>;

pub struct Printer {
    term: Terminal,
    mode: Mode,
    quiet: bool,
    out: Sink,
    err: Sink,
    /// The progress bar being drawn, so lines written meanwhile do not tear it.
    pub(super) active: Mutex<Option<indicatif::ProgressBar>>,
}

impl Printer {
    /// Prints to the process's stdout and stderr.
    pub fn new(term: Terminal, quiet: bool) -> Printer {
        Printer::with_sinks(term, quiet, Box::new(io::stdout()), Box::new(io::stderr()))
    }

    pub fn with_sinks(
        term: Terminal,
        quiet: bool,
        out: Box<dyn Write + Send>,
        err: Box<dyn Write + Send>,
    ) -> Printer {
        let mode = if term.stdout_tty || term.stderr_tty {
            Mode::Human
        } else {
            Mode::Plain
        };
        Printer {
            term,
            mode,
            quiet,
            out: Mutex::new(out),
            err: Mutex::new(err),
            active: Mutex::new(None),
        }
    }

    /// A printer writing into buffers, for tests: `(printer, stdout, stderr)`.
    pub fn buffered(term: Terminal, quiet: bool) -> (Printer, Buffer, Buffer) {
        let (out, err) = (Buffer::default(), Buffer::default());
        let p = Printer::with_sinks(term, quiet, Box::new(out.clone()), Box::new(err.clone()));
        (p, out, err)
    }

    /// Machine output: stdout carries one document, and nothing animates.
    pub fn machine(mut self) -> Printer {
        self.set_machine();
        self
    }

    pub fn set_machine(&mut self) {
        self.mode = Mode::Machine;
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn terminal(&self) -> &Terminal {
        &self.term
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Colour on stdout.
    pub fn color(&self) -> bool {
        self.term.color
    }

    /// Colour on stderr.
    pub fn stderr_color(&self) -> bool {
        self.term.stderr_color
    }

    /// `text` styled for stderr.
    pub fn style(&self, style: Style, text: &str) -> String {
        paint(self.term.stderr_color, style, text)
    }

    /// Requested data on stdout, exactly as given. Printed even with `--quiet`.
    pub fn data(&self, text: &str) -> io::Result<()> {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        out.write_all(text.as_bytes())?;
        out.flush()
    }

    /// A line on stderr that `--quiet` keeps (errors).
    fn err_line(&self, line: &str) {
        let write = || {
            let mut err = self.err.lock().unwrap_or_else(|e| e.into_inner());
            let _ = writeln!(err, "{line}");
            let _ = err.flush();
        };
        match self.active.lock().ok().and_then(|a| a.clone()) {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// Status text on stderr (`Analyzed 12 resources`); dropped with `--quiet`.
    pub fn status(&self, text: &str) {
        if !self.quiet {
            for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
                self.err_line(line);
            }
        }
    }

    /// `✔ text` on stderr; dropped with `--quiet`.
    pub fn success(&self, text: &str) {
        if !self.quiet {
            self.err_line(&format!("{} {text}", self.style(Style::Ok, "✔")));
        }
    }

    /// `note: text` on stderr; dropped with `--quiet`.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            self.err_line(&format!("{}: {text}", self.style(Style::Note, "note")));
        }
    }

    /// `warning: text` on stderr; dropped with `--quiet`.
    pub fn warning(&self, text: &str) {
        if !self.quiet {
            self.err_line(&format!(
                "{}: {text}",
                self.style(Style::Warning, "warning")
            ));
        }
    }

    /// `error: text` on stderr, always.
    pub fn error(&self, text: &str) {
        self.err_line(&format!("{}: {text}", self.style(Style::Error, "error")));
    }

    /// Already rendered text (a report, an error with its causes) on stderr, always.
    pub fn raw_stderr(&self, text: &str) {
        self.err_line(text.strip_suffix('\n').unwrap_or(text));
    }

    /// A spinner on stderr for something that can take a while (see [`Progress`]).
    pub fn progress(&self, plain_lines: bool) -> Progress<'_> {
        Progress::new(self, plain_lines)
    }

    /// One live line per task on stderr (see [`super::progress::Lines`]).
    pub fn lines(&self) -> super::progress::Lines<'_> {
        super::progress::Lines::new(self)
    }
}

/// A shared in-memory sink.
#[derive(Clone, Debug, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    pub fn contents(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(p: &Printer) {
        p.data("[]\n").unwrap();
        p.status("Analyzed 3 resources");
        p.note("skipped 1 analyzer(s)");
        p.warning("kind X could not be read");
        p.success("No validation issues found");
        p.error("x.yaml:1:2: invalid YAML");
    }

    #[test]
    fn plain_mode_keeps_stdout_for_data_and_writes_plain_lines() {
        let (p, out, err) = Printer::buffered(Terminal::plain(), false);
        assert_eq!(p.mode(), Mode::Plain);
        exercise(&p);
        assert_eq!(out.contents(), "[]\n");
        assert_eq!(
            err.contents(),
            "Analyzed 3 resources\nnote: skipped 1 analyzer(s)\nwarning: kind X could not be read\n\
             ✔ No validation issues found\nerror: x.yaml:1:2: invalid YAML\n"
        );
    }

    #[test]
    fn quiet_leaves_only_errors_and_data() {
        let (p, out, err) = Printer::buffered(Terminal::plain(), true);
        exercise(&p);
        assert_eq!(out.contents(), "[]\n");
        assert_eq!(err.contents(), "error: x.yaml:1:2: invalid YAML\n");
    }

    #[test]
    fn human_mode_colours_stderr_labels() {
        let (p, out, err) = Printer::buffered(Terminal::forced(80), false);
        assert_eq!(p.mode(), Mode::Human);
        exercise(&p);
        assert_eq!(out.contents(), "[]\n", "data is never decorated");
        let err = err.contents();
        assert!(
            err.contains("\x1b[") && err.contains("invalid YAML"),
            "{err:?}"
        );
        assert!(
            !err.contains("error: x.yaml"),
            "the label is styled: {err:?}"
        );
    }

    #[test]
    fn machine_mode_puts_nothing_but_data_on_stdout() {
        let (p, out, err) = Printer::buffered(Terminal::forced(80), false);
        let p = p.machine();
        assert_eq!(p.mode(), Mode::Machine);
        exercise(&p);
        let step = p.progress(true);
        assert!(step.is_hidden(), "no spinner under machine output");
        step.step("Reading the cluster").finish("Read the cluster");
        assert_eq!(out.contents(), "[]\n");
        assert!(err.contents().contains("Read the cluster"));
    }
}
