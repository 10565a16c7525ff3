//! What `meshdeck install` checks before it applies anything, pure: the permissions the render
//! needs, injector webhooks the render would overlap, other Istio revisions in the cluster,
//! objects another installer (istioctl) owns, and analyze's Error-level findings over the render
//! laid on the cluster. Each check hands back [`Problem`]s that say what is wrong and what to
//! do; the install lists them all at once.
//!
//! What stops the install, after istioctl: a missing permission (the apply would fail half
//! way); an injector webhook of another installation that selects the same pods as one the
//! render adds (istioctl refuses to install a conflicting default tag: pods would be injected
//! twice); an Error-level analyze finding; objects istioctl installed, unless `--adopt`. The
//! webhook overlap and the analyze findings go on with `--force`, as the server version does.
//! What is only said: another revision's control plane (istioctl warns when it upgrades or
//! downgrades one; revisions are meant to run side by side) and the default validator moving
//! from another revision to this one (istioctl prints that and goes on).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value as Json;

use super::apply::{OWNER, OWNER_LABEL, REVISION_LABEL, describe};
use crate::analyze::{self, Finding, Level, MeshConfig};
use crate::kube::Access;
use crate::resource::{Origin, Resource, Snapshot, document};

/// Which check found a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Check {
    ServerVersion,
    Permissions,
    Ownership,
    Webhooks,
    OtherRevision,
    Analyze,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Check::ServerVersion => "server version",
            Check::Permissions => "permissions",
            Check::Ownership => "ownership",
            Check::Webhooks => "webhooks",
            Check::OtherRevision => "other revision",
            Check::Analyze => "analyze",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Stops the install (unless `--force` where [`Problem::forceable`]).
    Error,
    /// Said, and the install goes on.
    Warning,
}

/// One thing a precheck found: what is wrong, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub check: Check,
    pub severity: Severity,
    /// `--force` goes on despite it.
    pub forceable: bool,
    /// What is wrong, naming the objects (may span lines).
    pub what: String,
    /// What to do.
    pub fix: String,
}

impl Problem {
    pub fn error(check: Check, forceable: bool, what: String, fix: String) -> Problem {
        Problem {
            check,
            severity: Severity::Error,
            forceable,
            what,
            fix,
        }
    }

    pub fn warning(check: Check, what: String, fix: String) -> Problem {
        Problem {
            check,
            severity: Severity::Warning,
            forceable: true,
            what,
            fix,
        }
    }

    /// Whether it stops an install run with (or without) `--force`.
    pub fn blocks(&self, force: bool) -> bool {
        self.severity == Severity::Error && !(force && self.forceable)
    }
}

impl fmt::Display for Problem {
    /// `[check] what` then `  to fix: ...`, with `(--force goes on)` where it does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.check, self.what)?;
        write!(f, "\n    to fix: {}", self.fix)?;
        if self.severity == Severity::Error && self.forceable {
            f.write_str(" (or go on anyway with --force)")?;
        }
        Ok(())
    }
}

fn label<'a>(obj: &'a Json, key: &str) -> Option<&'a str> {
    obj["metadata"]["labels"][key].as_str()
}

fn name(obj: &Json) -> &str {
    obj["metadata"]["name"].as_str().unwrap_or("")
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("")
}

/// Whether meshdeck installed this object for `revision`.
pub fn owned_by_this_install(obj: &Json, revision: &str) -> bool {
    label(obj, OWNER_LABEL) == Some(OWNER) && label(obj, REVISION_LABEL) == Some(revision)
}

/// How an API resource is addressed in an access review: group, plural, namespaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceName {
    pub group: String,
    pub plural: String,
    pub namespaced: bool,
}

/// The verbs an install needs on each kind it renders, where it renders it: create, patch and
/// get (apply, and reading the object before), delete (prune and uninstall) in each namespace
/// (cluster-wide for cluster-scoped kinds), list cluster-wide (prune and uninstall look for
/// owned objects in every namespace); get on namespaces, create on those still `missing`.
/// `discovered` names the kinds the server serves; kinds it does not serve yet (the render's own
/// CRDs) are named from the rendered CRDs.
pub fn required_access(
    objects: &[&Json],
    discovered: &dyn Fn(&str, &str) -> Option<ResourceName>,
    missing_namespaces: &[String],
) -> Vec<Access> {
    let mut from_crds: BTreeMap<(String, String), ResourceName> = BTreeMap::new();
    for crd in objects
        .iter()
        .filter(|o| o["kind"] == "CustomResourceDefinition")
    {
        let spec = &crd["spec"];
        let (Some(group), Some(kind), Some(plural)) = (
            spec["group"].as_str(),
            spec["names"]["kind"].as_str(),
            spec["names"]["plural"].as_str(),
        ) else {
            continue;
        };
        from_crds.insert(
            (group.to_string(), kind.to_string()),
            ResourceName {
                group: group.to_string(),
                plural: plural.to_string(),
                namespaced: spec["scope"] != "Cluster",
            },
        );
    }
    let mut out: BTreeSet<Access> = BTreeSet::new();
    let mut add = |verb: &str, r: &ResourceName, namespace: Option<&str>| {
        out.insert(Access {
            verb: verb.to_string(),
            group: r.group.clone(),
            resource: r.plural.clone(),
            namespace: namespace.map(str::to_string),
        });
    };
    for obj in objects {
        let api_version = obj["apiVersion"].as_str().unwrap_or("");
        let kind = obj["kind"].as_str().unwrap_or("");
        if kind.is_empty() {
            continue;
        }
        let group = group_of(api_version);
        let resource = discovered(api_version, kind)
            .or_else(|| {
                from_crds
                    .get(&(group.to_string(), kind.to_string()))
                    .cloned()
            })
            .unwrap_or_else(|| ResourceName {
                group: group.to_string(),
                plural: format!("{}s", kind.to_ascii_lowercase()),
                namespaced: obj["metadata"]["namespace"]
                    .as_str()
                    .is_some_and(|n| !n.is_empty()),
            });
        let namespace = obj["metadata"]["namespace"]
            .as_str()
            .filter(|n| !n.is_empty() && resource.namespaced);
        for verb in ["create", "patch", "get", "delete"] {
            add(verb, &resource, namespace);
        }
        add("list", &resource, None);
    }
    let namespaces = ResourceName {
        group: String::new(),
        plural: "namespaces".into(),
        namespaced: false,
    };
    add("get", &namespaces, None);
    if !missing_namespaces.is_empty() {
        add("create", &namespaces, None);
    }
    out.into_iter().collect()
}

/// One problem listing every access the user lacks (none when `allowed` grants them all),
/// grouped by resource and namespace: `create, patch deployments.apps in namespace x`.
pub fn missing_permissions(checks: &[Access], allowed: &[bool]) -> Option<Problem> {
    let mut grouped: BTreeMap<(String, String, Option<String>), Vec<&str>> = BTreeMap::new();
    for (check, ok) in checks.iter().zip(allowed) {
        if !ok {
            grouped
                .entry((
                    check.resource.clone(),
                    check.group.clone(),
                    check.namespace.clone(),
                ))
                .or_default()
                .push(&check.verb);
        }
    }
    if grouped.is_empty() {
        return None;
    }
    let count: usize = grouped.values().map(Vec::len).sum();
    let mut what = format!("the user may not do {count} thing(s) the install needs:");
    let mut example = None;
    for ((resource, group, namespace), verbs) in &grouped {
        let access = Access {
            verb: verbs.join(", "),
            group: group.clone(),
            resource: resource.clone(),
            namespace: namespace.clone(),
        };
        what.push_str(&format!("\n      - {access}"));
        if example.is_none() {
            let qualified = if group.is_empty() {
                resource.clone()
            } else {
                format!("{resource}.{group}")
            };
            example = Some(match namespace {
                Some(ns) => format!("kubectl auth can-i {} {qualified} -n {ns}", verbs[0]),
                None => format!("kubectl auth can-i {} {qualified}", verbs[0]),
            });
        }
    }
    Some(Problem::error(
        Check::Permissions,
        false,
        what,
        format!(
            "install as a user who has these rights (Istio's install needs cluster-admin in practice), or ask a cluster admin to grant them; `{}` checks one",
            example.unwrap_or_default()
        ),
    ))
}

fn resources(objects: &[&Json], origin: fn() -> Origin) -> Vec<Resource> {
    objects
        .iter()
        .map(|o| {
            let mut r = Resource::from_json(o, origin());
            document::apply_defaults(&mut r);
            r
        })
        .collect()
}

/// Injector webhooks of the cluster (other than those the render replaces: the same names) that
/// select pods a rendered injector webhook also selects: webhook.Analyzer's overlap (IST0139)
/// over both, as istioctl checks before it installs a default tag.
pub fn webhook_conflicts(rendered: &[&Json], cluster: &[Json]) -> Vec<Problem> {
    let rendered_mwcs: Vec<&Json> = rendered
        .iter()
        .copied()
        .filter(|o| o["kind"] == "MutatingWebhookConfiguration")
        .collect();
    if rendered_mwcs.is_empty() {
        return Vec::new();
    }
    let ours: BTreeSet<&str> = rendered_mwcs.iter().map(|o| name(o)).collect();
    let others: Vec<&Json> = cluster.iter().filter(|o| !ours.contains(name(o))).collect();
    if others.is_empty() {
        return Vec::new();
    }
    let mut all = resources(&rendered_mwcs, || Origin::Synthetic);
    all.extend(resources(&others, || Origin::Cluster));
    let snapshot = Snapshot::new(all, false);
    let outcome = analyze::run(
        &snapshot,
        &MeshConfig::default(),
        "",
        &[&analyze::analyzers::webhook::WebhookAnalyzer],
        false,
    );
    let mut by_config: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in outcome.findings {
        if f.code() != "IST0139" || !f.message.contains("overlaps") || !ours.contains(&*f.name) {
            continue;
        }
        let hook = f.field.clone().unwrap_or_default();
        by_config
            .entry(f.name.clone())
            .or_default()
            .push(format!("{hook}: {}", f.message));
    }
    let other_names: Vec<&str> = others.iter().map(|o| name(o)).collect();
    by_config
        .into_iter()
        .map(|(config, lines)| {
            let overlapping: Vec<&str> = other_names
                .iter()
                .copied()
                .filter(|o| lines.iter().any(|l| l.contains(&format!("{o}/"))))
                .collect();
            Problem::error(
                Check::Webhooks,
                true,
                format!(
                    "the rendered MutatingWebhookConfiguration {config} selects the same pods as {} already in the cluster: {}",
                    overlapping
                        .iter()
                        .map(|o| format!("MutatingWebhookConfiguration {o}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    lines.join("; ")
                ),
                format!(
                    "remove the other injector (kubectl delete mutatingwebhookconfiguration {}) or uninstall the Istio it belongs to; or install with a revision of its own (--revision) and label namespaces istio.io/rev=<revision>",
                    overlapping.first().copied().unwrap_or("<name>")
                ),
            )
        })
        .collect()
}

/// `istiod-default-validator` (which validates every Istio object) moving from another
/// revision to this one: said, as istioctl does.
pub fn default_validator_takeover(
    rendered: &[&Json],
    cluster: &[Json],
    revision: &str,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for ours in rendered
        .iter()
        .filter(|o| o["kind"] == "ValidatingWebhookConfiguration")
    {
        let Some(theirs) = cluster.iter().find(|c| name(c) == name(ours)) else {
            continue;
        };
        let (Some(now), Some(next)) = (label(theirs, "istio.io/rev"), label(ours, "istio.io/rev"))
        else {
            continue;
        };
        if now == next || owned_by_this_install(theirs, revision) {
            continue;
        }
        out.push(Problem::warning(
            Check::Webhooks,
            format!(
                "ValidatingWebhookConfiguration {} validates Istio objects for revision {now:?}; this install points it at revision {next:?}",
                name(ours)
            ),
            format!(
                "nothing, if revision {next:?} is to be the default; otherwise install without values.defaultRevision"
            ),
        ));
    }
    out
}

/// The control plane's version, from its image tag (`docker.io/istio/pilot:1.29.0` -> `1.29.0`).
fn istiod_version(deployment: &Json) -> Option<String> {
    deployment["spec"]["template"]["spec"]["containers"]
        .as_array()?
        .iter()
        .filter_map(|c| c["image"].as_str())
        .find_map(|image| {
            let tag = image.rsplit_once(':')?.1;
            (!tag.contains('/')).then(|| tag.to_string())
        })
}

/// Other revisions of Istio in the cluster, from istiod Deployments (`app=istiod`) and injector
/// webhooks labelled `istio.io/rev`: one warning per revision. They run side by side with this
/// one (that is what revisions are for); istioctl also only warns.
pub fn other_revisions(istiods: &[Json], webhooks: &[Json], revision: &str) -> Vec<Problem> {
    let mut seen: BTreeMap<String, (Vec<String>, Option<String>)> = BTreeMap::new();
    // Objects being deleted are on their way out (an uninstall that has not finished).
    let live = |o: &&Json| o["metadata"]["deletionTimestamp"].is_null();
    for d in istiods.iter().filter(live) {
        let rev = label(d, "istio.io/rev").unwrap_or("default").to_string();
        let entry = seen.entry(rev).or_default();
        entry.0.push(describe(d));
        if entry.1.is_none() {
            entry.1 = istiod_version(d);
        }
    }
    for w in webhooks.iter().filter(live) {
        if let Some(rev) = label(w, "istio.io/rev") {
            seen.entry(rev.to_string()).or_default().0.push(describe(w));
        }
    }
    seen.into_iter()
        .filter(|(rev, _)| rev != revision)
        .map(|(rev, (objects, version))| {
            let version = version.map(|v| format!(" ({v})")).unwrap_or_default();
            let shown: Vec<&str> = objects.iter().take(3).map(String::as_str).collect();
            let more = objects.len().saturating_sub(3);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            Problem::warning(
                Check::OtherRevision,
                format!(
                    "Istio revision {rev:?}{version} is installed too ({}{more}); it keeps running next to revision {revision:?}",
                    shown.join(", ")
                ),
                format!(
                    "nothing, to run both; to move workloads, label their namespaces istio.io/rev={revision} and restart them; to remove {rev:?}, uninstall it (meshdeck uninstall -r {rev}, or istioctl uninstall --revision {rev})"
                ),
            )
        })
        .collect()
}

/// Whether istioctl (or its operator) installed this live object: no meshdeck ownership label,
/// and istioctl's own (`operator.istio.io/managed`) or its field manager `istio-operator`.
pub fn installed_by_istioctl(live: &Json) -> bool {
    if label(live, OWNER_LABEL) == Some(OWNER) {
        return false;
    }
    label(live, "operator.istio.io/managed").is_some()
        || live["metadata"]["managedFields"]
            .as_array()
            .is_some_and(|m| m.iter().any(|f| f["manager"] == "istio-operator"))
}

/// `12 objects (3 ConfigMap, 2 Deployment, ...)`: what `--adopt` takes over.
pub fn adopt_summary(objects: &[String]) -> String {
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for o in objects {
        *kinds
            .entry(o.split_once(' ').map(|(k, _)| k).unwrap_or(o))
            .or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("{} object(s) ({})", objects.len(), kinds.join(", "))
}

/// Objects of the render that istioctl installed, when the user did not pass `--adopt`.
pub fn not_owned(objects: &[String]) -> Option<Problem> {
    if objects.is_empty() {
        return None;
    }
    let shown: Vec<&str> = objects.iter().take(10).map(String::as_str).collect();
    let more = objects.len().saturating_sub(10);
    let more = if more > 0 {
        format!("\n      - ... and {more} more")
    } else {
        String::new()
    };
    Some(Problem::error(
        Check::Ownership,
        false,
        format!(
            "istioctl installed {} this install would change:\n      - {}{more}",
            adopt_summary(objects),
            shown.join("\n      - ")
        ),
        "pass --adopt to take them over (meshdeck then owns, prunes and uninstalls them), or install with a revision of its own (--revision)".into(),
    ))
}

/// The analyzers that can report an Error (the only level that stops an install): the others
/// would cost time and say nothing the install acts on.
pub fn error_analyzers() -> Vec<&'static dyn analyze::Analyzer> {
    analyze::analyzers::all()
        .into_iter()
        .filter(|a| a.metadata().codes.iter().any(|c| c.level == Level::Error))
        .collect()
}

/// Analyze's Error-level findings about the render and what is in the Istio namespace, over
/// the rendered objects laid on the cluster's (`cluster`: what the analyzers read, from every
/// namespace). `mesh_config` is the render's mesh config text, if it has one.
pub fn analyze_problems(
    rendered: &[&Json],
    cluster: Vec<Resource>,
    mesh_config: Option<&str>,
    istio_namespace: &str,
) -> Vec<Problem> {
    let mut mesh = MeshConfig::default();
    if let Some(text) = mesh_config {
        // The render's mesh config is the one istiod will run with; one it cannot read is
        // left to the defaults (analyze of the cluster reports it once istiod runs).
        let _ = mesh.apply_config(text, "the rendered mesh config");
    }
    let analyzers = error_analyzers();
    // CRDs are the bulk of a render; they are left out unless one of these analyzers reads them.
    let reads_crds = analyzers.iter().any(|a| {
        a.metadata()
            .inputs
            .contains(&crate::resource::Kind::CustomResourceDefinition)
    });
    let analyzed: Vec<&Json> = rendered
        .iter()
        .copied()
        .filter(|o| reads_crds || o["kind"] != "CustomResourceDefinition")
        .collect();
    // The render first: the first object of an identity wins, so rendered objects replace
    // the cluster's, as files do in analyze.
    let mut all = resources(&analyzed, || Origin::Synthetic);
    all.extend(cluster);
    all.extend(mesh.as_resources(istio_namespace));
    let snapshot = Snapshot::new(all, true);
    let outcome = analyze::run(&snapshot, &mesh, istio_namespace, &analyzers, false);
    let rendered_names: BTreeSet<(&str, &str)> = rendered
        .iter()
        .map(|o| (o["kind"].as_str().unwrap_or(""), name(o)))
        .collect();
    let findings: Vec<Finding> = analyze::select(outcome.findings, Some(istio_namespace), &[])
        .into_iter()
        .filter(|f| f.level == Level::Error)
        // Cluster-scoped objects the render does not hold are not this install's business.
        .filter(|f| {
            !f.namespace.is_empty() || rendered_names.contains(&(f.kind.as_str(), f.name.as_str()))
        })
        // Overlapping injectors are the webhook check's, which names what to remove.
        .filter(|f| !(f.code() == "IST0139" && f.message.contains("overlaps")))
        .collect();
    findings
        .into_iter()
        .map(|f| {
            let fix = if f.message_type.fix.is_empty() {
                format!("see {}", f.message_type.documentation_url())
            } else {
                format!(
                    "{} (see {})",
                    f.message_type.fix.trim_end_matches('.'),
                    f.message_type.documentation_url()
                )
            };
            Problem::error(Check::Analyze, true, f.log_line(), fix)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn served(api_version: &str, kind: &str) -> Option<ResourceName> {
        let (plural, namespaced) = match kind {
            "Deployment" => ("deployments", true),
            "ClusterRole" => ("clusterroles", false),
            _ => return None,
        };
        Some(ResourceName {
            group: group_of(api_version).to_string(),
            plural: plural.into(),
            namespaced,
        })
    }

    #[test]
    fn access_covers_every_verb_kind_and_namespace_and_names_unserved_kinds_from_the_crds() {
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "istiod", "namespace": "istio-system"}});
        let cr = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "istiod"}});
        let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "wasmplugins.extensions.istio.io"},
            "spec": {"group": "extensions.istio.io", "scope": "Namespaced",
                "names": {"kind": "WasmPlugin", "plural": "wasmplugins"}}});
        let wasm = json!({"apiVersion": "extensions.istio.io/v1alpha1", "kind": "WasmPlugin",
            "metadata": {"name": "w", "namespace": "istio-system"}});
        let access = required_access(&[&d, &cr, &crd, &wasm], &served, &["istio-system".into()]);
        let shown: Vec<String> = access.iter().map(ToString::to_string).collect();
        for want in [
            "create deployments.apps in namespace istio-system",
            "delete deployments.apps in namespace istio-system",
            "list deployments.apps (cluster-wide)",
            "patch clusterroles.rbac.authorization.k8s.io (cluster-wide)",
            "create wasmplugins.extensions.istio.io in namespace istio-system",
            "get customresourcedefinitions.apiextensions.k8s.io (cluster-wide)",
            "create namespaces (cluster-wide)",
        ] {
            assert!(shown.iter().any(|s| s == want), "{want} in {shown:#?}");
        }
        let none = vec![true; access.len()];
        assert!(missing_permissions(&access, &none).is_none());
        let mut some = none.clone();
        for (i, a) in access.iter().enumerate() {
            if a.resource == "deployments" && a.verb != "list" {
                some[i] = false;
            }
        }
        let p = missing_permissions(&access, &some).unwrap();
        assert!(p.blocks(true), "--force does not help a missing right");
        assert!(
            p.what.contains(
                "- create, delete, get, patch deployments.apps in namespace istio-system"
            ),
            "{}",
            p.what
        );
        assert!(p.what.contains("4 thing(s)"), "{}", p.what);
        assert!(
            p.fix
                .contains("kubectl auth can-i create deployments.apps -n istio-system"),
            "{}",
            p.fix
        );
    }

    fn injector(name: &str, rev_selector: Option<&str>) -> Json {
        let ns_selector = match rev_selector {
            // As Istio's charts select: a revision's namespaces, or istio-injection=enabled.
            Some(rev) => json!({"matchExpressions": [
                {"key": "istio.io/rev", "operator": "In", "values": [rev]},
                {"key": "istio-injection", "operator": "DoesNotExist"}]}),
            None => json!({"matchExpressions": [
                {"key": "istio-injection", "operator": "In", "values": ["enabled"]}]}),
        };
        json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
            "metadata": {"name": name},
            "webhooks": [{"name": "sidecar-injector.istio.io", "namespaceSelector": ns_selector,
                "clientConfig": {"url": "https://example.invalid/inject"}}]})
    }

    #[test]
    fn an_overlapping_injector_is_an_error_one_of_its_own_revision_is_not() {
        let ours = injector("istio-sidecar-injector-canary", Some("canary"));
        let clash = injector("someone-elses-injector", Some("canary"));
        let apart = injector("istio-sidecar-injector", None);
        let problems = webhook_conflicts(&[&ours], &[clash.clone(), apart.clone()]);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        let p = &problems[0];
        assert_eq!(p.check, Check::Webhooks);
        assert!(p.blocks(false) && !p.blocks(true));
        assert!(
            p.what.contains("istio-sidecar-injector-canary")
                && p.what
                    .contains("MutatingWebhookConfiguration someone-elses-injector")
                && !p
                    .what
                    .contains("MutatingWebhookConfiguration istio-sidecar-injector,"),
            "{}",
            p.what
        );
        assert!(
            p.fix
                .contains("kubectl delete mutatingwebhookconfiguration someone-elses-injector"),
            "{}",
            p.fix
        );
        // The render's own object (same name) is replaced, not a conflict.
        let same = injector("istio-sidecar-injector-canary", Some("canary"));
        assert!(webhook_conflicts(&[&ours], &[same, apart]).is_empty());
    }

    #[test]
    fn other_revisions_are_warnings_with_their_version() {
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "istiod", "namespace": "istio-system",
                "labels": {"app": "istiod", "istio.io/rev": "default"}},
            "spec": {"template": {"spec": {"containers": [{"name": "discovery",
                "image": "docker.io/istio/pilot:1.29.1"}]}}}});
        let mine = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "istiod-canary", "namespace": "istio-system",
                "labels": {"app": "istiod", "istio.io/rev": "canary"}}});
        let problems = other_revisions(&[d, mine], &[], "canary");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].severity, Severity::Warning);
        assert!(!problems[0].blocks(false));
        assert!(
            problems[0]
                .what
                .starts_with("Istio revision \"default\" (1.29.1) is installed too (Deployment istio-system/istiod)"),
            "{}",
            problems[0].what
        );
    }

    #[test]
    fn istioctls_objects_are_told_apart_from_meshdecks() {
        let by_istioctl = json!({"metadata": {"name": "istiod", "labels": {"operator.istio.io/managed": "Reconcile"}}});
        let by_manager = json!({"metadata": {"name": "istiod",
            "managedFields": [{"manager": "istio-operator", "operation": "Apply"}]}});
        let ours = json!({"metadata": {"name": "istiod", "labels": {
            "operator.istio.io/managed": "Reconcile", OWNER_LABEL: OWNER}}});
        let user = json!({"metadata": {"name": "istiod",
            "managedFields": [{"manager": "kubectl", "operation": "Apply"}]}});
        assert!(installed_by_istioctl(&by_istioctl));
        assert!(installed_by_istioctl(&by_manager));
        assert!(!installed_by_istioctl(&ours));
        assert!(!installed_by_istioctl(&user));
        let objects = vec![
            "Deployment istio-system/istiod".to_string(),
            "ConfigMap istio-system/istio".to_string(),
            "ConfigMap istio-system/istio-sidecar-injector".to_string(),
        ];
        assert_eq!(
            adopt_summary(&objects),
            "3 object(s) (2 ConfigMap, 1 Deployment)"
        );
        let p = not_owned(&objects).unwrap();
        assert!(p.blocks(true) && p.fix.contains("--adopt"), "{p}");
        assert!(
            p.what.contains("- Deployment istio-system/istiod"),
            "{}",
            p.what
        );
    }

    #[test]
    fn the_default_validator_moving_is_said() {
        let ours = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": "istiod-default-validator", "labels": {"istio.io/rev": "canary"}}});
        let theirs = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": "istiod-default-validator", "labels": {"istio.io/rev": "stable"}}});
        let p = default_validator_takeover(&[&ours], &[theirs], "canary");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].severity, Severity::Warning);
        assert!(p[0].what.contains("\"stable\""), "{}", p[0].what);
    }
}
