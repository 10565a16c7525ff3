//! `install sample bookinfo` and `uninstall sample bookinfo`: read the release's Bookinfo, find
//! the ingress gateway actually installed (its Service, its pods or its Deployment's pod
//! template), bind the Gateway to it, apply everything as meshdeck and wait, and work out the
//! product page's URL. Nothing here prints.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;

use super::addons::{AddonsError, ApplyReport, ApplyRequest, Session, read_manifest};
use crate::install::addons as addon_manifests;
use crate::install::sample::{
    self, BookinfoManifests, GatewayChoice, ObservedIngress, SamplePart, ServicePort,
};
use crate::kube::{ApplyOptions, Deleted, KubeError, ObjectRef, Propagation};
use crate::ops::install::InstallObserver;

/// Reads the parts of the release's Bookinfo that the options ask for.
pub fn load_bookinfo(
    samples: &Path,
    gateway: GatewayChoice,
    destination_rules: bool,
) -> Result<BookinfoManifests, AddonsError> {
    let dir = samples.join(sample::BOOKINFO);
    let read = |file: &str| -> Result<Vec<Json>, AddonsError> {
        let m = read_manifest(&dir.join(file), sample::BOOKINFO)?;
        Ok(addon_manifests::parse(&m)?)
    };
    Ok(BookinfoManifests {
        app: read(sample::APP_FILE)?,
        gateway: match gateway {
            GatewayChoice::Istio => read(sample::GATEWAY_FILE)?,
            _ => Vec::new(),
        },
        gateway_api: match gateway {
            GatewayChoice::GatewayApi => read(sample::GATEWAY_API_FILE)?,
            _ => Vec::new(),
        },
        destination_rules: if destination_rules {
            read(sample::DESTINATION_RULES_FILE)?
        } else {
            Vec::new()
        },
    })
}

/// The sample's namespace as it is.
#[derive(Clone, Debug, Default)]
pub struct NamespaceState {
    pub exists: bool,
    /// meshdeck created it for the sample.
    pub owned: bool,
    pub labels: BTreeMap<String, String>,
    /// meshdeck manages some of its fields (its injection label).
    pub managed_by_meshdeck: bool,
}

/// Whether a Service's selector picks an ingress gateway's pods (`istio=ingressgateway`, the
/// Helm chart's `istio=ingress`, or another `istio=*ingress*`).
fn is_ingress(selector: &BTreeMap<String, String>) -> bool {
    selector.get("istio").is_some_and(|v| v.contains("ingress"))
}

fn string_map(v: &Json) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn selector_text(sel: &BTreeMap<String, String>) -> String {
    sel.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn container_ports(pod_spec: &Json) -> Vec<(String, i64)> {
    pod_spec["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["ports"].as_array().into_iter().flatten())
        .filter_map(|p| {
            Some((
                p["name"].as_str().unwrap_or("").to_string(),
                p["containerPort"].as_i64()?,
            ))
        })
        .collect()
}

fn pod_ready(pod: &Json) -> bool {
    pod["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

impl Session {
    /// The ingress gateway to bind the Gateway to: `explicit` (`NAMESPACE/SERVICE`, or `SERVICE`
    /// in the Istio namespace), else the one Service selecting `istio=*ingress*` pods found
    /// first in the Istio namespace, then in `istio-ingress` (where Istio's Helm instructions
    /// put it), then anywhere.
    pub fn find_ingress(
        &self,
        explicit: Option<&str>,
        istio_namespace: &str,
    ) -> Result<ObservedIngress, AddonsError> {
        self.block_on(async {
            let services = self.kube().resolve("v1", "Service").await?;
            let svc = match explicit {
                Some(spec) => {
                    let (ns, name) = spec.split_once('/').unwrap_or((istio_namespace, spec));
                    let obj = services.object(Some(ns), name);
                    let live = self
                        .kube()
                        .get(&obj)
                        .await?
                        .ok_or_else(|| AddonsError::IngressMissing(format!("{ns}/{name}")))?;
                    serde_json::to_value(live).unwrap_or_default()
                }
                None => {
                    let mut scopes: Vec<Option<&str>> = vec![Some(istio_namespace)];
                    if istio_namespace != "istio-ingress" {
                        scopes.push(Some("istio-ingress"));
                    }
                    scopes.push(None);
                    let mut found = None;
                    for scope in &scopes {
                        let list = match self.kube().list(&services.resource, *scope, "").await {
                            Ok(l) => l,
                            // A namespace one may not read is one where nothing is found.
                            Err(KubeError::Forbidden { .. }) if scope.is_some() => continue,
                            Err(e) => return Err(e.into()),
                        };
                        let candidates: Vec<Json> = list
                            .into_iter()
                            .map(|s| serde_json::to_value(s).unwrap_or_default())
                            .filter(|s| is_ingress(&string_map(&s["spec"]["selector"])))
                            .collect();
                        let pick = match candidates.len() {
                            0 => continue,
                            1 => candidates.into_iter().next(),
                            _ => {
                                let named: Vec<&Json> = candidates
                                    .iter()
                                    .filter(|s| {
                                        matches!(
                                            s["metadata"]["name"].as_str(),
                                            Some("istio-ingressgateway" | "istio-ingress")
                                        )
                                    })
                                    .collect();
                                if named.len() == 1 {
                                    Some(named[0].clone())
                                } else {
                                    return Err(AddonsError::AmbiguousIngress {
                                        scope: scope
                                            .map(|s| format!("namespace {s}"))
                                            .unwrap_or_else(|| "the cluster".into()),
                                        candidates: candidates
                                            .iter()
                                            .map(|s| {
                                                format!(
                                                    "{}/{}",
                                                    s["metadata"]["namespace"]
                                                        .as_str()
                                                        .unwrap_or(""),
                                                    s["metadata"]["name"].as_str().unwrap_or("")
                                                )
                                            })
                                            .collect(),
                                    });
                                }
                            }
                        };
                        found = pick;
                        break;
                    }
                    found.ok_or_else(|| AddonsError::NoIngress {
                        looked_in: scopes
                            .iter()
                            .map(|s| match s {
                                Some(ns) => format!("namespace {ns}"),
                                None => "every namespace".into(),
                            })
                            .collect(),
                    })?
                }
            };
            self.observe_ingress(&svc).await
        })
    }

    /// The ingress as its Service, pods (or Deployment) show it.
    async fn observe_ingress(&self, svc: &Json) -> Result<ObservedIngress, AddonsError> {
        let namespace = svc["metadata"]["namespace"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let name = svc["metadata"]["name"].as_str().unwrap_or("").to_string();
        let selector = string_map(&svc["spec"]["selector"]);
        if selector.is_empty() {
            return Err(AddonsError::IngressWithoutSelector(format!(
                "{namespace}/{name}"
            )));
        }
        let ports = svc["spec"]["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(ServicePort::of)
            .collect();
        let load_balancer = svc["status"]["loadBalancer"]["ingress"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["hostname"].as_str().or(i["ip"].as_str()))
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect();
        let sel = selector_text(&selector);
        let pods = self.kube().resolve("v1", "Pod").await?;
        let mut live: Vec<Json> = self
            .kube()
            .list(&pods.resource, Some(&namespace), &sel)
            .await?
            .into_iter()
            .map(|p| serde_json::to_value(p).unwrap_or_default())
            .collect();
        live.sort_by_key(|p| !pod_ready(p));
        let (workload, labels, container_ports) = if let Some(pod) = live.first() {
            (
                format!(
                    "Pod {namespace}/{}",
                    pod["metadata"]["name"].as_str().unwrap_or("")
                ),
                string_map(&pod["metadata"]["labels"]),
                container_ports(&pod["spec"]),
            )
        } else {
            let deployments = self.kube().resolve("apps/v1", "Deployment").await?;
            let matching = self
                .kube()
                .list(&deployments.resource, Some(&namespace), "")
                .await?
                .into_iter()
                .map(|d| serde_json::to_value(d).unwrap_or_default())
                .find(|d| {
                    let labels = string_map(&d["spec"]["template"]["metadata"]["labels"]);
                    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
                })
                .ok_or_else(|| AddonsError::IngressWithoutWorkload {
                    service: format!("{namespace}/{name}"),
                    namespace: namespace.clone(),
                    selector: sel.clone(),
                })?;
            (
                format!(
                    "the pod template of Deployment {namespace}/{}",
                    matching["metadata"]["name"].as_str().unwrap_or("")
                ),
                string_map(&matching["spec"]["template"]["metadata"]["labels"]),
                container_ports(&matching["spec"]["template"]["spec"]),
            )
        };
        Ok(ObservedIngress {
            namespace,
            service: name,
            service_type: svc["spec"]["type"]
                .as_str()
                .unwrap_or("ClusterIP")
                .to_string(),
            selector,
            ports,
            load_balancer,
            workload,
            labels,
            container_ports,
        })
    }

    /// The Service Istio provisions for a Gateway API Gateway (`<name>-istio`), once it has.
    pub fn gateway_api_service(
        &self,
        namespace: &str,
        gateway: &str,
    ) -> Result<Option<ObservedIngress>, AddonsError> {
        self.block_on(async {
            let services = self.kube().resolve("v1", "Service").await?;
            let obj = services.object(Some(namespace), &format!("{gateway}-istio"));
            let Some(live) = self.kube().get(&obj).await? else {
                return Ok(None);
            };
            let svc = serde_json::to_value(live).unwrap_or_default();
            Ok(Some(ObservedIngress {
                namespace: namespace.to_string(),
                service: obj.name.clone(),
                service_type: svc["spec"]["type"]
                    .as_str()
                    .unwrap_or("ClusterIP")
                    .to_string(),
                selector: string_map(&svc["spec"]["selector"]),
                ports: svc["spec"]["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(ServicePort::of)
                    .collect(),
                load_balancer: svc["status"]["loadBalancer"]["ingress"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|i| i["hostname"].as_str().or(i["ip"].as_str()))
                    .map(String::from)
                    .collect(),
                workload: String::new(),
                labels: BTreeMap::new(),
                container_ports: Vec::new(),
            }))
        })
    }

    /// Node addresses to reach a node port on: external IPs first, then internal ones. Empty
    /// when nodes cannot be listed (a namespaced user).
    pub fn node_addresses(&self) -> Vec<String> {
        self.block_on(async {
            let Ok(nodes) = self.kube().resolve("v1", "Node").await else {
                return Vec::new();
            };
            let Ok(list) = self.kube().list(&nodes.resource, None, "").await else {
                return Vec::new();
            };
            let mut external = Vec::new();
            let mut internal = Vec::new();
            for n in list {
                let v = serde_json::to_value(n).unwrap_or_default();
                for a in v["status"]["addresses"].as_array().into_iter().flatten() {
                    let addr = a["address"].as_str().unwrap_or("").to_string();
                    match a["type"].as_str() {
                        Some("ExternalIP") if !addr.is_empty() => external.push(addr),
                        Some("InternalIP") if !addr.is_empty() => internal.push(addr),
                        _ => {}
                    }
                }
            }
            external.extend(internal);
            external
        })
    }

    /// Checks that the kinds the chosen parts need are served.
    pub fn check_sample_kinds(
        &self,
        gateway: GatewayChoice,
        destination_rules: bool,
    ) -> Result<(), AddonsError> {
        self.block_on(async {
            let need = |group: &'static str, kind: &'static str, label: &'static str, why| async move {
                if self.kube().is_installed(group, kind).await? {
                    Ok(())
                } else {
                    Err(AddonsError::CrdMissing {
                        kind: label,
                        needed_for: why,
                    })
                }
            };
            if gateway == GatewayChoice::Istio {
                need("networking.istio.io", "Gateway", "networking.istio.io Gateway", "--gateway").await?;
                need("networking.istio.io", "VirtualService", "networking.istio.io VirtualService", "--gateway").await?;
            }
            if gateway == GatewayChoice::GatewayApi {
                need("gateway.networking.k8s.io", "Gateway", "gateway.networking.k8s.io Gateway", "--gateway-api").await?;
                need("gateway.networking.k8s.io", "HTTPRoute", "gateway.networking.k8s.io HTTPRoute", "--gateway-api").await?;
            }
            if destination_rules {
                need("networking.istio.io", "DestinationRule", "networking.istio.io DestinationRule", "--destination-rules").await?;
            }
            Ok(())
        })
    }

    /// The sample's namespace as the cluster has it.
    pub fn namespace_state(&self, namespace: &str) -> Result<NamespaceState, AddonsError> {
        self.block_on(async {
            let obj = self
                .kube()
                .object("v1", "Namespace", None, namespace)
                .await?;
            let Some(live) = self.kube().get(&obj).await? else {
                return Ok(NamespaceState::default());
            };
            let labels: BTreeMap<String, String> = live
                .metadata
                .labels
                .clone()
                .unwrap_or_default()
                .into_iter()
                .collect();
            let managed_by_meshdeck = live
                .metadata
                .managed_fields
                .iter()
                .flatten()
                .any(|m| m.manager.as_deref() == Some(crate::kube::FIELD_MANAGER));
            Ok(NamespaceState {
                exists: true,
                owned: sample::namespace_is_owned(&labels),
                labels,
                managed_by_meshdeck,
            })
        })
    }

    /// Applies the namespace and then the parts (in parallel, each waited for).
    pub fn install_sample(
        &self,
        namespace_obj: &Json,
        parts: &[SamplePart],
        req: &ApplyRequest,
        observer: &dyn InstallObserver,
    ) -> Result<ApplyReport, AddonsError> {
        let started = std::time::Instant::now();
        let namespace = namespace_obj["metadata"]["name"]
            .as_str()
            .unwrap_or("")
            .to_string();
        self.block_on(async {
            let mut report = ApplyReport::default();
            observer.waiting(&format!("Preparing namespace {namespace}"));
            let opts = ApplyOptions {
                force: req.force_conflicts,
                ..ApplyOptions::default()
            };
            let applied = match self.kube().apply(namespace_obj, &opts).await {
                Ok(a) => a,
                Err(KubeError::Conflict { object, conflicts }) => {
                    return Err(AddonsError::Conflicts(vec![(object, conflicts)]));
                }
                Err(e) => return Err(e.into()),
            };
            match applied.outcome {
                crate::kube::ApplyOutcome::Created => {
                    observer.note(&format!("Created namespace {namespace}"));
                    report.namespaces_created.push(namespace.clone());
                }
                crate::kube::ApplyOutcome::Configured => {
                    report.changed.push(applied.object.to_string())
                }
                crate::kube::ApplyOutcome::Unchanged => {
                    report.unchanged.push(applied.object.to_string())
                }
            }
            let titles: Vec<&str> = parts.iter().map(|p| p.title).collect();
            observer.waiting(&format!("Applying {}", titles.join(", ")));
            let groups: Vec<(String, &[Json])> = parts
                .iter()
                .map(|p| (p.title.to_string(), p.objects.as_slice()))
                .collect();
            self.apply_groups(&groups, &namespace, req, &mut report, observer)
                .await?;
            report.elapsed = started.elapsed();
            Ok(report)
        })
    }

    /// The sample objects meshdeck applied in `namespace`.
    pub fn sample_objects(&self, namespace: &str) -> Result<Vec<ObjectRef>, AddonsError> {
        let found = self.block_on(self.owned(
            sample::SAMPLE_KINDS,
            Some(namespace),
            &sample::owned_selector(),
            sample::SAMPLE_LABEL,
        ))?;
        Ok(found.into_iter().map(|(o, _)| o).collect())
    }

    /// Deletes the namespace meshdeck created for the sample, or, for one that was there
    /// before, gives up the injection label meshdeck set on it (server-side apply of nothing:
    /// fields another manager also set stay). Returns what was done.
    pub fn release_namespace(
        &self,
        namespace: &str,
        state: &NamespaceState,
    ) -> Result<Option<String>, AddonsError> {
        self.block_on(async {
            let obj = self
                .kube()
                .object("v1", "Namespace", None, namespace)
                .await?;
            if state.owned {
                return Ok(
                    match self.kube().delete(&obj, Propagation::Background).await? {
                        Deleted::Absent => None,
                        Deleted::Gone | Deleted::Terminating(_) => Some(format!("Removed {obj}")),
                    },
                );
            }
            if state.managed_by_meshdeck {
                let bare = serde_json::json!({"apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"name": namespace}});
                self.kube().apply(&bare, &ApplyOptions::default()).await?;
                return Ok(Some(format!(
                    "Kept {obj} (meshdeck did not create it); removed the labels meshdeck set on it"
                )));
            }
            Ok(None)
        })
    }
}

/// The Gateway API variant's listener port (80 in the release).
pub fn gateway_api_port(m: &BookinfoManifests) -> (String, i64) {
    m.gateway_api
        .iter()
        .find(|o| o["kind"] == "Gateway")
        .and_then(|g| {
            Some((
                g["metadata"]["name"].as_str()?.to_string(),
                g["spec"]["listeners"][0]["port"].as_i64()?,
            ))
        })
        .unwrap_or_else(|| ("bookinfo-gateway".into(), 80))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ingress_services_are_those_selecting_istio_ingress_pods() {
        let sel = |v: Json| string_map(&v);
        assert!(is_ingress(&sel(
            json!({"istio": "ingressgateway", "app": "x"})
        )));
        assert!(is_ingress(&sel(json!({"istio": "ingress"}))));
        assert!(!is_ingress(&sel(json!({"istio": "egressgateway"}))));
        assert!(!is_ingress(&sel(json!({"app": "istio-ingress"}))));
        let spec = json!({"containers": [{"ports": [{"name": "http", "containerPort": 80}, {"containerPort": 15090}]}]});
        assert_eq!(
            container_ports(&spec),
            vec![("http".to_string(), 80), (String::new(), 15090)]
        );
    }
}
