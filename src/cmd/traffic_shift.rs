//! `meshdeck traffic-shift`: arguments -> `ops::traffic` (read, plan, apply) -> a table, a
//! diff, or one line per object written.

use serde_json::Value as Json;

use super::{CmdError, CmdResult};
use crate::cli::{GlobalArgs, ShiftBackend, ShiftOutput, TrafficShiftArgs};
use crate::exit;
use crate::ops::traffic::{ShiftOptions, TrafficError, TrafficSession};
use crate::traffic::{self, Backend, CurrentSplit, ShiftPlan, parse_split};
use crate::ui::{Printer, Style, Table, paint};

pub fn run(args: TrafficShiftArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    // A bad --to is reported before the cluster is asked anything.
    let split = match &args.to {
        Some(to) => Some(parse_split(to).map_err(TrafficError::from)?),
        None => None,
    };
    if args.output != ShiftOutput::Text {
        printer.set_machine();
    }
    let opts = ShiftOptions {
        version_label: args.version_label.clone(),
        allow_missing: args.allow_missing,
        route: args.route.clone(),
        virtual_service: args.virtual_service.clone(),
        http_route: args.http_route.clone(),
        create_version_services: args.create_version_services,
    };
    let session =
        TrafficSession::open(&super::connect_options(global), global.namespace.as_deref())?;
    let chosen = session.choose(args.backend.map(|b| match b {
        ShiftBackend::Istio => Backend::Istio,
        ShiftBackend::GatewayApi => Backend::GatewayApi,
        ShiftBackend::Appmesh => Backend::AppMesh,
    }))?;
    printer.status(&chosen.describe());
    let backend = chosen.backend;
    let current = session.read(&args.service, backend)?;

    if args.show {
        let split = traffic::current_split(backend, &current, &opts).map_err(TrafficError::from)?;
        return show(&split, args.output, printer);
    }
    let plan = match &split {
        Some(split) => traffic::plan_shift(backend, &current, split, &opts),
        None => traffic::plan_reset(backend, &current),
    }
    .map_err(TrafficError::from)?;
    let what = format!("Service {}/{}", session.namespace(), args.service);
    if plan.is_empty() {
        printer.success(&if args.reset {
            format!("Nothing to reset: meshdeck has not changed the routing of {what}")
        } else {
            format!("The routing of {what} already has this split: nothing to change")
        });
        return Ok(exit::SUCCESS);
    }
    if args.dry_run {
        let text = match args.output {
            ShiftOutput::Text => diff(&plan, printer.color()),
            ShiftOutput::Json => objects_json(&plan),
            ShiftOutput::Yaml => objects_yaml(&plan),
        };
        printer.data(&text).map_err(CmdError::Output)?;
        return Ok(exit::SUCCESS);
    }
    if !global.yes && printer.terminal().can_prompt() {
        printer
            .data(&diff(&plan, printer.color()))
            .map_err(CmdError::Output)?;
    }
    let count = plan.changes.len() + plan.deletions.len();
    let question = if args.reset {
        format!("Reset the routing of {what} ({count} object(s))")
    } else {
        format!("Shift the traffic of {what} ({count} object(s))")
    };
    if !printer.confirm(&question, global.yes)? {
        printer.status("Nothing was changed.");
        return Ok(exit::FAILURE);
    }
    for outcome in session.apply(&plan, args.force_conflicts)? {
        printer.success(&format!("{} {}", outcome.object, outcome.action));
    }
    Ok(exit::SUCCESS)
}

fn show(split: &CurrentSplit, output: ShiftOutput, printer: &Printer) -> CmdResult {
    let text = match output {
        ShiftOutput::Json => {
            serde_json::to_string_pretty(split).expect("the split serializes") + "\n"
        }
        ShiftOutput::Yaml => serde_saphyr::to_string(split).expect("the split serializes"),
        ShiftOutput::Text => {
            let target = match split.backend {
                Backend::Istio => "SUBSET",
                Backend::GatewayApi => "SERVICE",
                Backend::AppMesh => "VIRTUAL NODE",
            };
            let mut table = Table::new(["VERSION", target, "WEIGHT", "READY", "SPLIT"]);
            for row in &split.rows {
                let bar = "█".repeat((row.weight as usize).div_ceil(5));
                table.row([
                    row.version.clone(),
                    row.subset.clone().unwrap_or_else(|| "-".into()),
                    format!("{}%", row.weight),
                    format!("{}/{}", row.ready, row.total),
                    bar,
                ]);
            }
            let mut text = table.render(printer.terminal());
            match &split.routed_by {
                Some(by) => text.push_str(&format!("routed by {by}\n")),
                None => text.push_str(&format!(
                    "no {} routes {}/{}: Kubernetes spreads requests over every ready pod\n",
                    match split.backend {
                        Backend::Istio => "VirtualService",
                        Backend::GatewayApi => "HTTPRoute",
                        Backend::AppMesh => "App Mesh VirtualRouter",
                    },
                    split.namespace,
                    split.service
                )),
            }
            if !split.other.is_empty() {
                text.push_str(&format!("other destinations: {}\n", split.other.join(", ")));
            }
            text
        }
    };
    printer.data(&text).map_err(CmdError::Output)?;
    Ok(exit::SUCCESS)
}

/// An object as shown in a diff: without the fields the server maintains.
fn shown(obj: &Json) -> String {
    let mut obj = obj.clone();
    if let Some(meta) = obj.get_mut("metadata").and_then(Json::as_object_mut) {
        for key in [
            "managedFields",
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "generation",
            "selfLink",
        ] {
            meta.remove(key);
        }
    }
    serde_saphyr::to_string(&obj).expect("JSON values serialize as YAML")
}

/// A unified diff of every object the plan writes or deletes.
fn diff(plan: &ShiftPlan, color: bool) -> String {
    let mut out = String::new();
    let mut one = |name: String, before: String, after: String| {
        let d = similar::TextDiff::from_lines(&before, &after);
        let text = d
            .unified_diff()
            .context_radius(3)
            .header(&format!("{name} (live)"), &format!("{name} (meshdeck)"))
            .to_string();
        for line in text.lines() {
            let style = if line.starts_with("+++") || line.starts_with("---") {
                Some(Style::Emphasis)
            } else if line.starts_with('+') {
                Some(Style::Ok)
            } else if line.starts_with('-') {
                Some(Style::Error)
            } else if line.starts_with("@@") {
                Some(Style::Note)
            } else {
                None
            };
            match style {
                Some(s) => out.push_str(&paint(color, s, line)),
                None => out.push_str(line),
            }
            out.push('\n');
        }
    };
    for c in &plan.changes {
        let before = c.before.as_ref().map(shown).unwrap_or_default();
        one(c.describe(), before, shown(&c.after));
    }
    for d in &plan.deletions {
        one(d.describe(), shown(&d.before), String::new());
    }
    out
}

fn objects(plan: &ShiftPlan) -> Vec<Json> {
    plan.changes.iter().map(|c| c.after.clone()).collect()
}

fn objects_json(plan: &ShiftPlan) -> String {
    serde_json::to_string_pretty(&objects(plan)).expect("JSON values serialize") + "\n"
}

fn objects_yaml(plan: &ShiftPlan) -> String {
    objects(plan)
        .iter()
        .map(|o| format!("---\n{}", shown(o)))
        .collect()
}
