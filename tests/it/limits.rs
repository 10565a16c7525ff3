//! Hostile and runaway input through the real binary: every limit is an input error (exit 65)
//! at file:line:col that names the limit, and stdin and URLs that never finish end with
//! `--timeout`. Elapsed-time bounds here are hang guards only, far above what the runs take.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::run;
use crate::common::{meshdeck, repo};

/// `analyze` of one file plus the port-8080 scenario, whose IST0162 shows the rest was read.
fn analyze_with(name: &str, text: &str) -> (i32, String, String, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let started = Instant::now();
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
            path.to_str().unwrap(),
        ],
        None,
    );
    let stderr = stderr.replace(&format!("{}/", dir.path().display()), "");
    (code, stdout, stderr, started.elapsed())
}

#[test]
fn an_alias_bomb_is_rejected_quickly() {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for w in b"abcdefghi".windows(2) {
        let refs = vec![format!("*{}", w[0] as char); 9].join(", ");
        text.push_str(&format!("  {c}: &{c} [{refs}]\n", c = w[1] as char));
    }
    let (code, stdout, stderr, elapsed) = analyze_with("bomb.yaml", &text);
    assert_eq!(code, 65, "{stderr}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert!(
        stderr.contains("error: bomb.yaml:") && stderr.contains("(limit: alias expansion)"),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"), "the other inputs are analyzed");
}

#[test]
fn deep_nesting_is_an_error_naming_the_limit() {
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: {}{}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let (code, _, stderr, _) = analyze_with("deep.yaml", &text);
    assert_eq!(code, 65, "{stderr}");
    assert!(stderr.contains("error: deep.yaml:6:"), "{stderr}");
    assert!(stderr.contains("(limit: nesting depth)"), "{stderr}");
}

#[test]
fn a_repeated_key_is_an_error_at_the_second_key() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app: x\n  selector:\n    app: y\n";
    let (code, stdout, stderr, _) = analyze_with("dup.yaml", text);
    assert_eq!(code, 65, "{stderr}");
    assert!(
        stderr.contains(
            "error: dup.yaml:8:3: invalid YAML: duplicate key `selector` in one mapping (first at line 6, column 3)"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"));
    // Merge keys are not duplicates.
    let merged = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n  labels: &l {app: web}\n  annotations:\n    <<: *l\n    app: other\n";
    let (code, _, stderr, _) = analyze_with("merge.yaml", merged);
    assert_ne!(code, 65, "{stderr}");
}

#[test]
fn a_source_past_the_size_limit_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    // Sparse: 65 MiB of zeros that take no disk space.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 65, "{stderr}");
    assert!(
        stderr.contains("huge.yaml: larger than 64 MiB (limit: source size)"),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"));
}

#[test]
fn stdin_that_never_ends_times_out() {
    let started = Instant::now();
    let mut child = Command::new(meshdeck())
        .args(["analyze", "-", "--timeout", "2s"])
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Some input, then silence, with the pipe held open like `sleep 100 | meshdeck analyze -`.
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"apiVersion: v1\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let elapsed = started.elapsed();
    drop(stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{stderr}");
    assert!(
        stderr.contains("error: -: standard input did not end within --timeout 2s"),
        "{stderr}"
    );
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[test]
fn a_url_that_trickles_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/slow.yaml", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
            );
            // One byte every 200 ms: the answer is never complete within the timeout.
            for _ in 0..100 {
                if stream.write_all(b"#").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    });
    let started = Instant::now();
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "--timeout",
            "2s",
            &url,
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    let elapsed = started.elapsed();
    assert_eq!(code, 65, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: {url}: cannot fetch: no complete answer within --timeout 2s"
        )),
        "{stderr}"
    );
    assert!(stdout.contains("IST0162"), "the files are still analyzed");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}
