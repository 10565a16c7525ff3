//! `meshdeck install sample bookinfo` and `meshdeck uninstall sample bookinfo`: arguments ->
//! `ops::sample` -> the binding said out loud, the question, progress, and the product page URL
//! (or one JSON object).

use super::addons::{summary, yaml_stream};
use super::{CmdError, CmdResult};
use crate::cli::{GlobalArgs, InstallOutput, SampleArgs, UninstallSampleArgs};
use crate::exit;
use crate::install::sample::{
    self, GatewayChoice, Injection, ProductPage, SampleOptions, ServicePort,
};
use crate::ops::addons::{self as ops, ApplyRequest, Session};
use crate::ops::sample as sample_ops;
use crate::ui::Printer;

fn namespace_of(global: &GlobalArgs) -> Result<String, CmdError> {
    let ns = global
        .namespace
        .clone()
        .unwrap_or_else(|| sample::DEFAULT_NAMESPACE.to_string());
    ops::check_label("the namespace (-n)", &ns)?;
    Ok(ns)
}

fn page_json(page: &Option<ProductPage>) -> serde_json::Value {
    match page {
        Some(ProductPage::Url { url, via }) => serde_json::json!({"url": url, "via": via}),
        Some(ProductPage::PortForward { command, url }) => {
            serde_json::json!({"url": url, "portForward": command})
        }
        None => serde_json::Value::Null,
    }
}

pub fn install(args: SampleArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    if args.output == InstallOutput::Json {
        printer.set_machine();
    }
    let namespace = namespace_of(global)?;
    let injection = match &args.revision {
        Some(r) => {
            ops::check_label("the revision (--revision)", r)?;
            Injection::Revision(r.clone())
        }
        None => Injection::Enabled,
    };
    let gateway = match (args.gateway, args.gateway_api) {
        (true, _) => GatewayChoice::Istio,
        (_, true) => GatewayChoice::GatewayApi,
        _ => GatewayChoice::None,
    };
    let release = super::release_source(&args.release);
    let samples = {
        let progress = printer.progress(true);
        ops::samples_dir(
            &release,
            sample::BOOKINFO,
            &super::DownloadProgress(&progress),
        )?
    };
    let manifests = sample_ops::load_bookinfo(&samples, gateway, args.destination_rules)?;
    let opts = SampleOptions {
        namespace: namespace.clone(),
        injection: injection.clone(),
        gateway,
        destination_rules: args.destination_rules,
    };

    let session = Session::open(&super::connect_options(global))?;
    session.check_sample_kinds(gateway, args.destination_rules)?;
    let bound = match gateway {
        GatewayChoice::Istio => {
            let ingress = {
                let progress = printer.progress(false);
                progress.step("Finding the ingress gateway");
                session.find_ingress(args.ingress.as_deref(), &global.istio_namespace)?
            };
            let binding = sample::bind(&ingress).map_err(ops::AddonsError::from)?;
            let target = match &binding.service_port.target {
                Some(_) => format!(" -> {}", binding.port),
                None => String::new(),
            };
            printer.note(&format!(
                "the Gateway is bound to the ingress Service {}/{}: selector {} (from the labels of {}), server port {} (the Service's port {} {}{target})",
                ingress.namespace,
                ingress.service,
                binding
                    .selector
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(","),
                ingress.workload,
                binding.port,
                binding.service_port.name,
                binding.service_port.port,
            ));
            Some((ingress, binding))
        }
        _ => None,
    };
    let state = session.namespace_state(&namespace)?;
    let owned = !state.exists || state.owned;
    if !owned {
        printer.note(&format!(
            "namespace {namespace} exists and meshdeck did not create it: it only gets the injection label, and uninstall keeps it"
        ));
    }
    if matches!(injection, Injection::Revision(_))
        && let Some(v) = state.labels.get("istio-injection")
    {
        printer.warning(&format!(
            "namespace {namespace} is labelled istio-injection={v}, which wins over istio.io/rev: remove it (kubectl label namespace {namespace} istio-injection-) for the revision to inject"
        ));
    }
    let mut namespace_obj = sample::namespace_object(&namespace, &injection, owned);
    let mut parts = sample::render(&manifests, &opts, bound.as_ref().map(|(_, b)| b));
    let (caps, _) = session.caps()?;
    for line in sample::adapt(&mut namespace_obj, &mut parts, &caps).lines() {
        printer.note(&format!("adapted to this server: {line}"));
    }
    let count: usize = parts.iter().map(|p| p.objects.len()).sum();

    if args.dry_run {
        printer.status(&format!(
            "Dry run: this would install the Bookinfo sample ({count} objects: {}) into namespace \"{namespace}\" of cluster \"{}\". Nothing was changed.",
            parts.iter().map(|p| p.title).collect::<Vec<_>>().join(", "),
            session.context()
        ));
        printer
            .data(&yaml_stream(
                std::iter::once(&namespace_obj).chain(parts.iter().flat_map(|p| &p.objects)),
            ))
            .map_err(CmdError::Output)?;
        return Ok(exit::SUCCESS);
    }

    let question = format!(
        "This will install the Bookinfo sample ({count} objects: {}) into namespace \"{namespace}\" of cluster \"{}\". Proceed?",
        parts.iter().map(|p| p.title).collect::<Vec<_>>().join(", "),
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
        session.install_sample(&namespace_obj, &parts, &req, &observer)?
    };

    // How to reach the product page.
    let nodes_for = |port: &ServicePort, lb: bool| {
        if !lb && port.node_port.is_some() {
            session.node_addresses()
        } else {
            Vec::new()
        }
    };
    let (page, pending) = match (&bound, gateway) {
        (Some((ingress, binding)), _) => {
            let nodes = nodes_for(&binding.service_port, !ingress.load_balancer.is_empty());
            (
                Some(sample::product_page(ingress, &binding.service_port, &nodes)),
                None,
            )
        }
        (None, GatewayChoice::GatewayApi) => {
            let (name, port) = sample_ops::gateway_api_port(&manifests);
            match session.gateway_api_service(&namespace, &name)? {
                Some(svc) => match svc.ports.iter().find(|p| p.port == port).cloned() {
                    Some(p) => {
                        let nodes = nodes_for(&p, !svc.load_balancer.is_empty());
                        (Some(sample::product_page(&svc, &p, &nodes)), None)
                    }
                    None => (
                        None,
                        Some(format!(
                            "the Service {namespace}/{} that Istio provisioned for the Gateway has no port {port}",
                            svc.service
                        )),
                    ),
                },
                None => (
                    None,
                    Some(format!(
                        "Istio provisions the Service {name}-istio in {namespace} for the Gateway once its control plane sees it; then: kubectl get gateway {name} -n {namespace} shows the address (the product page is at /productpage on port {port})"
                    )),
                ),
            }
        }
        _ => (
            Some(ProductPage::PortForward {
                command: format!("kubectl port-forward -n {namespace} svc/productpage 9080:9080"),
                url: "http://localhost:9080/productpage".into(),
            }),
            None,
        ),
    };

    match args.output {
        InstallOutput::Json => {
            let gw = bound.as_ref().map(|(i, b)| {
                serde_json::json!({"ingress": format!("{}/{}", i.namespace, i.service),
                    "selector": b.selector, "port": b.port, "workload": i.workload})
            });
            let doc = serde_json::json!({
                "context": session.context(),
                "namespace": namespace,
                "injection": {"label": injection.label().0, "value": injection.label().1},
                "parts": report.installed,
                "gateway": gw,
                "productPage": page_json(&page),
                "pending": pending,
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
            printer.success(&summary("Bookinfo installation", &report));
            match &page {
                Some(ProductPage::Url { url, via }) => {
                    printer.status(&format!("Product page: {url} (through {via})"))
                }
                Some(ProductPage::PortForward { command, url }) => {
                    printer.status(&format!("Product page: run `{command}`, then open {url}"))
                }
                None => {}
            }
            if let Some(p) = &pending {
                printer.note(p);
            }
        }
    }
    Ok(exit::SUCCESS)
}

pub fn uninstall(
    args: UninstallSampleArgs,
    global: &GlobalArgs,
    printer: &mut Printer,
) -> CmdResult {
    if args.output == InstallOutput::Json {
        printer.set_machine();
    }
    let namespace = namespace_of(global)?;
    let session = Session::open(&super::connect_options(global))?;
    let (objects, state) = {
        let progress = printer.progress(false);
        progress.step("Finding the sample's objects");
        (
            session.sample_objects(&namespace)?,
            session.namespace_state(&namespace)?,
        )
    };
    let mut deleted = Vec::new();
    if objects.is_empty() && !state.owned && !state.managed_by_meshdeck {
        printer.success(&format!(
            "Nothing to uninstall: no object in namespace \"{namespace}\" of cluster \"{}\" carries meshdeck's Bookinfo labels",
            session.context()
        ));
    } else {
        let and_ns = if state.owned {
            ", and the namespace (meshdeck created it)"
        } else {
            ""
        };
        let question = format!(
            "This will delete {} object(s) of the Bookinfo sample from namespace \"{namespace}\" of cluster \"{}\"{and_ns}. Proceed?",
            objects.len(),
            session.context()
        );
        if !printer.confirm(&question, global.yes)? {
            printer.status("Cancelled. Nothing was changed.");
            return Ok(exit::FAILURE);
        }
        {
            let progress = printer.progress(false);
            let observer = super::uninstall::Observer {
                printer,
                progress: &progress,
            };
            deleted = session.delete(&objects, &observer)?;
        }
        if let Some(done) = session.release_namespace(&namespace, &state)? {
            printer.status(&format!("  {done}"));
            if state.owned {
                deleted.push(format!("Namespace {namespace}"));
            }
        }
        printer.success(&format!(
            "Uninstall complete: {} object(s) deleted",
            deleted.len()
        ));
    }
    if args.output == InstallOutput::Json {
        let doc = serde_json::json!({"context": session.context(), "namespace": namespace, "deleted": deleted});
        printer
            .data(&format!("{doc:#}\n"))
            .map_err(CmdError::Output)?;
    }
    Ok(exit::SUCCESS)
}
