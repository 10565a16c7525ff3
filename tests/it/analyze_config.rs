//! `.meshdeck.yaml` and `--config`: found upward from the working directory up to the
//! repository root, overridden by the flags, shown by `--print-config`, and bad content an
//! error at its line and column (exit 65).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{meshdeck, repo};

/// Runs meshdeck in `cwd` without a terminal: `(exit code, stdout, stderr)`.
fn run_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(meshdeck())
        .args(args)
        .current_dir(cwd)
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

/// A repository (`.git` at its root) holding the port-8080 scenario under `deploy/`, which
/// yields IST0162 (a Warning) and IST0101 (an Error, the VirtualService's host), with
/// `.meshdeck.yaml` = `config` at its root. A Service of `default` (not productpage) is added,
/// so that the VirtualService's host is judged in file mode.
fn repository(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let deploy = dir.path().join("deploy");
    std::fs::create_dir(&deploy).unwrap();
    for f in ["istio-ingress.yaml", "bookinfo-gateway.yaml"] {
        std::fs::copy(
            repo().join("testdata/ingress/port-8080").join(f),
            deploy.join(f),
        )
        .unwrap();
    }
    std::fs::write(
        deploy.join("services.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: default}\n\
         spec:\n  ports: [{port: 9080, name: http}]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join(".meshdeck.yaml"), config).unwrap();
    dir
}

const CI_CONFIG: &str = "\
# The lint step of CI.
analyze:
  output: github
  failureThreshold: Warning
  skipAnalyzers: [injection.ImageAnalyzer]
  suppress:
    - code: IST0102
      resource: Namespace frod
";

#[test]
fn the_file_found_upward_sets_format_and_thresholds() {
    let repo = repository(CI_CONFIG);
    // From a subdirectory: the repository root's file applies.
    let (code, stdout, stderr) = run_in(&repo.path().join("deploy"), &["analyze", "."]);
    assert_eq!(
        code, 79,
        "failureThreshold: Warning fails on IST0162: {stderr}"
    );
    assert!(stdout.starts_with("::"), "output: github: {stdout}");
    assert!(stdout.contains("IST0162"), "{stdout}");

    // The flags override it.
    let (code, stdout, _) = run_in(
        &repo.path().join("deploy"),
        &[
            "analyze",
            "-o",
            "json",
            "--failure-threshold",
            "Error",
            "-S",
            "IST0101=VirtualService *",
            ".",
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["IST0162"], "the -S suppression adds to the file's");

    // --no-config: the defaults.
    let (code, stdout, _) = run_in(
        &repo.path().join("deploy"),
        &["analyze", "--no-config", "."],
    );
    assert_eq!(code, 79, "IST0101 is an Error");
    assert!(stdout.starts_with("Error [IST0101]"), "{stdout}");
}

#[test]
fn the_search_stops_at_the_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(
        outer.path().join(".meshdeck.yaml"),
        "analyze:\n  output: json\n",
    )
    .unwrap();
    let inner = outer.path().join("checkout");
    std::fs::create_dir_all(inner.join(".git")).unwrap();
    let (code, stdout, _) = run_in(&inner, &["analyze", "--print-config"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("# config file: none"), "{stdout}");
    assert!(stdout.contains("output: log  # default"), "{stdout}");
}

#[test]
fn print_config_says_where_each_value_came_from() {
    let repo = repository(CI_CONFIG);
    let other = repo.path().join("other.yaml");
    std::fs::write(&other, "analyze:\n  outputThreshold: Warning\n").unwrap();
    let mut out = String::new();
    let cases: &[&[&str]] = &[
        &["analyze", "--print-config"],
        &[
            "analyze",
            "--print-config",
            "-o",
            "sarif",
            "--analyzer",
            "gateway.IngressGatewayPortAnalyzer",
            "-S",
            "IST0107=Pod default/*",
        ],
        &["analyze", "--print-config", "--config", "../other.yaml"],
        &["analyze", "--print-config", "--no-config"],
    ];
    for args in cases {
        let (code, stdout, stderr) = run_in(&repo.path().join("deploy"), args);
        assert_eq!(code, 0, "{stderr}");
        out.push_str(&format!(
            "$ meshdeck {}\n{stdout}{stderr}\n",
            args.join(" ")
        ));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("print-config", out));
}

#[test]
fn bad_content_is_an_error_at_file_line_column_naming_the_field() {
    let cases = [
        "analyze:\n  failureTreshold: Warning\n",
        "analyze:\n  output: xml\n",
        "analyze:\n  outputThreshold: loud\n",
        "analyze:\n  skipAnalyzers:\n    - gateway.SecretAnalyser\n",
        "analyze:\n  suppress:\n    - IST0162\n",
        "analyze:\n  suppress:\n    - code: IST0162\n      resorce: Gateway *\n",
        "analyze:\n  suppress:\n    - IST9999=Gateway *\n",
        "analyse:\n  output: json\n",
        "analyze:\n  output: json\n  output: yaml\n",
        "analyze: [output]\n",
        "analyze:\n  analyzers: {a: b}\n",
        "analyze:\n  output: [\n",
    ];
    let mut out = String::new();
    for config in cases {
        let repo = repository(config);
        let (code, stdout, stderr) = run_in(&repo.path().join("deploy"), &["analyze", "."]);
        assert_eq!(code, 65, "{config}: {stderr}");
        assert!(stdout.is_empty(), "nothing analyzed: {stdout}");
        assert!(stderr.starts_with("error: ../.meshdeck.yaml:"), "{stderr}");
        out.push_str(&format!(
            "--- .meshdeck.yaml\n{config}--- stderr\n{stderr}\n"
        ));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("config-errors", out));
}

#[test]
fn a_missing_config_flag_file_is_a_failure_naming_it() {
    let repo = repository("");
    let (code, _, stderr) = run_in(
        &repo.path().join("deploy"),
        &["analyze", "--config", "no/such.yaml", "."],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: cannot read the config file no/such.yaml"),
        "{stderr}"
    );
    // An empty file is the defaults.
    let (code, _, stderr) = run_in(&repo.path().join("deploy"), &["analyze", "."]);
    assert_eq!(code, 79, "{stderr}");
}

#[test]
fn skip_and_select_analyzers_from_the_file() {
    let repo = repository(
        "analyze:\n  analyzers: [gateway.IngressGatewayPortAnalyzer, virtualservice.DestinationHostAnalyzer]\n  skipAnalyzers: [virtualservice.DestinationHostAnalyzer]\n",
    );
    let (code, stdout, stderr) = run_in(&repo.path().join("deploy"), &["analyze", "-v", "."]);
    assert_eq!(code, 0, "only the Warning is left: {stdout}{stderr}");
    assert!(stdout.contains("IST0162"), "{stdout}");
    assert!(!stdout.contains("IST0101"), "{stdout}");
    assert!(
        stderr.contains("Executed analyzers:\n\t gateway.IngressGatewayPortAnalyzer\n"),
        "{stderr}"
    );
}

#[test]
fn skip_analyzer_flag_replaces_the_files_list_and_shows_in_print_config() {
    let repo = repository("analyze:\n  skipAnalyzers: [injection.ImageAnalyzer]\n");
    let deploy = repo.path().join("deploy");
    // Without the flag both the Warning (IST0162) and the Error (IST0101) are reported.
    let (code, stdout, _) = run_in(&deploy, &["analyze", "."]);
    assert_eq!(code, 79, "{stdout}");
    assert!(
        stdout.contains("IST0101") && stdout.contains("IST0162"),
        "{stdout}"
    );

    let (code, stdout, stderr) = run_in(
        &deploy,
        &[
            "analyze",
            "-v",
            "--skip-analyzer",
            "virtualservice.DestinationHostAnalyzer",
            "--skip-analyzer",
            "virtualservice.DestinationHostAnalyzer",
            ".",
        ],
    );
    assert_eq!(code, 0, "only the Warning is left: {stdout}{stderr}");
    assert!(stdout.contains("IST0162"), "{stdout}");
    assert!(!stdout.contains("IST0101"), "{stdout}");
    let executed = stderr
        .split("Executed analyzers:")
        .nth(1)
        .and_then(|s| s.split("Skipped analyzers:").next())
        .unwrap_or_default();
    assert!(
        !executed.contains("virtualservice.DestinationHostAnalyzer"),
        "{stderr}"
    );
    // The flag replaces the file's list: the file's skipped analyzer is selected again (it
    // runs, or is listed as skipped for want of a cluster).
    assert!(stderr.contains("injection.ImageAnalyzer"), "{stderr}");

    let (code, stdout, _) = run_in(
        &deploy,
        &[
            "analyze",
            "--print-config",
            "--skip-analyzer",
            "gateway.SecretAnalyzer",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains("  skipAnalyzers: [gateway.SecretAnalyzer]  # --skip-analyzer flag\n"),
        "{stdout}"
    );

    // An unknown name is a bad flag value (64) naming the nearest analyzer.
    let (code, stdout, stderr) = run_in(
        &deploy,
        &["analyze", "--skip-analyzer", "gateway.SecretAnalyser", "."],
    );
    assert_eq!(code, 64, "{stdout}{stderr}");
    assert!(
        stderr.contains("unknown analyzer \"gateway.SecretAnalyser\"")
            && stderr.contains("did you mean \"gateway.SecretAnalyzer\"?"),
        "{stderr}"
    );
}
