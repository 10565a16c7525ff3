//! The connector's objects as the cluster sees them: parsed from the rendered (or written)
//! manifests for `register --apply`, named for `deregister --delete-manifests` (from the files,
//! or from the templates meshdeck carries when a file is not there), and error text scrubbed of
//! the activation code. Pure code; the cluster calls are in `ops::register`.

use std::fmt;

use base64::Engine;
use serde_json::Value as Json;

use super::manifests::{self, ConnectorImages, ManifestInputs};
use crate::aws::eks::ActivationCode;
use crate::resource::{json, node};

/// One object of the manifests, as it is addressed in the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectName {
    pub api_version: String,
    pub kind: String,
    /// `None` when the manifest gives none (cluster-scoped kinds).
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ObjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// The objects of one manifest file, in file order. `file` names it in errors, which never
/// quote the file's contents (one of them holds the activation code).
pub fn parse(file: &str, text: &str) -> Result<Vec<Json>, String> {
    let docs = node::parse_documents(text, 0)
        .map_err(|e| format!("{file}:{}:{}: {}", e.pos.line, e.pos.col, e.message))?;
    let mut out = Vec::new();
    for (i, doc) in docs.iter().filter(|d| d.is_map()).enumerate() {
        let obj = json::to_json(doc);
        let field = |path: &str| obj.pointer(path).and_then(Json::as_str).unwrap_or("");
        for (path, what) in [
            ("/apiVersion", "apiVersion"),
            ("/kind", "kind"),
            ("/metadata/name", "metadata.name"),
        ] {
            if field(path).is_empty() {
                return Err(format!("{file}: object {} has no {what}", i + 1));
            }
        }
        out.push(obj);
    }
    Ok(out)
}

/// How `obj` (one of [`parse`]'s) is addressed.
pub fn name_of(obj: &Json) -> ObjectName {
    let field = |path: &str| {
        obj.pointer(path)
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string()
    };
    let namespace = field("/metadata/namespace");
    ObjectName {
        api_version: field("/apiVersion"),
        kind: field("/kind"),
        namespace: (!namespace.is_empty()).then_some(namespace),
        name: field("/metadata/name"),
    }
}

/// The objects meshdeck's templates create, by file: the names do not depend on the
/// registration, so they stand for a file that is no longer there.
pub fn template_objects() -> Vec<(&'static str, Vec<ObjectName>)> {
    let code = ActivationCode::new("placeholder");
    let rendered = manifests::render(&ManifestInputs {
        activation_id: "placeholder",
        activation_code: &code,
        region: "us-east-1",
        console_arns: &["arn:aws:iam::000000000000:role/placeholder".to_string()],
        images: &ConnectorImages::default(),
    });
    rendered
        .files
        .iter()
        .map(|(file, text)| {
            let objects = parse(file, text).expect("meshdeck's own templates parse");
            (*file, objects.iter().map(name_of).collect())
        })
        .collect()
}

/// The order to delete objects applied in `applied` order: the reverse, so what lives in a
/// namespace goes before the namespace, and each name once.
pub fn delete_order(applied: &[ObjectName]) -> Vec<ObjectName> {
    let mut out: Vec<ObjectName> = Vec::new();
    for o in applied.iter().rev() {
        if !out.contains(o) {
            out.push(o.clone());
        }
    }
    // A namespace given before its objects in another file still goes last.
    let (namespaces, rest): (Vec<_>, Vec<_>) = out.into_iter().partition(|o| o.kind == "Namespace");
    rest.into_iter().chain(namespaces).collect()
}

/// `text` with the activation code, raw or base64-encoded as in the Secret, replaced: for
/// messages that quote what a server or parser was given.
pub fn redact(text: &str, code: &ActivationCode) -> String {
    let raw = code.expose();
    if raw.is_empty() {
        return text.to_string();
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(raw);
    let b64_unpadded = b64.trim_end_matches('=');
    text.replace(&b64, "<redacted>")
        .replace(b64_unpadded, "<redacted>")
        .replace(raw, "<redacted>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_name_the_connector_objects_by_file() {
        let by_file = template_objects();
        let files: Vec<&str> = by_file.iter().map(|(f, _)| *f).collect();
        assert_eq!(files, manifests::FILE_NAMES);
        let connector: Vec<String> = by_file[0].1.iter().map(|o| o.to_string()).collect();
        assert_eq!(connector[0], "Namespace eks-connector");
        assert!(connector.contains(&"Secret eks-connector/eks-connector-activation-config".into()));
        assert!(connector.contains(&"StatefulSet eks-connector/eks-connector".into()));
        assert!(
            by_file[1]
                .1
                .iter()
                .any(|o| o.kind == "ClusterRole" && o.namespace.is_none())
        );
    }

    #[test]
    fn deletes_run_backwards_with_namespaces_last() {
        let n = |kind: &str, ns: Option<&str>, name: &str| ObjectName {
            api_version: "v1".into(),
            kind: kind.into(),
            namespace: ns.map(str::to_string),
            name: name.into(),
        };
        let applied = vec![
            n("Namespace", None, "eks-connector"),
            n("Secret", Some("eks-connector"), "s"),
            n("ClusterRole", None, "r"),
            n("Secret", Some("eks-connector"), "s"),
        ];
        let order: Vec<String> = delete_order(&applied)
            .iter()
            .map(|o| o.to_string())
            .collect();
        assert_eq!(
            order,
            [
                "Secret eks-connector/s",
                "ClusterRole r",
                "Namespace eks-connector"
            ]
        );
    }

    #[test]
    fn redact_removes_the_code_raw_and_encoded() {
        let code = ActivationCode::new("abcd-123");
        let b64 = base64::engine::general_purpose::STANDARD.encode("abcd-123");
        assert!(b64.ends_with('='));
        let text = format!(
            "data.code: Invalid value: {b64:?}; raw abcd-123; unpadded {}",
            b64.trim_end_matches('=')
        );
        let out = redact(&text, &code);
        assert!(
            !out.contains("abcd-123") && !out.contains(b64.trim_end_matches('=')),
            "{out}"
        );
        assert_eq!(out.matches("<redacted>").count(), 3, "{out}");
    }

    #[test]
    fn a_broken_file_is_named_with_its_position_not_its_contents() {
        let err = parse(
            "eks-connector.yaml",
            "kind: Secret\ndata:\n  code: [\"c2VjcmV0\"\n",
        )
        .unwrap_err();
        assert!(err.starts_with("eks-connector.yaml:"), "{err}");
        assert!(!err.contains("c2VjcmV0"), "{err}");
        let err = parse("x.yaml", "apiVersion: v1\nkind: Secret\n").unwrap_err();
        assert_eq!(err, "x.yaml: object 1 has no metadata.name");
    }
}
