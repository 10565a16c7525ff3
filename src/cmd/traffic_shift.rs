//! `meshdeck traffic-shift`: arguments -> `ops::traffic` (read, plan, apply) -> a table, a
//! diff, or one line per object written.

use std::time::Duration;

use serde_json::Value as Json;

use super::{CmdError, CmdResult};
use crate::analyze::Level;
use crate::cli::{GlobalArgs, ShiftBackend, ShiftOutput, TrafficShiftArgs};
use crate::exit;
use crate::ops::traffic::{
    RolloutObserver, RolloutOutcome, RolloutReport, RolloutRequest, ShiftAnalysis, ShiftOptions,
    TrafficError, TrafficSession,
};
use crate::traffic::prometheus::{Health, ObservedSplit, Prometheus};
use crate::traffic::rollout::{self, GateLimits};
use crate::traffic::{self, Backend, CurrentSplit, ShiftPlan, VersionWeight, parse_split};
use crate::ui::{Printer, Progress, Style, Table, paint};

/// The window of the observed split when --window is not given.
const SHOW_WINDOW: Duration = Duration::from_secs(300);

pub fn run(args: TrafficShiftArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    // A bad --to is reported before the cluster is asked anything.
    let mut split = match &args.to {
        Some(to) => Some(parse_split(to).map_err(TrafficError::from)?),
        None => None,
    };
    if args.output != ShiftOutput::Text {
        printer.set_machine();
    }
    // A bad --prometheus too.
    let prometheus = match &args.prometheus {
        Some(url) => Some(Prometheus::new(url).map_err(TrafficError::from)?),
        None => None,
    };
    let opts = ShiftOptions {
        version_label: args.version_label.clone(),
        allow_missing: args.allow_missing,
        route: args.route.clone(),
        virtual_service: args.virtual_service.clone(),
        http_route: args.http_route.clone(),
        create_version_services: args.create_version_services,
    };
    // Nobody to ask: refused before the cluster is asked anything.
    if args.interactive && !printer.terminal().can_prompt() {
        return Err(TrafficError::NoTerminal.into());
    }
    let session =
        TrafficSession::open(&super::connect_options(global), global.namespace.as_deref())?;
    let service = match &args.service {
        Some(service) => service.clone(),
        None => ask_service(&session)?,
    };
    let chosen = session.choose(args.backend.map(|b| match b {
        ShiftBackend::Istio => Backend::Istio,
        ShiftBackend::GatewayApi => Backend::GatewayApi,
        ShiftBackend::Appmesh => Backend::AppMesh,
    }))?;
    printer.status(&chosen.describe());
    let backend = chosen.backend;
    let current = session.read(&service, backend)?;

    if args.show {
        let split = traffic::current_split(backend, &current, &opts).map_err(TrafficError::from)?;
        let window = args.window.unwrap_or(SHOW_WINDOW);
        let observed = match &prometheus {
            Some(p) => Some(session.observed(p, &service, window)?),
            // The cluster's own Prometheus, when it has one; the configured split either way.
            None => match session.observed_in_cluster(&service, window, &global.istio_namespace) {
                Ok(Some(o)) => Some(o),
                Ok(None) => {
                    printer.note(&format!(
                        "no Prometheus pod in namespace {} or {}: pass --prometheus URL to see the observed split",
                        global.istio_namespace,
                        session.namespace()
                    ));
                    None
                }
                Err(e) => {
                    let cause = std::error::Error::source(&e)
                        .map(|c| format!(": {c}"))
                        .unwrap_or_default();
                    printer.warning(&format!("{e}{cause}; the observed split is not shown"));
                    None
                }
            },
        };
        return show(&split, observed.as_ref(), args.output, printer);
    }
    if args.interactive {
        if !printer.terminal().can_prompt() {
            return Err(TrafficError::NoTerminal.into());
        }
        let now = traffic::current_split(backend, &current, &opts).map_err(TrafficError::from)?;
        let picked = ask_split(&now, printer)?;
        split = Some(picked);
    }
    let plan = match &split {
        Some(split) => traffic::plan_shift(backend, &current, split, &opts),
        None => traffic::plan_reset(backend, &current),
    }
    .map_err(TrafficError::from)?;
    let what = format!("Service {}/{}", session.namespace(), service);
    if plan.is_empty() {
        printer.success(&if args.reset {
            format!("Nothing to reset: meshdeck has not changed the routing of {what}")
        } else {
            format!("The routing of {what} already has this split: nothing to change")
        });
        return Ok(exit::SUCCESS);
    }
    // The routing as it would be, analyzed with the cluster's objects (a reset puts back what
    // the user had, which is theirs to judge).
    if !args.reset {
        let analysis = session.analyze(&plan, &global.istio_namespace)?;
        report_analysis(&analysis, printer, global.verbose);
        if analysis.errors() > 0 {
            if args.dry_run {
                printer.note("the shift would stop here: pass --force to apply it anyway");
            } else if args.force {
                printer.warning("--force: applying although the analysis found errors");
            } else {
                return Err(TrafficError::AnalysisFailed {
                    what,
                    errors: analysis.errors(),
                }
                .into());
            }
        }
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
    let stepped = match (args.step, &split) {
        (Some(step), Some(target)) => {
            let now =
                traffic::current_split(backend, &current, &opts).map_err(TrafficError::from)?;
            let start = rollout::starting_split(&now)
                .ok_or_else(|| TrafficError::NothingToStepFrom { what: what.clone() })?;
            Some((
                step,
                target.clone(),
                rollout::steps(&start, target, step).len(),
                start,
            ))
        }
        _ => None,
    };
    let question = match (&stepped, args.reset) {
        (_, true) => format!("Reset the routing of {what} ({count} object(s))"),
        (Some((_, target, steps, start)), _) => format!(
            "Roll the traffic of {what} from {} to {} in {steps} step(s), {} apart",
            rollout::split_text(start),
            rollout::split_text(target),
            humantime::format_duration(args.interval)
        ),
        (None, _) => format!("Shift the traffic of {what} ({count} object(s))"),
    };
    if !printer.confirm(&question, global.yes)? {
        printer.status("Nothing was changed.");
        return Ok(exit::FAILURE);
    }
    if let Some((step, target, _, _)) = stepped {
        let limits = GateLimits {
            max_error_rate: args.max_error_rate,
            max_p99: args.max_p99,
        };
        let req = RolloutRequest {
            service: &service,
            backend,
            target,
            opts: &opts,
            step,
            interval: args.interval,
            window: args.window.unwrap_or(args.interval),
            limits,
            prometheus: prometheus.as_ref(),
            force_conflicts: args.force_conflicts,
        };
        let observer = StepPrinter {
            progress: printer.progress(true),
            printer,
        };
        let report = session.rollout(&req, &observer)?;
        drop(observer);
        return finish_rollout(report, args.output, printer);
    }
    for outcome in session.apply(&plan, args.force_conflicts)? {
        printer.success(&format!("{} {}", outcome.object, outcome.action));
    }
    Ok(exit::SUCCESS)
}

/// The findings of the analysis, as `analyze` prints them, and a count.
fn report_analysis(analysis: &ShiftAnalysis, printer: &Printer, verbose: bool) {
    if verbose {
        for w in &analysis.warnings {
            printer.note(&format!("analysis: {w}"));
        }
    }
    for f in &analysis.existing {
        printer.note(&format!("already so before this change: {}", f.log_line()));
    }
    for f in &analysis.findings {
        let style = if f.level >= Level::Error {
            Style::Error
        } else {
            Style::Warning
        };
        let line = f.log_line();
        let level = f.level.to_string();
        let rest = line.strip_prefix(level.as_str()).unwrap_or(&line);
        let mut text = format!("{}{rest}", printer.style(style, &level));
        if let Some(hint) = &f.hint {
            text.push_str(&format!("\n  hint: {hint}"));
        }
        // Errors are printed even with --quiet: they are why the shift stops.
        if f.level >= Level::Error || !printer.is_quiet() {
            printer.raw_stderr(&text);
        }
    }
}

/// `72.5%`.
fn share(percent: f64) -> String {
    rollout::percent(percent / 100.0)
}

fn show(
    split: &CurrentSplit,
    observed: Option<&ObservedSplit>,
    output: ShiftOutput,
    printer: &Printer,
) -> CmdResult {
    let document = || {
        let mut doc = serde_json::to_value(split).expect("the split serializes");
        if let Some(o) = observed {
            doc["observed"] = serde_json::to_value(o).expect("the observed split serializes");
        }
        doc
    };
    let text = match output {
        ShiftOutput::Json => {
            serde_json::to_string_pretty(&document()).expect("the split serializes") + "\n"
        }
        ShiftOutput::Yaml => serde_saphyr::to_string(&document()).expect("the split serializes"),
        ShiftOutput::Text => {
            let target = match split.backend {
                Backend::Istio => "SUBSET",
                Backend::GatewayApi => "SERVICE",
                Backend::AppMesh => "VIRTUAL NODE",
            };
            let mut header = vec!["VERSION", target, "WEIGHT"];
            if observed.is_some() {
                header.push("OBSERVED");
            }
            header.extend(["READY", "SPLIT"]);
            let mut table = Table::new(header);
            let mut versions: Vec<&str> = split.rows.iter().map(|r| r.version.as_str()).collect();
            for row in &split.rows {
                let bar = "█".repeat((row.weight as usize).div_ceil(5));
                let mut cells = vec![
                    row.version.clone(),
                    row.subset.clone().unwrap_or_else(|| "-".into()),
                    format!("{}%", row.weight),
                ];
                if let Some(o) = observed {
                    cells.push(
                        o.percent
                            .get(&row.version)
                            .map(|p| share(*p))
                            .unwrap_or_else(|| {
                                if o.has_traffic() {
                                    "0%".into()
                                } else {
                                    "-".into()
                                }
                            }),
                    );
                }
                cells.extend([format!("{}/{}", row.ready, row.total), bar]);
                table.row(cells);
            }
            // Requests to versions no workload of the Service has now (an old one, `unknown`).
            if let Some(o) = observed {
                for (version, p) in &o.percent {
                    if !versions.contains(&version.as_str()) {
                        versions.push(version);
                        table.row([
                            version.clone(),
                            "-".into(),
                            "0%".into(),
                            share(*p),
                            "-".into(),
                            String::new(),
                        ]);
                    }
                }
            }
            let mut text = table.render(printer.terminal());
            if let Some(o) = observed {
                if o.has_traffic() {
                    text.push_str(&format!(
                        "observed: {:.2} requests/s over the last {} (istio_requests_total at {})\n",
                        o.requests_per_second, o.window, o.prometheus
                    ));
                } else {
                    text.push_str(&format!(
                        "observed: no requests to {}/{} in the last {} (istio_requests_total at {})\n",
                        split.namespace, split.service, o.window, o.prometheus
                    ));
                }
            }
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

/// Prints a rollout's steps: a spinner line while waiting and a line per step done on a
/// terminal, plain lines without one.
struct StepPrinter<'p> {
    printer: &'p Printer,
    progress: Progress<'p>,
}

fn health_text(h: &Health) -> String {
    if !h.has_traffic() {
        return format!("{}: no requests in the window, not judged", h.version);
    }
    let mut parts = vec![format!("{:.2} req/s", h.requests_per_second)];
    if let Some(e) = h.error_rate {
        parts.push(format!("{} errors", rollout::percent(e)));
    }
    if let Some(p) = h.p99_ms {
        parts.push(format!("p99 {}", rollout::millis(p)));
    }
    format!("{}: {}", h.version, parts.join(", "))
}

impl RolloutObserver for StepPrinter<'_> {
    fn applied(&self, step: usize, of: usize, split: &[VersionWeight]) {
        self.progress.finish(&format!(
            "step {step}/{of}: {} applied",
            rollout::split_text(split)
        ));
    }

    fn waiting(&self, step: usize, of: usize, interval: Duration) {
        self.progress.step(&format!(
            "step {step}/{of}: waiting {} before the check",
            humantime::format_duration(interval)
        ));
    }

    fn checked(&self, step: usize, of: usize, health: &[Health], limits: &GateLimits) {
        let readings: Vec<String> = health.iter().map(health_text).collect();
        let verdict = if limits.is_empty() {
            ""
        } else if health.iter().any(|h| rollout::judge(limits, h).is_some()) {
            " (over the limit)"
        } else {
            " (within the limits)"
        };
        self.progress.finish(&format!(
            "step {step}/{of}: {}{verdict}",
            readings.join("; ")
        ));
    }

    fn restoring(&self, why: &str) {
        self.printer.warning(&format!(
            "{why}: putting the routing back as it was before the rollout"
        ));
    }
}

/// The rollout's summary (`-o json`: the report), and its exit code.
fn finish_rollout(report: RolloutReport, output: ShiftOutput, printer: &Printer) -> CmdResult {
    match output {
        ShiftOutput::Json => printer
            .data(&(serde_json::to_string_pretty(&report).expect("the report serializes") + "\n"))
            .map_err(CmdError::Output)?,
        ShiftOutput::Yaml => printer
            .data(&serde_saphyr::to_string(&report).expect("the report serializes"))
            .map_err(CmdError::Output)?,
        ShiftOutput::Text => {}
    }
    for r in &report.restored {
        printer.status(&format!("restored: {r}"));
    }
    let what = format!("Service {}/{}", report.namespace, report.service);
    let step = report.steps.len();
    match &report.outcome {
        RolloutOutcome::Completed => {
            printer.success(&format!(
                "Rolled the traffic of {what} from {} to {} in {step} step(s)",
                report.start, report.target
            ));
            Ok(exit::SUCCESS)
        }
        RolloutOutcome::Breached { breach } => Err(TrafficError::RolledBack {
            what,
            step,
            reason: breach.to_string(),
            start: report.start.clone(),
        }
        .into()),
        RolloutOutcome::GateUnreadable { reason } => Err(TrafficError::RolledBack {
            what,
            step,
            reason: format!("the gate could not be read: {reason}"),
            start: report.start.clone(),
        }
        .into()),
        RolloutOutcome::Interrupted => Err(TrafficError::Interrupted(Box::new(
            crate::ops::traffic::InterruptedRollout {
                what,
                step,
                of: report.planned_steps,
                left: report
                    .steps
                    .last()
                    .map_or_else(|| report.start.clone(), |s| s.split.clone()),
                start: report.start.clone(),
                service: report.service.clone(),
                namespace: report.namespace.clone(),
            },
        ))
        .into()),
    }
}

/// The weights a prompt starts from: the configured ones when the picked versions carry the
/// whole route, else Kiali's wizard's even split (the remainder to the last version).
pub fn default_weights(now: &CurrentSplit, picked: &[String]) -> Vec<u32> {
    let configured: Vec<u32> = picked
        .iter()
        .map(|v| {
            now.rows
                .iter()
                .find(|r| &r.version == v)
                .map_or(0, |r| r.weight)
        })
        .collect();
    if now.routed_by.is_some() && configured.iter().sum::<u32>() == 100 {
        return configured;
    }
    let n = picked.len().max(1) as u32;
    let mut even = vec![100 / n; picked.len()];
    if let Some(last) = even.last_mut() {
        *last += 100 % n;
    }
    even
}

/// Asks for the versions (those routed now are picked already) and a weight for each, until
/// the weights sum to 100.
/// The Service to shift, picked from the namespace's Services (`--interactive` without one).
fn ask_service(session: &TrafficSession) -> Result<String, CmdError> {
    use dialoguer::{Select, theme::SimpleTheme};
    let names = session.services()?;
    if names.is_empty() {
        return Err(TrafficError::NoServices {
            namespace: session.namespace().to_string(),
        }
        .into());
    }
    let picked = Select::with_theme(&SimpleTheme)
        .with_prompt(format!(
            "Service of namespace {} (arrows move, enter picks)",
            session.namespace()
        ))
        .items(&names)
        .default(0)
        .interact_on(&console::Term::stderr())
        .map_err(|e| {
            CmdError::from(TrafficError::Prompt(match e {
                dialoguer::Error::IO(e) => e,
            }))
        })?;
    Ok(names[picked].clone())
}

fn ask_split(now: &CurrentSplit, printer: &Printer) -> Result<Vec<VersionWeight>, CmdError> {
    use dialoguer::{Input, MultiSelect, theme::SimpleTheme};
    let prompt_error = |e: dialoguer::Error| {
        CmdError::from(TrafficError::Prompt(match e {
            dialoguer::Error::IO(e) => e,
        }))
    };
    let term = console::Term::stderr();
    let theme = SimpleTheme;
    let versions: Vec<String> = now.rows.iter().map(|r| r.version.clone()).collect();
    let routed: Vec<bool> = now.rows.iter().map(|r| r.weight > 0).collect();
    let defaults = if routed.iter().any(|r| *r) {
        routed
    } else {
        vec![true; versions.len()]
    };
    let chosen = MultiSelect::with_theme(&theme)
        .with_prompt(format!(
            "Versions of {}/{} to route to (space picks, enter goes on)",
            now.namespace, now.service
        ))
        .items(&versions)
        .defaults(&defaults)
        .interact_on(&term)
        .map_err(prompt_error)?;
    let picked: Vec<String> = chosen.iter().map(|&i| versions[i].clone()).collect();
    if picked.is_empty() {
        return Err(TrafficError::NothingPicked.into());
    }
    let mut weights = default_weights(now, &picked);
    loop {
        for (v, w) in picked.iter().zip(weights.iter_mut()) {
            *w = Input::<u32>::with_theme(&theme)
                .with_prompt(format!("Weight of {v} (%)"))
                .default(*w)
                .validate_with(|w: &u32| {
                    if *w <= 100 {
                        Ok(())
                    } else {
                        Err("a weight is a whole number from 0 to 100")
                    }
                })
                .interact_on(&term)
                .map_err(prompt_error)?;
        }
        let sum: u32 = weights.iter().sum();
        if sum == 100 {
            break;
        }
        // Kiali's rule, in its words.
        printer.warning(&format!(
            "The sum of all non-mirrored weights must be 100 % (it is {sum}); once more"
        ));
    }
    Ok(picked
        .into_iter()
        .zip(weights)
        .map(|(version, weight)| VersionWeight { version, weight })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::SplitRow;

    fn split(routed: bool, weights: &[(&str, u32)]) -> CurrentSplit {
        CurrentSplit {
            service: "reviews".into(),
            namespace: "shop".into(),
            backend: Backend::Istio,
            routed_by: routed.then(|| "VirtualService shop/reviews".to_string()),
            rows: weights
                .iter()
                .map(|(v, w)| SplitRow {
                    version: v.to_string(),
                    subset: None,
                    weight: *w,
                    ready: 1,
                    total: 1,
                })
                .collect(),
            other: vec![],
        }
    }

    #[test]
    fn prompts_offer_the_configured_weights_else_kialis_even_split() {
        let picked = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let now = split(true, &[("v1", 0), ("v2", 80), ("v3", 20)]);
        assert_eq!(default_weights(&now, &picked(&["v2", "v3"])), [80, 20]);
        assert_eq!(
            default_weights(&now, &picked(&["v1", "v2", "v3"])),
            [0, 80, 20]
        );
        // Not the whole route: an even split, the remainder to the last version.
        assert_eq!(default_weights(&now, &picked(&["v2"])), [100]);
        assert_eq!(default_weights(&now, &picked(&["v1", "v3"])), [50, 50]);
        let three = split(true, &[("v1", 100), ("v2", 0), ("v3", 0)]);
        assert_eq!(
            default_weights(&three, &picked(&["v2", "v3", "v4"])),
            [33, 33, 34]
        );
        let unrouted = split(false, &[("v1", 0), ("v2", 0)]);
        assert_eq!(default_weights(&unrouted, &picked(&["v1", "v2"])), [50, 50]);
    }
}
