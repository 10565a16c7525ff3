//! Stopping `install` and `uninstall` at once on SIGINT (Ctrl-C) or SIGTERM, and saying what
//! they had done by then: which components were installed, which were still being applied or
//! waited for, and how to converge (the same command again) or undo.
//!
//! The work is dropped where it stands, between two requests or in the middle of a readiness
//! wait: server-side apply makes each object whole or not at all, and a rerun applies them all
//! again, so nothing is rolled back (a half-removed mesh would be worse than a half-installed
//! one, and the rerun finishes either).

use std::future::Future;
use std::sync::Mutex;

use super::install::{InstallError, InstallObserver};
use crate::kube::KubeError;

/// Waits for SIGINT or SIGTERM and names it (install, uninstall, dashboard). Listening starts
/// on the first poll; from then on the signals no longer end the process by themselves.
pub async fn signalled() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            (Ok(mut int), Ok(mut term)) => tokio::select! {
                _ = int.recv() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            // Without handlers the signals keep their default action (the process ends).
            _ => std::future::pending().await,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// How a piece of work ended: on its own, or stopped by a signal (named).
pub enum Ended<T> {
    Done(T),
    Signalled(&'static str),
}

/// Runs `work` until it ends or a signal comes; on a signal the work is dropped at once.
pub async fn or_signal<T>(work: impl Future<Output = T>) -> Ended<T> {
    tokio::pin!(work);
    tokio::select! {
        biased;
        name = signalled() => Ended::Signalled(name),
        done = &mut work => Ended::Done(done),
    }
}

/// A component that was started and had not finished.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Unfinished {
    /// `Istiod`.
    pub component: String,
    /// What it was doing last (`waiting for Deployment istio-system/istiod to be ready`).
    pub doing: String,
}

/// What an install had done when it stopped short.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartialInstall {
    /// The revision, for the undo command.
    pub revision: String,
    /// Components applied and ready, in the order they finished.
    pub installed: Vec<String>,
    /// Components started and not finished: some of their objects may be applied.
    pub unfinished: Vec<Unfinished>,
    /// What the install as a whole was doing last (`Pruning removed resources`), if it was
    /// past the components.
    pub step: Option<String>,
}

impl PartialInstall {
    /// `Istio core was installed; Istiod was in progress (waiting for ...)`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.installed.is_empty() {
            parts.push(format!("{} installed", self.installed.join(", ")));
        }
        for u in &self.unfinished {
            parts.push(format!(
                "{} in progress ({}; what it had applied stays)",
                u.component, u.doing
            ));
        }
        if parts.is_empty() {
            parts.push(match &self.step {
                Some(s) => format!("it was at: {s}"),
                None => "no component had been applied yet".into(),
            });
        } else if self.unfinished.is_empty()
            && let Some(s) = &self.step
        {
            parts.push(format!("it was at: {s}"));
        }
        parts.join("; ")
    }

    /// What to do next.
    pub fn next_steps(&self) -> String {
        format!(
            "run the same command again to finish: it applies everything again and converges; \
             to undo what was applied: meshdeck uninstall -r {} (the CRDs stay; --purge removes \
             them too)",
            self.revision
        )
    }

    /// The fields of `install -o json` for an install that stopped short.
    pub fn json_fields(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        m.insert("revision".into(), self.revision.clone().into());
        m.insert("components".into(), self.installed.clone().into());
        m.insert(
            "inProgress".into(),
            serde_json::to_value(&self.unfinished).unwrap_or_default(),
        );
        if let Some(s) = &self.step {
            m.insert("step".into(), s.clone().into());
        }
        m
    }
}

#[derive(Default)]
struct Seen {
    installed: Vec<String>,
    /// In the order they started.
    unfinished: Vec<Unfinished>,
    step: Option<String>,
}

/// An [`InstallObserver`] that passes everything on and remembers what the install reported,
/// so that what it had done can be said however it stopped.
pub struct Tracker<'a> {
    inner: &'a dyn InstallObserver,
    seen: Mutex<Seen>,
}

impl<'a> Tracker<'a> {
    pub fn new(inner: &'a dyn InstallObserver) -> Tracker<'a> {
        Tracker {
            inner,
            seen: Mutex::default(),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Seen) -> R) -> R {
        f(&mut self.seen.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// What was done so far.
    pub fn partial(&self, revision: &str) -> PartialInstall {
        self.with(|s| PartialInstall {
            revision: revision.to_string(),
            installed: s.installed.clone(),
            unfinished: s.unfinished.clone(),
            step: s.step.clone(),
        })
    }

    /// The install's result, as said to the user: a signal becomes [`InstallError::Interrupted`],
    /// a lost connection [`InstallError::ConnectionLost`], each with what was done; anything else
    /// is left as it is.
    pub fn finish<T>(
        &self,
        revision: &str,
        ended: Ended<Result<T, InstallError>>,
    ) -> Result<T, InstallError> {
        match ended {
            Ended::Done(Ok(v)) => Ok(v),
            Ended::Signalled(signal) => Err(InstallError::Interrupted {
                signal,
                partial: Box::new(self.partial(revision)),
            }),
            Ended::Done(Err(e)) => match unreachable_in(&e) {
                Some(lost) => Err(InstallError::ConnectionLost {
                    partial: Box::new(self.partial(revision)),
                    lost,
                }),
                None => Err(e),
            },
        }
    }
}

/// The server no longer answering, inside an install error: a failed request, or a component
/// whose apply or readiness wait lost the connection.
fn unreachable_in(e: &InstallError) -> Option<KubeError> {
    let lost = |k: &KubeError| match k {
        KubeError::Unreachable { server, reason } => Some(KubeError::Unreachable {
            server: server.clone(),
            reason: reason.clone(),
        }),
        _ => None,
    };
    match e {
        InstallError::Kube(k) => lost(k),
        InstallError::ComponentsFailed(failed) => failed.iter().find_map(|(_, k)| lost(k)),
        _ => None,
    }
}

impl InstallObserver for Tracker<'_> {
    fn waiting(&self, what: &str) {
        self.with(|s| s.step = Some(what.to_string()));
        self.inner.waiting(what);
    }

    fn installed(&self, title: &str) {
        self.with(|s| {
            s.unfinished.retain(|u| u.component != title);
            s.installed.push(title.to_string());
        });
        self.inner.installed(title);
    }

    fn failed(&self, title: &str, reason: &str) {
        // What it was doing stays: the failure itself is said by the error.
        self.with(|s| {
            if !s.unfinished.iter().any(|u| u.component == title) {
                s.unfinished.push(Unfinished {
                    component: title.to_string(),
                    doing: "failed".into(),
                });
            }
        });
        self.inner.failed(title, reason);
    }

    fn note(&self, text: &str) {
        self.inner.note(text);
    }

    fn component(&self, title: &str, what: &str) {
        self.with(
            |s| match s.unfinished.iter_mut().find(|u| u.component == title) {
                Some(u) => u.doing = what.to_string(),
                None => s.unfinished.push(Unfinished {
                    component: title.to_string(),
                    doing: what.to_string(),
                }),
            },
        );
        self.inner.component(title, what);
    }
}

/// Deletions that a signal may stop: what was deleted is kept outside the work, so it can be
/// said after the work is dropped.
#[derive(Default)]
pub struct Deletions {
    deleted: Mutex<Vec<String>>,
}

impl Deletions {
    pub fn push(&self, what: String) {
        self.deleted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(what);
    }

    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.deleted.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Quiet;
    impl InstallObserver for Quiet {
        fn waiting(&self, _: &str) {}
        fn installed(&self, _: &str) {}
        fn failed(&self, _: &str, _: &str) {}
        fn note(&self, _: &str) {}
    }

    #[test]
    fn the_tracker_says_what_was_installed_and_what_was_in_progress() {
        let t = Tracker::new(&Quiet);
        assert_eq!(
            t.partial("default").summary(),
            "no component had been applied yet"
        );
        t.waiting("Applying Istio core");
        t.component("Istio core", "applying 9 objects");
        t.installed("Istio core");
        t.waiting("Applying Istiod, CNI");
        t.component("Istiod", "applying 12 objects");
        t.component("CNI", "applying 5 objects");
        t.component(
            "Istiod",
            "waiting for Deployment istio-system/istiod to be ready",
        );
        t.installed("CNI");
        let p = t.partial("canary");
        assert_eq!(p.installed, ["Istio core", "CNI"]);
        assert_eq!(
            p.unfinished,
            [Unfinished {
                component: "Istiod".into(),
                doing: "waiting for Deployment istio-system/istiod to be ready".into()
            }]
        );
        assert_eq!(
            p.summary(),
            "Istio core, CNI installed; Istiod in progress (waiting for Deployment \
             istio-system/istiod to be ready; what it had applied stays)"
        );
        assert!(
            p.next_steps().contains("meshdeck uninstall -r canary"),
            "{}",
            p.next_steps()
        );
        t.installed("Istiod");
        t.waiting("Pruning removed resources");
        assert_eq!(
            t.partial("canary").summary(),
            "Istio core, CNI, Istiod installed; it was at: Pruning removed resources"
        );
    }

    #[test]
    fn a_lost_connection_is_told_apart_from_other_failures() {
        let t = Tracker::new(&Quiet);
        t.installed("Istio core");
        let unreachable = KubeError::Unreachable {
            server: "https://127.0.0.1:6443".into(),
            reason: "Connection refused (os error 111)".into(),
        };
        let failed = InstallError::ComponentsFailed(vec![("Istiod".into(), unreachable)]);
        match t.finish::<()>("default", Ended::Done(Err(failed))) {
            Err(InstallError::ConnectionLost { partial, lost }) => {
                assert_eq!(partial.installed, ["Istio core"]);
                assert!(lost.to_string().contains("https://127.0.0.1:6443"));
            }
            other => panic!("{other:?}"),
        }
        let timeout = InstallError::Kube(KubeError::Timeout(std::time::Duration::from_secs(1)));
        assert!(matches!(
            t.finish::<()>("default", Ended::Done(Err(timeout))),
            Err(InstallError::Kube(KubeError::Timeout(_)))
        ));
        assert!(matches!(
            t.finish::<()>("default", Ended::Signalled("SIGTERM")),
            Err(InstallError::Interrupted {
                signal: "SIGTERM",
                ..
            })
        ));
    }
}
