//! Progress on stderr for work that can take more than a moment. An indicatif spinner on a
//! terminal; hidden without one, under `CI`, with `--quiet` or machine output, where a plain
//! line per finished step is printed instead (when the command asks for one).

use std::time::Duration;

use std::collections::HashMap;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Printer;
use super::printer::Mode;
use super::style::Style;

pub struct Progress<'p> {
    printer: &'p Printer,
    bar: Option<ProgressBar>,
    plain_lines: bool,
}

impl<'p> Progress<'p> {
    pub(super) fn new(printer: &'p Printer, plain_lines: bool) -> Progress<'p> {
        let visible = printer.mode() != Mode::Machine
            && !printer.is_quiet()
            && printer.terminal().can_animate();
        let bar = visible.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let template = if printer.stderr_color() {
                "{spinner:.cyan} {msg} {elapsed:.dim}"
            } else {
                "{spinner} {msg} {elapsed}"
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .expect("the spinner template is valid")
                    .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
            );
            bar
        });
        if let Some(bar) = &bar
            && let Ok(mut active) = printer.active.lock()
        {
            *active = Some(bar.clone());
        }
        Progress {
            printer,
            bar,
            plain_lines,
        }
    }

    /// Whether nothing animates (no terminal, CI, quiet, machine output).
    pub fn is_hidden(&self) -> bool {
        self.bar.is_none()
    }

    /// Shows what is under way.
    pub fn step(&self, what: &str) -> &Self {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
            // Drawn from the first step on, so no empty spinner shows.
            bar.enable_steady_tick(Duration::from_millis(100));
        }
        self
    }

    /// Shows a wait that can take minutes: the spinner's message on a terminal; a plain line
    /// without one (when the command asks for plain lines), so a log shows what is awaited.
    pub fn waiting(&self, what: &str) -> &Self {
        if self.bar.is_none() && self.plain_lines {
            self.printer.status(what);
        }
        self.step(what)
    }

    /// Turns the spinner into a bar of `len` units (files to read, objects to apply).
    pub fn set_length(&self, len: u64) {
        if let Some(bar) = &self.bar {
            let template = if self.printer.stderr_color() {
                "{msg} {wide_bar:.cyan/blue} {pos}/{len} {elapsed:.dim}"
            } else {
                "{msg} {wide_bar} {pos}/{len} {elapsed}"
            };
            bar.set_style(
                ProgressStyle::with_template(template).expect("the bar template is valid"),
            );
            bar.set_length(len);
            bar.set_position(0);
        }
    }

    /// Advances the bar by `n` units.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Records a finished step: a `✔` line above the spinner, or a plain line without one.
    pub fn finish(&self, done: &str) {
        match &self.bar {
            Some(bar) => bar.println(format!("{} {done}", self.printer.style(Style::Ok, "✔"))),
            None if self.plain_lines => self.printer.status(done),
            None => {}
        }
    }
}

impl Drop for Progress<'_> {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            if let Ok(mut active) = self.printer.active.lock() {
                *active = None;
            }
        }
    }
}

/// One live line per task (each component of an install), one under another: a spinner with
/// what the task is doing, turned into its closing line (`✔ ...`, `✘ ...`) when it ends, which
/// stays. Hidden where [`Progress`] is; then the caller prints plain lines itself.
pub struct Lines<'p> {
    printer: &'p Printer,
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl<'p> Lines<'p> {
    pub(super) fn new(printer: &'p Printer) -> Lines<'p> {
        let visible = printer.mode() != Mode::Machine
            && !printer.is_quiet()
            && printer.terminal().can_animate();
        Lines {
            printer,
            multi: visible.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            bars: Mutex::new(HashMap::new()),
        }
    }

    /// Whether nothing animates (no terminal, CI, quiet, machine output).
    pub fn is_hidden(&self) -> bool {
        self.multi.is_none()
    }

    /// Shows what task `key` is doing now, on its own line (made on first use).
    pub fn set(&self, key: &str, what: &str) {
        let Some(multi) = &self.multi else {
            return;
        };
        let Ok(mut bars) = self.bars.lock() else {
            return;
        };
        let bar = bars.entry(key.to_string()).or_insert_with(|| {
            let template = if self.printer.stderr_color() {
                "{spinner:.cyan} {msg} {elapsed:.dim}"
            } else {
                "{spinner} {msg} {elapsed}"
            };
            let bar = multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template(template)
                    .expect("the spinner template is valid")
                    .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
            );
            bar.enable_steady_tick(Duration::from_millis(100));
            // Lines the printer writes meanwhile go above the live ones.
            if let Ok(mut active) = self.printer.active.lock()
                && active.is_none()
            {
                *active = Some(bar.clone());
            }
            bar
        });
        bar.set_message(if key.is_empty() {
            what.to_string()
        } else {
            format!("{key}: {what}")
        });
    }

    /// Ends task `key` with `line`, which stays where its live line was.
    pub fn done(&self, key: &str, line: &str) {
        let Some(multi) = &self.multi else {
            return;
        };
        let Ok(mut bars) = self.bars.lock() else {
            return;
        };
        let bar = bars
            .entry(key.to_string())
            .or_insert_with(|| multi.add(ProgressBar::new_spinner()));
        bar.set_style(ProgressStyle::with_template("{msg}").expect("the line template is valid"));
        bar.finish_with_message(line.to_string());
    }
}

impl Drop for Lines<'_> {
    fn drop(&mut self) {
        if let Ok(bars) = self.bars.lock() {
            for bar in bars.values().filter(|b| !b.is_finished()) {
                bar.finish_and_clear();
            }
        }
        if self.multi.is_some()
            && let Ok(mut active) = self.printer.active.lock()
        {
            *active = None;
        }
    }
}

impl crate::ops::Observer for Progress<'_> {
    fn begin(&self, step: &str) {
        self.step(step);
    }

    fn end(&self, done: &str) {
        self.finish(done);
    }

    fn begin_wait(&self, step: &str) {
        self.waiting(step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::Terminal;

    #[test]
    fn hidden_without_a_terminal_with_plain_lines_when_asked() {
        let (p, out, err) = Printer::buffered(Terminal::plain(), false);
        let progress = p.progress(true);
        assert!(progress.is_hidden());
        progress.step("Reading").finish("Read 3 kinds");
        progress.waiting("Waiting for 1 Deployment").finish("Ready");
        drop(progress);
        let silent = p.progress(false);
        silent.step("Reading").finish("Read 4 kinds");
        silent.waiting("Waiting for 2 Deployments");
        assert_eq!(
            err.contents(),
            "Read 3 kinds\nWaiting for 1 Deployment\nReady\n"
        );
        assert_eq!(out.contents(), "");
    }

    #[test]
    fn hidden_under_ci_and_quiet() {
        let ci = Terminal {
            ci: true,
            ..Terminal::forced(80)
        };
        let (p, ..) = Printer::buffered(ci, false);
        assert!(p.progress(true).is_hidden());
        let (p, _, err) = Printer::buffered(Terminal::forced(80), true);
        let progress = p.progress(true);
        assert!(progress.is_hidden());
        progress.finish("done");
        assert_eq!(err.contents(), "", "quiet drops the step lines too");
    }

    #[test]
    fn lines_are_hidden_without_a_terminal_and_live_on_one() {
        let (p, _, err) = Printer::buffered(Terminal::plain(), false);
        let lines = p.lines();
        assert!(lines.is_hidden());
        lines.set("Istiod", "waiting");
        lines.done("Istiod", "✔ Istiod installed");
        drop(lines);
        assert_eq!(err.contents(), "", "the caller prints plain lines itself");
        let (p, _, err) = Printer::buffered(Terminal::forced(80), false);
        let lines = p.lines();
        assert!(!lines.is_hidden());
        lines.set("Istiod", "applying 12 objects");
        lines.set("Ingress gateways", "waiting for 1 object");
        lines.done("Istiod", "✔ Istiod installed");
        {
            let bars = lines.bars.lock().unwrap();
            assert_eq!(bars.len(), 2);
            assert!(bars["Istiod"].is_finished());
            assert_eq!(bars["Istiod"].message(), "✔ Istiod installed");
            assert_eq!(
                bars["Ingress gateways"].message(),
                "Ingress gateways: waiting for 1 object"
            );
        }
        drop(lines);
        assert_eq!(err.contents(), "");
    }

    #[test]
    fn shown_on_a_terminal() {
        let (p, _, err) = Printer::buffered(Terminal::forced(80), false);
        let progress = p.progress(false);
        assert!(!progress.is_hidden());
        progress.set_length(3);
        progress.step("Applying").inc(2);
        assert_eq!(progress.bar.as_ref().map(|b| b.position()), Some(2));
        drop(progress);
        assert_eq!(
            err.contents(),
            "",
            "the bar draws on the terminal, not in the printer's lines"
        );
    }
}
