//! `kubernetes.ServiceSelectorAnalyzer` (MDK0001): a Service whose selector matches no workload
//! in its namespace has no endpoints. It is the Gateway "mismatched selector label" trap one
//! level down, and it is just as silent at apply time.

use crate::analyze::catalogue::MDK0001;
use crate::analyze::{Analyzer, Context, Metadata};
use crate::resource::Kind;
use crate::resource::views;

pub struct ServiceSelectorAnalyzer;

static METADATA: Metadata = Metadata {
    name: "kubernetes.ServiceSelectorAnalyzer",
    description: "Checks that each Service's selector matches at least one workload in its namespace",
    inputs: &[
        Kind::Service,
        Kind::Pod,
        Kind::Deployment,
        Kind::StatefulSet,
        Kind::DaemonSet,
        Kind::ReplicaSet,
        Kind::Job,
        Kind::CronJob,
    ],
    codes: &[&MDK0001],
};

impl Analyzer for ServiceSelectorAnalyzer {
    fn metadata(&self) -> &'static Metadata {
        &METADATA
    }

    fn analyze(&self, ctx: &mut Context<'_>) {
        let snap = ctx.snapshot;
        for svc in snap.of_kind(Kind::Service).map(views::Service) {
            let selector = svc.selector();
            if selector.is_empty() || svc.service_type() == "ExternalName" {
                continue;
            }
            if snap
                .workloads_matching(&selector, Some(&svc.namespace), false)
                .next()
                .is_none()
            {
                let field = selector.first_key().map(|k| format!("spec.selector.{k}"));
                ctx.report(
                    &MDK0001,
                    svc.resource(),
                    field,
                    vec![selector.to_string().into(), svc.namespace.clone().into()],
                );
            }
        }
    }
}
