//! What istioctl does to the rendered objects after Helm: the `components.<name>.k8s`
//! settings as strategic merge patches, and `k8s.overlays` path patches.

use super::helm::Value;
use super::iop::Seg;

/// The merge key of a list field under strategic merge patch (Kubernetes' `patchMergeKey`),
/// for the lists the k8s settings reach. Lists without one are replaced.
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "ephemeralContainers" => Some("name"),
        "volumeMounts" | "volumeDevices" => Some("mountPath"),
        "topologySpreadConstraints" => Some("topologyKey"),
        "hostAliases" => Some("ip"),
        "ports" => {
            if items.iter().any(|i| !i.get("containerPort").is_nil()) {
                Some("containerPort")
            } else {
                Some("port")
            }
        }
        _ => None,
    }
}

/// Applies a strategic merge patch to `base` in place (maps merge, null deletes, lists with a
/// merge key merge element by element, other lists are replaced).
pub fn strategic_merge(base: &Value, patch: &Value) {
    let (Value::Map(b), Value::Map(p)) = (base, patch) else {
        return;
    };
    let patch = p.borrow().clone();
    for (k, pv) in patch {
        let bv = b.borrow().get(&k).cloned();
        match (&bv, &pv) {
            (_, Value::Nil) => {
                b.borrow_mut().remove(&k);
            }
            (Some(bm @ Value::Map(_)), Value::Map(_)) => strategic_merge(bm, &pv),
            (Some(Value::List(bl)), Value::List(pl)) => {
                let mut all: Vec<Value> = bl.to_vec();
                all.extend(pl.iter().cloned());
                let merged = match merge_key(&k, &all) {
                    Some(key) if pl.iter().all(|v| matches!(v, Value::Map(_))) => {
                        merge_keyed(bl, pl, key)
                    }
                    _ => pl.iter().map(Value::deep_clone).collect(),
                };
                b.borrow_mut().insert(k, Value::list(merged));
            }
            _ => {
                b.borrow_mut().insert(k, pv.deep_clone());
            }
        }
    }
}

/// Merges two lists element by element on `key`, ordered as Kubernetes' strategic merge
/// does: the patch's elements in the patch's order, interleaved with the elements only the
/// original has, in their original order, by their original positions.
fn merge_keyed(base: &[Value], patch: &[Value], key: &str) -> Vec<Value> {
    let server_index = |v: &Value| base.iter().position(|b| b.get(key).deep_eq(&v.get(key)));
    let mut left = Vec::new();
    for item in patch {
        match base.iter().find(|b| b.get(key).deep_eq(&item.get(key))) {
            Some(existing) => {
                let merged = existing.deep_clone();
                strategic_merge(&merged, item);
                left.push(merged);
            }
            None => left.push(item.deep_clone()),
        }
    }
    let right: Vec<Value> = base
        .iter()
        .filter(|b| !patch.iter().any(|p| p.get(key).deep_eq(&b.get(key))))
        .map(Value::deep_clone)
        .collect();
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < left.len() && j < right.len() {
        match (server_index(&left[i]), server_index(&right[j])) {
            (Some(li), Some(ri)) if li > ri => {
                out.push(right[j].clone());
                j += 1;
            }
            _ => {
                out.push(left[i].clone());
                i += 1;
            }
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    out
}

/// A `k8s.overlays[].patches[]` step failed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("overlay path {path:?}: {message}")]
pub struct OverlayError {
    pub path: String,
    pub message: String,
}

/// Applies one overlay patch: sets the value at `path`, or deletes what the path names when
/// the patch has no value. `[key:value]` picks a list element by a field, `[value]` a
/// scalar element, `[N]` an index.
pub fn apply_overlay(obj: &Value, path: &str, value: Option<&Value>) -> Result<(), OverlayError> {
    let err = |m: String| OverlayError {
        path: path.to_string(),
        message: m,
    };
    let segs = split_overlay_path(path).map_err(err)?;
    // A multi-line string that is YAML stands for the object it spells.
    let value = value.map(|v| match v {
        Value::Str(s) if s.contains('\n') => crate::resource::node::parse_documents(s, 0)
            .ok()
            .and_then(|d| d.first().map(Value::from_node))
            .filter(|v| matches!(v, Value::Map(_) | Value::List(_)))
            .unwrap_or_else(|| v.clone()),
        other => other.clone(),
    });
    walk_overlay(obj, &segs, value.as_ref()).map_err(err)
}

fn split_overlay_path(path: &str) -> Result<Vec<Seg>, String> {
    let mut segs = Vec::new();
    for part in split_unescaped(path)? {
        if let Some(inner) = part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            if let Ok(i) = inner.parse::<usize>() {
                segs.push(Seg::Index(i));
            } else if let Some((k, v)) = inner.split_once(':') {
                segs.push(Seg::Select(k.to_string(), v.to_string()));
            } else {
                // `[30m]`: the scalar element equal to it.
                segs.push(Seg::Select(String::new(), inner.to_string()));
            }
        } else {
            segs.push(Seg::Key(part));
        }
    }
    if segs.is_empty() {
        return Err("empty path".into());
    }
    Ok(segs)
}

/// Splits on dots outside brackets; `\.` is a dot inside a name.
fn split_unescaped(path: &str) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                chars.next();
                cur.push('.');
            }
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' => {
                depth -= 1;
                cur.push(c);
            }
            '.' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    if depth != 0 {
        return Err("unbalanced [ ] in path".into());
    }
    parts.push(cur);
    Ok(parts.into_iter().filter(|p| !p.is_empty()).collect())
}

fn matches_selector(item: &Value, k: &str, v: &str) -> bool {
    if k.is_empty() {
        return super::helm::funcs::strval(item) == v;
    }
    let field = item.get(k);
    !field.is_nil() && super::helm::funcs::strval(&field) == v
}

fn walk_overlay(cur: &Value, segs: &[Seg], value: Option<&Value>) -> Result<(), String> {
    let last = segs.len() == 1;
    match (&segs[0], cur) {
        (Seg::Key(k), Value::Map(m)) => {
            if last {
                match value {
                    Some(v) => {
                        m.borrow_mut().insert(k.clone(), v.clone());
                    }
                    None => {
                        m.borrow_mut().remove(k);
                    }
                }
                return Ok(());
            }
            let child = m.borrow().get(k).cloned();
            let child = match child {
                Some(c @ (Value::Map(_) | Value::List(_))) => c,
                _ if value.is_none() => return Ok(()),
                _ => {
                    let c = Value::new_map();
                    m.borrow_mut().insert(k.clone(), c.clone());
                    c
                }
            };
            if let Value::List(_) = child {
                // Lists are values: rebuild and store back.
                let rebuilt = rebuild_list(&child, &segs[1..], value)?;
                m.borrow_mut().insert(k.clone(), rebuilt);
                return Ok(());
            }
            walk_overlay(&child, &segs[1..], value)
        }
        (seg, other) => Err(format!("cannot follow {seg:?} into {}", other.type_name())),
    }
}

fn rebuild_list(list: &Value, segs: &[Seg], value: Option<&Value>) -> Result<Value, String> {
    let Value::List(l) = list else {
        unreachable!("called with a list")
    };
    let mut items = l.to_vec();
    let idx = match &segs[0] {
        Seg::Index(i) => Some(*i).filter(|i| *i < items.len()),
        Seg::Select(k, v) => items.iter().position(|it| matches_selector(it, k, v)),
        Seg::Key(k) => return Err(format!("{k} names a field, but this is a list")),
    };
    let Some(idx) = idx else {
        return Err(format!("no list element matches {:?}", segs[0]));
    };
    if segs.len() == 1 {
        match value {
            Some(v) => items[idx] = v.clone(),
            None => {
                items.remove(idx);
            }
        }
    } else {
        let item = items[idx].clone();
        match &item {
            Value::List(_) => items[idx] = rebuild_list(&item, &segs[1..], value)?,
            _ => walk_overlay(&item, &segs[1..], value)?,
        }
    }
    Ok(Value::list(items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::node::parse_documents;

    fn v(y: &str) -> Value {
        Value::from_node(&parse_documents(y, 0).unwrap()[0])
    }

    #[test]
    fn strategic_merge_merges_containers_and_env_by_name() {
        let base = v(
            "spec: {containers: [{name: a, env: [{name: X, value: '1'}, {name: Y, value: '2'}], resources: {requests: {cpu: 1m}}}, {name: b}]}",
        );
        strategic_merge(
            &base,
            &v(
                "spec: {containers: [{name: a, env: [{name: Y, value: '3'}, {name: Z, value: '4'}], resources: {requests: {memory: 2Mi}}}]}",
            ),
        );
        assert_eq!(
            super::super::helm::yaml::to_json(&base),
            r#"{"spec":{"containers":[{"env":[{"name":"X","value":"1"},{"name":"Y","value":"3"},{"name":"Z","value":"4"}],"name":"a","resources":{"requests":{"cpu":"1m","memory":"2Mi"}}},{"name":"b"}]}}"#
        );
    }

    #[test]
    fn overlays_select_set_and_delete() {
        let obj = v(
            "spec: {containers: [{name: d, args: [a, 30m], ports: [{containerPort: 8080}], env: [{name: R, value: x}], sc: {a: 1}}]}",
        );
        apply_overlay(
            &obj,
            "spec.containers.[name:d].args.[30m]",
            Some(&Value::str("60m")),
        )
        .unwrap();
        apply_overlay(
            &obj,
            "spec.containers.[name:d].ports.[containerPort:8080].containerPort",
            Some(&Value::Float(1234.0)),
        )
        .unwrap();
        apply_overlay(&obj, "spec.containers.[name:d].env.[name:R]", None).unwrap();
        apply_overlay(&obj, "spec.containers.[name:d].sc", None).unwrap();
        assert_eq!(
            super::super::helm::yaml::to_json(&obj),
            r#"{"spec":{"containers":[{"args":["a","60m"],"env":[],"name":"d","ports":[{"containerPort":1234}]}]}}"#
        );
        assert!(apply_overlay(&obj, "spec.containers.[name:nope].x", Some(&Value::Nil)).is_err());
    }
}
