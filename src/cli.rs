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
            meshdeck analyze --explain IST0162\n\n{}", crate::exit::help_text())
    )]
    Analyze(Box<AnalyzeArgs>),

    /// Render Istio's manifests as istioctl does (manifest generate)
    #[command(subcommand, disable_version_flag = true)]
    Manifest(ManifestCommand),

    /// Install Istio: for now, `--dry-run` shows what would be applied
    #[command(
        disable_version_flag = true,
        long_about = "Render Istio for the given profile, -f files and --set flags, exactly as \
            istioctl install does, and show what would be applied. Applying to a cluster is not \
            implemented yet: use --dry-run, or `meshdeck manifest generate ... | kubectl apply \
            --server-side -f -`.",
        after_help = format!("Examples:\n  \
            meshdeck install --dry-run --set profile=demo -d istio-1.30.3/manifests\n  \
            meshdeck install --dry-run -f my-operator.yaml -d istio-1.30.3/manifests\n\n{}", crate::exit::help_text())
    )]
    Install(Box<InstallArgs>),

    /// List, show and compare Istio's configuration profiles
    #[command(subcommand, disable_version_flag = true)]
    Profile(ProfileCommand),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
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

#[derive(Debug, Args)]
pub struct InstallArgs {
    #[command(flatten)]
    pub render: RenderArgs,

    /// Show what would be applied and touch no cluster
    #[arg(long)]
    pub dry_run: bool,
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
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Files, directories, - for stdin, or http(s):// URLs
    #[arg(value_name = "PATHS", value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<String>,

    /// Report messages from every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = OutputFormat::Log, value_name = "FORMAT")]
    pub output: OutputFormat,

    /// The lowest message level that makes the exit code 79
    #[arg(long, value_parser = parse_level, default_value = "Error", value_name = "LEVEL")]
    pub failure_threshold: crate::analyze::Level,

    /// The lowest message level that is printed
    #[arg(long, value_parser = parse_level, default_value = "Info", value_name = "LEVEL")]
    pub output_threshold: crate::analyze::Level,

    /// Run only this analyzer (repeatable; see --list-analyzers)
    #[arg(long = "analyzer", value_name = "NAME")]
    pub analyzers: Vec<String>,

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
