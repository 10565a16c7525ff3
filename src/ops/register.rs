//! `meshdeck register` and `meshdeck deregister`: connect a cluster to the EKS console through
//! the EKS Connector, and undo it. The flow (caller identity, DescribeCluster, the plan and its
//! approval, the service-linked role, the agent role, RegisterCluster with retries, the
//! manifests) and the rollback of what this run created when anything after it fails.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use miette::Diagnostic;

use super::Observer;
use crate::aws::arn::{self, ArnError};
use crate::aws::eks::{Cluster, Registration};
use crate::aws::iam::NewRole;
use crate::aws::sts::CallerIdentity;
use crate::aws::{AwsError, AwsOptions, Client, Service};
use crate::register::manifests::{self, FILE_NAMES};
use crate::register::retry::{Backoff, retry_reason};
use crate::register::{self as connector, AGENT_POLICY_NAME, OWNER_TAG, Provider, SLR_SERVICE};
use crate::ui::ConfirmError;

/// Told about the steps of a registration, its waits and warnings, and asked to approve the
/// plan before anything is created.
pub trait RegisterObserver: Observer {
    /// A wait before another attempt (`RegisterCluster: ...; retrying in 1.2s`).
    fn wait(&self, text: &str);
    /// Something the user should know that does not stop the run.
    fn warn(&self, text: &str);
    /// Whether to go ahead with `plan`.
    fn approve_register(&self, plan: &RegisterPlan) -> Result<bool, ConfirmError>;
    /// Whether to deregister `plan.name`.
    fn approve_deregister(&self, plan: &DeregisterPlan) -> Result<bool, ConfirmError>;
}

/// What to register and how.
#[derive(Clone, Debug)]
pub struct RegisterRequest {
    pub aws: AwsOptions,
    pub name: String,
    pub provider: Provider,
    /// An existing agent role to use instead of creating one.
    pub role_arn: Option<String>,
    /// Tags for the registration and the agent role meshdeck creates.
    pub tags: Vec<(String, String)>,
    /// More IAM identities given console access, besides the caller.
    pub console_users: Vec<String>,
    pub output_dir: PathBuf,
    pub images: connector::ConnectorImages,
    /// How long RegisterCluster (and IAM serving the new role) is waited for.
    pub retry_timeout: Duration,
    /// Show the plan, change nothing.
    pub dry_run: bool,
    /// An existing registration is deregistered and registered again with its agent role
    /// (for an activation that expired before the connector was applied).
    pub refresh: bool,
    /// `--apply`: apply the manifests to a cluster and wait for the connection.
    pub apply: Option<ApplyRequest>,
}

/// Where `--apply` applies the manifests, and how long it waits.
#[derive(Clone, Debug)]
pub struct ApplyRequest {
    /// The kube context (`--kubeconfig`, `--context`, ...).
    pub kube: crate::kube::ConnectOptions,
    /// How long the connector StatefulSet may take to be ready.
    pub ready_timeout: Duration,
    /// How long EKS may take to report the cluster ACTIVE once the connector runs.
    pub active_timeout: Duration,
}

/// What `--apply` did.
#[derive(Clone, Debug)]
pub struct ApplyReport {
    pub context: String,
    pub server: String,
    /// Each object and what the apply did to it (`created`, `configured`, `unchanged`).
    pub objects: Vec<(String, &'static str)>,
    /// The connector StatefulSet that became ready.
    pub stateful_set: String,
    /// The status EKS reported last (ACTIVE).
    pub status: String,
}

/// The agent role of a registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgentRole {
    /// meshdeck creates a role of this name.
    Create(String),
    /// The user's `--role-arn`.
    Existing(String),
}

/// What a registration will do, shown before anything is created.
#[derive(Debug)]
pub struct RegisterPlan {
    pub name: String,
    pub provider: Provider,
    pub region: String,
    pub account: String,
    /// The caller's ARN as STS gives it.
    pub caller_arn: String,
    /// The IAM identities given console access: the caller's canonical ARN first.
    pub console_arns: Vec<String>,
    pub role: AgentRole,
    pub output_dir: PathBuf,
    pub files: Vec<PathBuf>,
    /// Endpoints that are not AWS's defaults, as `(service, url, origin)`.
    pub endpoint_overrides: Vec<(Service, String, String)>,
    pub images: connector::ConnectorImages,
    /// `--refresh`: the registration this run replaces.
    pub replaces: Option<Replaced>,
    /// `--apply`: the kube context and API server the manifests go to.
    pub apply_to: Option<(String, String)>,
}

/// A registration `--refresh` deregisters first.
#[derive(Clone, Debug)]
pub struct Replaced {
    pub status: String,
    pub activation_expiry: Option<jiff::Timestamp>,
    pub role_arn: String,
}

/// How the service-linked role check went.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlrOutcome {
    Created,
    Existed,
    /// Not allowed to create it: EKS creates it itself at registration.
    NotAllowed,
}

/// What a registration did.
#[derive(Debug)]
pub struct RegisterReport {
    pub plan: RegisterPlan,
    pub cluster_arn: Option<String>,
    pub status: Option<String>,
    pub activation_id: String,
    pub activation_expiry: Option<jiff::Timestamp>,
    pub role_arn: String,
    pub role_created: bool,
    pub service_linked_role: SlrOutcome,
    pub files: Vec<PathBuf>,
    /// RegisterCluster attempts (one client request token for all of them).
    pub attempts: u32,
    /// `--apply`: what was applied and the status EKS reached.
    pub applied: Option<ApplyReport>,
}

/// How a run ended without an error.
#[derive(Debug)]
pub enum RegisterOutcome {
    /// `--dry-run`: the plan, nothing changed.
    Planned(RegisterPlan),
    /// The user said no.
    Declined(RegisterPlan),
    Registered(Box<RegisterReport>),
}

/// What was done to undo this run's changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rollback {
    /// Removed, in words (`IAM role policy meshdeck-x/eks-connector-agent`).
    pub removed: Vec<String>,
    /// Could not be removed, each with the command that removes it.
    pub left: Vec<String>,
}

impl fmt::Display for Rollback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.removed.is_empty() && self.left.is_empty() {
            return f.write_str("nothing had been created, nothing was removed");
        }
        if !self.removed.is_empty() {
            write!(
                f,
                "removed what this run created: {}",
                self.removed.join(", ")
            )?;
        }
        if !self.left.is_empty() {
            if !self.removed.is_empty() {
                f.write_str("; ")?;
            }
            write!(f, "could not remove: {}", self.left.join("; "))?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum RegisterError {
    #[error("{0:?} is not a valid EKS cluster name")]
    #[diagnostic(
        code(meshdeck::register::name),
        help("a name is 1 to 100 letters, digits, - and _, starting with a letter or digit")
    )]
    BadName(String),
    #[error("--role-arn {0:?} is not an IAM role ARN")]
    #[diagnostic(
        code(meshdeck::register::role_arn),
        help(
            "give the role's ARN, e.g. arn:aws:iam::111122223333:role/AmazonEKSConnectorAgentRole"
        )
    )]
    BadRoleArn(String),
    #[error("--tags: {0}")]
    #[diagnostic(
        code(meshdeck::register::tags),
        help("give tags as KEY=VALUE, e.g. --tags team=platform,env=lab")
    )]
    BadTag(String),
    #[error("--console-user: {0}")]
    #[diagnostic(
        code(meshdeck::register::console_user),
        help("give an IAM user or role ARN, e.g. arn:aws:iam::111122223333:role/Admin")
    )]
    BadConsoleUser(#[source] ArnError),
    #[error("the caller cannot be given console access: {0}")]
    #[diagnostic(
        code(meshdeck::register::caller),
        help("use credentials of an IAM user or an assumed IAM role")
    )]
    Caller(#[source] ArnError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Aws(#[from] AwsError),
    #[error("cluster {name:?} is already registered in {region} (status {status})")]
    #[diagnostic(
        code(meshdeck::register::exists),
        help(
            "deregister it first (meshdeck deregister --name {name} --region {region}), or \
             register it again with --refresh, which keeps its agent role"
        )
    )]
    AlreadyRegistered {
        name: String,
        region: String,
        status: String,
    },
    #[error("the registration of {0:?} names no agent role to keep")]
    #[diagnostic(
        code(meshdeck::register::no_role),
        help("pass --role-arn with the role to register it with")
    )]
    NoRoleToKeep(String),
    #[error("cluster {name:?} is not registered in {region}")]
    #[diagnostic(
        code(meshdeck::register::not_found),
        help("check the name and --region (or AWS_REGION)")
    )]
    NotRegistered { name: String, region: String },
    #[error("cannot write the manifests to {}", dir.display())]
    #[diagnostic(code(meshdeck::register::output_dir))]
    OutputDir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("registering {name:?} failed; {rollback}")]
    #[diagnostic(code(meshdeck::register::failed))]
    Failed {
        name: String,
        rollback: Rollback,
        #[source]
        source: Box<RegisterError>,
    },
    #[error(
        "RegisterCluster did not succeed within --retry-timeout {} ({attempts} attempts); the last answer: {last}",
        humantime::format_duration(*timeout)
    )]
    #[diagnostic(
        code(meshdeck::register::timeout),
        help(
            "AWS may need longer to propagate new roles: run again with a longer --retry-timeout"
        )
    )]
    RetryTimeout {
        timeout: Duration,
        attempts: u32,
        last: String,
    },
    #[error("IAM did not serve the new role {role} within --retry-timeout")]
    #[diagnostic(code(meshdeck::register::role_wait))]
    RoleWait { role: String },
    #[error("interrupted")]
    #[diagnostic(code(meshdeck::register::interrupted))]
    Interrupted,
    #[error("--apply: cannot use the kube context")]
    #[diagnostic(
        code(meshdeck::register::kube),
        help("check --kubeconfig/--context (or KUBECONFIG); nothing was created")
    )]
    ApplyTarget(#[source] crate::kube::KubeError),
    #[error(
        "registered {name:?} and wrote its manifests, but --apply {}: {why}",
        if *interrupted { "was interrupted" } else { "did not finish" }
    )]
    #[diagnostic(
        code(meshdeck::register::apply),
        help(
            "the registration and the files are kept: apply them before the activation expires \
             ({expiry}) with kubectl apply --server-side -f {files}, then check with meshdeck \
             register status --name {name}"
        )
    )]
    Apply {
        name: String,
        /// Scrubbed of the activation code.
        why: String,
        expiry: String,
        files: String,
        interrupted: bool,
    },
    #[error("cannot read the manifests to delete: {0}")]
    #[diagnostic(
        code(meshdeck::register::manifest_file),
        help(
            "fix or remove the file (meshdeck then uses the names its templates give), or pass --output-dir"
        )
    )]
    ManifestFile(String),
    #[error("--delete-manifests: cannot use the kube context")]
    #[diagnostic(
        code(meshdeck::register::kube),
        help("check --kubeconfig/--context (or KUBECONFIG); nothing was changed")
    )]
    DeleteTarget(#[source] crate::kube::KubeError),
    #[error("cannot start the async runtime")]
    #[diagnostic(code(meshdeck::register::runtime))]
    Runtime(#[source] std::io::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Confirm(#[from] ConfirmError),
}

impl RegisterError {
    /// A flag's value is wrong (exit code 64).
    pub fn is_bad_flag_value(&self) -> bool {
        matches!(
            self,
            RegisterError::BadName(_)
                | RegisterError::BadRoleArn(_)
                | RegisterError::BadTag(_)
                | RegisterError::BadConsoleUser(_)
        )
    }

    /// Ctrl-C ended the run (after the rollback): exit 130.
    pub fn is_interrupted(&self) -> bool {
        match self {
            RegisterError::Interrupted => true,
            RegisterError::Apply { interrupted, .. } => *interrupted,
            RegisterError::Failed { source, .. } => source.is_interrupted(),
            _ => false,
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, RegisterError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(RegisterError::Runtime)
}

/// Registers `req.name` (see the module docs). Interrupting it (Ctrl-C) after the plan is
/// approved rolls back what the run created.
pub fn run(
    req: &RegisterRequest,
    obs: &dyn RegisterObserver,
) -> Result<RegisterOutcome, RegisterError> {
    runtime()?.block_on(run_with_interrupt(req, obs, async {
        let _ = tokio::signal::ctrl_c().await;
    }))
}

/// [`run`] with `interrupt` standing in for Ctrl-C.
pub async fn run_with_interrupt(
    req: &RegisterRequest,
    obs: &dyn RegisterObserver,
    interrupt: impl Future<Output = ()>,
) -> Result<RegisterOutcome, RegisterError> {
    tokio::pin!(interrupt);
    if !connector::valid_cluster_name(&req.name) {
        return Err(RegisterError::BadName(req.name.clone()));
    }
    if let Some(role) = &req.role_arn
        && arn::role_name(role).is_none()
    {
        return Err(RegisterError::BadRoleArn(role.clone()));
    }
    let mut extra_console = Vec::new();
    for user in &req.console_users {
        extra_console.push(arn::canonical_iam_arn(user).map_err(RegisterError::BadConsoleUser)?);
    }

    obs.begin("Loading AWS credentials and region");
    let client = Client::load(&req.aws).await?;
    obs.begin("Asking STS who the caller is");
    let caller = client.get_caller_identity().await?;
    let console_arn = arn::canonical_iam_arn(&caller.arn).map_err(RegisterError::Caller)?;
    obs.end(&format!(
        "Caller {} (account {}, region {})",
        caller.arn,
        caller.account,
        client.region()
    ));
    obs.begin(&format!(
        "Checking that {:?} is not registered yet",
        req.name
    ));
    let existing = client.describe_cluster(&req.name).await?;
    let replaces = match existing {
        Some(existing) if !req.refresh => {
            return Err(RegisterError::AlreadyRegistered {
                name: req.name.clone(),
                region: client.region().to_string(),
                status: existing.status.unwrap_or_else(|| "unknown".into()),
            });
        }
        Some(existing) => {
            let config = existing.connector_config.unwrap_or_default();
            let role_arn = match (&req.role_arn, config.role_arn) {
                (Some(arn), _) => arn.clone(),
                (None, Some(arn)) => arn,
                (None, None) => return Err(RegisterError::NoRoleToKeep(req.name.clone())),
            };
            let status = existing.status.unwrap_or_else(|| "unknown".into());
            obs.end(&format!(
                "{:?} is registered (status {status}): --refresh registers it again",
                req.name
            ));
            Some(Replaced {
                status,
                activation_expiry: config.activation_expiry.and_then(timestamp),
                role_arn,
            })
        }
        None => {
            obs.end(&format!(
                "No cluster named {:?} in {}",
                req.name,
                client.region()
            ));
            None
        }
    };

    // --apply needs a cluster: find out before anything is created that it can be reached.
    let kube = match &req.apply {
        Some(apply) => {
            obs.begin("Connecting to the kube context --apply uses");
            let kube = crate::kube::shared(&apply.kube)
                .await
                .map_err(RegisterError::ApplyTarget)?;
            let version = kube
                .server_version()
                .await
                .map_err(RegisterError::ApplyTarget)?;
            obs.end(&format!(
                "Kube context {} ({}, Kubernetes {})",
                kube.context(),
                kube.server(),
                version.git_version
            ));
            Some(kube)
        }
        None => None,
    };
    let mut plan = make_plan(req, &client, &caller, console_arn, extra_console, replaces);
    plan.apply_to = kube
        .as_ref()
        .map(|k| (k.context().to_string(), k.server().to_string()));
    if req.dry_run {
        return Ok(RegisterOutcome::Planned(plan));
    }
    if !obs.approve_register(&plan)? {
        return Ok(RegisterOutcome::Declined(plan));
    }
    manifests::prepare_dir(&plan.output_dir).map_err(|source| RegisterError::OutputDir {
        dir: plan.output_dir.clone(),
        source,
    })?;

    let created = std::sync::Mutex::new(None::<String>);
    let result = {
        let flow = execute(req, &plan, &client, obs, &created);
        tokio::pin!(flow);
        tokio::select! {
            r = &mut flow => r,
            () = &mut interrupt => Err(RegisterError::Interrupted),
        }
    };
    match result {
        Ok(done) => {
            let (cluster, role_arn, slr, attempts) = done;
            let (mut report, rendered, code) =
                finish(plan, &client, cluster, role_arn, slr, attempts, &created).await?;
            let (Some(apply), Some(kube)) = (&req.apply, &kube) else {
                return Ok(RegisterOutcome::Registered(report));
            };
            let name = report.plan.name.clone();
            let result = {
                let applying = apply_connector(&name, &client, kube, apply, &rendered, &code, obs);
                tokio::pin!(applying);
                tokio::select! {
                    r = &mut applying => r.map_err(|why| (why, false)),
                    () = &mut interrupt => Err(("Ctrl-C".to_string(), true)),
                }
            };
            match result {
                Ok(applied) => {
                    report.applied = Some(applied);
                    Ok(RegisterOutcome::Registered(report))
                }
                Err((why, interrupted)) => Err(RegisterError::Apply {
                    name: report.plan.name.clone(),
                    why,
                    expiry: report
                        .activation_expiry
                        .map_or_else(|| "see meshdeck register status".into(), |t| t.to_string()),
                    files: report
                        .files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                    interrupted,
                }),
            }
        }
        Err(e) => {
            let role = created.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let rollback = roll_back(&client, role.as_deref(), obs).await;
            Err(RegisterError::Failed {
                name: req.name.clone(),
                rollback,
                source: Box::new(e),
            })
        }
    }
}

fn make_plan(
    req: &RegisterRequest,
    client: &Client,
    caller: &CallerIdentity,
    console_arn: String,
    extra_console: Vec<String>,
    replaces: Option<Replaced>,
) -> RegisterPlan {
    let mut console_arns = vec![console_arn];
    for a in extra_console {
        if !console_arns.contains(&a) {
            console_arns.push(a);
        }
    }
    let role = match (&replaces, &req.role_arn) {
        (Some(old), _) => AgentRole::Existing(old.role_arn.clone()),
        (None, Some(arn)) => AgentRole::Existing(arn.clone()),
        (None, None) => AgentRole::Create(connector::new_role_name(jiff::Timestamp::now())),
    };
    let endpoint_overrides = [Service::Sts, Service::Iam, Service::Eks]
        .into_iter()
        .filter_map(|s| {
            let e = client.endpoint(s);
            (e.origin != "default").then(|| (s, e.url.to_string(), e.origin.clone()))
        })
        .collect();
    RegisterPlan {
        name: req.name.clone(),
        provider: req.provider,
        region: client.region().to_string(),
        account: caller.account.clone(),
        caller_arn: caller.arn.clone(),
        console_arns,
        role,
        output_dir: req.output_dir.clone(),
        files: FILE_NAMES.iter().map(|f| req.output_dir.join(f)).collect(),
        endpoint_overrides,
        images: req.images.clone(),
        replaces,
        apply_to: None,
    }
}

type Executed = (Cluster, String, SlrOutcome, u32);

/// The part of the run that changes AWS; `created` names the agent role once it may exist.
async fn execute(
    req: &RegisterRequest,
    plan: &RegisterPlan,
    client: &Client,
    obs: &dyn RegisterObserver,
    created: &std::sync::Mutex<Option<String>>,
) -> Result<Executed, RegisterError> {
    let deadline = Instant::now() + req.retry_timeout;
    if plan.replaces.is_some() {
        obs.begin(&format!(
            "Deregistering the old registration of {:?}",
            req.name
        ));
        match client.deregister_cluster(&req.name).await {
            Ok(_) => {}
            Err(AwsError::Api(e)) if e.code == "ResourceNotFoundException" => {}
            Err(e) => return Err(RegisterError::Aws(e)),
        }
        obs.end(&format!(
            "Deregistered the old registration of {:?}",
            req.name
        ));
    }
    obs.begin("Making sure the EKS Connector service-linked role exists");
    let slr = match client.create_service_linked_role(SLR_SERVICE).await {
        Ok(role) => {
            obs.end(&format!("Created the service-linked role {}", role.name));
            SlrOutcome::Created
        }
        Err(AwsError::Api(e))
            if e.code == "EntityAlreadyExists"
                || (e.code == "InvalidInput" && e.message.contains("has been taken")) =>
        {
            obs.end("The service-linked role exists");
            SlrOutcome::Existed
        }
        Err(AwsError::Api(e)) if e.is_access_denied() => {
            obs.warn(&format!(
                "not allowed to create the service-linked role for {SLR_SERVICE} ({}); \
                 EKS creates it itself at registration",
                e.code
            ));
            SlrOutcome::NotAllowed
        }
        Err(e) => return Err(RegisterError::Aws(e)),
    };

    let tags: BTreeMap<String, String> = req.tags.iter().cloned().collect();
    let role_arn = match &plan.role {
        AgentRole::Existing(arn) => arn.clone(),
        AgentRole::Create(name) => {
            obs.begin(&format!("Creating the agent role {name}"));
            let mut role_tags = vec![(OWNER_TAG.to_string(), req.name.clone())];
            role_tags.extend(req.tags.iter().cloned());
            let trust = connector::trust_policy();
            let description = format!(
                "EKS Connector agent role of cluster {}, created by meshdeck",
                req.name
            );
            // From here on the role may exist, even if the answer never arrives.
            *created.lock().unwrap_or_else(|p| p.into_inner()) = Some(name.clone());
            let role = client
                .create_role(&NewRole {
                    name,
                    assume_role_policy: &trust,
                    description: &description,
                    tags: &role_tags,
                })
                .await?;
            obs.begin_wait(&format!("Waiting for IAM to serve {name}"));
            let mut backoff = Backoff::default();
            loop {
                match client.get_role(name).await {
                    Ok(_) => break,
                    Err(AwsError::Api(e)) if e.code == "NoSuchEntity" => {
                        let delay = backoff.next_delay();
                        if Instant::now() + delay > deadline {
                            return Err(RegisterError::RoleWait { role: name.clone() });
                        }
                        obs.wait(&format!(
                            "IAM does not serve {name} yet; retrying in {}",
                            secs(delay)
                        ));
                        tokio::time::sleep(delay).await;
                    }
                    Err(e) => return Err(RegisterError::Aws(e)),
                }
            }
            client
                .put_role_policy(
                    name,
                    AGENT_POLICY_NAME,
                    &connector::agent_policy(client.partition()),
                )
                .await?;
            obs.end(&format!(
                "Created the agent role {} with policy {AGENT_POLICY_NAME}",
                role.arn
            ));
            role.arn
        }
    };

    obs.begin(&format!("Registering {:?} with EKS", req.name));
    let token = uuid::Uuid::new_v4().to_string();
    let registration = Registration {
        name: &req.name,
        provider: req.provider.as_str(),
        role_arn: &role_arn,
        client_request_token: &token,
        tags: &tags,
    };
    let mut backoff = Backoff::default();
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        match client.register_cluster(&registration).await {
            Ok(cluster) => {
                obs.end(&format!(
                    "Registered {:?} ({})",
                    req.name,
                    cluster.arn.as_deref().unwrap_or("no ARN in the answer")
                ));
                return Ok((cluster, role_arn, slr, attempts));
            }
            Err(e) => {
                let old_still_deleting = plan.replaces.is_some()
                    && e.api().is_some_and(|a| a.code == "ResourceInUseException");
                let reason = if old_still_deleting {
                    Some("EKS is still deleting the old registration".to_string())
                } else {
                    retry_reason(&e)
                };
                let Some(reason) = reason else {
                    return Err(RegisterError::Aws(e));
                };
                let delay = backoff.next_delay();
                let now = Instant::now();
                if now + delay > deadline {
                    return Err(RegisterError::RetryTimeout {
                        timeout: req.retry_timeout,
                        attempts,
                        last: e.to_string(),
                    });
                }
                let left = deadline.saturating_duration_since(now);
                obs.wait(&format!(
                    "RegisterCluster: {reason}; retrying in {} (attempt {}, {} left)",
                    secs(delay),
                    attempts + 1,
                    secs_whole(left)
                ));
                obs.begin(&format!("Registering {:?} with EKS: {reason}", req.name));
                tokio::time::sleep(delay).await;
            }
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

fn secs_whole(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

/// After RegisterCluster succeeded: render and write the manifests. If they cannot be written
/// the activation code would be lost, so the registration and the role are undone.
async fn finish(
    plan: RegisterPlan,
    client: &Client,
    cluster: Cluster,
    role_arn: String,
    slr: SlrOutcome,
    attempts: u32,
    created: &std::sync::Mutex<Option<String>>,
) -> Result<Finished, RegisterError> {
    let config = cluster.connector_config.clone().unwrap_or_default();
    let (Some(id), Some(code)) = (config.activation_id.clone(), config.activation_code.clone())
    else {
        let role = created.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let _ = client.deregister_cluster(&plan.name).await;
        let rollback = roll_back(client, role.as_deref(), &super::Unobserved).await;
        return Err(RegisterError::Failed {
            name: plan.name.clone(),
            rollback,
            source: Box::new(RegisterError::Aws(AwsError::Response {
                service: Service::Eks,
                operation: "RegisterCluster",
                why: "no activation id or code in the answer".into(),
            })),
        });
    };
    let rendered = manifests::render(&manifests::ManifestInputs {
        activation_id: &id,
        activation_code: &code,
        region: &plan.region,
        console_arns: &plan.console_arns,
        images: &plan.images,
    });
    let files = match manifests::write(&plan.output_dir, &rendered) {
        Ok(files) => files,
        Err(source) => {
            let role = created.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let mut rollback = Rollback::default();
            match client.deregister_cluster(&plan.name).await {
                Ok(_) => rollback
                    .removed
                    .push(format!("the registration of {:?}", plan.name)),
                Err(e) => rollback.left.push(format!(
                    "the registration of {:?} ({}): run meshdeck deregister --name {} --region {}",
                    plan.name, e, plan.name, plan.region
                )),
            }
            let r = roll_back(client, role.as_deref(), &super::Unobserved).await;
            rollback.removed.extend(r.removed);
            rollback.left.extend(r.left);
            return Err(RegisterError::Failed {
                name: plan.name.clone(),
                rollback,
                source: Box::new(RegisterError::OutputDir {
                    dir: plan.output_dir.clone(),
                    source,
                }),
            });
        }
    };
    let activation_expiry = config.activation_expiry.and_then(timestamp);
    let role_created = matches!(plan.role, AgentRole::Create(_));
    let report = Box::new(RegisterReport {
        cluster_arn: cluster.arn,
        status: cluster.status,
        activation_id: id,
        activation_expiry,
        role_arn,
        role_created,
        service_linked_role: slr,
        files,
        attempts,
        plan,
        applied: None,
    });
    Ok((report, rendered, code))
}

/// A registration with its manifests written: the report, and what `--apply` applies.
type Finished = (
    Box<RegisterReport>,
    manifests::ConnectorManifests,
    crate::aws::eks::ActivationCode,
);

/// `--apply`: server-side applies the rendered manifests (the files just written) in order,
/// waits for the connector StatefulSet, then polls DescribeCluster until EKS reports the
/// cluster ACTIVE. The error text is scrubbed of the activation code: a server may quote what
/// it was sent.
async fn apply_connector(
    name: &str,
    client: &Client,
    kube: &crate::kube::Kube,
    apply: &ApplyRequest,
    rendered: &manifests::ConnectorManifests,
    code: &crate::aws::eks::ActivationCode,
    obs: &dyn RegisterObserver,
) -> Result<ApplyReport, String> {
    use crate::kube::{ApplyOptions, ApplyOutcome};
    use crate::register::objects;
    let scrub = |text: String| objects::redact(&text, code);
    let mut all = Vec::new();
    for (file, text) in &rendered.files {
        all.extend(objects::parse(file, text).map_err(scrub)?);
    }
    // The objects are the connector's own: take over fields an earlier kubectl apply set.
    let options = ApplyOptions {
        force: true,
        ..ApplyOptions::default()
    };
    let mut applied = Vec::new();
    let mut stateful_set = None;
    for obj in &all {
        let what = objects::name_of(obj);
        obs.begin(&format!("Applying {what}"));
        let done = kube
            .apply(obj, &options)
            .await
            .map_err(|e| scrub(format!("applying {what}: {e}")))?;
        if done.object.resource.kind == "StatefulSet" {
            stateful_set = Some(done.object.clone());
        }
        let outcome = match done.outcome {
            ApplyOutcome::Created => "created",
            ApplyOutcome::Configured => "configured",
            ApplyOutcome::Unchanged => "unchanged",
        };
        applied.push((done.object.to_string(), outcome));
    }
    obs.end(&format!(
        "Applied {} objects to kube context {}",
        applied.len(),
        kube.context()
    ));
    let Some(sts) = stateful_set else {
        return Err("the manifests hold no StatefulSet to wait for".into());
    };
    obs.begin_wait(&format!(
        "Waiting for {sts} to be ready (up to {})",
        secs_whole(apply.ready_timeout)
    ));
    kube.wait_ready(std::slice::from_ref(&sts), apply.ready_timeout)
        .await
        .map_err(|e| scrub(format!("{e} (--ready-timeout)")))?;
    obs.end(&format!("{sts} is ready"));

    let deadline = Instant::now() + apply.active_timeout;
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(10));
    obs.begin_wait(&format!("Waiting for EKS to report {name:?} ACTIVE"));
    loop {
        let cluster = client
            .describe_cluster(name)
            .await
            .map_err(|e| format!("DescribeCluster: {e}"))?
            .ok_or_else(|| format!("{name:?} is no longer registered"))?;
        let status = cluster.status.unwrap_or_else(|| "unknown".into());
        match status.as_str() {
            "ACTIVE" => {
                obs.end(&format!("EKS reports {name:?} ACTIVE"));
                return Ok(ApplyReport {
                    context: kube.context().to_string(),
                    server: kube.server().to_string(),
                    objects: applied,
                    stateful_set: sts.to_string(),
                    status,
                });
            }
            "FAILED" => {
                return Err(format!(
                    "EKS reports {name:?} FAILED: the connector could not activate (see its \
                     connector-init logs: kubectl logs -n {CONNECTOR_NAMESPACE} {}-0 -c connector-init)",
                    sts.name
                ));
            }
            _ => {}
        }
        let delay = backoff.next_delay();
        let now = Instant::now();
        if now + delay > deadline {
            return Err(format!(
                "EKS did not report {name:?} ACTIVE within --active-timeout {} (status {status}); \
                 the connector runs: its agent needs outbound HTTPS to AWS Systems Manager",
                secs_whole(apply.active_timeout)
            ));
        }
        obs.wait(&format!(
            "EKS reports {name:?} {status}, not ACTIVE yet; asking again in {} ({} left)",
            secs(delay),
            secs_whole(deadline.saturating_duration_since(now))
        ));
        obs.begin(&format!(
            "Waiting for EKS to report {name:?} ACTIVE: status {status}"
        ));
        tokio::time::sleep(delay).await;
    }
}

/// Epoch seconds (with fractions) as a timestamp.
pub fn timestamp(epoch: f64) -> Option<jiff::Timestamp> {
    if !epoch.is_finite() {
        return None;
    }
    jiff::Timestamp::from_millisecond((epoch * 1000.0).round() as i64).ok()
}

/// Deletes the agent role this run created: its inline policy, then the role. A part that does
/// not exist was never created and is not reported.
async fn roll_back(client: &Client, role: Option<&str>, obs: &dyn RegisterObserver) -> Rollback {
    let mut rollback = Rollback::default();
    let Some(role) = role else {
        return rollback;
    };
    obs.begin(&format!("Removing the agent role {role} this run created"));
    let gone = |e: &AwsError| e.api().is_some_and(|a| a.code == "NoSuchEntity");
    match client.delete_role_policy(role, AGENT_POLICY_NAME).await {
        Ok(()) => rollback
            .removed
            .push(format!("policy {AGENT_POLICY_NAME} of IAM role {role}")),
        Err(e) if gone(&e) => {}
        Err(e) => rollback.left.push(format!(
            "policy {AGENT_POLICY_NAME} of IAM role {role} ({e}): run aws iam delete-role-policy \
             --role-name {role} --policy-name {AGENT_POLICY_NAME}"
        )),
    }
    match client.delete_role(role).await {
        Ok(()) => rollback.removed.push(format!("IAM role {role}")),
        Err(e) if gone(&e) => {}
        Err(e) => rollback.left.push(format!(
            "IAM role {role} ({e}): run aws iam delete-role --role-name {role}"
        )),
    }
    rollback
}

impl RegisterObserver for super::Unobserved {
    fn wait(&self, _: &str) {}
    fn warn(&self, _: &str) {}
    fn approve_register(&self, _: &RegisterPlan) -> Result<bool, ConfirmError> {
        Ok(false)
    }
    fn approve_deregister(&self, _: &DeregisterPlan) -> Result<bool, ConfirmError> {
        Ok(false)
    }
}

/// What to deregister.
#[derive(Clone, Debug)]
pub struct DeregisterRequest {
    pub aws: AwsOptions,
    pub name: String,
    /// `--delete-manifests`: also delete the connector's objects from this cluster.
    pub delete_manifests: Option<DeleteManifests>,
}

/// Which objects `--delete-manifests` deletes, and where.
#[derive(Clone, Debug)]
pub struct DeleteManifests {
    pub kube: crate::kube::ConnectOptions,
    /// Where `register` wrote the manifests (`--output-dir`); a file that is not there stands
    /// for the objects meshdeck's template of it creates.
    pub dir: PathBuf,
}

/// The in-cluster side of a deregistration.
#[derive(Clone, Debug)]
pub struct DeletePlan {
    pub context: String,
    pub server: String,
    /// Where the names came from: `DIR/eks-connector.yaml`, or `the template of X (no DIR/X)`.
    pub sources: Vec<String>,
    /// In the order they are deleted.
    pub objects: Vec<crate::kube::ObjectRef>,
}

/// What happened to one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeleteFate {
    Deleted,
    /// Deleted, but finalizers still hold it (a namespace being emptied).
    Terminating,
    /// It was not there.
    Absent,
    /// The delete failed, and why.
    Failed(String),
}

/// What a deregistration will do.
#[derive(Debug)]
pub struct DeregisterPlan {
    pub name: String,
    pub region: String,
    pub status: Option<String>,
    pub role_arn: Option<String>,
    pub delete: Option<DeletePlan>,
}

/// What happened to the agent role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleFate {
    /// meshdeck created it for this cluster (its tag says so) and deleted it.
    Deleted(String),
    /// Not meshdeck's for this cluster: kept.
    Kept(String),
    /// It no longer exists.
    Missing(String),
    /// The registration named no role.
    None,
}

#[derive(Debug)]
pub struct DeregisterReport {
    pub plan: DeregisterPlan,
    pub role: RoleFate,
    /// `--delete-manifests`: each object and what became of it.
    pub deleted: Vec<(String, DeleteFate)>,
}

#[derive(Debug)]
pub enum DeregisterOutcome {
    Declined(DeregisterPlan),
    Deregistered(DeregisterReport),
}

/// Deregisters `req.name`, then deletes the agent role if meshdeck created it for this cluster.
pub fn deregister(
    req: &DeregisterRequest,
    obs: &dyn RegisterObserver,
) -> Result<DeregisterOutcome, RegisterError> {
    runtime()?.block_on(deregister_async(req, obs))
}

async fn deregister_async(
    req: &DeregisterRequest,
    obs: &dyn RegisterObserver,
) -> Result<DeregisterOutcome, RegisterError> {
    obs.begin("Loading AWS credentials and region");
    let client = Client::load(&req.aws).await?;
    obs.begin(&format!("Looking up {:?}", req.name));
    let Some(cluster) = client.describe_cluster(&req.name).await? else {
        return Err(RegisterError::NotRegistered {
            name: req.name.clone(),
            region: client.region().to_string(),
        });
    };
    // Everything --delete-manifests needs is read (and the cluster reached) before anything
    // changes.
    let (kube, delete) = match &req.delete_manifests {
        Some(d) => {
            let (kube, plan) = plan_delete(d, obs).await?;
            (Some(kube), Some(plan))
        }
        None => (None, None),
    };
    let plan = DeregisterPlan {
        name: req.name.clone(),
        region: client.region().to_string(),
        status: cluster.status.clone(),
        role_arn: cluster.connector_config.and_then(|c| c.role_arn),
        delete,
    };
    if !obs.approve_deregister(&plan)? {
        return Ok(DeregisterOutcome::Declined(plan));
    }
    obs.begin(&format!("Deregistering {:?}", req.name));
    match client.deregister_cluster(&req.name).await {
        Ok(_) => {}
        Err(AwsError::Api(e)) if e.code == "ResourceNotFoundException" => {
            return Err(RegisterError::NotRegistered {
                name: req.name.clone(),
                region: client.region().to_string(),
            });
        }
        Err(e) => return Err(RegisterError::Aws(e)),
    }
    obs.end(&format!("Deregistered {:?}", req.name));
    let role = match plan.role_arn.as_deref().and_then(arn::role_name) {
        None => RoleFate::None,
        Some(name) => {
            obs.begin(&format!("Checking who owns the agent role {name}"));
            match client.get_role(name).await {
                Err(AwsError::Api(e)) if e.code == "NoSuchEntity" => RoleFate::Missing(name.into()),
                Err(e) => return Err(RegisterError::Aws(e)),
                Ok(role) if role.tag(OWNER_TAG) == Some(req.name.as_str()) => {
                    obs.begin(&format!("Deleting the agent role {name}"));
                    match client.delete_role_policy(name, AGENT_POLICY_NAME).await {
                        Ok(()) => {}
                        Err(AwsError::Api(e)) if e.code == "NoSuchEntity" => {}
                        Err(e) => return Err(RegisterError::Aws(e)),
                    }
                    client.delete_role(name).await?;
                    obs.end(&format!("Deleted the agent role {name} and its policy"));
                    RoleFate::Deleted(name.into())
                }
                Ok(role) => RoleFate::Kept(role.arn),
            }
        }
    };
    let mut deleted = Vec::new();
    if let (Some(kube), Some(delete)) = (&kube, &plan.delete) {
        use crate::kube::{Deleted, Propagation};
        obs.begin(&format!(
            "Deleting the connector's objects from kube context {}",
            delete.context
        ));
        for obj in &delete.objects {
            obs.begin(&format!("Deleting {obj}"));
            let fate = match kube.delete(obj, Propagation::Background).await {
                Ok(Deleted::Gone) => DeleteFate::Deleted,
                Ok(Deleted::Terminating(_)) => DeleteFate::Terminating,
                Ok(Deleted::Absent) => DeleteFate::Absent,
                Err(e) => DeleteFate::Failed(e.to_string()),
            };
            deleted.push((obj.to_string(), fate));
        }
        let gone = deleted
            .iter()
            .filter(|(_, f)| matches!(f, DeleteFate::Deleted | DeleteFate::Terminating))
            .count();
        obs.end(&format!(
            "Deleted {gone} of the connector's {} objects",
            deleted.len()
        ));
    }
    Ok(DeregisterOutcome::Deregistered(DeregisterReport {
        plan,
        role,
        deleted,
    }))
}

/// Connects to the cluster and names the objects to delete: from the files in `d.dir`, or from
/// meshdeck's templates for a file that is not there, in delete order.
async fn plan_delete(
    d: &DeleteManifests,
    obs: &dyn RegisterObserver,
) -> Result<(crate::kube::Kube, DeletePlan), RegisterError> {
    use crate::register::objects;
    obs.begin("Reading the connector manifests");
    let templates = objects::template_objects();
    let mut names = Vec::new();
    let mut sources = Vec::new();
    for (file, from_template) in templates {
        let path = d.dir.join(file);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let parsed = objects::parse(&path.display().to_string(), &text)
                    .map_err(RegisterError::ManifestFile)?;
                names.extend(parsed.iter().map(objects::name_of));
                sources.push(path.display().to_string());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                names.extend(from_template);
                sources.push(format!(
                    "the names of meshdeck's {file} (no {})",
                    path.display()
                ));
            }
            Err(e) => {
                return Err(RegisterError::ManifestFile(format!(
                    "{}: {e}",
                    path.display()
                )));
            }
        }
    }
    obs.begin("Connecting to the kube context --delete-manifests uses");
    let kube = crate::kube::shared(&d.kube)
        .await
        .map_err(RegisterError::DeleteTarget)?;
    let mut refs = Vec::new();
    for n in objects::delete_order(&names) {
        let r = kube
            .object(&n.api_version, &n.kind, n.namespace.as_deref(), &n.name)
            .await
            .map_err(RegisterError::DeleteTarget)?;
        refs.push(r);
    }
    obs.end(&format!(
        "{} objects to delete from kube context {}",
        refs.len(),
        kube.context()
    ));
    let plan = DeletePlan {
        context: kube.context().to_string(),
        server: kube.server().to_string(),
        sources,
        objects: refs,
    };
    Ok((kube, plan))
}

/// What `register status` looks up.
#[derive(Clone, Debug)]
pub struct StatusRequest {
    pub aws: AwsOptions,
    pub name: String,
    /// The cluster whose connector pods are shown (the kubeconfig's current context unless
    /// `--kubeconfig`/`--context` say otherwise).
    pub kube: crate::source::cluster::Target,
}

/// The namespace and label of the connector's pods (fixed by the manifests).
pub const CONNECTOR_NAMESPACE: &str = "eks-connector";
const CONNECTOR_SELECTOR: &str = "app=eks-connector";

/// One connector pod.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorPod {
    pub name: String,
    pub phase: String,
    /// Ready containers.
    pub ready: usize,
    pub containers: usize,
    pub restarts: i32,
    /// Why a container (init containers first) is waiting or failed, e.g. `CrashLoopBackOff`.
    pub problem: Option<String>,
}

/// The connector pods, or why they could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectorPods {
    Listed(Vec<ConnectorPod>),
    Unavailable(String),
}

/// A registration as EKS describes it.
#[derive(Clone, Debug)]
pub struct RegistrationStatus {
    pub name: String,
    pub region: String,
    pub arn: Option<String>,
    pub status: Option<String>,
    pub provider: Option<String>,
    pub role_arn: Option<String>,
    pub created_at: Option<jiff::Timestamp>,
    pub activation_expiry: Option<jiff::Timestamp>,
    /// The activation expired and the connector never connected (status PENDING or FAILED):
    /// only registering again helps (`--refresh`).
    pub expired_unconnected: bool,
    pub pods: ConnectorPods,
}

fn summarise(pod: &k8s_openapi::api::core::v1::Pod) -> ConnectorPod {
    let status = pod.status.clone().unwrap_or_default();
    let containers = pod.spec.as_ref().map_or(0, |s| s.containers.len());
    let statuses = status.container_statuses.clone().unwrap_or_default();
    let init = status.init_container_statuses.clone().unwrap_or_default();
    let problem = init.iter().chain(statuses.iter()).find_map(|c| {
        let state = c.state.as_ref()?;
        if let Some(w) = &state.waiting {
            return w.reason.clone();
        }
        state
            .terminated
            .as_ref()
            .filter(|t| t.exit_code != 0)
            .map(|t| {
                t.reason
                    .clone()
                    .unwrap_or_else(|| format!("exit code {}", t.exit_code))
            })
    });
    ConnectorPod {
        name: pod.metadata.name.clone().unwrap_or_default(),
        phase: status.phase.clone().unwrap_or_else(|| "Unknown".into()),
        ready: statuses.iter().filter(|c| c.ready).count(),
        containers,
        restarts: init
            .iter()
            .chain(statuses.iter())
            .map(|c| c.restart_count)
            .sum(),
        problem,
    }
}

/// The connector pods of the kube context, if it can be read.
async fn connector_pods(target: &crate::source::cluster::Target) -> ConnectorPods {
    use kube::api::{Api, ListParams};
    let timeout = Duration::from_secs(10);
    let client = match crate::source::cluster::connect(target, timeout).await {
        Ok(c) => c,
        Err(e) => return ConnectorPods::Unavailable(e.to_string()),
    };
    let api: Api<k8s_openapi::api::core::v1::Pod> =
        Api::namespaced(client.client().clone(), CONNECTOR_NAMESPACE);
    let listed = tokio::time::timeout(
        timeout,
        api.list(&ListParams::default().labels(CONNECTOR_SELECTOR)),
    )
    .await;
    match listed {
        Ok(Ok(list)) => ConnectorPods::Listed(list.items.iter().map(summarise).collect()),
        Ok(Err(e)) => ConnectorPods::Unavailable(format!("{}: {e}", client.server())),
        Err(_) => ConnectorPods::Unavailable(format!(
            "{} did not answer within {}s",
            client.server(),
            timeout.as_secs()
        )),
    }
}

/// Whether an activation expired before the connector connected.
pub fn expired_unconnected(
    status: Option<&str>,
    expiry: Option<jiff::Timestamp>,
    now: jiff::Timestamp,
) -> bool {
    matches!(status, Some("PENDING" | "FAILED")) && expiry.is_some_and(|e| e <= now)
}

/// Looks up `req.name`'s registration (DescribeCluster).
pub fn status(
    req: &StatusRequest,
    obs: &dyn RegisterObserver,
) -> Result<RegistrationStatus, RegisterError> {
    runtime()?.block_on(async {
        obs.begin("Loading AWS credentials and region");
        let client = Client::load(&req.aws).await?;
        obs.begin(&format!("Looking up {:?}", req.name));
        let Some(cluster) = client.describe_cluster(&req.name).await? else {
            return Err(RegisterError::NotRegistered {
                name: req.name.clone(),
                region: client.region().to_string(),
            });
        };
        let config = cluster.connector_config.unwrap_or_default();
        let activation_expiry = config.activation_expiry.and_then(timestamp);
        obs.begin("Reading the connector pods of the current kube context");
        let pods = connector_pods(&req.kube).await;
        Ok(RegistrationStatus {
            pods,
            expired_unconnected: expired_unconnected(
                cluster.status.as_deref(),
                activation_expiry,
                jiff::Timestamp::now(),
            ),
            name: cluster.name,
            region: client.region().to_string(),
            arn: cluster.arn,
            status: cluster.status,
            provider: config.provider,
            role_arn: config.role_arn,
            created_at: cluster.created_at.and_then(timestamp),
            activation_expiry,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_expired_activation_that_never_connected_needs_a_refresh() {
        let now: jiff::Timestamp = "2026-12-01T20:00:00Z".parse().unwrap();
        let past = Some("2026-11-30T20:00:00Z".parse().unwrap());
        let future = Some("2026-12-02T20:00:00Z".parse().unwrap());
        assert!(expired_unconnected(Some("PENDING"), past, now));
        assert!(expired_unconnected(Some("FAILED"), past, now));
        assert!(!expired_unconnected(Some("ACTIVE"), past, now));
        assert!(!expired_unconnected(Some("PENDING"), future, now));
        assert!(!expired_unconnected(Some("PENDING"), None, now));
    }

    #[test]
    fn epoch_seconds_with_fractions() {
        let t = timestamp(1627672543.5).unwrap();
        assert_eq!(t.to_string(), "2021-07-30T19:15:43.5Z");
        assert!(timestamp(f64::NAN).is_none());
    }

    #[test]
    fn a_rollback_says_what_it_removed_and_what_it_could_not() {
        assert_eq!(
            Rollback::default().to_string(),
            "nothing had been created, nothing was removed"
        );
        let r = Rollback {
            removed: vec!["IAM role r".into()],
            left: vec!["policy p (denied): run aws iam delete-role-policy".into()],
        };
        assert_eq!(
            r.to_string(),
            "removed what this run created: IAM role r; could not remove: policy p (denied): run aws iam delete-role-policy"
        );
    }
}
