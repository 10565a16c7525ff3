//! Files, directories and stdin.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Deadline;
use crate::resource::{LoadIssue, SourceText, limits};

/// File name endings that are read when walking a directory.
pub const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Reads a file or, recursively and in name order, the manifests of a directory.
pub fn read_path(path: &str) -> (Vec<Arc<SourceText>>, Vec<LoadIssue>) {
    let mut sources = Vec::new();
    let mut issues = Vec::new();
    let p = Path::new(path);
    match std::fs::metadata(p) {
        Err(e) => issues.push(LoadIssue::error(
            path,
            None,
            format!("cannot read: {}", io_reason(&e)),
        )),
        Ok(meta) if meta.is_dir() => {
            let mut files = Vec::new();
            if let Err(e) = walk(p, &mut files) {
                issues.push(LoadIssue::error(
                    path,
                    None,
                    format!("cannot read directory: {}", io_reason(&e)),
                ));
            }
            if files.is_empty() && issues.is_empty() {
                issues.push(LoadIssue::error(
                    path,
                    None,
                    "the directory holds no .yaml, .yml or .json files",
                ));
            }
            for f in files {
                let name = f.to_string_lossy().into_owned();
                match read_file(&f, &name) {
                    Ok(s) => sources.push(s),
                    Err(issue) => issues.push(issue),
                }
            }
        }
        Ok(_) => match read_file(p, path) {
            Ok(s) => sources.push(s),
            Err(issue) => issues.push(issue),
        },
    }
    (sources, issues)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let ty = e.file_type()?;
        if ty.is_dir() {
            walk(&path, out)?;
        } else if has_manifest_extension(&path) {
            out.push(path);
        }
    }
    Ok(())
}

fn read_file(path: &Path, name: &str) -> Result<Arc<SourceText>, LoadIssue> {
    let file = std::fs::File::open(path)
        .map_err(|e| LoadIssue::error(name, None, format!("cannot read: {}", io_reason(&e))))?;
    // Read into a buffer of the file's size: the text is kept for the whole run, and growing
    // it would leave up to half of it again unused.
    let size = file.metadata().map_or(0, |m| m.len() as usize);
    let bytes = read_capped(file, size.min(limits::MAX_SOURCE_BYTES + 1))
        .map_err(|e| LoadIssue::error(name, None, format!("cannot read: {}", io_reason(&e))))?
        .ok_or_else(|| LoadIssue::error(name, None, limits::source_too_large()))?;
    decode(name, bytes)
}

/// Reads to the end, or `None` once more than [`limits::MAX_SOURCE_BYTES`] arrived: memory
/// stays bounded whatever the reader holds.
fn read_capped(reader: impl Read, size_hint: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::with_capacity(size_hint);
    reader
        .take(limits::MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limits::MAX_SOURCE_BYTES).then_some(bytes))
}

/// Reads all of standard input as one source named `-`, until `deadline`.
///
/// The read runs on a thread of its own rather than on the async runtime: a blocking read
/// there could not be abandoned, and a runtime waits for its blocking tasks when dropped. A
/// thread left blocked on a silent pipe ends with the process.
pub async fn read_stdin(deadline: Deadline) -> Result<Arc<SourceText>, LoadIssue> {
    let (tx, rx) = futures::channel::oneshot::channel();
    std::thread::Builder::new()
        .name("meshdeck-stdin".into())
        .spawn(move || {
            let _ = tx.send(read_capped(std::io::stdin().lock(), 0));
        })
        .map_err(|e| LoadIssue::error("-", None, format!("cannot read standard input: {e}")))?;
    let read = tokio::time::timeout_at(deadline.read_until(), rx)
        .await
        .map_err(|_| {
            LoadIssue::error(
                "-",
                None,
                format!(
                    "standard input did not end within {}; pipe a complete manifest, or raise \
                     --timeout",
                    deadline.describe()
                ),
            )
        })?
        .map_err(|_| LoadIssue::error("-", None, "cannot read standard input"))?;
    let bytes = read
        .map_err(|e| {
            LoadIssue::error(
                "-",
                None,
                format!("cannot read standard input: {}", io_reason(&e)),
            )
        })?
        .ok_or_else(|| {
            LoadIssue::error(
                "-",
                None,
                format!("standard input is {}", limits::source_too_large()),
            )
        })?;
    decode("-", bytes)
}

/// Checks that bytes are UTF-8 and names the first bad byte's line and column if not.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Arc<SourceText>, LoadIssue> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.remove(0);
            }
            Ok(SourceText::new(name, text))
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() as u32 + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            Err(LoadIssue::error(
                name,
                Some(crate::resource::Pos { line, col }),
                format!(
                    "not valid UTF-8 (byte 0x{:02x} at offset {valid}); manifests must be UTF-8 text",
                    bytes[valid]
                ),
            ))
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_names_line_and_column() {
        let issue = decode("x.yaml", b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!(issue.location(), "x.yaml:2:4");
        assert!(issue.message.contains("0xff"));
    }
}
