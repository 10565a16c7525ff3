//! `meshdeck uninstall`: find what meshdeck installed (by its ownership labels), ask, delete;
//! with `--purge` the CRDs too, after a second question that counts the custom resources lost.
//! `uninstall addons` and `uninstall sample` go to their own files.

use super::CmdResult;
use crate::cli::{GlobalArgs, UninstallArgs, UninstallCommand};
use crate::exit;
use crate::ops::install::{InstallObserver, InstallSession};
use crate::ui::{Printer, Progress};

pub fn run(mut args: UninstallArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    match args.command.take() {
        Some(UninstallCommand::Addons(a)) => return super::addons::uninstall(a, global, printer),
        Some(UninstallCommand::Sample(a)) => return super::sample::uninstall(a, global, printer),
        None => {}
    }
    let session = InstallSession::open(&super::connect_options(global))?;
    // Without --revision: the default revision; --purge alone takes every revision.
    let revision = match (&args.revision, args.purge) {
        (Some(r), _) => Some(r.as_str()),
        (None, false) => Some("default"),
        (None, true) => None,
    };
    let scope = match revision {
        Some(r) => format!("Istio revision \"{r}\""),
        None => "Istio (every revision)".to_string(),
    };
    let plan = {
        let progress = printer.progress(false);
        progress.step("Finding what meshdeck installed");
        session.uninstall_plan(revision)?
    };
    let crds = if args.purge { plan.crds.len() } else { 0 };
    if plan.objects.is_empty() && crds == 0 {
        printer.success(&format!(
            "Nothing to uninstall: no object in cluster \"{}\" carries meshdeck's labels for {scope}",
            session.context()
        ));
        return Ok(exit::SUCCESS);
    }
    let kept = if !args.purge && !plan.crds.is_empty() {
        format!(
            "; its {} CRD(s) stay (--purge removes them)",
            plan.crds.len()
        )
    } else {
        String::new()
    };
    let question = format!(
        "This will delete {} object(s) of {scope} that meshdeck installed from cluster \"{}\"{kept}. Proceed?",
        plan.objects.len(),
        session.context()
    );
    if !printer.confirm(&question, global.yes)? {
        printer.status("Cancelled. Nothing was changed.");
        return Ok(exit::FAILURE);
    }
    if args.purge && crds > 0 {
        let question = format!(
            "--purge also deletes {crds} CRD(s), and with them {} custom resource(s) in the cluster. Proceed?",
            plan.custom_resources
        );
        if !printer.confirm(&question, global.yes)? {
            printer.status("Cancelled. Nothing was changed.");
            return Ok(exit::FAILURE);
        }
    }
    if args.purge && crds > 0 {
        printer.status(&format!(
            "Deleting {crds} CRD(s) and {} custom resource(s) with them",
            plan.custom_resources
        ));
    }
    let deleted = {
        let progress = printer.progress(false);
        let observer = Observer {
            printer,
            progress: &progress,
        };
        session.uninstall(&plan, args.purge, &observer)?
    };
    printer.success(&format!(
        "Uninstall complete: {} object(s) deleted",
        deleted.len()
    ));
    Ok(exit::SUCCESS)
}

pub(super) struct Observer<'a> {
    pub printer: &'a Printer,
    pub progress: &'a Progress<'a>,
}

impl InstallObserver for Observer<'_> {
    fn waiting(&self, what: &str) {
        self.progress.step(what);
    }
    fn installed(&self, _: &str) {}
    fn failed(&self, title: &str, reason: &str) {
        self.printer.error(&format!("{title}: {reason}"));
    }
    fn note(&self, text: &str) {
        self.printer.status(&format!("  {text}"));
    }
}
