//! `meshdeck dashboard`: arguments -> `ops::dashboard::run` (or `overview` without names) ->
//! status lines, URLs, JSON lines or the overview table.

use super::{CmdError, CmdResult};
use crate::cli::{DashboardArgs, DashboardOutput, GlobalArgs};
use crate::dashboard::tunnel::{Event, Observer};
use crate::exit;
use crate::ops::dashboard::{
    DashboardRequest, Health, OverviewRow, PodState, Ready, Reporter, overview,
};
use crate::ui::{Printer, Table};

pub fn run(args: DashboardArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    let json = args.output == DashboardOutput::Json;
    if json {
        printer.set_machine();
    }
    let request = DashboardRequest {
        args: args.names,
        selector: args.selector,
        ui_port: args.ui_port,
        namespace: global.namespace.clone(),
        istio_namespace: global.istio_namespace.clone(),
        address: args.address,
        port: args.port,
        browser: args.browser,
        health_timeout: args.health_timeout,
        require_healthy: args.require_healthy,
        max_reconnects: args.max_reconnects,
        kube: super::connect_options(global),
    };
    if request.args.is_empty() {
        let rows = overview(&request)?;
        return print_overview(&rows, json, printer);
    }
    let reporter = Lines { printer, json };
    let stopped = crate::ops::dashboard::run(&request, &reporter)?;
    if !stopped.signal.is_empty() {
        printer.status(&format!(
            "Stopped on {}: the listeners are closed.",
            stopped.signal
        ));
    }
    Ok(exit::SUCCESS)
}

/// Prints the events of a running dashboard as lines.
struct Lines<'p> {
    printer: &'p Printer,
    json: bool,
}

impl Observer for Lines<'_> {
    fn event(&self, dashboard: &str, event: Event) {
        let p = self.printer;
        match event {
            Event::PortFallback { wanted, got } => p.note(&format!(
                "{dashboard}: local port {wanted} is in use; using {got}"
            )),
            Event::Broken { pod, reason } => p.warning(&format!(
                "{dashboard}: lost pod {pod}: {reason}; reconnecting"
            )),
            Event::Retrying {
                attempt,
                max,
                delay,
                reason,
            } => p.warning(&format!(
                "{dashboard}: reconnect {attempt}/{max} failed: {reason}; retrying in {}",
                humantime::format_duration(delay)
            )),
            Event::Reconnected { pod } => {
                p.success(&format!("{dashboard}: reconnected to pod {pod}"))
            }
        }
    }
}

impl Reporter for Lines<'_> {
    fn ready(&self, ready: &Ready) {
        let p = self.printer;
        if let Health::Unhealthy(got) = &ready.health {
            p.warning(&format!(
                "{}: the UI did not answer its health check ({got}); the tunnel stays open",
                ready.name
            ));
        }
        if self.json {
            let line = serde_json::json!({
                "name": ready.name,
                "url": ready.url,
                "pod": ready.pod.name,
                "namespace": ready.pod.namespace,
                "healthy": matches!(ready.health, Health::Healthy(_)),
            });
            let _ = p.data(&format!("{line}\n"));
            return;
        }
        let also = if ready.also.is_empty() {
            String::new()
        } else {
            format!(", also on {}", ready.also.join(", "))
        };
        p.success(&format!(
            "{} is ready at {} (pod {}{also})",
            ready.name, ready.url, ready.pod
        ));
        let _ = p.data(&format!("{}\n", ready.url));
    }

    fn browser_failed(&self, url: &str, reason: &str) {
        self.printer.warning(&format!(
            "cannot open a browser ({reason}); open {url} in your browser"
        ));
    }

    fn stopping(&self, signal: &str) {
        self.printer
            .status(&format!("{signal} received: closing the tunnels"));
    }
}

fn print_overview(rows: &[OverviewRow], json: bool, printer: &Printer) -> CmdResult {
    if json {
        let mut out = String::new();
        for r in rows {
            let (state, pod, namespace) = match &r.state {
                PodState::Ready(p) => ("ready", Some(p.name.clone()), Some(p.namespace.clone())),
                PodState::NotReady { .. } => ("not-ready", None, None),
                PodState::NotInstalled { .. } => ("not-installed", None, None),
                PodState::Unknown(_) => ("unknown", None, None),
            };
            let line = serde_json::json!({
                "name": r.name, "state": state, "pod": pod, "namespace": namespace,
                "command": r.command,
            });
            out.push_str(&format!("{line}\n"));
        }
        printer.data(&out).map_err(CmdError::Output)?;
        return Ok(exit::SUCCESS);
    }
    let mut table = Table::new(["DASHBOARD", "STATUS", "COMMAND"]);
    for r in rows {
        let status = match &r.state {
            PodState::Ready(p) => format!("ready (pod {p})"),
            PodState::NotReady { pods, reason } => format!("not ready ({pods} pod(s); {reason})"),
            PodState::NotInstalled { namespaces } => {
                format!("not installed (no pod in {})", namespaces.join(", "))
            }
            PodState::Unknown(why) => format!("unknown: {why}"),
        };
        table.row([r.name.to_string(), status, r.command.clone()]);
    }
    printer
        .data(&table.render(printer.terminal()))
        .map_err(CmdError::Output)?;
    Ok(exit::SUCCESS)
}
