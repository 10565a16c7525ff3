//! `meshdeck install addons` and `meshdeck uninstall addons`: arguments -> `ops::addons` ->
//! progress, the question, the summary and the dashboard commands (or one JSON object).

use super::{CmdError, CmdResult};
use crate::cli::{AddonsArgs, GlobalArgs, InstallOutput, UninstallAddonsArgs};
use crate::exit;
use crate::install::addons::{self, PreparedAddons};
use crate::install::apply::ServerCaps;
use crate::ops::addons::{self as ops, ApplyReport, ApplyRequest, Session};
use crate::ui::Printer;

/// Objects as a YAML stream, for `--dry-run`.
pub(super) fn yaml_stream<'a>(objects: impl IntoIterator<Item = &'a serde_json::Value>) -> String {
    objects
        .into_iter()
        .map(|o| {
            let text = serde_saphyr::to_string(o).expect("JSON values always serialize as YAML");
            format!("---\n{text}")
        })
        .collect()
}

/// The closing line of an apply.
pub(super) fn summary(what: &str, r: &ApplyReport) -> String {
    let took = humantime::format_duration(std::time::Duration::from_millis(
        r.elapsed.as_millis() as u64
    ));
    if r.is_noop() {
        return format!(
            "{what} complete: nothing changed ({} objects already as applied) in {took}",
            r.unchanged.len()
        );
    }
    format!(
        "{what} complete: {} created, {} changed, {} unchanged in {took}",
        r.created.len(),
        r.changed.len(),
        r.unchanged.len()
    )
}

fn listing(prepared: &PreparedAddons) -> String {
    prepared
        .addons
        .iter()
        .map(|a| format!("{} ({} objects)", a.name, a.objects.len()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn install(args: AddonsArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    if args.output == InstallOutput::Json {
        printer.set_machine();
    }
    let namespace = global.istio_namespace.clone();
    ops::check_label("the Istio namespace (-i)", &namespace)?;
    let release = super::release_source(&args.release);
    let samples = {
        let progress = printer.progress(true);
        ops::samples_dir(&release, "addons", &super::DownloadProgress(&progress))?
    };
    let known = ops::known_addons(&samples)?;
    let names = ops::chosen(&args.names, &known)?;
    let loaded = ops::load(&samples, &names)?;

    if args.dry_run {
        // A current server: nothing adapted but the namespace.
        let prepared = addons::prepare(&loaded, &namespace, &ServerCaps::CURRENT, u32::MAX);
        printer.status(&format!(
            "Dry run: this would install the addons {} into namespace \"{namespace}\". Nothing was sent to a cluster.",
            listing(&prepared)
        ));
        printer
            .data(&yaml_stream(
                prepared.addons.iter().flat_map(|a| &a.objects),
            ))
            .map_err(CmdError::Output)?;
        return Ok(exit::SUCCESS);
    }

    let session = Session::open(&super::connect_options(global))?;
    let (caps, minor) = session.caps()?;
    let prepared = addons::prepare(&loaded, &namespace, &caps, minor);
    for line in prepared.adaptation_lines() {
        printer.note(&format!("adapted to this server: {line}"));
    }
    printer.note(&format!(
        "the release's addons are demo configurations, not tuned for production (see {})",
        samples.join("addons/README.md").display()
    ));
    let question = format!(
        "This will install the addons {} into namespace \"{namespace}\" of cluster \"{}\". Proceed?",
        names.join(", "),
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
        let observer = super::install::Observer {
            printer,
            progress: Some(&progress),
            lines: None,
        };
        session.install(&prepared, &namespace, &req, &observer)?
    };
    let dashboards: Vec<(String, Option<String>)> = prepared
        .addons
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                addons::dashboard_command(&a.name, &namespace),
            )
        })
        .collect();
    match args.output {
        InstallOutput::Json => {
            let list: Vec<serde_json::Value> = prepared
                .addons
                .iter()
                .zip(&dashboards)
                .map(|(a, (_, d))| {
                    serde_json::json!({"name": a.name, "component": a.title,
                        "objects": a.objects.len(), "dashboard": d})
                })
                .collect();
            let doc = serde_json::json!({
                "context": session.context(),
                "namespace": namespace,
                "addons": list,
                "adapted": prepared.adaptation_lines(),
                "namespacesCreated": report.namespaces_created,
                "created": report.created,
                "changed": report.changed,
                "unchanged": report.unchanged,
                "seconds": report.elapsed.as_secs_f64(),
            });
            printer
                .data(&format!("{doc:#}\n"))
                .map_err(CmdError::Output)?;
        }
        InstallOutput::Text => {
            printer.success(&summary("Addons installation", &report));
            let mut lines = vec!["Open them with:".to_string()];
            for (name, command) in &dashboards {
                lines.push(match command {
                    Some(c) => format!("  {c}"),
                    None => format!(
                        "  ({name} has no dashboard of its own: query it from Grafana's Explore)"
                    ),
                });
            }
            printer.status(&lines.join("\n"));
        }
    }
    Ok(exit::SUCCESS)
}

pub fn uninstall(
    args: UninstallAddonsArgs,
    global: &GlobalArgs,
    printer: &mut Printer,
) -> CmdResult {
    if args.output == InstallOutput::Json {
        printer.set_machine();
    }
    let names: Vec<String> = args
        .names
        .iter()
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    for n in &names {
        ops::check_label("the addon name", n)?;
    }
    let session = Session::open(&super::connect_options(global))?;
    let found = {
        let progress = printer.progress(false);
        progress.step("Finding the addons meshdeck installed");
        session.addon_objects(&names)?
    };
    let mut present: Vec<String> = found.iter().map(|(_, n)| n.clone()).collect();
    present.sort();
    present.dedup();
    let scope = if names.is_empty() {
        "any addon".to_string()
    } else {
        names.join(", ")
    };
    let deleted = if found.is_empty() {
        printer.success(&format!(
            "Nothing to uninstall: no object in cluster \"{}\" carries meshdeck's addon labels for {scope}",
            session.context()
        ));
        Vec::new()
    } else {
        let question = format!(
            "This will delete {} object(s) of the addons {} that meshdeck installed from cluster \"{}\". Proceed?",
            found.len(),
            present.join(", "),
            session.context()
        );
        if !printer.confirm(&question, global.yes)? {
            printer.status("Cancelled. Nothing was changed.");
            return Ok(exit::FAILURE);
        }
        let objects: Vec<_> = found.into_iter().map(|(o, _)| o).collect();
        let deleted = {
            let progress = printer.progress(false);
            let observer = super::uninstall::Observer {
                printer,
                progress: &progress,
            };
            session.delete(&objects, &observer)?
        };
        printer.success(&format!(
            "Uninstall complete: {} object(s) of {} deleted",
            deleted.len(),
            present.join(", ")
        ));
        deleted
    };
    if args.output == InstallOutput::Json {
        let doc = serde_json::json!({"context": session.context(), "addons": present, "deleted": deleted});
        printer
            .data(&format!("{doc:#}\n"))
            .map_err(CmdError::Output)?;
    }
    Ok(exit::SUCCESS)
}
