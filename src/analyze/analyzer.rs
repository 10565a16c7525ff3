//! What an analyzer is, and the context it works in.

use super::analyzers::hosts::{ServiceRegistry, service_namespace};
use super::catalogue::{Arg, MessageType};
use super::mesh::MeshConfig;
use crate::resource::{Kind, Resource, Selector, Snapshot};

/// What an analyzer declares about itself.
#[derive(Debug)]
pub struct Metadata {
    /// Istio's name (`gateway.IngressGatewayPortAnalyzer`), used by `--analyzer` and `-L`.
    pub name: &'static str,
    pub description: &'static str,
    /// The kinds it reads.
    pub inputs: &'static [Kind],
    /// The message types it can report.
    pub codes: &'static [&'static MessageType],
}

impl Metadata {
    /// Analyzers that read Pods depend on workload instances being present.
    pub fn needs_workloads(&self) -> bool {
        self.inputs.contains(&Kind::Pod)
    }
}

/// One analyzer. Analyzers are pure: they read the snapshot and report messages.
pub trait Analyzer: Send + Sync {
    fn metadata(&self) -> &'static Metadata;
    fn analyze(&self, ctx: &mut Context<'_>);
}

/// A message as an analyzer reports it, before rendering.
#[derive(Clone, Debug)]
pub struct Message {
    pub kind: &'static MessageType,
    pub args: Vec<Arg>,
    /// Snapshot index of the resource it is about.
    pub resource: Option<usize>,
    /// Field path inside that resource (`spec.selector.istio`).
    pub field: Option<String>,
    pub analyzer: &'static str,
    /// A hint about this occurrence (what the input has instead), beyond the catalogue's fix.
    pub hint: Option<String>,
}

/// What an analyzer sees while it runs.
pub struct Context<'a> {
    pub snapshot: &'a Snapshot,
    pub mesh: &'a MeshConfig,
    /// Namespace of the Istio control plane (`-i`).
    pub istio_namespace: &'a str,
    /// The clock of the run (certificate validity): an input, so tests can fix it.
    pub now: std::time::SystemTime,
    /// A file-only run: the cluster's objects are not in the snapshot, so checks whose targets
    /// usually live there judge only when the input holds candidates (see [`Context::can_look_up`]).
    pub file_only: bool,
    /// The remote clusters of a multi-cluster run (`--remote-contexts`); none by default.
    pub clusters: &'a Clusters,
    pub(super) analyzer: &'static str,
    pub(super) messages: Vec<Message>,
    pub(super) skipped_checks: Vec<SkippedCheck>,
}

/// The clusters of a multi-cluster run: the snapshot is the primary cluster's view (the files
/// laid over it); each remote cluster is read from its own kubeconfig context.
#[derive(Debug, Default)]
pub struct Clusters {
    /// The primary cluster's name in messages (its kubeconfig context).
    pub primary: String,
    pub remotes: Vec<RemoteCluster>,
}

/// The objects read from one remote cluster. They are not part of the snapshot: only the
/// analyzers that compare clusters look at them.
#[derive(Debug)]
pub struct RemoteCluster {
    /// Its kubeconfig context, as given to `--remote-contexts`.
    pub name: String,
    pub resources: Vec<Resource>,
}

static NO_CLUSTERS: Clusters = Clusters {
    primary: String::new(),
    remotes: Vec::new(),
};

/// A check that did not run for one resource, because its targets are not in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedCheck {
    /// Snapshot index of the resource the check is about.
    pub resource: usize,
    /// What was not checked, naming its codes (`IST0162 (server ports)`).
    pub check: &'static str,
    /// The selector that found nothing to judge against.
    pub selector: String,
    pub analyzer: &'static str,
    /// Where the note points: the selector (or the reference) the check would have judged.
    pub field: Option<String>,
    /// What to add to the input to run the check without a cluster (`the ingress gateway's
    /// manifests`).
    pub targets: &'static str,
    /// For a check that looks a destination host up among Services: the host, and the namespace
    /// the input holds no Service of (then `selector` is empty). `None` for selector checks.
    pub host: Option<SkippedHost>,
}

/// A destination host (or a gateway reference) whose check was skipped: nothing of the kind it
/// names is in the input in its namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedHost {
    /// As written (`cert-manager-resolver`, `istio-system/public-gateway`).
    pub host: String,
    /// The namespace whose Services (or Gateways) it names (`istio-system`).
    pub namespace: String,
    /// What it names: [`Target::Service`] for a destination host, [`Target::Gateway`] for a
    /// VirtualService's `gateways` entry.
    pub of: Target,
}

/// What a skipped reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Service,
    Gateway,
}

impl Target {
    /// `Service`, `Gateway`.
    pub fn kind(self) -> &'static str {
        match self {
            Target::Service => "Service",
            Target::Gateway => "Gateway",
        }
    }
}

/// A destination host a check looks up among Services and ServiceEntries.
pub struct HostLookUp<'s> {
    /// As written in the resource.
    pub host: &'s str,
    /// The namespace of the resource that wrote it (a short name is a Service of it).
    pub namespace: &'s str,
    /// The field the check is about, for the note.
    pub field: Option<String>,
}

/// The workloads a check looks up: by `selector`, in `namespace` (`None`: any namespace).
pub struct LookUp<'s> {
    pub selector: &'s Selector,
    pub namespace: Option<&'s str>,
    /// The field the check is about, for the note.
    pub field: Option<String>,
    /// What to add to the input to run the check without a cluster.
    pub targets: &'static str,
}

/// What a note asks for when a Gateway's checks are skipped.
pub const INGRESS_MANIFESTS: &str = "the ingress gateway's manifests";
/// What a note asks for when a policy's or a Service's checks are skipped.
pub const WORKLOAD_MANIFESTS: &str = "the manifests of the workloads it selects";
/// What a note asks for when a destination host's checks are skipped (the namespace follows).
pub const SERVICE_MANIFESTS: &str = "the Services of";
/// What a note asks for when a gateway reference's checks are skipped (the namespace follows).
pub const GATEWAY_MANIFESTS: &str = "the Gateways of";

impl<'a> Context<'a> {
    pub fn new(
        snapshot: &'a Snapshot,
        mesh: &'a MeshConfig,
        istio_namespace: &'a str,
    ) -> Context<'a> {
        Context {
            snapshot,
            mesh,
            istio_namespace,
            now: std::time::SystemTime::now(),
            file_only: false,
            clusters: &NO_CLUSTERS,
            analyzer: "",
            messages: Vec::new(),
            skipped_checks: Vec::new(),
        }
    }

    /// Whether a check that looks up the workloads `selector` picks can judge the Gateway
    /// `resource` (any namespace; the note asks for the ingress gateway's manifests). See
    /// [`Context::can_look_up_workloads`].
    pub fn can_look_up(
        &mut self,
        resource: &Resource,
        selector: &Selector,
        checks: &[&'static str],
    ) -> bool {
        let field = crate::resource::views::Gateway::of(resource).and_then(|g| g.selector_field());
        self.can_look_up_workloads(
            resource,
            LookUp {
                selector,
                namespace: None,
                field,
                targets: INGRESS_MANIFESTS,
            },
            checks,
        )
    }

    /// Whether a check that looks up the workloads a selector picks can judge `resource`. In a
    /// file-only run it can only when some workload in the input (of the look-up's namespace,
    /// when it has one) carries one of the selector's label keys (for `istio: ingressgateway`,
    /// some workload labelled `istio: <anything>`; for an empty selector, any workload): an
    /// application repository holds Gateways, not the ingress gateway's Deployment, and a
    /// selector matching nothing there says nothing about the cluster. Otherwise the checks are
    /// recorded as skipped, to be named in a note.
    pub fn can_look_up_workloads(
        &mut self,
        resource: &Resource,
        lookup: LookUp<'_>,
        checks: &[&'static str],
    ) -> bool {
        if !self.file_only {
            return true;
        }
        let selector = lookup.selector;
        // From the snapshot's index of label keys: a scan of every workload for each resource
        // made large inputs quadratic.
        let candidates = self.snapshot.has_workload_with_label_key(
            lookup.namespace,
            selector.pairs().iter().map(|(k, _)| k.as_str()),
        );
        if !candidates {
            for &check in checks {
                let skipped = SkippedCheck {
                    resource: resource.id,
                    check,
                    selector: selector.to_string(),
                    analyzer: self.analyzer,
                    field: lookup.field.clone(),
                    targets: lookup.targets,
                    host: None,
                };
                if !self.skipped_checks.contains(&skipped) {
                    self.skipped_checks.push(skipped);
                }
            }
        }
        candidates
    }

    /// Whether a check that looks the destination host of `lookup` up in `registry` can judge
    /// `resource` when the host resolves to nothing. In a file-only run it can only when the
    /// input holds some Service of the namespace the host names (a Service of that namespace,
    /// or a ServiceEntry host in its `svc.cluster.local` domain): an application repository
    /// holds VirtualServices and DestinationRules, while the Services they route to are
    /// deployed by the application's chart, or by an operator (cert-manager's solver Service),
    /// and a host missing from such an input says nothing about the cluster. Once the input
    /// holds Services of that namespace, it is taken to hold them all, so a mistyped host is
    /// still reported. Hosts that name no Service namespace (external FQDNs, which only a
    /// ServiceEntry makes resolvable, and wildcards) are judged as in a cluster run. Otherwise
    /// the checks are recorded as skipped, to be named in a note with the host.
    pub fn can_resolve_host(
        &mut self,
        resource: &Resource,
        registry: &ServiceRegistry<'_>,
        lookup: HostLookUp<'_>,
        checks: &[&'static str],
    ) -> bool {
        if !self.file_only {
            return true;
        }
        let Some(namespace) = service_namespace(lookup.namespace, lookup.host) else {
            return true;
        };
        if registry.holds_services_of(namespace) {
            return true;
        }
        let host = SkippedHost {
            host: lookup.host.to_string(),
            namespace: namespace.to_string(),
            of: Target::Service,
        };
        self.skip_for_host(resource, checks, lookup.field, SERVICE_MANIFESTS, host);
        false
    }

    /// Records `checks` of `resource` as skipped for `host`, each once.
    fn skip_for_host(
        &mut self,
        resource: &Resource,
        checks: &[&'static str],
        field: Option<String>,
        targets: &'static str,
        host: SkippedHost,
    ) {
        for &check in checks {
            let skipped = SkippedCheck {
                resource: resource.id,
                check,
                selector: String::new(),
                analyzer: self.analyzer,
                field: field.clone(),
                targets,
                host: Some(host.clone()),
            };
            if !self.skipped_checks.contains(&skipped) {
                self.skipped_checks.push(skipped);
            }
        }
    }

    /// Whether a check of the gateway `reference` (`ns/name`, or `name` in the VirtualService's
    /// namespace) can judge `resource` when no such Gateway is in the input. In a file-only run
    /// it can only when the input holds some Gateway of that namespace: an application
    /// repository binds its VirtualServices to a Gateway the platform team keeps in the cluster
    /// (`istio-system/public-gateway`), and its absence from the input says nothing. A name
    /// without `ns/` while the input holds a Gateway of that name elsewhere is judged (the
    /// missing prefix is the likely mistake). Otherwise the checks are recorded as skipped.
    pub fn can_resolve_gateway(
        &mut self,
        resource: &Resource,
        reference: &str,
        (namespace, name): (&str, &str),
        field: Option<String>,
        checks: &[&'static str],
    ) -> bool {
        if !self.file_only {
            return true;
        }
        let gateways = || {
            self.snapshot
                .of_kind(Kind::Gateway)
                .chain(self.snapshot.of_kind(Kind::K8sGateway))
        };
        if gateways().any(|g| g.namespace == namespace)
            || (!reference.contains('/') && gateways().any(|g| g.name == name))
        {
            return true;
        }
        let host = SkippedHost {
            host: reference.to_string(),
            namespace: namespace.to_string(),
            of: Target::Gateway,
        };
        self.skip_for_host(resource, checks, field, GATEWAY_MANIFESTS, host);
        false
    }

    /// Reports a message about `resource`, pointing at `field` when given.
    pub fn report(
        &mut self,
        kind: &'static MessageType,
        resource: &Resource,
        field: Option<String>,
        args: Vec<Arg>,
    ) {
        debug_assert_eq!(
            args.len(),
            kind.args.len(),
            "{}: wrong number of arguments",
            kind.code
        );
        self.messages.push(Message {
            kind,
            args,
            resource: Some(resource.id),
            field,
            analyzer: self.analyzer,
            hint: None,
        });
    }

    /// Reports a message about no resource of the snapshot (a Service only remote clusters hold).
    pub fn report_unattached(&mut self, kind: &'static MessageType, args: Vec<Arg>) {
        self.messages.push(Message {
            kind,
            args,
            resource: None,
            field: None,
            analyzer: self.analyzer,
            hint: None,
        });
    }

    /// Adds a hint to the message reported last.
    pub fn hint(&mut self, hint: String) {
        if let Some(m) = self.messages.last_mut() {
            m.hint = Some(hint);
        }
    }

    pub fn take_messages(&mut self) -> Vec<Message> {
        std::mem::take(&mut self.messages)
    }
}
