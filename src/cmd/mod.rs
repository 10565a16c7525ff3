//! One file per subcommand: arguments in, one operation, rendered output out.

pub mod addons;
pub mod analyze;
pub mod completion;
pub mod dashboard;
pub mod deregister;
pub mod install;
pub mod manifest;
pub mod profile;
pub mod register;
pub mod sample;
pub mod traffic_shift;
pub mod uninstall;
pub mod verify_install;

use std::fmt;

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};

use crate::cli::GlobalArgs;
use crate::dashboard::DashboardError;
use crate::ops::addons::AddonsError;
use crate::ops::analyze::AnalyzeError;
use crate::ops::install::InstallError;
use crate::ops::register::RegisterError;
use crate::ops::traffic::TrafficError;
use crate::source::cluster;
use crate::ui::ConfirmError;

/// Why a command failed. Each variant keeps the library's typed error with its causes; the
/// exit code is chosen in one place, [`crate::exit::code`].
#[derive(Debug, thiserror::Error)]
pub enum CmdError {
    #[error(transparent)]
    Analyze(#[from] AnalyzeError),
    #[error(transparent)]
    Traffic(#[from] TrafficError),
    #[error("unknown message code {0:?}")]
    UnknownCode(String),
    #[error(transparent)]
    Install(#[from] InstallError),
    #[error(transparent)]
    Addons(#[from] AddonsError),
    /// A part of a command that does not exist yet: what, and what to do instead.
    #[error("{0}")]
    NotImplemented(String, String),
    #[error(transparent)]
    Confirm(#[from] ConfirmError),
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Dashboard(#[from] DashboardError),
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
}

impl CmdError {
    /// The library error this wraps, for the methods of `Diagnostic` to forward to.
    fn inner(&self) -> Option<&dyn Diagnostic> {
        match self {
            CmdError::Analyze(e) => Some(e),
            CmdError::Install(e) => Some(e),
            CmdError::Addons(e) => Some(e),
            CmdError::Confirm(e) => Some(e),
            CmdError::Register(e) => Some(e),
            CmdError::Dashboard(e) => Some(e),
            CmdError::Traffic(e) => Some(e),
            _ => None,
        }
    }
}

impl Diagnostic for CmdError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self {
            CmdError::UnknownCode(_) => Some(Box::new("analyze::unknown_code")),
            CmdError::NotImplemented(..) => Some(Box::new("not_implemented")),
            CmdError::Output(_) => Some(Box::new("output")),
            _ => self.inner()?.code(),
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self {
            CmdError::UnknownCode(_) => Some(Box::new(
                "list every code with meshdeck analyze --list-codes",
            )),
            CmdError::Output(_) => None,
            CmdError::NotImplemented(_, hint) => Some(Box::new(hint.as_str())),
            _ => self.inner()?.help(),
        }
    }

    fn severity(&self) -> Option<Severity> {
        self.inner().and_then(|e| e.severity())
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.inner()?.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner()?.labels()
    }
}

pub type CmdResult = Result<u8, CmdError>;

/// The cluster connection the global flags ask for: the one place `--kubeconfig`, `--context`,
/// `--as`, `--as-group` and `--request-timeout` become connection options.
pub fn connect_options(global: &GlobalArgs) -> cluster::Target {
    cluster::Target {
        kubeconfig: global.kubeconfig.clone(),
        context: global.context.clone(),
        as_user: global.connect.as_user.clone(),
        as_groups: global.connect.as_groups.clone(),
        request_timeout: global.connect.request_timeout,
    }
}

/// Shows a release download on the command's progress bar.
pub struct DownloadProgress<'a>(pub &'a crate::ui::Progress<'a>);

impl crate::install::release::DownloadObserver for DownloadProgress<'_> {
    fn start(&self, what: &str, total: Option<u64>) {
        self.0.step(what);
        if let Some(t) = total {
            self.0.set_length(t);
        }
    }
    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }
    fn done(&self, what: &str) {
        self.0.finish(what);
    }
}

/// The release source the shared flags name.
pub fn release_source(r: &crate::cli::ReleaseArgs) -> crate::ops::install::ReleaseSource {
    crate::ops::install::ReleaseSource {
        manifests: r.manifests.clone(),
        version: r.istio_version.clone(),
        release_url: r.release_url.clone(),
    }
}
