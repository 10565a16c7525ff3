//! Every command and flag of meshdeck, declared once. `--help`, the man pages and the shell
//! completions are all generated from these definitions.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// The version line: the crate version and, when built from a checkout, the git revision.
pub const VERSION: &str = env!("MESHDECK_VERSION");

#[derive(Debug, Parser)]
#[command(
    name = "meshdeck",
    version = VERSION,
    about = "Lint, install, inspect and shift service-mesh configuration on Kubernetes",
    long_about = "meshdeck is a command-line tool for people who run service meshes on Kubernetes.\n\n\
        It checks Istio, Gateway API and Kubernetes configuration with istioctl's analyzer codes \
        and semantics, from files, stdin, URLs or a live cluster, with precise file:line:column \
        diagnostics and CI-grade output formats and exit codes.",
    after_help = crate::exit::help_text()
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts, the same way, before or after the command name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then
    /// ~/.kube/config)
    #[arg(short = 'c', long, global = true, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use (default: the current context)
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// The namespace to work in. Cluster commands default to the kubeconfig context's namespace,
    /// as kubectl does; for `analyze` of files it narrows the report (every namespace of the
    /// input is reported by default) and is given to resources that have none (default:
    /// "default")
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Namespace of the Istio control plane
    #[arg(
        short = 'i',
        long = "istioNamespace",
        alias = "istio-namespace",
        global = true,
        default_value = "istio-system",
        value_name = "NAMESPACE"
    )]
    pub istio_namespace: String,

    /// Print only errors and the data asked for (no notes, warnings, progress or summaries)
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,

    /// Answer yes to every confirmation (never prompts; without a terminal, commands that
    /// need confirmation stop unless this is given)
    #[arg(short = 'y', long, alias = "skip-confirmation", global = true)]
    pub yes: bool,

    /// Say more: which analyzers ran and were skipped, and why
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,

    /// When to colour output: auto (a terminal without NO_COLOR), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(flatten)]
    pub connect: ConnectFlags,
}

/// How to authenticate to and wait on the API server, as kubectl's flags of the same names.
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct ConnectFlags {
    /// Username to impersonate for the operation (kubectl's --as)
    #[arg(long = "as", global = true, value_name = "USER")]
    pub as_user: Option<String>,

    /// Group to impersonate for the operation (repeatable; kubectl's --as-group)
    #[arg(long = "as-group", global = true, value_name = "GROUP")]
    pub as_groups: Vec<String>,

    /// Bound on each request to the API server (e.g. 10s; 0 waits forever)
    #[arg(long, global = true, value_parser = parse_duration, value_name = "DURATION")]
    pub request_timeout: Option<Duration>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint mesh configuration from files, stdin, URLs or a live cluster
    #[command(
        long_about = "Lint mesh configuration (Istio networking and security, Gateway API, plain \
            Kubernetes) with istioctl's analyzers and message codes.\n\n\
            PATHS may be files, directories (read recursively: .yaml, .yml, .json), - for stdin, \
            or http(s):// URLs. Multi-document YAML, JSON and `kind: List` are read. Without \
            PATHS the cluster of the current kubeconfig context is analyzed; with PATHS and \
            --use-kube the files are laid over the cluster's objects.",
        after_help = format!("Examples:\n  \
            meshdeck analyze samples/bookinfo/\n  \
            meshdeck analyze -o json gateway.yaml service.yaml\n  \
            kubectl get gateway -A -o yaml | meshdeck analyze -\n  \
            meshdeck analyze -n bookinfo\n  \
            meshdeck analyze --use-kube fixed-gateway.yaml\n  \
            meshdeck analyze -o sarif --skip-analyzer injection.ImageAnalyzer deploy/ > results.sarif\n  \
            meshdeck analyze --explain IST0162\n\n{}", crate::exit::help_text())
    )]
    Analyze(Box<AnalyzeArgs>),

    /// Connect a cluster to the Amazon EKS console (EKS Connector)
    #[command(
        long_about = "Register any Kubernetes cluster (EKS Anywhere, kind, k3s, GKE, ...) with the \
            Amazon EKS console through the EKS Connector, as `eksctl register cluster` does.\n\n\
            Asks STS who you are and checks that the name is free, shows the plan and asks before \
            creating anything; then makes sure the EKS Connector service-linked role exists, \
            creates the agent role (unless --role-arn), and calls RegisterCluster, retrying while \
            AWS propagates new roles, throttles or fails (until --retry-timeout). If anything \
            after that fails, times out or is interrupted, the role this run created is deleted \
            again (Ctrl-C exits 130). The three connector manifests are written (mode 0600) to \
            --output-dir: apply them to the cluster before the activation expires, or pass \
            --apply to have meshdeck apply them to the current kube context (server-side), wait \
            for the connector StatefulSet (--ready-timeout) and for EKS to report the cluster \
            ACTIVE (--active-timeout).\n\n\
            Credentials and region are resolved as the AWS CLI does (--profile, --region, AWS_* \
            variables, ~/.aws/config and credentials, SSO, assume-role, credential_process, web \
            identity). Endpoints: --endpoint-url, or AWS_ENDPOINT_URL_EKS / _IAM / _STS, or \
            AWS_ENDPOINT_URL.",
        after_help = format!("Examples:\n  \
            meshdeck register --name homelab --provider eks_anywhere --region eu-west-1\n  \
            meshdeck register --name lab --provider other --dry-run\n  \
            meshdeck register --name lab --provider other -y -o json\n  \
            meshdeck register --name lab --provider other -y --apply --context lab\n  \
            meshdeck register --name lab --provider gke \\\n      --console-user arn:aws:iam::111122223333:role/Ops\n  \
            meshdeck register status --name lab\n  \
            meshdeck register --name lab --provider other --refresh -y\n\n{}",
            crate::exit::help_text()),
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true
    )]
    Register(Box<RegisterArgs>),

    /// Disconnect a cluster from the Amazon EKS console and delete the agent role meshdeck made
    #[command(
        long_about = "Deregister a cluster registered with the EKS Connector (DeregisterCluster), \
            then delete its agent role if meshdeck created it for this cluster (the role's \
            meshdeck.io/cluster-name tag says so); any other role is kept. Asks first (-y to \
            skip). With --delete-manifests it also deletes the connector's objects from the \
            current kube context (those of the manifests in --output-dir, or the names \
            meshdeck's templates give) and says what it deleted; without it they stay in the \
            cluster: delete them with kubectl delete -f on the three manifests.",
        after_help = format!("Examples:\n  \
            meshdeck deregister --name lab --region eu-west-1\n  \
            meshdeck deregister --name lab -y\n  \
            meshdeck deregister --name lab -y --delete-manifests --output-dir ./lab\n\n{}",
            crate::exit::help_text())
    )]
    Deregister(DeregisterArgs),

    /// Open an addon's UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up
    #[command(
        visible_alias = "dash",
        long_about = "Open a mesh addon's web UI through a port-forward to one of its pods, as \
            istioctl dashboard does, and keep the tunnel up.\n\n\
            NAMES are kiali, grafana, prometheus, jaeger, zipkin, skywalking, controlz, \
            istiod-debug and proxy (Envoy's admin page; give it POD[.NS] or deploy/NAME[.NS]). \
            Several names open several dashboards at once, each on its own port. Without NAMES, \
            a table shows which dashboards this cluster has and whether they are ready.\n\n\
            The pod is the newest Running and Ready one, searched for in the Istio namespace \
            (-i) and then in -n. Each local connection gets its own port-forward; the UI's \
            health endpoint is checked through the tunnel before it is announced. When the pod \
            goes away or a forward breaks, a new ready pod is chosen and the tunnel reconnects \
            with backoff. SIGINT and SIGTERM close the listeners and exit 0.",
        after_help = format!("Examples:\n  \
            meshdeck dashboard\n  \
            meshdeck dashboard kiali\n  \
            meshdeck dashboard kiali grafana --browser=false\n  \
            meshdeck dashboard proxy deploy/productpage-v1 -n bookinfo\n  \
            meshdeck dashboard prometheus -p 9091 -o json\n\n{}", crate::exit::help_text())
    )]
    Dashboard(Box<DashboardArgs>),
    /// Shift a Service's traffic between its versions, show the split, or undo meshdeck's changes
    #[command(
        name = "traffic-shift",
        long_about = "Shift a Service's traffic between its versions: the values of the `version` \
            label (--version-label) of its Pods and of the pod templates of the Deployments, \
            StatefulSets and ReplicaSets it selects.\n\n\
            With Istio, meshdeck writes a DestinationRule with a subset per version and a \
            weighted default route in the VirtualService of the Service's host, the shape Kiali's \
            wizard creates, or merges into the ones that exist: only the destinations of the \
            match-less default route change; other routes, retries, timeouts, faults, subsets and \
            traffic policies stay as they were. Changes are applied with server-side apply as \
            field manager meshdeck; the spec from before meshdeck's first change is kept in an \
            annotation for --reset.\n\n\
            Before anything is applied, the result is analyzed together with the cluster's \
            objects by meshdeck's analyzers (as meshdeck analyze does): an error the change \
            brings, or one on an object it writes (a subset that selects no pods, a \
            destination host that does not exist), stops it unless --force is given; warnings \
            are printed.\n\n\
            With --prometheus, --show also prints the observed share of requests per version \
            over --window (rate of istio_requests_total as the destination proxies report \
            it, by destination_version), next to the configured weight.\n\n\
            With --step, the split moves from the current one to --to in steps of at most \
            that many points, --interval apart. After each step, the versions gaining traffic \
            are checked in Prometheus: their share of 5xx answers (--max-error-rate) and \
            their 99th-percentile request duration (--max-p99). On a breach, or when the gate \
            cannot be read, the objects are put back as they were before the rollout and the \
            exit code is 80. Ctrl-C during a rollout leaves the last applied step, says how to \
            resume (the same command again) or undo, and exits 130.",
        after_help = format!("Examples:\n  \
            meshdeck traffic-shift reviews -n bookinfo --to v2=80,v3=20\n  \
            meshdeck traffic-shift reviews -n bookinfo --to v3 --dry-run\n  \
            meshdeck traffic-shift reviews -n bookinfo --show\n  \
            meshdeck traffic-shift reviews -n bookinfo --show --prometheus http://127.0.0.1:9090 --window 10m\n  \
            meshdeck traffic-shift reviews -n bookinfo --to v3 --step 10 --interval 1m \\\n      \
            --prometheus http://127.0.0.1:9090 --max-error-rate 1% --max-p99 500ms -y\n  \
            meshdeck traffic-shift reviews -n bookinfo --interactive\n  \
            meshdeck traffic-shift -n bookinfo --interactive   # pick the Service too\n  \
            meshdeck traffic-shift reviews -n bookinfo --reset -y\n\n{}", crate::exit::help_text())
    )]
    TrafficShift(Box<TrafficShiftArgs>),

    /// Render Istio's manifests as istioctl does (manifest generate)
    #[command(subcommand, disable_version_flag = true)]
    Manifest(ManifestCommand),

    /// Install Istio into the cluster (server-side apply, waits until it is ready, prunes)
    #[command(
        disable_version_flag = true,
        long_about = "Render Istio for the given profile, -f files and --set flags, exactly as \
            istioctl install does, and apply it with server-side apply (field manager meshdeck): \
            Istio core first, then Istiod and CNI, then the gateways and ztunnel, the components \
            of one step in parallel, each waited for until it is ready (--readiness-timeout). \
            Every object gets meshdeck's ownership labels (install.meshdeck.io/owned-by, \
            /revision, /component); after a successful install, objects of the revision that \
            meshdeck installed before and no longer renders are deleted (never CRDs). A second \
            identical install changes nothing and says so.\n\n\
            Before anything is applied, prechecks run and every problem they find is listed \
            at once, each with what to do: the server's version against the range the release \
            supports; the permissions the render needs (SelfSubjectAccessReview for each verb, \
            kind and namespace: every missing one is named); injector webhooks of another \
            installation that select the same pods; another Istio revision in the cluster (a \
            warning: revisions run side by side); and meshdeck analyze over the rendered \
            objects together with the cluster, whose Error-level findings stop the install. \
            --force goes on despite the server version, overlapping webhooks and analyze \
            errors (each is printed), never despite missing permissions. Objects istioctl \
            installed (field manager istio-operator, istioctl's operator labels) are taken over \
            only with --adopt, which says how many of which kinds it takes; without it the \
            install stops and names them. Where the server cannot hold what the release renders, meshdeck \
            adapts the objects and prints what it changed: CEL rules stripped from CRDs, \
            autoscaling/v2beta2 and policy/v1beta1 where v2 and v1 are not served. Asks before \
            applying (-y to skip; without a terminal it refuses unless -y is given). With \
            --dry-run nothing is sent to a cluster: the objects are printed.\n\n\
            Ctrl-C (SIGINT) or SIGTERM stops the install at once (exit 130), and an API server \
            that stops answering for 30s ends it (exit 1); either way it says which components \
            were installed and which were in progress. What was applied stays: the same command \
            run again converges, and meshdeck uninstall -r REV undoes it.",
        after_help = format!("Examples:\n  \
            meshdeck install --set profile=demo -d istio-1.30.3/manifests\n  \
            meshdeck install -f my-operator.yaml -y -o json\n  \
            meshdeck install --adopt -y   # take over a mesh istioctl installed\n  \
            meshdeck install --dry-run --set profile=demo -d istio-1.30.3/manifests\n  \
            meshdeck install addons -d istio-1.30.3/manifests -y\n  \
            meshdeck install addons kiali prometheus loki\n  \
            meshdeck install sample bookinfo --gateway --destination-rules\n\n{}", crate::exit::help_text()),
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true
    )]
    Install(Box<InstallArgs>),

    /// Remove what meshdeck installed (owned objects only; CRDs only with --purge)
    #[command(
        disable_version_flag = true,
        long_about = "Delete the objects meshdeck installed for a revision (those carrying its \
            ownership labels; nothing else is touched). The CRDs stay, and with them every \
            custom resource, unless --purge is given: then the CRDs meshdeck installed go too, \
            after a second confirmation that says how many custom resources are lost with them. \
            Asks first (-y to skip). Ctrl-C (SIGINT) or SIGTERM stops it between two deletes \
            (exit 130) and says how many objects were deleted; run it again to finish.",
        after_help = format!("Examples:\n  \
            meshdeck uninstall\n  \
            meshdeck uninstall --revision canary -y\n  \
            meshdeck uninstall --purge\n  \
            meshdeck uninstall addons\n  \
            meshdeck uninstall sample bookinfo -y\n\n{}", crate::exit::help_text()),
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true
    )]
    Uninstall(UninstallArgs),

    /// Check that everything install would apply exists, matches and is ready
    #[command(
        name = "verify-install",
        disable_version_flag = true,
        long_about = "Render Istio with the same -f files, --set flags and revision as the \
            install, and check every object in the cluster: it exists, a server-side dry-run \
            apply of it would change nothing (so it is as meshdeck applied it, ownership labels \
            included), and it is ready. Prints a table of the objects that are not, and exits 1 \
            when there is any.",
        after_help = format!("Examples:\n  \
            meshdeck verify-install --set profile=demo -d istio-1.30.3/manifests\n  \
            meshdeck verify-install -f my-operator.yaml\n\n{}", crate::exit::help_text())
    )]
    VerifyInstall(Box<VerifyInstallArgs>),

    /// List, show and compare Istio's configuration profiles
    #[command(subcommand, disable_version_flag = true)]
    Profile(ProfileCommand),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The backends of `traffic-shift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShiftBackend {
    /// Istio: DestinationRule subsets and a weighted VirtualService route
    Istio,
    /// Gateway API (GAMMA): an HTTPRoute whose parentRef is the Service
    GatewayApi,
    /// AWS App Mesh: VirtualService -> VirtualRouter -> weighted VirtualNodes
    Appmesh,
}

/// Output formats of `traffic-shift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShiftOutput {
    /// A table (--show) or a unified diff (--dry-run)
    Text,
    /// The split (--show), the objects that would be written (--dry-run) or the rollout's report
    /// (--step) as JSON
    Json,
    /// The split (--show), the objects that would be written (--dry-run) or the rollout's report
    /// (--step) as YAML
    Yaml,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("action").required(true).args(["to", "show", "reset", "interactive"])))]
pub struct TrafficShiftArgs {
    /// The Service whose traffic is shifted (with --interactive it can be left out and picked
    /// from the namespace's Services)
    #[arg(value_name = "SERVICE", required_unless_present = "interactive")]
    pub service: Option<String>,

    /// The new split: VERSION=WEIGHT,... with whole weights summing to 100 (v2=80,v3=20), or one
    /// VERSION for all of it. Versions not named leave the route; their subsets stay
    #[arg(long, value_name = "SPLIT")]
    pub to: Option<String>,

    /// Show the split as configured, per version, with the workloads' ready replicas
    #[arg(long)]
    pub show: bool,

    /// Restore the spec from before meshdeck's first change, and delete the objects meshdeck
    /// created (never objects it did not create)
    #[arg(long)]
    pub reset: bool,

    /// The workload label whose values are versions
    #[arg(long, default_value = "version", value_name = "LABEL")]
    pub version_label: String,

    /// Route versions that no workload has yet (ahead of a rollout)
    #[arg(long)]
    pub allow_missing: bool,

    /// The route to edit (spec.http[].name or spec.tcp[].name) when several have no match
    #[arg(long, value_name = "NAME")]
    pub route: Option<String>,

    /// The VirtualService to edit when several name the Service's host
    #[arg(long, value_name = "NAME")]
    pub virtual_service: Option<String>,

    /// Print what would change (a diff; -o yaml or json for the objects) and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Take over fields another field manager owns (spec.http of a VirtualService written with
    /// kubectl, for instance) instead of stopping
    #[arg(long)]
    pub force_conflicts: bool,

    /// The mesh API to write: istio (DestinationRule + VirtualService), gateway-api (an
    /// HTTPRoute attached to the Service over per-version Services) or appmesh (a VirtualRouter
    /// weighting VirtualNodes). Default: istio when its CRDs are installed, else the one that is
    #[arg(long, value_enum, value_name = "BACKEND")]
    pub backend: Option<ShiftBackend>,

    /// Gateway API: the HTTPRoute to edit when several are attached to the Service
    #[arg(long, value_name = "NAME")]
    pub http_route: Option<String>,

    /// Gateway API: create the missing per-version Services (SERVICE-VERSION, the Service's
    /// selector plus the version label, its ports)
    #[arg(long)]
    pub create_version_services: bool,

    /// Pick the versions and their weights at prompts (on a terminal only), then see the diff
    /// and confirm (-y skips the confirmation)
    #[arg(long)]
    pub interactive: bool,

    /// Apply even when the analysis of the result (with the cluster's objects) finds errors,
    /// such as a subset that selects no pods
    #[arg(long)]
    pub force: bool,

    /// Prometheus' base URL, for the observed split (--show) and the metric gate of a stepped
    /// rollout (default for --show: the prometheus Service's pod in the Istio namespace, through
    /// a port-forward, when there is one)
    #[arg(long, value_name = "URL", value_hint = clap::ValueHint::Url)]
    pub prometheus: Option<String>,

    /// The window of the observed split's request rates (--show, default 5m); for the metric
    /// gate, the window of each check (default: --interval)
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub window: Option<Duration>,

    /// Roll out in steps: move at most this many percentage points per step from the current
    /// split to --to, checking the metric gate after each
    #[arg(long, requires = "to", value_parser = clap::value_parser!(u32).range(1..=100), value_name = "POINTS")]
    pub step: Option<u32>,

    /// How long to wait after each step before checking the gate and taking the next step
    #[arg(long, requires = "step", value_parser = parse_duration, default_value = "60s", value_name = "DURATION")]
    pub interval: Duration,

    /// Roll back when the share of 5xx answers of a version gaining traffic goes over this
    /// (1%, 0.5%); needs --prometheus
    #[arg(long, requires_all = ["step", "prometheus"], value_parser = parse_error_rate, value_name = "PERCENT")]
    pub max_error_rate: Option<f64>,

    /// Roll back when the 99th-percentile request duration of a version gaining traffic goes
    /// over this (500ms, 1s); needs --prometheus
    #[arg(long, requires_all = ["step", "prometheus"], value_parser = parse_duration, value_name = "DURATION")]
    pub max_p99: Option<Duration>,

    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = ShiftOutput::Text, value_name = "FORMAT")]
    pub output: ShiftOutput,
}

/// Output formats of `analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One line per message, with source snippets on a terminal
    Log,
    /// A JSON array with istioctl's keys plus file, line, column, field and analyzer
    Json,
    /// The JSON objects as YAML
    Yaml,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// GitHub Actions workflow commands (annotations on the changed files)
    Github,
    /// JUnit XML for CI test-report views: one test case per analyzed object
    Junit,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Files, directories, - for stdin, or http(s):// URLs
    #[arg(value_name = "PATHS", value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<String>,

    /// Report messages from every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Output format (default: the config file's `output`, else log)
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// The lowest message level that makes the exit code 79 (default: the config file's, else
    /// Error)
    #[arg(long, value_parser = parse_level, value_name = "LEVEL")]
    pub failure_threshold: Option<crate::analyze::Level>,

    /// The lowest message level that is printed (default: the config file's, else Info)
    #[arg(long, value_parser = parse_level, value_name = "LEVEL")]
    pub output_threshold: Option<crate::analyze::Level>,

    /// Run only this analyzer (repeatable; see --list-analyzers)
    #[arg(long = "analyzer", value_name = "NAME")]
    pub analyzers: Vec<String>,

    /// Run every analyzer but this one (repeatable; see --list-analyzers). Replaces the config
    /// file's skipAnalyzers, e.g. --skip-analyzer injection.ImageAnalyzer
    #[arg(long = "skip-analyzer", value_name = "NAME")]
    pub skip_analyzers: Vec<String>,

    /// Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable),
    /// e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"
    #[arg(short = 'S', long = "suppress", value_name = "CODE=GLOB")]
    pub suppress: Vec<String>,

    /// A MeshConfig YAML file merged over Istio's defaults (and over the cluster's)
    #[arg(long = "meshConfigFile", alias = "mesh-config-file", value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub mesh_config_file: Option<PathBuf>,

    /// A MeshNetworks YAML file
    #[arg(long = "meshNetworksFile", alias = "mesh-networks-file", value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub mesh_networks_file: Option<PathBuf>,

    /// Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid
    /// over the cluster's objects. A switch: `--use-kube=false` turns it off
    #[arg(
        short = 'k',
        long,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_name = "BOOL"
    )]
    pub use_kube: Option<bool>,

    /// Kubeconfig contexts of remote clusters for multi-cluster analysis (repeatable; not to be
    /// confused with --context): their Services are compared with the primary's (IST0170).
    /// Without it, the clusters of the Istio namespace's remote secrets are compared
    #[arg(long = "remote-contexts", value_name = "CONTEXT")]
    pub remote_contexts: Vec<String>,

    /// Upper bound on the whole run, cluster reads and URL fetches included (e.g. 30s, 2m)
    #[arg(long, value_parser = parse_duration, default_value = "30s", value_name = "DURATION")]
    pub timeout: Duration,

    /// List the analyzers and exit
    #[arg(short = 'L', long)]
    pub list_analyzers: bool,

    /// List every message code and exit
    #[arg(long)]
    pub list_codes: bool,

    /// Explain a message code (what it means, why it matters, how to fix it) and exit
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,

    /// Read settings from this file instead of the .meshdeck.yaml found upward from the working
    /// directory (up to the repository root); flags override its settings
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no .meshdeck.yaml
    #[arg(long)]
    pub no_config: bool,

    /// Show the settings in force (config file and flags) and where each came from, and exit
    #[arg(long)]
    pub print_config: bool,
}

/// Where AWS credentials, region and endpoints come from (as the AWS CLI's options).
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
    #[arg(short = 'r', long, value_name = "REGION")]
    pub region: Option<String>,

    /// The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then
    /// "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI
    #[arg(short = 'p', long, value_name = "NAME")]
    pub profile: Option<String>,

    /// One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then
    /// AWS_ENDPOINT_URL, then AWS's public endpoints)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AwsArgs {
    pub fn options(&self) -> crate::aws::AwsOptions {
        crate::aws::AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
        }
    }
}

/// Output formats of `register`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RegisterOutput {
    /// Lines for people
    Text,
    /// One JSON object (never the activation code)
    Json,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(subcommand)]
    pub command: Option<RegisterCommand>,

    /// The cluster's name in EKS (1-100 letters, digits, - and _)
    #[arg(long, required = true, value_name = "NAME")]
    pub name: Option<String>,

    /// Where the cluster runs, as the EKS API names it (case-insensitive)
    #[arg(
        long,
        required = true,
        value_enum,
        ignore_case = true,
        value_name = "PROVIDER"
    )]
    pub provider: Option<crate::register::Provider>,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Use this existing agent role instead of creating one (it is never deleted)
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,

    /// Tags for the registration and the agent role: KEY=VALUE, comma-separated or repeated
    #[arg(long, value_delimiter = ',', value_name = "KEY=VALUE")]
    pub tags: Vec<String>,

    /// Also give this IAM user or role ARN console access (repeatable; the caller always has
    /// it; an assumed-role session ARN stands for its role)
    #[arg(long = "console-user", value_name = "ARN")]
    pub console_users: Vec<String>,

    /// Directory the manifests are written to (created if missing)
    #[arg(long, default_value = ".", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub output_dir: PathBuf,

    /// The eks-connector image of the manifests
    #[arg(long, default_value = crate::register::manifests::DEFAULT_CONNECTOR_IMAGE, value_name = "IMAGE")]
    pub connector_image: String,

    /// The SSM agent image of the manifests
    #[arg(long, default_value = crate::register::manifests::DEFAULT_AGENT_IMAGE, value_name = "IMAGE")]
    pub agent_image: String,

    /// How long to keep retrying RegisterCluster while AWS propagates roles, throttles or fails
    #[arg(long, value_parser = parse_duration, default_value = "5m", value_name = "DURATION")]
    pub retry_timeout: Duration,

    /// Show the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// If the cluster is registered already (say its activation expired before the manifests
    /// were applied), deregister it and register it again with the same agent role
    #[arg(long)]
    pub refresh: bool,

    /// Then apply the manifests to the current kube context (server-side apply; --kubeconfig,
    /// --context), wait for the connector StatefulSet and for EKS to report the cluster ACTIVE
    #[arg(long)]
    pub apply: bool,

    /// With --apply: how long the connector StatefulSet may take to be ready
    #[arg(long, value_parser = parse_duration, default_value = "5m", value_name = "DURATION", requires = "apply")]
    pub ready_timeout: Duration,

    /// With --apply: how long EKS may take to report the cluster ACTIVE once the connector runs
    #[arg(long, value_parser = parse_duration, default_value = "5m", value_name = "DURATION", requires = "apply")]
    pub active_timeout: Duration,

    /// Output format of the result
    #[arg(short = 'o', long, value_enum, default_value_t = RegisterOutput::Text, value_name = "FORMAT")]
    pub output: RegisterOutput,
}

#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// Show a registration: status, activation expiry, agent role, and the connector pods of
    /// the current kube context; an expired activation that never connected is called out with
    /// the fix
    Status(RegisterStatusArgs),
}

#[derive(Debug, Args)]
pub struct RegisterStatusArgs {
    /// The cluster's name in EKS
    #[arg(long, value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = RegisterOutput::Text, value_name = "FORMAT")]
    pub output: RegisterOutput,
}

#[derive(Debug, Args)]
pub struct DeregisterArgs {
    /// The cluster's name in EKS
    #[arg(long, value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Also delete the connector's objects from the current kube context (--kubeconfig,
    /// --context): those of the manifests in --output-dir, or the names meshdeck's templates
    /// give for a file that is not there
    #[arg(long)]
    pub delete_manifests: bool,

    /// With --delete-manifests: where `register` wrote the manifests
    #[arg(long, default_value = ".", value_name = "DIR", value_hint = clap::ValueHint::DirPath, requires = "delete_manifests")]
    pub output_dir: PathBuf,
}

/// Output formats of `dashboard`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DashboardOutput {
    /// The URL on stdout, status lines on stderr
    Text,
    /// One JSON object per line on stdout (name, url, pod, namespace) once each dashboard is ready
    Json,
}

#[derive(Debug, Args)]
pub struct DashboardArgs {
    /// Dashboards to open, each of proxy, controlz and istiod-debug optionally followed by its
    /// pod: POD[.NS] or deploy/NAME[.NS]
    #[arg(value_name = "NAMES")]
    pub names: Vec<String>,

    /// Choose pods by this label selector instead of the dashboard's own
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// The port the UI listens on in the pod (default: the dashboard's own, e.g. 20001 for Kiali)
    #[arg(long = "ui-port", value_name = "PORT")]
    pub ui_port: Option<u16>,

    /// Local address to listen on: localhost (127.0.0.1 and ::1), an IP address or a host name
    #[arg(long, default_value = "localhost", value_name = "ADDRESS")]
    pub address: String,

    /// Local port (default: the remote port, or a free one when that is taken)
    #[arg(short = 'p', long, value_name = "PORT")]
    pub port: Option<u16>,

    /// Open the system browser (never under CI or without a display). `--browser=false` only
    /// prints the URL
    #[arg(
        long,
        num_args = 0..=1,
        require_equals = true,
        default_value_t = true,
        default_missing_value = "true",
        action = clap::ArgAction::Set,
        value_name = "BOOL"
    )]
    pub browser: bool,

    /// How long to wait for the UI to answer its health check through the tunnel
    #[arg(long, value_parser = parse_duration, default_value = "10s", value_name = "DURATION")]
    pub health_timeout: Duration,

    /// Exit 1 when the health check fails (default: warn and keep the tunnel open)
    #[arg(long)]
    pub require_healthy: bool,

    /// Give up after this many failed reconnects in a row
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub max_reconnects: u32,

    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = DashboardOutput::Text, value_name = "FORMAT")]
    pub output: DashboardOutput,
}

/// Where the Istio release and the configuration come from, for every install command.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// The manifests/ directory of an Istio release (charts and profiles), as istioctl's
    /// --manifests
    #[arg(short = 'd', long = "manifests", alias = "charts", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub manifests: Option<PathBuf>,

    /// The Istio release to install (downloaded into the cache when there is no -d)
    #[arg(long = "version", default_value = crate::ops::install::DEFAULT_VERSION, value_name = "VERSION")]
    pub istio_version: String,

    /// Where release archives are downloaded from: a mirror holding
    /// istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio's GitHub releases)
    #[arg(long, env = "MESHDECK_RELEASE_URL", value_name = "URL")]
    pub release_url: Option<String>,
}

/// The IstioOperator inputs: files and flags.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)
    #[arg(short = 'f', long = "filename", value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub files: Vec<String>,

    /// Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo,
    /// values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots
    /// in keys with \.
    #[arg(short = 's', long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,

    /// The control plane revision (a DNS-1123 label)
    #[arg(short = 'r', long, value_name = "REVISION")]
    pub revision: Option<String>,

    #[command(flatten)]
    pub release: ReleaseArgs,
}

#[derive(Debug, Subcommand)]
pub enum ManifestCommand {
    /// Print the Kubernetes objects Istio consists of for the given configuration
    #[command(
        long_about = "Render the release's Helm charts for the given profile, -f files and --set \
            flags, exactly as istioctl manifest generate does: the same objects, in istioctl's \
            order, byte-stable across runs. No cluster is contacted.",
        after_help = format!("Examples:\n  \
            meshdeck manifest generate -d istio-1.30.3/manifests\n  \
            meshdeck manifest generate --set profile=demo --set meshConfig.accessLogFile=/dev/stdout -d istio-1.30.3/manifests\n  \
            meshdeck manifest generate -f operator.yaml --component pilot -d istio-1.30.3/manifests\n  \
            meshdeck manifest generate -d istio-1.30.3/manifests | kubectl apply --server-side -f -\n\n{}", crate::exit::help_text())
    )]
    Generate(Box<ManifestGenerateArgs>),
}

#[derive(Debug, Args)]
pub struct ManifestGenerateArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    /// Write one file per component (<Component>.yaml) into this directory instead of stdout
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub output_dir: Option<PathBuf>,

    /// Only this component's objects (repeatable): base, pilot, ingressGateways,
    /// egressGateways, cni, ztunnel
    #[arg(long = "component", value_name = "NAME")]
    pub components: Vec<String>,
}

/// Output formats of `install`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InstallOutput {
    /// Progress and a summary for people, on stderr
    Text,
    /// One JSON object on stdout: components, objects created/changed/unchanged/pruned, time
    Json,
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    #[command(subcommand)]
    pub command: Option<InstallCommand>,

    #[command(flatten)]
    pub render: RenderArgs,

    /// Show what would be applied and touch no cluster
    #[arg(long)]
    pub dry_run: bool,

    /// How long each component may take to become ready
    #[arg(long, value_parser = parse_duration, default_value = "300s", value_name = "DURATION")]
    pub readiness_timeout: Duration,

    /// Take over fields another field manager owns instead of stopping
    #[arg(long)]
    pub force_conflicts: bool,

    /// Go on despite a server outside the Kubernetes versions the release supports, an
    /// overlapping injector webhook, or Error-level analyze findings (each is printed)
    #[arg(long)]
    pub force: bool,

    /// Take over the objects istioctl installed (field manager istio-operator) that this
    /// install renders; says how many and of which kinds first
    #[arg(long)]
    pub adopt: bool,

    /// Output format of the result
    #[arg(short = 'o', long, value_enum, default_value_t = InstallOutput::Text, value_name = "FORMAT")]
    pub output: InstallOutput,
}

#[derive(Debug, Args)]
pub struct VerifyInstallArgs {
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, Args)]
pub struct UninstallArgs {
    #[command(subcommand)]
    pub command: Option<UninstallCommand>,

    /// The revision to remove (default: the default revision; with --purge and no revision,
    /// every revision meshdeck installed)
    #[arg(short = 'r', long, value_name = "REVISION")]
    pub revision: Option<String>,

    /// Also delete the CRDs meshdeck installed, and every custom resource with them
    #[arg(long)]
    pub purge: bool,
}

/// What `install` installs besides Istio.
#[derive(Debug, Subcommand)]
pub enum InstallCommand {
    /// Install the release's telemetry addons (Kiali, Grafana, Prometheus, Jaeger, Loki)
    #[command(
        disable_version_flag = true,
        long_about = "Apply the release's samples/addons manifests (the same release data as \
            install: the samples/ directory beside -d's manifests/, or the downloaded and cached \
            release) into the Istio namespace (-i, default istio-system) with server-side apply \
            (field manager meshdeck), and wait until their workloads are ready. Without NAMES: \
            kiali, grafana, prometheus and jaeger.\n\n\
            Every object gets meshdeck's ownership labels (install.meshdeck.io/owned-by, \
            /component with the addon's name, /addon) and no revision label, so Istio's own \
            prune and uninstall never touch them and `meshdeck uninstall addons` removes only \
            them. The manifests are written for istio-system: for another -i, meshdeck moves them \
            there (metadata, RBAC subjects and configuration) and says so; on older servers it \
            adapts what they cannot hold and says what it changed. These addons are demo \
            configurations, not production ones. Asks first (-y to skip; without a terminal it \
            refuses unless -y is given). Prints the `meshdeck dashboard` command of each addon.",
        after_help = format!("Examples:\n  \
            meshdeck install addons\n  \
            meshdeck install addons kiali prometheus -d istio-1.30.3/manifests -y\n  \
            meshdeck install addons loki -i mesh-system -o json -y\n  \
            meshdeck install addons --dry-run -d istio-1.30.3/manifests\n\n{}", crate::exit::help_text())
    )]
    Addons(AddonsArgs),

    /// Install a sample application (Bookinfo), its gateway bound to the installed ingress
    #[command(
        disable_version_flag = true,
        long_about = "Install the release's Bookinfo sample into a namespace (-n, default \
            bookinfo) labelled for sidecar injection (istio-injection=enabled, or \
            istio.io/rev=REVISION with --revision): its services and deployments, waited for \
            until ready.\n\n\
            --gateway adds its Gateway and VirtualService, bound to the ingress gateway actually \
            installed: meshdeck finds the ingress Service (in -i, then istio-ingress, then \
            anywhere; or --ingress), reads its pods' labels (or its Deployment's pod template \
            when no pod exists yet) and the ports the Service exposes, and sets the Gateway's \
            selector and server port to match, so it neither selects nothing (IST0101) nor \
            listens on a port the Service does not forward (IST0162), as the release's Gateway \
            does with an ingress installed by the istio/gateway Helm chart. --gateway-api adds \
            the Gateway API variant instead (Istio provisions its gateway). \
            --destination-rules adds the destination rules of every version.\n\n\
            Prints the product page URL from the ingress Service: its load balancer's address, \
            else a node address and the node port, else the port-forward to run.",
        after_help = format!("Examples:\n  \
            meshdeck install sample bookinfo -y\n  \
            meshdeck install sample bookinfo --gateway --destination-rules\n  \
            meshdeck install sample bookinfo -n shop --revision canary --gateway\n  \
            meshdeck install sample bookinfo --gateway --ingress istio-ingress/istio-ingress\n  \
            meshdeck install sample bookinfo --gateway-api -o json -y\n\n{}", crate::exit::help_text())
    )]
    Sample(SampleArgs),
}

/// What `uninstall` removes besides Istio.
#[derive(Debug, Subcommand)]
pub enum UninstallCommand {
    /// Remove the addons meshdeck installed (only objects carrying its addon labels)
    #[command(
        disable_version_flag = true,
        long_about = "Delete the objects `meshdeck install addons` applied (those labelled \
            install.meshdeck.io/owned-by=meshdeck and install.meshdeck.io/addon=NAME), in every \
            namespace; nothing else is touched. Without NAMES: every addon meshdeck installed. \
            Asks first (-y to skip).",
        after_help = format!("Examples:\n  \
            meshdeck uninstall addons\n  \
            meshdeck uninstall addons kiali -y\n\n{}", crate::exit::help_text())
    )]
    Addons(UninstallAddonsArgs),

    /// Remove a sample meshdeck installed (its objects, and its namespace if meshdeck made it)
    #[command(
        disable_version_flag = true,
        long_about = "Delete the objects `meshdeck install sample` applied in the namespace (-n, \
            default bookinfo), and the namespace itself when meshdeck created it; a namespace \
            that was there before stays, without the injection label meshdeck set. Asks first \
            (-y to skip).",
        after_help = format!("Examples:\n  \
            meshdeck uninstall sample bookinfo\n  \
            meshdeck uninstall sample bookinfo -n shop -y\n\n{}", crate::exit::help_text())
    )]
    Sample(UninstallSampleArgs),
}

/// The samples meshdeck installs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SampleName {
    /// Istio's Bookinfo (productpage, details, reviews v1-v3, ratings)
    Bookinfo,
}

#[derive(Debug, Args)]
pub struct AddonsArgs {
    /// Addons to install, by their file names in the release's samples/addons (default: kiali
    /// grafana prometheus jaeger)
    #[arg(value_name = "NAMES")]
    pub names: Vec<String>,

    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Print the objects that would be applied and touch no cluster
    #[arg(long)]
    pub dry_run: bool,

    /// How long each addon may take to become ready
    #[arg(long, value_parser = parse_duration, default_value = "300s", value_name = "DURATION")]
    pub readiness_timeout: Duration,

    /// Take over fields another field manager owns instead of stopping
    #[arg(long)]
    pub force_conflicts: bool,

    /// Output format of the result
    #[arg(short = 'o', long, value_enum, default_value_t = InstallOutput::Text, value_name = "FORMAT")]
    pub output: InstallOutput,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The sample
    #[arg(value_enum, value_name = "SAMPLE")]
    pub sample: SampleName,

    /// Label the namespace istio.io/rev=REVISION instead of istio-injection=enabled
    #[arg(short = 'r', long, value_name = "REVISION")]
    pub revision: Option<String>,

    /// Also apply the Gateway and VirtualService, bound to the installed ingress gateway
    #[arg(long, conflicts_with = "gateway_api")]
    pub gateway: bool,

    /// Also apply the Gateway API Gateway and HTTPRoute (needs the Gateway API CRDs)
    #[arg(long)]
    pub gateway_api: bool,

    /// Also apply the destination rules (a subset per version of each service)
    #[arg(long)]
    pub destination_rules: bool,

    /// With --gateway: the ingress gateway's Service, NAMESPACE/SERVICE or SERVICE in the Istio
    /// namespace (default: found by its selector, istio=*ingress*)
    #[arg(long, value_name = "[NAMESPACE/]SERVICE", requires = "gateway")]
    pub ingress: Option<String>,

    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Print the objects that would be applied (the Gateway as bound to the ingress) and change
    /// nothing
    #[arg(long)]
    pub dry_run: bool,

    /// How long the sample may take to become ready
    #[arg(long, value_parser = parse_duration, default_value = "300s", value_name = "DURATION")]
    pub readiness_timeout: Duration,

    /// Take over fields another field manager owns instead of stopping
    #[arg(long)]
    pub force_conflicts: bool,

    /// Output format of the result
    #[arg(short = 'o', long, value_enum, default_value_t = InstallOutput::Text, value_name = "FORMAT")]
    pub output: InstallOutput,
}

#[derive(Debug, Args)]
pub struct UninstallAddonsArgs {
    /// Addons to remove (default: every addon meshdeck installed)
    #[arg(value_name = "NAMES")]
    pub names: Vec<String>,

    /// Output format of the result
    #[arg(short = 'o', long, value_enum, default_value_t = InstallOutput::Text, value_name = "FORMAT")]
    pub output: InstallOutput,
}

#[derive(Debug, Args)]
pub struct UninstallSampleArgs {
    /// The sample
    #[arg(value_enum, value_name = "SAMPLE")]
    pub sample: SampleName,

    /// Output format of the result
    #[arg(short = 'o', long, value_enum, default_value_t = InstallOutput::Text, value_name = "FORMAT")]
    pub output: InstallOutput,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// List the release's configuration profiles
    List {
        #[command(flatten)]
        release: ReleaseArgs,
    },
    /// Print a profile (layered on default) as YAML, JSON or --set flags
    Dump(ProfileDumpArgs),
    /// Compare two profiles (exit code 1 when they differ)
    Diff(ProfileDiffArgs),
}

/// Output formats of `profile dump`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProfileFormat {
    Yaml,
    Json,
    /// One --set flag per value
    Flags,
}

#[derive(Debug, Args)]
pub struct ProfileDumpArgs {
    /// The profile (default: default)
    #[arg(value_name = "PROFILE")]
    pub profile: Option<String>,

    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = ProfileFormat::Yaml, value_name = "FORMAT")]
    pub output: ProfileFormat,

    /// Only the subtree at this path of the spec, e.g. components.pilot or values.gateways
    #[arg(short = 'p', long, value_name = "PATH")]
    pub config_path: Option<String>,

    #[command(flatten)]
    pub release: ReleaseArgs,
}

#[derive(Debug, Args)]
pub struct ProfileDiffArgs {
    /// The first profile
    #[arg(value_name = "A")]
    pub a: String,
    /// The second profile
    #[arg(value_name = "B")]
    pub b: String,

    #[command(flatten)]
    pub release: ReleaseArgs,
}

fn parse_error_rate(s: &str) -> Result<f64, String> {
    crate::traffic::rollout::parse_percent(s)
}

fn parse_level(s: &str) -> Result<crate::analyze::Level, String> {
    crate::analyze::Level::parse(s)
        .ok_or_else(|| format!("{s:?} is not a level: use Info, Warning or Error"))
}

/// Parses `30s`, `2m`, `1m30s`, `500ms`, `1h`, or a plain number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    if let Ok(secs) = s.parse::<f64>()
        && secs.is_finite()
        && secs >= 0.0
    {
        return Ok(Duration::from_secs_f64(secs));
    }
    humantime::parse_duration(s)
        .map_err(|e| format!("{s:?} is not a duration ({e}); use e.g. 30s, 2m, 1m30s"))
}

/// The clap command tree, for help, completions and man pages.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Generated completion scripts and man pages, as `(relative path, contents)`.
pub fn generated_docs() -> Vec<(String, Vec<u8>)> {
    use clap_complete::Shell;
    let mut out = Vec::new();
    for (shell, file) in [
        (Shell::Bash, "meshdeck.bash"),
        (Shell::Zsh, "_meshdeck"),
        (Shell::Fish, "meshdeck.fish"),
        (Shell::PowerShell, "_meshdeck.ps1"),
        (Shell::Elvish, "meshdeck.elv"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut command(), "meshdeck", &mut buf);
        out.push((format!("completions/{file}"), buf));
    }
    let root = command();
    out.push(("man/meshdeck.1".into(), render_man(&root)));
    for sub in root.get_subcommands() {
        let name = format!("meshdeck-{}", sub.get_name());
        let sub = sub.clone().name(name.clone()).version(VERSION_FOR_DOCS);
        out.push((format!("man/{name}.1"), render_man(&sub)));
    }
    out
}

/// Man pages carry the crate version only, so they do not change with every commit.
const VERSION_FOR_DOCS: &str = env!("CARGO_PKG_VERSION");

fn render_man(cmd: &clap::Command) -> Vec<u8> {
    let mut buf = Vec::new();
    let cmd = cmd.clone().version(VERSION_FOR_DOCS);
    clap_mangen::Man::new(cmd)
        .date("")
        .render(&mut buf)
        .expect("rendering a man page into memory does not fail");
    buf
}
