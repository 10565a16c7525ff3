//! Bad input gets one clear diagnostic with its location and a documented exit code, never a
//! panic, and the rest of the input is still analyzed.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

use crate::cli::run;
use crate::common::repo;

/// A directory holding the port-8080 scenario (which yields IST0162) plus `name` = `bytes`.
fn scenario_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["istio-ingress.yaml", "bookinfo-gateway.yaml"] {
        std::fs::copy(
            repo().join("testdata/ingress/port-8080").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    let target = dir.path().join(name);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(target, bytes).unwrap();
    dir
}

fn analyze_dir(dir: &Path) -> (i32, String, String) {
    run(
        &["analyze", "testdata/bookinfo", dir.to_str().unwrap()],
        None,
    )
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let dir = scenario_with(
        "broken.yaml",
        b"apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: {a: [1, 2}\n",
    );
    let (code, stdout, stderr) = analyze_dir(dir.path());
    assert_eq!(code, 65, "{stderr}");
    assert!(stderr.contains("broken.yaml:5:"), "{stderr}");
    assert!(stderr.contains("invalid YAML"), "{stderr}");
    assert!(
        stdout.contains("IST0162"),
        "the other files are still analyzed: {stdout}"
    );
}

#[test]
fn the_failure_threshold_wins_over_a_parse_error() {
    let dir = scenario_with("broken.yaml", b"kind: [\n");
    let (code, _, _) = run(
        &[
            "analyze",
            "--failure-threshold",
            "Warning",
            "testdata/bookinfo",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 79);
}

#[test]
fn a_document_without_kind_or_api_version() {
    let dir = scenario_with(
        "nokind.yaml",
        b"apiVersion: v1\nmetadata:\n  name: x\n---\nkind: Service\nmetadata:\n  name: y\n",
    );
    let (code, stdout, stderr) = analyze_dir(dir.path());
    assert_eq!(code, 65);
    assert!(
        stderr.contains("nokind.yaml:1:1: document has no `kind` field"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nokind.yaml:5:1: document of kind Service has no `apiVersion` field"),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"));
}

#[test]
fn unknown_kinds_are_noted_and_do_not_fail() {
    let dir = scenario_with(
        "cert.yaml",
        b"apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\n",
    );
    let (code, stdout, stderr) = analyze_dir(dir.path());
    assert_eq!(code, 0, "{stderr}");
    // Counted in the closing line, not a note each.
    assert!(!stderr.contains("is not read by any analyzer"), "{stderr}");
    assert!(
        stderr.contains("1 object of kinds no analyzer reads was skipped"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("No validation issues found when"),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"));
    // -v lists each, with its location.
    let (_, _, verbose) = run(&["analyze", "-v", dir.path().to_str().unwrap()], None);
    assert!(
        verbose.contains("Certificate c [Certificate (cert-manager.io/v1)]")
            && verbose.contains("cert.yaml:2:1"),
        "{verbose}"
    );
}

#[test]
fn non_utf8_bytes() {
    let dir = scenario_with(
        "latin1.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n",
    );
    let (code, stdout, stderr) = analyze_dir(dir.path());
    assert_eq!(code, 65);
    assert!(
        stderr.contains("latin1.yaml:4:12: not valid UTF-8"),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"));
}

#[test]
fn an_empty_file_is_a_note() {
    let dir = scenario_with("empty.yaml", b"");
    let (code, stdout, stderr) = analyze_dir(dir.path());
    assert_eq!(code, 0);
    assert!(stderr.contains("empty.yaml: the file is empty"), "{stderr}");
    assert!(stdout.contains("IST0162"));
}

#[test]
fn a_directory_without_manifests_and_a_missing_path() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("README.txt"), "not a manifest").unwrap();
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            empty.path().to_str().unwrap(),
            "no/such/file.yaml",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    assert_eq!(code, 65);
    assert!(
        stderr.contains("the directory holds no .yaml, .yml or .json files"),
        "{stderr}"
    );
    assert!(
        stderr.contains("no/such/file.yaml: cannot read: no such file or directory"),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"));
}

/// Serves one HTTP response on loopback, then stops.
fn serve_once(status: &str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let status = status.to_string();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/manifests/gateway.yaml")
}

#[test]
fn urls_are_read_and_failures_named() {
    let gateway = include_str!("../../testdata/ingress/port-8080/bookinfo-gateway.yaml");
    let url = serve_once("200 OK", gateway);
    let (_, stdout, stderr) = run(
        &[
            "analyze",
            &url,
            "testdata/bookinfo",
            "testdata/ingress/port-8080/istio-ingress.yaml",
        ],
        None,
    );
    assert!(
        stdout.contains(&format!("(Gateway default/bookinfo-gateway {url}:13:7)")),
        "{stdout}{stderr}"
    );

    let url = serve_once("404 Not Found", "nope");
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            &url,
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    assert_eq!(code, 65);
    assert!(
        stderr.contains(&format!(
            "{url}: cannot fetch: the server answered 404 Not Found"
        )),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"));

    // Nothing listens on this port: refused at once.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}/x.yaml");
    let (code, _, stderr) = run(
        &[
            "analyze",
            &url,
            "testdata/bookinfo",
            "testdata/ingress/fixed",
        ],
        None,
    );
    assert_eq!(code, 65);
    assert!(
        stderr.contains(&format!("{url}: cannot fetch: cannot connect")),
        "{stderr}"
    );
}
