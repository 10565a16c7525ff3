//! `meshdeck register`: arguments -> `ops::register::run` -> the plan, the prompt, the result.

use super::{CmdError, CmdResult};
use crate::cli::{GlobalArgs, RegisterArgs, RegisterCommand, RegisterOutput, RegisterStatusArgs};
use crate::exit;
use crate::ops::register::{
    AgentRole, ApplyRequest, CONNECTOR_NAMESPACE, ConnectorPods, DeregisterPlan, RegisterObserver,
    RegisterOutcome, RegisterPlan, RegisterReport, RegisterRequest, RegistrationStatus,
    StatusRequest,
};
use crate::ops::{Observer, register};
use crate::register::manifests::FILE_NAMES;
use crate::register::{ConnectorImages, parse_tags};
use crate::ui::{ConfirmError, Printer, Progress};

/// The terminal side of a registration: step lines, waits, warnings and the prompt.
pub(super) struct Ui<'a, 'p> {
    pub progress: &'a Progress<'p>,
    pub printer: &'p Printer,
    pub yes: bool,
}

impl Observer for Ui<'_, '_> {
    fn begin(&self, step: &str) {
        self.progress.step(step);
    }

    fn end(&self, done: &str) {
        self.progress.finish(done);
    }

    fn begin_wait(&self, step: &str) {
        self.progress.waiting(step);
    }
}

impl RegisterObserver for Ui<'_, '_> {
    fn wait(&self, text: &str) {
        self.printer.status(text);
    }

    fn warn(&self, text: &str) {
        self.printer.warning(text);
    }

    fn approve_register(&self, plan: &RegisterPlan) -> Result<bool, ConfirmError> {
        if !self.yes {
            self.printer.status(&plan_text(plan));
        }
        let what = match &plan.role {
            AgentRole::Create(name) => {
                format!("Register {:?} and create the IAM role {name}", plan.name)
            }
            AgentRole::Existing(_) => format!("Register {:?}", plan.name),
        };
        self.printer.confirm(&what, self.yes)
    }

    fn approve_deregister(&self, plan: &DeregisterPlan) -> Result<bool, ConfirmError> {
        let mut what = format!("Deregister {:?} in {}", plan.name, plan.region);
        if let Some(delete) = &plan.delete {
            if !self.yes {
                let mut list = format!(
                    "--delete-manifests deletes from kube context {} ({}):\n",
                    delete.context, delete.server
                );
                for o in &delete.objects {
                    list.push_str(&format!("  {o}\n"));
                }
                self.printer.status(list.trim_end());
            }
            what.push_str(&format!(
                " and delete {} objects from kube context {}",
                delete.objects.len(),
                delete.context
            ));
        }
        self.printer.confirm(&what, self.yes)
    }
}

pub fn run(args: RegisterArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    if let Some(RegisterCommand::Status(status_args)) = args.command {
        return status(status_args, global, printer);
    }
    if args.output == RegisterOutput::Json {
        printer.set_machine();
    }
    // clap requires both unless a subcommand is given.
    let (Some(name), Some(provider)) = (args.name, args.provider) else {
        return Err(CmdError::Register(register::RegisterError::BadName(
            String::new(),
        )));
    };
    let tags = parse_tags(&args.tags).map_err(register::RegisterError::BadTag)?;
    let request = RegisterRequest {
        aws: args.aws.options(),
        name,
        provider,
        role_arn: args.role_arn,
        tags,
        console_users: args.console_users,
        output_dir: args.output_dir,
        images: ConnectorImages {
            connector: args.connector_image,
            agent: args.agent_image,
        },
        retry_timeout: args.retry_timeout,
        dry_run: args.dry_run,
        refresh: args.refresh,
        apply: args.apply.then(|| ApplyRequest {
            kube: super::connect_options(global),
            ready_timeout: args.ready_timeout,
            active_timeout: args.active_timeout,
        }),
    };
    let outcome = {
        let progress = printer.progress(true);
        let ui = Ui {
            progress: &progress,
            printer,
            yes: global.yes,
        };
        register::run(&request, &ui)?
    };
    let json = args.output == RegisterOutput::Json;
    match outcome {
        RegisterOutcome::Planned(plan) => {
            let text = if json {
                json_text(&plan_json(&plan, true))
            } else {
                format!("{}\nDry run: nothing was created.\n", plan_text(&plan))
            };
            printer.data(&text).map_err(CmdError::Output)?;
            Ok(exit::SUCCESS)
        }
        RegisterOutcome::Declined(_) => {
            printer.status("Nothing was created.");
            Ok(exit::FAILURE)
        }
        RegisterOutcome::Registered(report) => {
            let text = if json {
                json_text(&report_json(&report))
            } else {
                report_text(&report, printer)
            };
            printer.data(&text).map_err(CmdError::Output)?;
            Ok(exit::SUCCESS)
        }
    }
}

fn json_text(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("JSON values serialise");
    s.push('\n');
    s
}

/// The plan, for the prompt and `--dry-run`.
pub fn plan_text(plan: &RegisterPlan) -> String {
    let mut out = format!(
        "Plan to register cluster {:?} with the EKS console:\n  \
         account:   {}\n  region:    {}\n  provider:  {}\n  caller:    {}\n",
        plan.name, plan.account, plan.region, plan.provider, plan.caller_arn
    );
    if let Some(old) = &plan.replaces {
        let expiry = match old.activation_expiry {
            Some(t) => format!(
                ", activation expiry {}",
                expiry_text(t, jiff::Timestamp::now())
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "  replaces:  the current registration (status {}{expiry}): deregistered first\n",
            old.status
        ));
    }
    out.push_str(
        "  service-linked role: AWSServiceRoleForAmazonEKSConnector (created if missing)\n",
    );
    match &plan.role {
        AgentRole::Create(name) => out.push_str(&format!(
            "  agent role: create IAM role {name} (trusts ssm.amazonaws.com; policy \
             eks-connector-agent; deleted again if registering fails)\n"
        )),
        AgentRole::Existing(arn) => out.push_str(&format!("  agent role: use {arn}\n")),
    }
    out.push_str("  console access for:\n");
    for a in &plan.console_arns {
        out.push_str(&format!("    {a}\n"));
    }
    out.push_str(&format!(
        "  manifests (mode 0600) in {}:\n",
        plan.output_dir.display()
    ));
    for f in FILE_NAMES {
        out.push_str(&format!("    {f}\n"));
    }
    for (service, url, origin) in &plan.endpoint_overrides {
        out.push_str(&format!("  {service} endpoint: {url} (from {origin})\n"));
    }
    if let Some((context, server)) = &plan.apply_to {
        out.push_str(&format!(
            "  then apply them to kube context {context} ({server}) and wait until EKS reports \
             the cluster ACTIVE\n"
        ));
    }
    out
}

fn plan_json(plan: &RegisterPlan, dry_run: bool) -> serde_json::Value {
    let (role_arn, role_to_create) = match &plan.role {
        AgentRole::Create(name) => (None, Some(name.clone())),
        AgentRole::Existing(arn) => (Some(arn.clone()), None),
    };
    serde_json::json!({
        "dryRun": dry_run,
        "name": plan.name,
        "provider": plan.provider.as_str(),
        "region": plan.region,
        "account": plan.account,
        "caller": plan.caller_arn,
        "consoleArns": plan.console_arns,
        "roleArn": role_arn,
        "roleToCreate": role_to_create,
        "refresh": plan.replaces.is_some(),
        "files": plan.files,
        "applyTo": plan.apply_to.as_ref().map(|(context, server)| {
            serde_json::json!({"context": context, "server": server})
        }),
    })
}

fn report_json(r: &RegisterReport) -> serde_json::Value {
    serde_json::json!({
        "name": r.plan.name,
        "arn": r.cluster_arn,
        "status": r.status,
        "provider": r.plan.provider.as_str(),
        "region": r.plan.region,
        "account": r.plan.account,
        "activationId": r.activation_id,
        "activationExpiry": r.activation_expiry.map(|t| t.to_string()),
        "roleArn": r.role_arn,
        "roleCreated": r.role_created,
        "serviceLinkedRole": r.service_linked_role,
        "consoleArns": r.plan.console_arns,
        "files": r.files,
        "attempts": r.attempts,
        "applied": r.applied.as_ref().map(|a| serde_json::json!({
            "context": a.context,
            "server": a.server,
            "objects": a.objects.iter().map(|(object, outcome)| {
                serde_json::json!({"object": object, "outcome": outcome})
            }).collect::<Vec<_>>(),
            "statefulSet": a.stateful_set,
            "status": a.status,
        })),
    })
}

/// When the activation expires, in local time, and how long that is from now.
pub fn expiry_text(expiry: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let local = expiry.to_zoned(jiff::tz::TimeZone::system());
    let left = expiry.as_second() - now.as_second();
    let when = local.strftime("%Y-%m-%d %H:%M %Z");
    if left <= 0 {
        format!("{when} (expired)")
    } else {
        let rounded = std::time::Duration::from_secs((left as u64 / 60) * 60);
        format!("{when} (in {})", humantime::format_duration(rounded))
    }
}

fn report_text(r: &RegisterReport, printer: &Printer) -> String {
    printer.note(&format!(
        "{} and {} give EKS console access to {}; edit them to change who has it \
         (https://docs.aws.amazon.com/eks/latest/userguide/connector-grant-access.html)",
        FILE_NAMES[1],
        FILE_NAMES[2],
        r.plan.console_arns.join(", ")
    ));
    let mut out = format!(
        "Registered cluster {:?} ({}), status {}.\n",
        r.plan.name,
        r.cluster_arn.as_deref().unwrap_or("-"),
        r.status.as_deref().unwrap_or("unknown")
    );
    if r.role_created {
        out.push_str(&format!(
            "Agent role: {} (created by meshdeck)\n",
            r.role_arn
        ));
    } else {
        out.push_str(&format!("Agent role: {}\n", r.role_arn));
    }
    for f in &r.files {
        out.push_str(&format!("Wrote {} (mode 0600)\n", f.display()));
    }
    if let Some(a) = &r.applied {
        out.push_str(&format!(
            "Applied {} objects to kube context {} ({}):\n",
            a.objects.len(),
            a.context,
            a.server
        ));
        for (object, outcome) in &a.objects {
            out.push_str(&format!("  {object} {outcome}\n"));
        }
        out.push_str(&format!(
            "{} is ready and EKS reports the cluster {}: it shows in the EKS console.\n",
            a.stateful_set, a.status
        ));
        return out;
    }
    let files: Vec<String> = r.files.iter().map(|f| f.display().to_string()).collect();
    let deadline = match r.activation_expiry {
        Some(t) => format!(" before {}", expiry_text(t, jiff::Timestamp::now())),
        None => String::new(),
    };
    out.push_str(&format!(
        "Next: apply them to the cluster{deadline} to connect it:\n  kubectl apply -f {}\n",
        files.join(",")
    ));
    out
}

/// `meshdeck register status`.
fn status(args: RegisterStatusArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    let json = args.output == RegisterOutput::Json;
    if json {
        printer.set_machine();
    }
    let request = StatusRequest {
        aws: args.aws.options(),
        name: args.name,
        kube: super::connect_options(global),
    };
    let found = {
        let progress = printer.progress(false);
        let ui = Ui {
            progress: &progress,
            printer,
            yes: global.yes,
        };
        register::status(&request, &ui)?
    };
    let text = if json {
        json_text(&status_json(&found))
    } else {
        status_text(&found, jiff::Timestamp::now())
    };
    printer.data(&text).map_err(CmdError::Output)?;
    Ok(exit::SUCCESS)
}

fn status_json(s: &RegistrationStatus) -> serde_json::Value {
    serde_json::json!({
        "name": s.name,
        "region": s.region,
        "arn": s.arn,
        "status": s.status,
        "provider": s.provider,
        "roleArn": s.role_arn,
        "createdAt": s.created_at.map(|t| t.to_string()),
        "activationExpiry": s.activation_expiry.map(|t| t.to_string()),
        "expiredWithoutConnecting": s.expired_unconnected,
        "connectorPods": match &s.pods {
            ConnectorPods::Listed(pods) => serde_json::json!(pods),
            ConnectorPods::Unavailable(_) => serde_json::Value::Null,
        },
        "connectorPodsError": match &s.pods {
            ConnectorPods::Listed(_) => None,
            ConnectorPods::Unavailable(why) => Some(why.clone()),
        },
    })
}

fn status_text(s: &RegistrationStatus, now: jiff::Timestamp) -> String {
    let mut out = format!(
        "Cluster {:?} in {}: {}\n",
        s.name,
        s.region,
        s.status.as_deref().unwrap_or("unknown")
    );
    let line = |label: &str, value: Option<String>| match value {
        Some(v) => format!("  {label:<11} {v}\n"),
        None => String::new(),
    };
    out.push_str(&line("arn:", s.arn.clone()));
    out.push_str(&line("provider:", s.provider.clone()));
    out.push_str(&line("agent role:", s.role_arn.clone()));
    out.push_str(&line(
        "activation:",
        s.activation_expiry
            .map(|t| format!("expires {}", expiry_text(t, now))),
    ));
    match &s.pods {
        ConnectorPods::Listed(pods) if pods.is_empty() => out.push_str(&format!(
            "  connector:  no pods in namespace {CONNECTOR_NAMESPACE} of the current kube context \
             (the manifests are not applied there)\n"
        )),
        ConnectorPods::Listed(pods) => {
            out.push_str("  connector pods:\n");
            for p in pods {
                let problem = p
                    .problem
                    .as_deref()
                    .map(|r| format!(", {r}"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "    {} {} {}/{} ready, {} restarts{problem}\n",
                    p.name, p.phase, p.ready, p.containers, p.restarts
                ));
            }
        }
        ConnectorPods::Unavailable(why) => {
            out.push_str(&format!("  connector pods: cannot read them ({why})\n"))
        }
    }
    if s.expired_unconnected {
        let provider = s.provider.as_deref().unwrap_or("OTHER");
        out.push_str(&format!(
            "The activation expired before the connector connected; the manifests written for it \
             can no longer connect the cluster.\n\
             Fix: register again, keeping the agent role, and apply the new manifests:\n  \
             meshdeck register --refresh --name {} --provider {provider} --region {}\n",
            s.name, s.region
        ));
    } else if s.status.as_deref() == Some("PENDING") {
        out.push_str(
            "Waiting for the connector: apply the manifests before the activation expires.\n",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expired_unconnected_activation_comes_with_the_refresh_command() {
        let now: jiff::Timestamp = "2026-12-01T20:00:00Z".parse().unwrap();
        let s = RegistrationStatus {
            name: "lab".into(),
            region: "eu-west-1".into(),
            arn: Some("arn:aws:eks:eu-west-1:1:cluster/lab".into()),
            status: Some("PENDING".into()),
            provider: Some("EKS_ANYWHERE".into()),
            role_arn: Some("arn:aws:iam::1:role/r".into()),
            created_at: None,
            activation_expiry: Some("2026-11-28T20:00:00Z".parse().unwrap()),
            expired_unconnected: true,
            pods: ConnectorPods::Unavailable("no kubeconfig".into()),
        };
        let text = status_text(&s, now);
        assert!(text.contains("(expired)"), "{text}");
        assert!(
            text.contains("connector pods: cannot read them (no kubeconfig)"),
            "{text}"
        );
        assert!(
            text.contains(
                "meshdeck register --refresh --name lab --provider EKS_ANYWHERE --region eu-west-1"
            ),
            "{text}"
        );
    }

    #[test]
    fn expiry_says_how_long_is_left() {
        let now: jiff::Timestamp = "2026-12-01T20:00:00Z".parse().unwrap();
        let later: jiff::Timestamp = "2026-12-04T20:00:30Z".parse().unwrap();
        let text = expiry_text(later, now);
        assert!(text.ends_with("(in 3days)"), "{text}");
        let text = expiry_text(now, later);
        assert!(text.ends_with("(expired)"), "{text}");
    }
}
