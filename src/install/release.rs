//! Release data: a release's `manifests/` from `-d`, from the cache, or downloaded from the
//! official archive (or a mirror), checked against its published SHA-256 and unpacked into the
//! cache for offline use afterwards.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Told how a download goes (the command shows it as a progress bar).
pub trait DownloadObserver {
    fn start(&self, what: &str, total: Option<u64>);
    fn advance(&self, bytes: u64);
    fn done(&self, what: &str);
}

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("cannot download {url}: {message}")]
    Fetch { url: String, message: String },
    #[error("{url} answered {status}")]
    Status { url: String, status: u16 },
    #[error("the checksum file {url} does not hold a SHA-256")]
    BadChecksumFile { url: String },
    #[error(
        "the archive {url} does not match its published SHA-256 (expected {expected}, got {actual})"
    )]
    ChecksumMismatch {
        url: String,
        expected: String,
        actual: String,
    },
    #[error("the archive {url} cannot be unpacked: {message}")]
    Unpack { url: String, message: String },
    #[error("the archive {url} holds no istio-{version}/manifests/charts directory")]
    NoManifests { url: String, version: String },
    #[error("cannot write the release cache {}", path.display())]
    Cache {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// `istio-<version>-linux-<arch>.tar.gz`, the archive istioctl's own release ships.
pub fn archive_name(version: &str) -> String {
    let arch = match std::env::consts::ARCH {
        "aarch64" => "arm64",
        _ => "amd64",
    };
    format!("istio-{version}-linux-{arch}.tar.gz")
}

/// The official download location of a release.
pub fn official_base(version: &str) -> String {
    format!("https://github.com/istio/istio/releases/download/{version}")
}

fn get(
    client: &reqwest::Client,
    rt: &tokio::runtime::Runtime,
    url: &str,
    observer: Option<&dyn DownloadObserver>,
) -> Result<Vec<u8>, DownloadError> {
    let fetch = |m: String| DownloadError::Fetch {
        url: url.to_string(),
        message: m,
    };
    rt.block_on(async {
        let mut resp = client
            .get(url)
            .send()
            .await
            .map_err(|e| fetch(error_chain(&e)))?;
        if !resp.status().is_success() {
            return Err(DownloadError::Status {
                url: url.to_string(),
                status: resp.status().as_u16(),
            });
        }
        let total = resp.content_length();
        if let Some(o) = observer {
            o.start(&format!("Downloading {url}"), total);
        }
        let mut body = Vec::new();
        loop {
            let chunk = match resp.chunk().await {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
                    return Err(fetch(format!(
                        "the connection closed after {}{of} bytes ({})",
                        body.len(),
                        error_chain(&e)
                    )));
                }
            };
            body.extend_from_slice(&chunk);
            if let Some(o) = observer {
                o.advance(chunk.len() as u64);
            }
        }
        if let Some(t) = total
            && (body.len() as u64) < t
        {
            return Err(fetch(format!(
                "the connection closed after {} of {t} bytes",
                body.len()
            )));
        }
        Ok(body)
    })
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(&format!(": {c}"));
        src = c.source();
    }
    s
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Downloads the release archive from `base`, checks it, and unpacks its `manifests/` and
/// `samples/` into `dest` (`<cache>/istio-<version>`). Returns `dest/manifests`.
pub fn download(
    base: &str,
    version: &str,
    dest: &Path,
    observer: &dyn DownloadObserver,
) -> Result<PathBuf, DownloadError> {
    crate::source::url::init_tls();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| DownloadError::Cache {
            path: dest.to_path_buf(),
            source,
        })?;
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| DownloadError::Fetch {
            url: base.to_string(),
            message: error_chain(&e),
        })?;
    let base = base.trim_end_matches('/');
    let name = archive_name(version);
    let url = format!("{base}/{name}");
    let sum_url = format!("{url}.sha256");
    let sums = get(&client, &rt, &sum_url, None)?;
    let expected = String::from_utf8_lossy(&sums)
        .split_whitespace()
        .next()
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| DownloadError::BadChecksumFile {
            url: sum_url.clone(),
        })?;
    let archive = get(&client, &rt, &url, Some(observer))?;
    let actual = hex(ring::digest::digest(&ring::digest::SHA256, &archive).as_ref());
    if actual != expected {
        return Err(DownloadError::ChecksumMismatch {
            url,
            expected,
            actual,
        });
    }
    observer.done(&format!("Downloaded {name} (SHA-256 verified)"));
    unpack(&archive, &url, version, dest)
}

fn unpack(archive: &[u8], url: &str, version: &str, dest: &Path) -> Result<PathBuf, DownloadError> {
    let parent = dest.parent().unwrap_or(dest);
    let cache_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DownloadError::Cache { path, source }
    };
    std::fs::create_dir_all(parent).map_err(cache_err(parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".unpack-")
        .tempdir_in(parent)
        .map_err(cache_err(parent))?;
    let unpack_err = |e: std::io::Error| DownloadError::Unpack {
        url: url.to_string(),
        message: e.to_string(),
    };
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    let prefix = format!("istio-{version}/");
    for entry in tar.entries().map_err(unpack_err)? {
        let mut entry = entry.map_err(unpack_err)?;
        let path = entry.path().map_err(unpack_err)?.into_owned();
        let Ok(rel) = path.strip_prefix(&prefix) else {
            continue;
        };
        let keep = rel.starts_with("manifests") || rel.starts_with("samples");
        // Only regular files and directories, and nothing that climbs out of the staging dir.
        if !keep
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        let out = staging.path().join(rel);
        match entry.header().entry_type() {
            tar::EntryType::Directory => std::fs::create_dir_all(&out).map_err(unpack_err)?,
            tar::EntryType::Regular => {
                if let Some(p) = out.parent() {
                    std::fs::create_dir_all(p).map_err(unpack_err)?;
                }
                let mut data = Vec::new();
                entry.read_to_end(&mut data).map_err(unpack_err)?;
                std::fs::write(&out, data).map_err(unpack_err)?;
            }
            _ => {}
        }
    }
    if !staging.path().join("manifests/charts").is_dir() {
        return Err(DownloadError::NoManifests {
            url: url.to_string(),
            version: version.to_string(),
        });
    }
    // Publish the finished tree in one rename, so a broken download never looks cached.
    let staged = staging.keep();
    if dest.exists() {
        let _ = std::fs::remove_dir_all(dest);
    }
    std::fs::rename(&staged, dest).map_err(cache_err(dest))?;
    Ok(dest.join("manifests"))
}
