//! `meshdeck verify-install`: render as `install` would, then check that every object exists,
//! matches what install applies, and is ready; a table of what is not, exit 1 when anything is.

use super::{CmdError, CmdResult};
use crate::cli::{GlobalArgs, VerifyInstallArgs};
use crate::exit;
use crate::ops::install::{self, InstallObserver, InstallSession};
use crate::ui::{Printer, Progress, Table};

pub fn run(args: VerifyInstallArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    let rendered = {
        let progress = printer.progress(true);
        install::generate(
            &super::manifest::request(&args.render, Vec::new()),
            &super::DownloadProgress(&progress),
        )?
    };
    let session = InstallSession::open(&super::connect_options(global))?;
    // The server's version does not matter here; what install adapts for it does.
    let (caps, _) = session.check_server("", true)?;
    let prepared = install::prepare(&rendered, &caps, false);
    let (findings, checked) = {
        let progress = printer.progress(false);
        let observer = Observer(&progress);
        session.verify(&prepared, &observer)?
    };
    if findings.is_empty() {
        printer.success(&format!(
            "Istio is installed and verified: {checked} objects exist, match the render and are ready"
        ));
        return Ok(exit::SUCCESS);
    }
    let mut table = Table::new(["OBJECT", "PROBLEM"]);
    for f in &findings {
        table.row([f.object.as_str(), f.problem.as_str()]);
    }
    printer
        .data(&table.render(printer.terminal()))
        .map_err(CmdError::Output)?;
    printer.error(&format!(
        "{} of {checked} objects are missing, differ from the render or are not ready",
        findings.len()
    ));
    Ok(exit::FAILURE)
}

struct Observer<'a>(&'a Progress<'a>);

impl InstallObserver for Observer<'_> {
    fn waiting(&self, what: &str) {
        self.0.step(what);
    }
    fn installed(&self, _: &str) {}
    fn failed(&self, _: &str, _: &str) {}
    fn note(&self, _: &str) {}
}
