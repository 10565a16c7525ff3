//! The stepped rollout, pure parts: the splits between the current one and the target
//! (`--step`), the metric gate's judgement of a version's health (`--max-error-rate`,
//! `--max-p99`), and the plan that puts the objects back as they were before the rollout.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value as Json;

use super::prometheus::Health;
use super::{
    Backend, Change, Current, CurrentSplit, Deletion, PREVIOUS_SPEC_ANNOTATION, ShiftPlan,
    VersionWeight, annotation, apply_body, created_by_meshdeck, name_of, set_annotation,
};

/// The limits a version must stay within after each step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GateLimits {
    /// The highest share of 5xx answers (0..1).
    pub max_error_rate: Option<f64>,
    pub max_p99: Option<Duration>,
}

impl GateLimits {
    pub fn is_empty(&self) -> bool {
        self.max_error_rate.is_none() && self.max_p99.is_none()
    }
}

/// A limit a version went over.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Breach {
    pub version: String,
    /// `error rate` or `p99 latency`.
    pub metric: &'static str,
    /// As shown: `12.5%`, `812ms`.
    pub value: String,
    pub limit: String,
}

impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} of {} is {}, over the limit of {}",
            self.metric, self.version, self.value, self.limit
        )
    }
}

/// `12.5%` (at most two decimals, no trailing zeros).
pub fn percent(share: f64) -> String {
    let text = format!("{:.2}", share * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

/// `812ms`, `1.2s`.
pub fn millis(ms: f64) -> String {
    if ms >= 1000.0 {
        let text = format!("{:.2}", ms / 1000.0);
        format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
    } else {
        format!("{}ms", ms.round() as u64)
    }
}

/// Whether a version's health breaks a limit (the error rate is looked at first). A version
/// without requests in the window breaks none: there is nothing to judge.
pub fn judge(limits: &GateLimits, health: &Health) -> Option<Breach> {
    if let (Some(max), Some(rate)) = (limits.max_error_rate, health.error_rate)
        && rate > max
    {
        return Some(Breach {
            version: health.version.clone(),
            metric: "error rate",
            value: percent(rate),
            limit: percent(max),
        });
    }
    if let (Some(max), Some(p99)) = (limits.max_p99, health.p99_ms)
        && p99 > max.as_secs_f64() * 1000.0
    {
        return Some(Breach {
            version: health.version.clone(),
            metric: "p99 latency",
            value: millis(p99),
            limit: millis(max.as_secs_f64() * 1000.0),
        });
    }
    None
}

/// Reads `--max-error-rate`: `1%`, `0.5%` (a bare number is percent too).
pub fn parse_percent(input: &str) -> Result<f64, String> {
    let number = input.trim().trim_end_matches('%').trim();
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{input:?} is not a percentage (write 1% or 0.5%)"))?;
    if !(0.0..=100.0).contains(&value) || !value.is_finite() {
        return Err(format!("{input:?} is not between 0% and 100%"));
    }
    Ok(value / 100.0)
}

/// The split a route has now, as whole percents summing to 100. Without a route, requests
/// spread over the ready pods (all pods when none is ready), so that is the starting split.
/// `None` when nothing carries traffic at all.
pub fn starting_split(split: &CurrentSplit) -> Option<Vec<VersionWeight>> {
    let shares: Vec<(String, f64)> = if split.routed_by.is_some() {
        split
            .rows
            .iter()
            .map(|r| (r.version.clone(), f64::from(r.weight)))
            .collect()
    } else {
        let ready: u32 = split.rows.iter().map(|r| r.ready).sum();
        split
            .rows
            .iter()
            .map(|r| {
                let n = if ready > 0 { r.ready } else { r.total };
                (r.version.clone(), f64::from(n))
            })
            .collect()
    };
    let total: f64 = shares.iter().map(|(_, s)| s).sum();
    if total <= 0.0 {
        return None;
    }
    let split = whole_percents(&shares);
    let out: Vec<VersionWeight> = split.into_iter().filter(|v| v.weight > 0).collect();
    (!out.is_empty()).then_some(out)
}

/// Shares scaled to whole percents summing to 100 (largest remainders get the rounding).
fn whole_percents(shares: &[(String, f64)]) -> Vec<VersionWeight> {
    let total: f64 = shares.iter().map(|(_, s)| s).sum();
    let exact: Vec<f64> = shares.iter().map(|(_, s)| s * 100.0 / total).collect();
    let mut weights: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut left = 100 - weights.iter().sum::<u32>().min(100);
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .partial_cmp(&(exact[a] - exact[a].floor()))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        weights[i] += 1;
        left -= 1;
    }
    shares
        .iter()
        .zip(weights)
        .map(|((v, _), weight)| VersionWeight {
            version: v.clone(),
            weight,
        })
        .collect()
}

/// The splits from `start` to `target`, each moving every version by at most `step` points;
/// the last is `target` as given. Versions at 0 are left out of the steps between.
pub fn steps(
    start: &[VersionWeight],
    target: &[VersionWeight],
    step: u32,
) -> Vec<Vec<VersionWeight>> {
    let mut versions: Vec<String> = start.iter().map(|v| v.version.clone()).collect();
    for v in target {
        if !versions.contains(&v.version) {
            versions.push(v.version.clone());
        }
    }
    let weight_in = |split: &[VersionWeight], version: &str| {
        split
            .iter()
            .find(|v| v.version == version)
            .map_or(0, |v| v.weight)
    };
    let from: BTreeMap<&str, i64> = versions
        .iter()
        .map(|v| (v.as_str(), i64::from(weight_in(start, v))))
        .collect();
    let to: BTreeMap<&str, i64> = versions
        .iter()
        .map(|v| (v.as_str(), i64::from(weight_in(target, v))))
        .collect();
    let widest = versions
        .iter()
        .map(|v| (to[v.as_str()] - from[v.as_str()]).unsigned_abs())
        .max()
        .unwrap_or(0);
    let count = widest.div_ceil(u64::from(step.max(1))).max(1);
    let mut out = Vec::new();
    for k in 1..count {
        let shares: Vec<(String, f64)> = versions
            .iter()
            .map(|v| {
                let (a, b) = (from[v.as_str()] as f64, to[v.as_str()] as f64);
                (v.clone(), a + (b - a) * k as f64 / count as f64)
            })
            .collect();
        let split: Vec<VersionWeight> = whole_percents(&shares)
            .into_iter()
            .filter(|v| v.weight > 0)
            .collect();
        if out.last() != Some(&split) {
            out.push(split);
        }
    }
    out.push(target.to_vec());
    out
}

/// The versions a rollout gives more traffic to: the ones the gate watches.
pub fn gaining(start: &[VersionWeight], target: &[VersionWeight]) -> Vec<String> {
    target
        .iter()
        .filter(|t| {
            let before = start
                .iter()
                .find(|s| s.version == t.version)
                .map_or(0, |s| s.weight);
            t.weight > before
        })
        .map(|t| t.version.clone())
        .collect()
}

/// `v1=90,v2=10`.
pub fn split_text(split: &[VersionWeight]) -> String {
    split
        .iter()
        .map(|v| format!("{}={}", v.version, v.weight))
        .collect::<Vec<_>>()
        .join(",")
}

/// The objects of `backend` in `current`, by kind, as the planner names them.
fn objects_of(backend: Backend, current: &Current) -> Vec<(&'static str, &Json)> {
    match backend {
        Backend::Istio => current
            .virtual_services
            .iter()
            .map(|o| ("VirtualService", o))
            .chain(
                current
                    .destination_rules
                    .iter()
                    .map(|o| ("DestinationRule", o)),
            )
            .collect(),
        Backend::GatewayApi => current
            .http_routes
            .iter()
            .map(|o| ("HTTPRoute", o))
            .chain(current.services.iter().map(|o| ("Service", o)))
            .collect(),
        Backend::AppMesh => current
            .mesh_virtual_services
            .iter()
            .map(|o| ("VirtualService", o))
            .chain(current.virtual_routers.iter().map(|o| ("VirtualRouter", o)))
            .chain(current.virtual_nodes.iter().map(|o| ("VirtualNode", o)))
            .collect(),
    }
}

/// The plan that puts the objects `first` changed back as they were before it: objects it
/// created are deleted (if they are still meshdeck's), objects it changed get their spec and
/// meshdeck's annotations of then back. `now` is the state read just before, whose
/// resourceVersions guard the writes.
pub fn restore_plan(backend: Backend, first: &ShiftPlan, now: &Current) -> ShiftPlan {
    let live = objects_of(backend, now);
    let find = |kind: &str, name: &str| {
        live.iter()
            .find(|(k, o)| *k == kind && name_of(o) == name)
            .map(|(_, o)| *o)
    };
    let mut plan = ShiftPlan {
        subsets: first.subsets.clone(),
        ..ShiftPlan::default()
    };
    for c in &first.changes {
        let Some(obj) = find(&c.kind, &c.name) else {
            continue;
        };
        match &c.before {
            None if created_by_meshdeck(obj) => plan.deletions.push(Deletion {
                kind: c.kind.clone(),
                api_version: obj["apiVersion"].as_str().unwrap_or("").to_string(),
                name: c.name.clone(),
                namespace: c.namespace.clone(),
                uid: obj
                    .pointer("/metadata/uid")
                    .and_then(Json::as_str)
                    .map(str::to_string),
                resource_version: obj
                    .pointer("/metadata/resourceVersion")
                    .and_then(Json::as_str)
                    .map(str::to_string),
                before: obj.clone(),
            }),
            None => {}
            Some(before) => {
                let mut after = obj.clone();
                after["spec"] = before.get("spec").cloned().unwrap_or(Json::Null);
                set_annotation(
                    &mut after,
                    PREVIOUS_SPEC_ANNOTATION,
                    annotation(before, PREVIOUS_SPEC_ANNOTATION).map(str::to_string),
                );
                if after == *obj {
                    continue;
                }
                let apply = apply_body(&after, true);
                plan.changes.push(Change {
                    kind: c.kind.clone(),
                    name: c.name.clone(),
                    namespace: c.namespace.clone(),
                    before: Some(obj.clone()),
                    after,
                    apply,
                });
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<VersionWeight> {
        super::super::parse_split(s).unwrap()
    }

    fn texts(steps: &[Vec<VersionWeight>]) -> Vec<String> {
        steps.iter().map(|s| split_text(s)).collect()
    }

    #[test]
    fn steps_move_at_most_the_step_and_end_at_the_target() {
        assert_eq!(
            texts(&steps(&split("v1"), &split("v2"), 25)),
            ["v1=75,v2=25", "v1=50,v2=50", "v1=25,v2=75", "v2=100"]
        );
        // Not a divisor: equal steps no wider than asked.
        assert_eq!(
            texts(&steps(&split("v1"), &split("v2"), 40)),
            ["v1=67,v2=33", "v1=33,v2=67", "v2=100"]
        );
        // From a split to a split, every version moving at once.
        assert_eq!(
            texts(&steps(
                &split("v1=80,v2=20"),
                &split("v1=20,v2=30,v3=50"),
                30
            )),
            ["v1=50,v2=25,v3=25", "v1=20,v2=30,v3=50"]
        );
        // A step wider than the move: one step.
        assert_eq!(
            texts(&steps(&split("v1"), &split("v1=90,v2=10"), 50)),
            ["v1=90,v2=10"]
        );
        for s in steps(&split("v1=33,v2=67"), &split("v3"), 7) {
            assert_eq!(s.iter().map(|v| v.weight).sum::<u32>(), 100, "{s:?}");
        }
    }

    #[test]
    fn the_gate_watches_the_versions_that_gain() {
        assert_eq!(
            gaining(&split("v1=80,v2=20"), &split("v1=50,v2=20,v3=30")),
            ["v3"]
        );
        assert_eq!(gaining(&split("v1"), &split("v2")), ["v2"]);
    }

    #[test]
    fn the_gate_names_the_metric_the_value_and_the_limit() {
        let limits = GateLimits {
            max_error_rate: Some(0.01),
            max_p99: Some(Duration::from_millis(500)),
        };
        let h = Health::from_rates("v2", Some(10.0), Some(1.25), Some(120.0));
        let breach = judge(&limits, &h).expect("12.5% is over 1%");
        assert_eq!(
            breach.to_string(),
            "the error rate of v2 is 12.5%, over the limit of 1%"
        );
        let slow = Health::from_rates("v2", Some(10.0), Some(0.0), Some(812.4));
        assert_eq!(
            judge(&limits, &slow).unwrap().to_string(),
            "the p99 latency of v2 is 812ms, over the limit of 500ms"
        );
        let fine = Health::from_rates("v2", Some(10.0), Some(0.05), Some(499.0));
        assert_eq!(judge(&limits, &fine), None);
        let quiet = Health::from_rates("v2", Some(0.0), None, None);
        assert_eq!(judge(&limits, &quiet), None, "nothing to judge");
        assert_eq!(millis(1500.0), "1.5s");
    }

    #[test]
    fn percentages_read_as_written() {
        assert_eq!(parse_percent("1%").unwrap(), 0.01);
        assert_eq!(parse_percent("0.5%").unwrap(), 0.005);
        assert_eq!(parse_percent("5").unwrap(), 0.05);
        assert!(
            parse_percent("x%")
                .unwrap_err()
                .contains("not a percentage")
        );
        assert!(parse_percent("150%").unwrap_err().contains("between"));
    }

    fn reviews(vs: Vec<Json>, dr: Vec<Json>) -> Current {
        let workload = |v: &str| super::super::Workload {
            kind: "Deployment".into(),
            name: format!("reviews-{v}"),
            labels: [("app", "reviews"), ("version", v)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ready: 1,
            total: 1,
            owned: false,
        };
        Current {
            service: super::super::Service {
                name: "reviews".into(),
                namespace: "shop".into(),
                selector: [("app".to_string(), "reviews".to_string())].into(),
                ports: vec![super::super::ServicePort {
                    name: "http".into(),
                    port: 9080,
                    app_protocol: None,
                }],
            },
            workloads: vec![workload("v1"), workload("v2")],
            virtual_services: vs,
            destination_rules: dr,
            istio_api_version: "networking.istio.io/v1".into(),
            ..Current::default()
        }
    }

    /// The objects of a plan as the server would hold them afterwards.
    fn applied(plan: &ShiftPlan, kind: &str, rv: &str) -> Vec<Json> {
        plan.changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| {
                let mut o = c.after.clone();
                o["metadata"]["resourceVersion"] = Json::String(rv.into());
                o["metadata"]["uid"] = Json::String(format!("uid-{kind}"));
                o
            })
            .collect()
    }

    #[test]
    fn restoring_deletes_what_the_rollout_created_and_gives_back_what_it_changed() {
        let opts = super::super::ShiftOptions::default();
        let before = reviews(vec![], vec![]);
        let first = super::super::istio::plan_shift(&before, &split("v1=90,v2=10"), &opts).unwrap();
        let now = reviews(
            applied(&first, "VirtualService", "7"),
            applied(&first, "DestinationRule", "8"),
        );
        let undo = restore_plan(Backend::Istio, &first, &now);
        assert!(undo.changes.is_empty(), "{undo:#?}");
        let mut deleted: Vec<(String, Option<String>)> = undo
            .deletions
            .iter()
            .map(|d| (d.describe(), d.resource_version.clone()))
            .collect();
        deleted.sort();
        assert_eq!(
            deleted,
            [
                (
                    "DestinationRule shop/reviews".to_string(),
                    Some("8".to_string())
                ),
                (
                    "VirtualService shop/reviews".to_string(),
                    Some("7".to_string())
                ),
            ],
            "guarded by what was read just before"
        );

        // A VirtualService the user wrote: its spec comes back, meshdeck's annotation goes.
        let user_vs = serde_json::json!({
            "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": "reviews", "namespace": "shop", "resourceVersion": "3"},
            "spec": {"hosts": ["reviews"], "http": [{"route": [
                {"destination": {"host": "reviews", "subset": "v1"}}]}]},
        });
        let user_dr = serde_json::json!({
            "apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
            "metadata": {"name": "reviews", "namespace": "shop", "resourceVersion": "4"},
            "spec": {"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]},
        });
        let before = reviews(vec![user_vs.clone()], vec![user_dr.clone()]);
        let first = super::super::istio::plan_shift(&before, &split("v1=50,v2=50"), &opts).unwrap();
        let now = reviews(
            applied(&first, "VirtualService", "9"),
            applied(&first, "DestinationRule", "10"),
        );
        let undo = restore_plan(Backend::Istio, &first, &now);
        assert!(undo.deletions.is_empty(), "{undo:#?}");
        for c in &undo.changes {
            let original = if c.kind == "VirtualService" {
                &user_vs
            } else {
                &user_dr
            };
            assert_eq!(c.after["spec"], original["spec"], "{}", c.describe());
            assert_eq!(annotation(&c.after, PREVIOUS_SPEC_ANNOTATION), None);
            assert_eq!(
                c.apply["metadata"]["resourceVersion"],
                c.before.as_ref().unwrap()["metadata"]["resourceVersion"]
            );
        }
        assert_eq!(undo.changes.len(), 2);
    }

    #[test]
    fn the_starting_split_without_a_route_follows_the_ready_pods() {
        let row = |v: &str, weight, ready, total| super::super::SplitRow {
            version: v.into(),
            subset: None,
            weight,
            ready,
            total,
        };
        let mut s = CurrentSplit {
            service: "reviews".into(),
            namespace: "shop".into(),
            backend: Backend::Istio,
            routed_by: None,
            rows: vec![row("v1", 0, 2, 2), row("v2", 0, 1, 1), row("v3", 0, 0, 1)],
            other: vec![],
        };
        assert_eq!(split_text(&starting_split(&s).unwrap()), "v1=67,v2=33");
        s.routed_by = Some("VirtualService shop/reviews".into());
        s.rows[0].weight = 80;
        s.rows[2].weight = 20;
        assert_eq!(split_text(&starting_split(&s).unwrap()), "v1=80,v3=20");
        s.rows = vec![];
        assert_eq!(starting_split(&s), None);
    }
}
