//! The real binary on the bundled scenarios: every output format and exit code, snapshotted.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{meshdeck, repo};

/// Runs meshdeck in the repository root with no terminal and no colour, and returns
/// `(exit code, stdout, stderr)`.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut cmd = Command::new(meshdeck());
    cmd.args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("meshdeck runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn transcript(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args, None);
    format!(
        "$ meshdeck {}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    )
}

const SCENARIOS: &[&str] = &["helm-label-mismatch", "port-8080", "fixed"];
const FORMATS: &[&str] = &["log", "json", "yaml", "sarif", "github", "junit"];

#[test]
fn scenarios_in_every_format() {
    for scenario in SCENARIOS {
        for format in FORMATS {
            let dir = format!("testdata/ingress/{scenario}");
            let out = transcript(&["analyze", "-o", format, "testdata/bookinfo", &dir]);
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_suffix(format!("{scenario}-{format}"));
            settings.set_prepend_module_to_snapshot(false);
            // The SARIF driver names the crate version; a release must not rewrite snapshots.
            settings.add_filter(
                r#"(?m)^          "version": "[^"]+"$"#,
                r#"          "version": "[VERSION]""#,
            );
            settings.bind(|| insta::assert_snapshot!("analyze", out));
        }
    }
}

#[test]
fn exit_codes_follow_the_failure_threshold_in_every_format() {
    for format in FORMATS {
        let (code, ..) = run(
            &[
                "analyze",
                "-o",
                format,
                "testdata/bookinfo",
                "testdata/ingress/helm-label-mismatch",
            ],
            None,
        );
        assert_eq!(
            code, 79,
            "{format}: an Error at the default threshold fails"
        );
        let (code, ..) = run(
            &[
                "analyze",
                "-o",
                format,
                "testdata/bookinfo",
                "testdata/ingress/port-8080",
            ],
            None,
        );
        assert_eq!(
            code, 0,
            "{format}: a Warning below the default threshold passes"
        );
        let (code, ..) = run(
            &[
                "analyze",
                "-o",
                format,
                "--failure-threshold",
                "warning",
                "testdata/bookinfo",
                "testdata/ingress/port-8080",
            ],
            None,
        );
        assert_eq!(
            code, 79,
            "{format}: a Warning at --failure-threshold Warning fails"
        );
    }
}

#[test]
fn output_threshold_hides_but_failure_threshold_still_counts() {
    let (code, stdout, _) = run(
        &[
            "analyze",
            "--output-threshold",
            "Error",
            "--failure-threshold",
            "Warning",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    assert_eq!(code, 79);
    assert!(!stdout.contains("IST0162"), "{stdout}");
}

#[test]
fn suppression_by_flag_and_annotation() {
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "-S",
            "IST0162=Gateway default/*",
            "--failure-threshold",
            "Warning",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    // A glob for another resource leaves it alone.
    let (_, stdout, _) = run(
        &[
            "analyze",
            "-S",
            "IST0162=Gateway other/*",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    assert!(stdout.contains("IST0162"));
    // Unknown code: a warning, the run goes on.
    let (_, _, stderr) = run(
        &["analyze", "-S", "IST9999=*", "testdata/ingress/fixed"],
        None,
    );
    assert!(
        stderr.contains("'IST9999' is an unknown message code"),
        "{stderr}"
    );
    // Malformed value: a bad flag value.
    let (code, _, stderr) = run(
        &["analyze", "-S", "IST0162", "testdata/ingress/fixed"],
        None,
    );
    assert_eq!(code, 64, "{stderr}");

    let text =
        std::fs::read_to_string(repo().join("testdata/ingress/port-8080/bookinfo-gateway.yaml"))
            .unwrap();
    let annotated = text.replacen(
        "  name: bookinfo-gateway\n",
        "  name: bookinfo-gateway\n  annotations:\n    galley.istio.io/analyze-suppress: IST0162\n",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gw.yaml"), annotated).unwrap();
    std::fs::copy(
        repo().join("testdata/ingress/port-8080/istio-ingress.yaml"),
        dir.path().join("ingress.yaml"),
    )
    .unwrap();
    let (code, stdout, _) = run(
        &[
            "analyze",
            "--failure-threshold",
            "Warning",
            "testdata/bookinfo",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(!stdout.contains("IST0162"), "{stdout}");
}

#[test]
fn namespace_flag_narrows_reported_messages() {
    // The same Gateway, written with an explicit namespace.
    let text =
        std::fs::read_to_string(repo().join("testdata/ingress/port-8080/bookinfo-gateway.yaml"))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gw.yaml"),
        text.replacen(
            "  name: bookinfo-gateway\n",
            "  name: bookinfo-gateway\n  namespace: shop\n",
            1,
        ),
    )
    .unwrap();
    let gw = dir.path().to_str().unwrap();
    let ingress = "testdata/ingress/port-8080/istio-ingress.yaml";
    let (_, stdout, _) = run(
        &[
            "analyze",
            "--analyzer",
            "gateway.IngressGatewayPortAnalyzer",
            "-n",
            "default",
            ingress,
            gw,
        ],
        None,
    );
    assert!(
        !stdout.contains("IST0162"),
        "the Gateway is in shop: {stdout}"
    );
    let (_, stdout, _) = run(
        &[
            "analyze",
            "--analyzer",
            "gateway.IngressGatewayPortAnalyzer",
            "-n",
            "shop",
            ingress,
            gw,
        ],
        None,
    );
    assert!(
        stdout.contains("(Gateway shop/bookinfo-gateway"),
        "{stdout}"
    );
    let (_, stdout, _) = run(
        &[
            "analyze",
            "--analyzer",
            "gateway.IngressGatewayPortAnalyzer",
            ingress,
            gw,
        ],
        None,
    );
    assert!(
        stdout.contains("(Gateway shop/bookinfo-gateway"),
        "file mode reports every namespace: {stdout}"
    );
    // -n also gives namespace-less resources their namespace.
    let (_, stdout, _) = run(
        &[
            "analyze",
            "-n",
            "web",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    assert!(stdout.contains("(Gateway web/bookinfo-gateway"), "{stdout}");
}

#[test]
fn bad_flag_values_and_usage_errors() {
    let (code, _, stderr) = run(&["analyze", "-o", "xml", "testdata/ingress/fixed"], None);
    assert_eq!(code, 64, "{stderr}");
    let (code, _, stderr) = run(
        &[
            "analyze",
            "--analyzer",
            "gateway.NoSuchAnalyzer",
            "testdata/ingress/fixed",
        ],
        None,
    );
    assert_eq!(code, 64);
    assert!(
        stderr.contains("unknown analyzer") && stderr.contains("meshdeck analyze -L"),
        "{stderr}"
    );
    let (code, _, _) = run(
        &[
            "analyze",
            "--failure-threshold",
            "fatal",
            "testdata/ingress/fixed",
        ],
        None,
    );
    assert_eq!(code, 64);
    let (code, _, _) = run(&["analyze", "--no-such-flag"], None);
    assert_eq!(code, 2);
    let (code, _, stderr) = run(&["analyze", "--explain", "IST4242"], None);
    assert_eq!(code, 64, "{stderr}");
}

#[test]
fn analyzer_flag_runs_only_the_named_analyzers() {
    let (code, stdout, _) = run(
        &[
            "analyze",
            "--analyzer",
            "kubernetes.ServiceSelectorAnalyzer",
            "testdata/bookinfo",
            "testdata/ingress/helm-label-mismatch",
        ],
        None,
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.is_empty());
}

#[test]
fn stdin_and_json_inputs() {
    let yaml =
        std::fs::read(repo().join("testdata/ingress/port-8080/bookinfo-gateway.yaml")).unwrap();
    let mut input =
        std::fs::read(repo().join("testdata/ingress/port-8080/istio-ingress.yaml")).unwrap();
    input.extend_from_slice(b"\n---\n");
    input.extend_from_slice(&yaml);
    let (_, stdout, _) = run(&["analyze", "-"], Some(&input));
    assert!(
        stdout.contains("(Gateway default/bookinfo-gateway -:"),
        "{stdout}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("testdata/ingress/port-8080/istio-ingress.yaml"),
        dir.path().join("ingress.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("gateway.json"),
        r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "networking.istio.io/v1beta1", "kind": "Gateway",
   "metadata": {"name": "gw", "namespace": "default"},
   "spec": {"selector": {"istio": "ingress"},
            "servers": [{"port": {"number": 9999, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}}
]}"#,
    )
    .unwrap();
    let (_, stdout, _) = run(
        &["analyze", "-o", "json", dir.path().to_str().unwrap()],
        None,
    );
    let records: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(records.len(), 1, "{stdout}");
    assert_eq!(records[0]["code"], "IST0162");
    assert_eq!(records[0]["line"], 5, "the server's port of the list item");
    assert!(
        records[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("gateway.json")
    );
}

#[test]
fn list_explain_and_version() {
    let (code, stdout, _) = run(&["analyze", "-L"], None);
    assert_eq!(code, 0);
    assert!(stdout.contains("* gateway.IngressGatewayPortAnalyzer:\n    Checks a gateway's ports"));
    let (code, stdout, _) = run(&["analyze", "--list-codes"], None);
    assert_eq!(code, 0);
    assert_eq!(stdout.matches("IST0").count(), 68, "{stdout}");
    assert!(stdout.contains("MDK0001"));
    let (code, stdout, _) = run(&["analyze", "--explain", "ist0162"], None);
    assert_eq!(code, 0);
    for part in [
        "IST0162 GatewayPortNotDefinedOnService (Warning)",
        "Why it matters",
        "How to fix it",
        "Example",
        "gateway.IngressGatewayPortAnalyzer",
    ] {
        assert!(stdout.contains(part), "{part}: {stdout}");
    }
    let (code, stdout, _) = run(&["--version"], None);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("meshdeck 0."), "{stdout}");
}

#[test]
fn without_paths_or_kubeconfig_the_error_says_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(meshdeck())
        .arg("analyze")
        .env("HOME", home.path())
        .env("KUBECONFIG", "")
        .env("NO_COLOR", "1")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot load the kubeconfig"), "{stderr}");
    assert!(
        stderr.contains("; give files (and --use-kube=false) to analyze them without a cluster"),
        "{stderr}"
    );
}

#[test]
fn without_workloads_the_workload_analyzers_are_skipped_and_named() {
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "testdata/ingress/helm-label-mismatch/bookinfo-gateway.yaml",
        ],
        None,
    );
    assert!(
        !stdout.contains("IST0101] (Gateway"),
        "no selector verdict without workloads: {stdout}"
    );
    assert!(
        stderr.contains(
            "because the input holds no Pods or workload templates to match selectors against"
        ) && stderr.contains("gateway.IngressGatewayPortAnalyzer"),
        "{stderr}"
    );
    // The skip is a note, not a message: the exit code depends on the messages alone. The
    // VirtualService's host (productpage) is skipped too: the input holds no Service of its
    // namespace.
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("not checked: IST0101 (destination host) for host productpage."),
        "{stderr}"
    );
    let (_, _, stderr) = run(
        &[
            "analyze",
            "-v",
            "testdata/ingress/helm-label-mismatch/bookinfo-gateway.yaml",
        ],
        None,
    );
    let skipped = &stderr[stderr.find("Skipped analyzers:").expect("a skipped list")..];
    assert!(
        skipped.contains("\t gateway.IngressGatewayPortAnalyzer\n"),
        "{stderr}"
    );
}

/// Runs meshdeck with no kubeconfig anywhere (`HOME` empty, `KUBECONFIG` unset).
fn run_without_cluster(args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(meshdeck())
        .args(args)
        .current_dir(repo())
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn use_kube_is_a_switch_that_leaves_the_next_argument_alone() {
    // The file after --use-kube is a path: the run reads the cluster (there is none here).
    let (code, _, stderr) =
        run_without_cluster(&["analyze", "--use-kube", "testdata/ingress/fixed"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot load the kubeconfig"), "{stderr}");
    assert!(!stderr.contains("invalid value"), "{stderr}");
    for off in ["--use-kube=false", "-k=false"] {
        let (code, _, stderr) = run_without_cluster(&[
            "analyze",
            off,
            "testdata/bookinfo",
            "testdata/ingress/fixed",
        ]);
        assert_eq!(code, 0, "{off}: {stderr}");
        assert!(stderr.contains("No validation issues found"), "{stderr}");
    }
}

#[test]
fn a_flag_without_its_value_is_a_usage_error_and_a_bad_value_is_64() {
    for args in [
        &["analyze", "--timeout"][..],
        &["analyze", "testdata/ingress/fixed", "-o"],
    ] {
        let (code, _, stderr) = run(args, None);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("a value is required"), "{stderr}");
    }
    let (code, _, stderr) = run(
        &["analyze", "--timeout", "soon", "testdata/ingress/fixed"],
        None,
    );
    assert_eq!(code, 64, "{stderr}");
}

#[test]
fn quiet_leaves_only_errors_and_the_report() {
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "-q",
            "testdata/bookinfo",
            "testdata/ingress/fixed",
        ],
        None,
    );
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let (code, stdout, stderr) = run(
        &[
            "analyze",
            "--quiet",
            "testdata/bookinfo",
            "testdata/ingress/helm-label-mismatch",
        ],
        None,
    );
    assert_eq!(code, 79);
    assert!(
        stdout.contains("IST0101"),
        "the requested report stays: {stdout}"
    );
    assert!(
        !stderr.contains("note:") && !stderr.contains('✔'),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "a: [\n").unwrap();
    let (code, _, stderr) = run(&["-q", "analyze", dir.path().to_str().unwrap()], None);
    assert_eq!(code, 65);
    assert!(
        stderr.contains("bad.yaml:1:5: invalid YAML"),
        "errors stay: {stderr}"
    );
    assert!(!stderr.contains("note:"), "{stderr}");
}

#[test]
fn global_flags_work_before_and_after_the_command() {
    let after = run(
        &[
            "analyze",
            "-n",
            "web",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    let before = run(
        &[
            "-n",
            "web",
            "analyze",
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ],
        None,
    );
    assert_eq!(after, before);
    assert!(
        after.1.contains("(Gateway web/bookinfo-gateway"),
        "{}",
        after.1
    );
    for flags in [
        &["-y"][..],
        &["--yes"],
        &["--skip-confirmation"],
        &[
            "--as",
            "jane",
            "--as-group",
            "devs",
            "--request-timeout",
            "5s",
        ],
        &["-i", "istio-other", "--color", "never"],
    ] {
        let mut args = flags.to_vec();
        args.extend(["analyze", "testdata/bookinfo", "testdata/ingress/fixed"]);
        let (code, _, stderr) = run(&args, None);
        assert_eq!(code, 0, "{flags:?}: {stderr}");
    }
    let (_, _, stderr) = run(&["-v", "analyze", "testdata/ingress/fixed"], None);
    assert!(stderr.contains("Executed analyzers:"), "{stderr}");
}

#[test]
fn list_codes_without_a_terminal_has_no_trailing_spaces() {
    let (code, stdout, _) = run(&["analyze", "--list-codes"], None);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("CODE     LEVEL    NAME"), "{stdout}");
    for line in stdout.lines() {
        assert!(!line.ends_with(' '), "{line:?}");
    }
}

#[test]
fn exit_codes_in_help_and_readme_come_from_one_list() {
    // clap wraps help text: compare word by word.
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for args in [&["--help"][..], &["analyze", "--help"]] {
        let (_, help, _) = run(args, None);
        assert!(
            words(&help).contains(&meshdeck::exit::help_text()),
            "{args:?}: {help}"
        );
    }
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let table = meshdeck::exit::markdown_table();
    assert!(
        readme.contains(&table),
        "README's exit code table differs from meshdeck::exit::CODES; it should read:\n{table}"
    );
}

/// Error output without a terminal, as CI logs show it.
#[test]
fn error_transcripts() {
    let home = tempfile::tempdir().unwrap();
    let cases: &[&[&str]] = &[
        &[
            "analyze",
            "--analyzer",
            "gateway.NoSuch",
            "testdata/ingress/fixed",
        ],
        &[
            "analyze",
            "--analyzer",
            "gateway.SecretAnalyser",
            "testdata/ingress/fixed",
        ],
        &["analyze", "-S", "IST0162", "testdata/ingress/fixed"],
        &["analyze", "--explain", "IST4242"],
        &[
            "analyze",
            "--meshConfigFile",
            "no/such/mesh.yaml",
            "testdata/ingress/fixed",
        ],
        &["analyze", "--use-kube=false"],
        &["analyze", "--timeout"],
    ];
    let mut out = String::new();
    for args in cases {
        let o = Command::new(meshdeck())
            .args(*args)
            .current_dir(repo())
            .env("HOME", home.path())
            .env("NO_COLOR", "1")
            .env_remove("KUBECONFIG")
            .env_remove("KUBERNETES_SERVICE_HOST")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        out.push_str(&format!(
            "$ meshdeck {}\nexit: {}\n{}{}\n",
            args.join(" "),
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(
        &home.path().display().to_string().replace('.', r"\."),
        "[HOME]",
    );
    settings.bind(|| insta::assert_snapshot!("errors-plain", out));
}
