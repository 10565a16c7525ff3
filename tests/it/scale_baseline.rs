//! `analyze -A -o json` of the generated 10,000-document scale corpus (bench/gen-corpus.rs),
//! compared byte for byte with a baseline captured before the loader and the analyzer run were
//! made parallel: every message, its order and its position must stay as they were, whatever
//! the number of threads or how the work is split.
//!
//! The corpus is written as three files (4,000 + 4,000 + 2,000 documents), so both the split
//! of one large file and the order across files are covered.
//!
//! When an intended change alters the messages (a new analyzer, a new check), review the diff
//! this test prints, then refresh the baseline with
//! `MESHDECK_UPDATE_BASELINE=1 cargo test --test it scale_baseline`.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::{meshdeck, repo};

#[allow(dead_code, unreachable_pub)]
#[path = "../../bench/gen-corpus.rs"]
mod gen_corpus;

const DOCUMENTS: usize = 10_000;
const PER_FILE: usize = 4_000;

fn baseline_path() -> PathBuf {
    repo().join("testdata/scale/analyze-10k.txt.gz")
}

/// Exit code, stdout and stderr of `meshdeck analyze -A -o json` over the corpus files, run in
/// the directory holding them so that the file names in the output are relative.
fn transcript(threads: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let files = gen_corpus::files(DOCUMENTS, PER_FILE);
    assert_eq!(files.len(), 3);
    let mut args = vec![
        "analyze".to_string(),
        "-A".into(),
        "-o".into(),
        "json".into(),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
        args.push(name.clone());
    }
    let mut cmd = Command::new(meshdeck());
    cmd.args(&args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("RAYON_NUM_THREADS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let out = cmd.output().expect("meshdeck runs");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap()
    )
}

fn read_baseline() -> String {
    let bytes = std::fs::read(baseline_path()).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; capture it with MESHDECK_UPDATE_BASELINE=1",
            baseline_path().display()
        )
    });
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn write_baseline(text: &str) {
    let path = baseline_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(text.as_bytes()).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
}

/// The first line where two texts differ, with a few lines of context, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let window = |lines: &[&str]| lines[at.saturating_sub(3)..(at + 3).min(lines.len())].join("\n");
    format!(
        "first difference at line {} (expected {} lines, got {}):\n--- expected\n{}\n--- actual\n{}",
        at + 1,
        e.len(),
        a.len(),
        window(&e),
        window(&a)
    )
}

#[test]
fn scale_baseline_analyze_output_is_unchanged() {
    let actual = transcript(None);
    if std::env::var_os("MESHDECK_UPDATE_BASELINE").is_some() {
        write_baseline(&actual);
        return;
    }
    let expected = read_baseline();
    // The baseline is worth pinning only if it holds messages with positions.
    assert!(expected.starts_with("exit: 79\n"), "{}", &expected[..200]);
    let messages = expected.matches("\"code\": \"IST").count();
    assert!(messages > 400, "{messages} messages in the baseline");
    assert!(
        actual == expected,
        "analyze output of the 10k corpus changed; {}",
        first_difference(&expected, &actual)
    );
}

#[test]
fn scale_baseline_is_the_same_on_one_thread() {
    if std::env::var_os("MESHDECK_UPDATE_BASELINE").is_some() {
        return;
    }
    let actual = transcript(Some("1"));
    let expected = read_baseline();
    assert!(
        actual == expected,
        "analyze output of the 10k corpus on one thread differs; {}",
        first_difference(&expected, &actual)
    );
}
