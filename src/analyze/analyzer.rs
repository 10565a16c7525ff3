//! What an analyzer is, and the context it works in.

use super::catalogue::{Arg, MessageType};
use super::mesh::MeshConfig;
use crate::resource::{Kind, Resource, Snapshot};

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
    pub(super) analyzer: &'static str,
    pub(super) messages: Vec<Message>,
}

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
            analyzer: "",
            messages: Vec::new(),
        }
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
