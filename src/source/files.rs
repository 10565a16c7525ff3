//! Files, directories and stdin.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::resource::{LoadIssue, SourceText};

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
    let bytes = std::fs::read(path)
        .map_err(|e| LoadIssue::error(name, None, format!("cannot read: {}", io_reason(&e))))?;
    decode(name, bytes)
}

/// Reads all of standard input as one source named `-`.
pub fn read_stdin() -> Result<Arc<SourceText>, LoadIssue> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| {
        LoadIssue::error(
            "-",
            None,
            format!("cannot read standard input: {}", io_reason(&e)),
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
