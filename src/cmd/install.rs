//! `meshdeck install`: render, check the server, say what is adapted, ask, apply component by
//! component with progress, then a summary (or one JSON object). `--dry-run` prints the objects
//! and touches no cluster. `install addons` and `install sample` go to their own files.

use super::{CmdError, CmdResult};
use crate::cli::{GlobalArgs, InstallArgs, InstallCommand, InstallOutput};
use crate::exit;
use crate::install::iop;
use crate::install::precheck::{self, Severity};
use crate::ops::install::{
    self, ApplyRequest, InstallError, InstallObserver, InstallReport, InstallSession,
};
use crate::ui::progress::Lines;
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
    // The cluster is reached (connection, version, discovery) while the charts render. A
    // render error returns at once, leaving that thread behind (it only reads).
    let server = (!args.dry_run).then(|| {
        let target = super::connect_options(global);
        std::thread::spawn(move || {
            let session = InstallSession::open(&target)?;
            let server = session.server()?;
            Ok::<_, InstallError>((session, server))
        })
    });
    let rendered = {
        let progress = printer.progress(true);
        install::generate(
            &super::manifest::request(&args.render, Vec::new()),
            &super::DownloadProgress(&progress),
        )?
    };
    let tag = iop::get_string(&rendered.merged, "spec.values.global.tag");
    let Some(server) = server else {
        return dry_run(&rendered, &tag, printer);
    };
    let (session, (version, caps)) = server
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
    // Outside the supported range is one precheck problem among the others, so that every
    // problem is listed at once.
    let out_of_range = install::out_of_range(&version, &tag);
    let prepared = install::prepare(&rendered, &caps, false);
    for line in prepared.adaptations.lines() {
        printer.note(&format!("adapted to this server: {line}"));
    }
    let mut checks = {
        let progress = printer.progress(false);
        let observer = Observer {
            printer,
            progress: Some(&progress),
            lines: None,
        };
        session.precheck(
            &prepared,
            args.adopt,
            out_of_range.as_ref().map(install::server_version_problem),
            &observer,
        )?
    };
    for p in checks.passed_over(args.force) {
        match p.severity {
            Severity::Error => printer.warning(&format!("{}; going on because of --force", p.what)),
            Severity::Warning => printer.warning(&format!("{} ({})", p.what, p.fix)),
        }
    }
    for s in &checks.skipped {
        printer.note(&format!("precheck skipped: {s}"));
    }
    let blocking = checks.blocking(args.force);
    if !blocking.is_empty() {
        return Err(InstallError::Precheck(blocking).into());
    }
    if !checks.adopted.is_empty() {
        printer.status(&format!(
            "Adopting {} installed by istioctl: meshdeck will own, prune and uninstall them",
            precheck::adopt_summary(&checks.adoptable)
        ));
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
        adopted: checks.adopted.clone(),
        known: std::mem::take(&mut checks.live),
    };
    let report = {
        let lines = printer.lines();
        let observer = Observer {
            printer,
            progress: None,
            lines: Some(&lines),
        };
        session.install(&prepared, &req, &observer)
    };
    let report = match report {
        Ok(r) => r,
        Err(InstallError::Interrupted { signal, partial }) => {
            if args.output == InstallOutput::Json {
                let mut doc = serde_json::json!({
                    "context": session.context(),
                    "version": tag,
                    "profile": rendered.profile(),
                    "interrupted": true,
                    "signal": signal,
                });
                doc.as_object_mut()
                    .expect("an object")
                    .extend(partial.json_fields());
                printer
                    .data(&format!("{doc:#}\n"))
                    .map_err(CmdError::Output)?;
            }
            return Err(InstallError::Interrupted { signal, partial }.into());
        }
        Err(e) => return Err(e.into()),
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
                "adopted": checks.adopted.len(),
                "warnings": checks.passed_over(args.force).iter().map(|p| p.to_string()).collect::<Vec<_>>(),
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

/// `--dry-run`: what would be installed, and the objects, with no cluster asked.
fn dry_run(
    rendered: &crate::install::render::Rendered,
    tag: &str,
    printer: &mut Printer,
) -> CmdResult {
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

/// Progress lines for the install: a live line per component while it is applied and waited
/// for, then `✔ <component> installed` or `✘ <component>: <reason>` in its place (plain lines
/// without a terminal). The prechecks show one spinner.
pub(super) struct Observer<'a> {
    pub printer: &'a Printer,
    pub progress: Option<&'a Progress<'a>>,
    pub lines: Option<&'a Lines<'a>>,
}

impl Observer<'_> {
    fn live(&self) -> bool {
        self.lines.is_some_and(|l| !l.is_hidden())
    }
}

impl InstallObserver for Observer<'_> {
    fn waiting(&self, what: &str) {
        if let Some(p) = self.progress {
            p.step(what);
        }
        if let Some(l) = self.lines {
            // The line of the install as a whole (a step, pruning), above the components'.
            l.set("", what);
        }
    }

    fn component(&self, title: &str, what: &str) {
        match self.lines {
            Some(l) if self.live() => l.set(title, what),
            // A CI log says what each component waits for before the wait ends.
            Some(_) => self.printer.status(&format!("{title}: {what}")),
            None => {}
        }
    }

    fn installed(&self, title: &str) {
        let line = format!("{title} installed");
        match self.lines {
            Some(l) if self.live() => l.done(
                title,
                &format!("{} {line}", self.printer.style(Style::Ok, "✔")),
            ),
            _ => self.printer.success(&line),
        }
    }

    fn failed(&self, title: &str, reason: &str) {
        let line = format!(
            "{} {title}: {reason}",
            self.printer.style(Style::Error, "✘")
        );
        match self.lines {
            Some(l) if self.live() => l.done(title, &line),
            _ => self.printer.status(&line),
        }
    }

    fn note(&self, text: &str) {
        self.printer.status(text);
    }
}
