//! `meshdeck install`: render, check the server, say what is adapted, ask, apply component by
//! component with progress, then a summary (or one JSON object). `--dry-run` prints the objects
//! and touches no cluster. `install addons` and `install sample` go to their own files.

use super::{CmdError, CmdResult};
use crate::cli::{GlobalArgs, InstallArgs, InstallCommand, InstallOutput};
use crate::exit;
use crate::install::iop;
use crate::ops::install::{self, ApplyRequest, InstallObserver, InstallReport, InstallSession};
use crate::ui::{Printer, Progress, Style};

pub fn run(mut args: InstallArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    match args.command.take() {
        Some(InstallCommand::Addons(a)) => return super::addons::install(a, global, printer),
        Some(InstallCommand::Sample(a)) => return super::sample::install(a, global, printer),
        None => {}
    }
    if args.output == InstallOutput::Json {
        printer.set_machine();
    }
    let rendered = {
        let progress = printer.progress(true);
        install::generate(
            &super::manifest::request(&args.render, Vec::new()),
            &super::DownloadProgress(&progress),
        )?
    };
    let tag = iop::get_string(&rendered.merged, "spec.values.global.tag");
    if args.dry_run {
        let objects = rendered.ordered();
        let summary: Vec<String> = rendered
            .components
            .iter()
            .map(|c| format!("{} ({} objects)", c.component.title, c.objects.len()))
            .collect();
        printer.status(&format!(
            "Dry run: this would install the Istio {tag} profile \"{}\": {}. Nothing was sent to a cluster.",
            rendered.profile(),
            summary.join(", ")
        ));
        printer
            .data(&crate::install::render::to_yaml_stream(&objects))
            .map_err(CmdError::Output)?;
        return Ok(exit::SUCCESS);
    }

    let session = InstallSession::open(&super::connect_options(global))?;
    let (caps, out_of_range) = session.check_server(&tag, args.force)?;
    if let Some(e) = out_of_range {
        printer.warning(&format!("{e}; going on because of --force"));
    }
    let prepared = install::prepare(&rendered, &caps, false);
    for line in prepared.adaptations.lines() {
        printer.note(&format!("adapted to this server: {line}"));
    }
    let question = format!(
        "This will install the Istio {tag} \"{}\" profile into cluster \"{}\". Proceed?",
        rendered.profile(),
        session.context()
    );
    if !printer.confirm(&question, global.yes)? {
        printer.status("Cancelled. Nothing was changed.");
        return Ok(exit::FAILURE);
    }
    let req = ApplyRequest {
        force_conflicts: args.force_conflicts,
        readiness_timeout: args.readiness_timeout,
    };
    let report = {
        let progress = printer.progress(false);
        let observer = Observer {
            printer,
            progress: &progress,
        };
        session.install(&prepared, &req, &observer)?
    };
    match args.output {
        InstallOutput::Json => {
            let doc = serde_json::json!({
                "context": session.context(),
                "version": tag,
                "profile": rendered.profile(),
                "revision": prepared.revision,
                "components": report.installed,
                "adapted": prepared.adaptations.lines(),
                "namespacesCreated": report.namespaces_created,
                "created": report.created,
                "changed": report.changed,
                "unchanged": report.unchanged,
                "pruned": report.pruned,
                "seconds": report.elapsed.as_secs_f64(),
            });
            printer
                .data(&format!("{doc:#}\n"))
                .map_err(CmdError::Output)?;
        }
        InstallOutput::Text => printer.success(&summary(&report)),
    }
    Ok(exit::SUCCESS)
}

/// The closing line: what changed, and how long it took.
fn summary(r: &InstallReport) -> String {
    let took = humantime::format_duration(std::time::Duration::from_millis(
        r.elapsed.as_millis() as u64
    ));
    if r.is_noop() {
        return format!(
            "Installation complete: nothing changed ({} objects already as rendered) in {took}",
            r.unchanged.len()
        );
    }
    format!(
        "Installation complete: {} created, {} changed, {} unchanged, {} pruned in {took}",
        r.created.len(),
        r.changed.len(),
        r.unchanged.len(),
        r.pruned.len()
    )
}

/// Progress lines for the install: a live line while waiting, `✔ <component> installed` or
/// `✘ <component>: <reason>` after (plain lines without a terminal).
pub(super) struct Observer<'a> {
    pub printer: &'a Printer,
    pub progress: &'a Progress<'a>,
}

impl InstallObserver for Observer<'_> {
    fn waiting(&self, what: &str) {
        self.progress.step(what);
    }

    fn installed(&self, title: &str) {
        let line = format!("{title} installed");
        if self.progress.is_hidden() {
            self.printer.success(&line);
        } else {
            self.progress.finish(&line);
        }
    }

    fn failed(&self, title: &str, reason: &str) {
        self.printer.status(&format!(
            "{} {title}: {reason}",
            self.printer.style(Style::Error, "✘")
        ));
    }

    fn note(&self, text: &str) {
        self.printer.status(text);
    }
}
