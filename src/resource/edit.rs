//! Editable views: the changes traffic-shift makes to routing objects, done on the document
//! tree so that every field the edit does not touch (headers, match rules, filters, unknown
//! fields) stays exactly as it was. Serialize the result with [`Resource::to_json`] or
//! [`Resource::to_yaml`].

use super::json;
use super::views::{DestinationRule, HttpRoute, RouteKind, VirtualService};
use super::{Kind, Labels, Node, Resource};

/// An edit that the object's shape does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{resource}: `{field}` does not exist")]
    Missing { resource: String, field: String },
    #[error("{resource}: `{field}` is not a {expected}, so it cannot be edited")]
    WrongShape {
        resource: String,
        field: String,
        expected: &'static str,
    },
}

/// One weighted destination of a VirtualService route (`route[].destination` + `weight`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteDestination {
    pub host: String,
    pub subset: Option<String>,
    pub port: Option<u32>,
    pub weight: Option<u32>,
}

impl RouteDestination {
    pub fn new(host: &str) -> RouteDestination {
        RouteDestination {
            host: host.to_string(),
            subset: None,
            port: None,
            weight: None,
        }
    }

    pub fn subset(mut self, subset: &str) -> Self {
        self.subset = Some(subset.to_string());
        self
    }

    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = Some(weight);
        self
    }

    pub fn port(mut self, port: u32) -> Self {
        self.port = Some(port);
        self
    }

    fn read(route: &Node) -> RouteDestination {
        let d = route.path(&["destination"]);
        RouteDestination {
            host: d.path(&["host"]).text().to_string(),
            subset: d.path(&["subset"]).as_str().map(str::to_string),
            port: d
                .path(&["port", "number"])
                .as_i64()
                .and_then(|p| u32::try_from(p).ok()),
            weight: route
                .path(&["weight"])
                .as_i64()
                .and_then(|w| u32::try_from(w).ok()),
        }
    }

    fn same_target(&self, route: &Node) -> bool {
        let other = RouteDestination::read(route);
        other.host == self.host && other.subset == self.subset && other.port == self.port
    }
}

/// One weighted `backendRefs[]` entry of an HTTPRoute rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendRef {
    pub name: String,
    pub namespace: Option<String>,
    pub port: Option<u32>,
    pub weight: Option<u32>,
}

impl BackendRef {
    pub fn new(name: &str) -> BackendRef {
        BackendRef {
            name: name.to_string(),
            namespace: None,
            port: None,
            weight: None,
        }
    }

    pub fn port(mut self, port: u32) -> Self {
        self.port = Some(port);
        self
    }

    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = Some(weight);
        self
    }

    pub fn namespace(mut self, namespace: &str) -> Self {
        self.namespace = Some(namespace.to_string());
        self
    }

    fn read(node: &Node) -> BackendRef {
        let num = |key: &str| {
            node.path(&[key])
                .as_i64()
                .and_then(|v| u32::try_from(v).ok())
        };
        BackendRef {
            name: node.path(&["name"]).text().to_string(),
            namespace: node.path(&["namespace"]).as_str().map(str::to_string),
            port: num("port"),
            weight: num("weight"),
        }
    }
}

/// Sets (or, with `None`, removes) an integer field of a mapping.
fn set_number(node: &mut Node, key: &str, value: Option<u32>) {
    match value {
        Some(v) => node.set(key, Node::int(i64::from(v))),
        None => {
            node.remove(key);
        }
    }
}

fn set_text(node: &mut Node, key: &str, value: Option<&str>) {
    match value {
        Some(v) => node.set(key, Node::string(v, node.pos)),
        None => {
            node.remove(key);
        }
    }
}

/// The list under `key` of `parent`, made empty when absent; an error naming `field` when it
/// is something else.
fn list_mut<'n>(
    parent: &'n mut Node,
    key: &str,
    resource: &str,
    field: &str,
) -> Result<&'n mut Vec<Node>, EditError> {
    let wrong = |expected| EditError::WrongShape {
        resource: resource.to_string(),
        field: field.to_string(),
        expected,
    };
    if !parent.is_map() {
        return Err(wrong("mapping"));
    }
    if parent.get(key).is_none_or(Node::is_null) {
        parent.set(key, Node::seq(Vec::new()));
    }
    parent
        .get_mut(key)
        .and_then(Node::seq_mut)
        .ok_or_else(|| wrong("list"))
}

/// The `index`th item of the list `spec.<key>`.
fn rule_mut<'n>(r: &'n mut Resource, key: &str, index: usize) -> Result<&'n mut Node, EditError> {
    let resource = r.friendly_name();
    let field = format!("spec.{key}[{index}]");
    let spec = r.spec_mut().ok_or_else(|| EditError::WrongShape {
        resource: resource.clone(),
        field: "spec".into(),
        expected: "mapping",
    })?;
    let rules = list_mut(spec, key, &resource, &format!("spec.{key}"))?;
    let rule = rules.get_mut(index).ok_or_else(|| EditError::Missing {
        resource: resource.clone(),
        field: field.clone(),
    })?;
    if rule.is_map() {
        Ok(rule)
    } else {
        Err(EditError::WrongShape {
            resource,
            field,
            expected: "mapping",
        })
    }
}

impl<'a> VirtualService<'a> {
    /// The weighted destinations of `http[rule].route`.
    pub fn http_route(&self, rule: usize) -> Vec<RouteDestination> {
        self.route(RouteKind::Http, rule)
    }

    /// The weighted destinations of `tcp[rule].route`.
    pub fn tcp_route(&self, rule: usize) -> Vec<RouteDestination> {
        self.route(RouteKind::Tcp, rule)
    }

    fn route(&self, kind: RouteKind, rule: usize) -> Vec<RouteDestination> {
        self.rules(kind)
            .get(rule)
            .map(|r| {
                r.path(&["route"])
                    .as_seq()
                    .iter()
                    .map(RouteDestination::read)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The first `http` rule that routes to `host`.
    pub fn http_rule_for_host(&self, host: &str) -> Option<usize> {
        self.rules(RouteKind::Http).iter().position(|rule| {
            rule.path(&["route"])
                .as_seq()
                .iter()
                .any(|route| route.path(&["destination", "host"]).text() == host)
        })
    }
}

/// A VirtualService being edited.
#[derive(Debug)]
pub struct VirtualServiceEdit<'a>(&'a mut Resource);

impl<'a> VirtualServiceEdit<'a> {
    pub fn of(r: &'a mut Resource) -> Option<Self> {
        (r.kind == Kind::VirtualService).then_some(VirtualServiceEdit(r))
    }

    pub fn view(&self) -> VirtualService<'_> {
        VirtualService(&*self.0)
    }

    /// Makes `http[rule].route` exactly `destinations`, in that order. A destination already
    /// routed to (same host, subset and port) keeps its other fields (headers and the like);
    /// routes to anything else are dropped.
    pub fn set_http_route(
        &mut self,
        rule: usize,
        destinations: &[RouteDestination],
    ) -> Result<(), EditError> {
        self.set_route(RouteKind::Http, rule, destinations)
    }

    /// Makes `tcp[rule].route` exactly `destinations`, as [`Self::set_http_route`] does for
    /// `http` (the weighted route a TCP port gets).
    pub fn set_tcp_route(
        &mut self,
        rule: usize,
        destinations: &[RouteDestination],
    ) -> Result<(), EditError> {
        self.set_route(RouteKind::Tcp, rule, destinations)
    }

    fn set_route(
        &mut self,
        kind: RouteKind,
        rule: usize,
        destinations: &[RouteDestination],
    ) -> Result<(), EditError> {
        let key = kind.key();
        let resource = self.0.friendly_name();
        let rule_node = rule_mut(self.0, key, rule)?;
        let field = format!("spec.{key}[{rule}].route");
        let routes = list_mut(rule_node, "route", &resource, &field)?;
        let mut old = std::mem::take(routes);
        for d in destinations {
            let mut route = match old.iter().position(|r| d.same_target(r)) {
                Some(i) => old.remove(i),
                None => Node::empty_map(),
            };
            if !route.is_map() {
                route = Node::empty_map();
            }
            let dest = route
                .map_entry_mut("destination")
                .ok_or_else(|| EditError::WrongShape {
                    resource: resource.clone(),
                    field: format!("{field}[].destination"),
                    expected: "mapping",
                })?;
            dest.set("host", Node::string(&d.host, dest.pos));
            set_text(dest, "subset", d.subset.as_deref());
            match d.port {
                Some(p) => dest.set("port", json::from_json(&serde_json::json!({ "number": p }))),
                None => {
                    dest.remove("port");
                }
            }
            set_number(&mut route, "weight", d.weight);
            routes.push(route);
        }
        Ok(())
    }

    /// Appends an `http` rule that routes to `destinations`; returns its index.
    pub fn push_http_rule(
        &mut self,
        destinations: &[RouteDestination],
    ) -> Result<usize, EditError> {
        self.push_rule(RouteKind::Http, destinations)
    }

    /// Appends a `tcp` rule that routes to `destinations`; returns its index.
    pub fn push_tcp_rule(&mut self, destinations: &[RouteDestination]) -> Result<usize, EditError> {
        self.push_rule(RouteKind::Tcp, destinations)
    }

    fn push_rule(
        &mut self,
        kind: RouteKind,
        destinations: &[RouteDestination],
    ) -> Result<usize, EditError> {
        let key = kind.key();
        let resource = self.0.friendly_name();
        let spec = self.0.spec_mut().ok_or_else(|| EditError::WrongShape {
            resource: resource.clone(),
            field: "spec".into(),
            expected: "mapping",
        })?;
        let rules = list_mut(spec, key, &resource, &format!("spec.{key}"))?;
        rules.push(Node::empty_map());
        let index = rules.len() - 1;
        self.set_route(kind, index, destinations)?;
        Ok(index)
    }
}

impl<'a> DestinationRule<'a> {
    /// The subset called `name`.
    pub fn subset(&self, name: &str) -> Option<super::views::Subset<'a>> {
        self.subsets().find(|s| s.name() == name)
    }
}

/// A DestinationRule being edited.
#[derive(Debug)]
pub struct DestinationRuleEdit<'a>(&'a mut Resource);

impl<'a> DestinationRuleEdit<'a> {
    pub fn of(r: &'a mut Resource) -> Option<Self> {
        (r.kind == Kind::DestinationRule).then_some(DestinationRuleEdit(r))
    }

    pub fn view(&self) -> DestinationRule<'_> {
        DestinationRule(&*self.0)
    }

    /// Adds the subset `name` selecting `labels`, unless a subset of that name exists (then
    /// nothing changes and the answer is `false`: an existing subset is the user's to edit).
    pub fn add_subset(&mut self, name: &str, labels: &Labels) -> Result<bool, EditError> {
        if self.view().subset(name).is_some() {
            return Ok(false);
        }
        let resource = self.0.friendly_name();
        let spec = self.0.spec_mut().ok_or_else(|| EditError::WrongShape {
            resource: resource.clone(),
            field: "spec".into(),
            expected: "mapping",
        })?;
        let subsets = list_mut(spec, "subsets", &resource, "spec.subsets")?;
        subsets.push(json::from_json(
            &serde_json::json!({ "name": name, "labels": labels }),
        ));
        Ok(true)
    }
}

impl<'a> HttpRoute<'a> {
    /// The weighted `backendRefs` of `rules[rule]`.
    pub fn backend_refs(&self, rule: usize) -> Vec<BackendRef> {
        self.spec()
            .path(&["rules"])
            .as_seq()
            .get(rule)
            .map(|r| {
                r.path(&["backendRefs"])
                    .as_seq()
                    .iter()
                    .map(BackendRef::read)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// An HTTPRoute being edited.
#[derive(Debug)]
pub struct HttpRouteEdit<'a>(&'a mut Resource);

impl<'a> HttpRouteEdit<'a> {
    pub fn of(r: &'a mut Resource) -> Option<Self> {
        (r.kind == Kind::HTTPRoute).then_some(HttpRouteEdit(r))
    }

    pub fn view(&self) -> HttpRoute<'_> {
        HttpRoute(&*self.0)
    }

    /// Makes `rules[rule].backendRefs` exactly `refs`, in that order. A backend already there
    /// (same name and namespace) keeps its other fields (filters, group, kind).
    pub fn set_backend_refs(&mut self, rule: usize, refs: &[BackendRef]) -> Result<(), EditError> {
        let resource = self.0.friendly_name();
        let rule_node = rule_mut(self.0, "rules", rule)?;
        let field = format!("spec.rules[{rule}].backendRefs");
        let list = list_mut(rule_node, "backendRefs", &resource, &field)?;
        let mut old = std::mem::take(list);
        for b in refs {
            let found = old.iter().position(|n| {
                let o = BackendRef::read(n);
                o.name == b.name && o.namespace == b.namespace
            });
            let mut node = match found {
                Some(i) => old.remove(i),
                None => Node::empty_map(),
            };
            if !node.is_map() {
                node = Node::empty_map();
            }
            node.set("name", Node::string(&b.name, node.pos));
            set_text(&mut node, "namespace", b.namespace.as_deref());
            set_number(&mut node, "port", b.port);
            set_number(&mut node, "weight", b.weight);
            list.push(node);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{LoadOptions, SourceText, parse_source};

    fn one(text: &str) -> Resource {
        let (mut res, issues) =
            parse_source(&SourceText::new("t.yaml", text), &LoadOptions::default());
        assert!(issues.is_empty(), "{issues:?}");
        res.remove(0)
    }

    const VS: &str = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - match:\n    - headers:\n        end-user: {exact: jason}\n    route:\n    - destination: {host: reviews, subset: v2}\n      headers:\n        response: {add: {x-v: v2}}\n  - route:\n    - destination: {host: reviews, subset: v1}\n";

    #[test]
    fn a_tcp_route_is_set_and_added_with_weights_keeping_its_match() {
        let text = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: db\nspec:\n  hosts: [db]\n  tcp:\n  - match:\n    - port: 27017\n    route:\n    - destination: {host: db, subset: v1, port: {number: 27017}}\n";
        let mut vs = one(text);
        let mut edit = VirtualServiceEdit::of(&mut vs).unwrap();
        edit.set_tcp_route(
            0,
            &[
                RouteDestination::new("db")
                    .subset("v1")
                    .port(27017)
                    .weight(70),
                RouteDestination::new("db")
                    .subset("v2")
                    .port(27017)
                    .weight(30),
            ],
        )
        .unwrap();
        let added = edit
            .push_tcp_rule(&[RouteDestination::new("db").subset("v2").weight(100)])
            .unwrap();
        assert_eq!(added, 1);
        let view = VirtualService::of(&vs).unwrap();
        assert_eq!(
            view.tcp_route(0),
            vec![
                RouteDestination::new("db")
                    .subset("v1")
                    .port(27017)
                    .weight(70),
                RouteDestination::new("db")
                    .subset("v2")
                    .port(27017)
                    .weight(30),
            ]
        );
        assert_eq!(
            view.tcp_route(1),
            vec![RouteDestination::new("db").subset("v2").weight(100)]
        );
        assert!(view.http_route(0).is_empty(), "no http list appears");
        let json = vs.to_json();
        assert_eq!(json["spec"]["tcp"][0]["match"][0]["port"], 27017);
        assert!(json["spec"].get("http").is_none());
        // A missing rule is named.
        let mut edit = VirtualServiceEdit::of(&mut vs).unwrap();
        let err = edit.set_tcp_route(5, &[]).unwrap_err();
        assert!(err.to_string().contains("spec.tcp[5]"), "{err}");
    }

    #[test]
    fn a_virtual_service_route_is_set_with_weights() {
        let mut vs = one(VS);
        let mut edit = VirtualServiceEdit::of(&mut vs).unwrap();
        assert_eq!(edit.view().http_rule_for_host("reviews"), Some(0));
        edit.set_http_route(
            1,
            &[
                RouteDestination::new("reviews").subset("v1").weight(80),
                RouteDestination::new("reviews")
                    .subset("v3")
                    .weight(20)
                    .port(9080),
            ],
        )
        .unwrap();
        edit.set_http_route(
            0,
            &[RouteDestination::new("reviews").subset("v2").weight(100)],
        )
        .unwrap();
        let view = VirtualService::of(&vs).unwrap();
        assert_eq!(
            view.http_route(1),
            vec![
                RouteDestination::new("reviews").subset("v1").weight(80),
                RouteDestination::new("reviews")
                    .subset("v3")
                    .weight(20)
                    .port(9080),
            ]
        );
        let json = vs.to_json();
        assert_eq!(
            json["spec"]["http"][1]["route"],
            serde_json::json!([
                {"destination": {"host": "reviews", "subset": "v1"}, "weight": 80},
                {"destination": {"host": "reviews", "subset": "v3", "port": {"number": 9080}}, "weight": 20},
            ])
        );
        // Fields the edit does not own stay.
        assert_eq!(
            json["spec"]["http"][0]["route"][0]["headers"]["response"]["add"]["x-v"],
            "v2"
        );
        assert_eq!(
            json["spec"]["http"][0]["match"][0]["headers"]["end-user"]["exact"],
            "jason"
        );
        // The analyzers' read views see the edit.
        let subsets: Vec<&str> = view.route_destinations().iter().map(|d| d.subset).collect();
        assert_eq!(subsets, ["v2", "v1", "v3"]);
    }

    #[test]
    fn route_edits_name_what_is_missing() {
        let mut vs = one(VS);
        let mut edit = VirtualServiceEdit::of(&mut vs).unwrap();
        let err = edit
            .set_http_route(5, &[RouteDestination::new("x")])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "VirtualService default/reviews: `spec.http[5]` does not exist"
        );
        let mut bare =
            one("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: b}\n");
        let mut edit = VirtualServiceEdit::of(&mut bare).unwrap();
        assert_eq!(
            edit.push_http_rule(&[RouteDestination::new("b").weight(100)]),
            Ok(0)
        );
        assert_eq!(
            bare.to_json()["spec"],
            serde_json::json!({"http": [{"route": [{"destination": {"host": "b"}, "weight": 100}]}]})
        );
        let mut odd = one(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: o}\nspec:\n  http: 3\n",
        );
        let err = VirtualServiceEdit::of(&mut odd)
            .unwrap()
            .push_http_rule(&[])
            .unwrap_err();
        assert!(
            matches!(
                err,
                EditError::WrongShape {
                    expected: "list",
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            VirtualServiceEdit::of(&mut one(
                "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
            ))
            .is_none()
        );
    }

    #[test]
    fn a_subset_is_found_or_added() {
        let mut dr = one(
            "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n",
        );
        let mut edit = DestinationRuleEdit::of(&mut dr).unwrap();
        assert!(edit.view().subset("v1").is_some());
        let labels: Labels = [("version".to_string(), "v2".to_string())].into();
        assert_eq!(edit.add_subset("v2", &labels), Ok(true));
        assert_eq!(edit.add_subset("v1", &labels), Ok(false));
        let view = DestinationRule::of(&dr).unwrap();
        let v2 = view.subset("v2").unwrap();
        assert_eq!(v2.labels().to_string(), "version=v2");
        assert_eq!(
            dr.to_json()["spec"]["subsets"],
            serde_json::json!([
                {"name": "v1", "labels": {"version": "v1"}},
                {"name": "v2", "labels": {"version": "v2"}},
            ])
        );
    }

    #[test]
    fn http_route_backend_refs_are_set_with_weights() {
        let mut route = one(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n  - backendRefs:\n    - name: reviews-v1\n      port: 9080\n      filters:\n      - type: RequestHeaderModifier\n        requestHeaderModifier: {add: [{name: x, value: y}]}\n",
        );
        let mut edit = HttpRouteEdit::of(&mut route).unwrap();
        edit.set_backend_refs(
            0,
            &[
                BackendRef::new("reviews-v1").port(9080).weight(90),
                BackendRef::new("reviews-v2").port(9080).weight(10),
            ],
        )
        .unwrap();
        let view = HttpRoute::of(&route).unwrap();
        assert_eq!(
            view.backend_refs(0),
            vec![
                BackendRef::new("reviews-v1").port(9080).weight(90),
                BackendRef::new("reviews-v2").port(9080).weight(10),
            ]
        );
        let json = route.to_json();
        assert_eq!(
            json["spec"]["rules"][0]["backendRefs"][0]["filters"][0]["type"],
            "RequestHeaderModifier"
        );
        assert_eq!(
            json["spec"]["rules"][0]["backendRefs"][1],
            serde_json::json!({"name": "reviews-v2", "port": 9080, "weight": 10})
        );
        let err = HttpRouteEdit::of(&mut route)
            .unwrap()
            .set_backend_refs(1, &[])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "HTTPRoute default/r: `spec.rules[1]` does not exist"
        );
    }

    #[test]
    fn an_edited_resource_serializes_to_yaml_that_parses_back_equal() {
        let mut vs = one(VS);
        VirtualServiceEdit::of(&mut vs)
            .unwrap()
            .set_http_route(
                1,
                &[RouteDestination::new("reviews").subset("v3").weight(100)],
            )
            .unwrap();
        let yaml = vs.to_yaml();
        assert!(yaml.contains("subset: v3"), "{yaml}");
        let again = one(&yaml);
        assert_eq!(again.to_json(), vs.to_json());
        assert_eq!(again.friendly_name(), "VirtualService default/reviews");
        let from_json = Resource::from_json(&vs.to_json(), crate::resource::Origin::Synthetic);
        assert_eq!(from_json.kind, Kind::VirtualService);
        assert_eq!(from_json.to_json(), vs.to_json());
    }
}
