//! What CI sees of `analyze`: input errors in every output format, hints in plain logs, and
//! `-o junit` parsed back as a test-report tool would.

use std::path::Path;

use crate::cli::run;

/// A directory holding a file that does not parse, at line 5, column 20.
fn broken_input() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: {a: [1, 2}\n",
    )
    .unwrap();
    dir
}

fn transcript(args: &[&str]) -> (i32, String) {
    let (code, stdout, stderr) = run(args, None);
    (
        code,
        format!(
            "$ meshdeck {}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
            args.join(" ")
        ),
    )
}

fn settings(dir: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(&regex_escape(&dir.display().to_string()), "[DIR]");
    settings.add_filter(
        r#"(?m)^          "version": "[^"]+"$"#,
        r#"          "version": "[VERSION]""#,
    );
    settings
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

/// A run with one file that does not parse and one real message (IST0101 with a hint).
fn args_with_broken(dir: &Path, format: &str) -> Vec<String> {
    vec![
        "analyze".into(),
        "-o".into(),
        format.into(),
        "testdata/ingress/helm-label-mismatch".into(),
        dir.join("broken.yaml").display().to_string(),
    ]
}

#[test]
fn input_errors_reach_every_output_format() {
    let dir = broken_input();
    for format in ["log", "json", "yaml", "github", "junit"] {
        let args = args_with_broken(dir.path(), format);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out) = transcript(&args);
        assert_eq!(
            code, 79,
            "the failing message wins over the input error: {out}"
        );
        let mut s = settings(dir.path());
        s.set_snapshot_suffix(format);
        s.bind(|| insta::assert_snapshot!("input-errors", out));
    }
}

#[test]
fn input_errors_as_json_objects_with_code_input() {
    let dir = broken_input();
    let args = args_with_broken(dir.path(), "json");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, _) = run(&args, None);
    assert_eq!(code, 79);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let input = &v[0];
    assert_eq!(input["code"], "input");
    assert_eq!(input["level"], "Error");
    assert_eq!(input["line"], 5);
    assert_eq!(input["column"], 20);
    assert!(
        input["file"].as_str().unwrap().ends_with("broken.yaml"),
        "{input}"
    );
    assert_eq!(v[1]["code"], "IST0101");

    // Only the input error: still an array holding it, and exit 65.
    let only = dir.path().join("broken.yaml").display().to_string();
    let (code, stdout, _) = run(&["analyze", "-o", "yaml", &only], None);
    assert_eq!(code, 65);
    let v: serde_yaml::Value = serde_yaml::from_str(&stdout).unwrap();
    assert_eq!(v[0]["code"].as_str(), Some("input"), "{stdout}");
    assert_eq!(v.as_sequence().map(Vec::len), Some(1), "{stdout}");
}

#[test]
fn input_errors_as_sarif_tool_execution_notifications() {
    let dir = broken_input();
    let args = args_with_broken(dir.path(), "sarif");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, _) = run(&args, None);
    assert_eq!(code, 79);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let run = &v["runs"][0];
    let invocation = &run["invocations"][0];
    // The invocation as a snapshot: what a code-scanning upload shows about the unread file.
    let mut s = settings(dir.path());
    s.set_snapshot_suffix("sarif");
    s.bind(|| {
        insta::assert_snapshot!(
            "input-errors",
            serde_json::to_string_pretty(invocation).unwrap()
        )
    });
    assert_eq!(invocation["executionSuccessful"], false);
    let n = &invocation["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    let loc = &n["locations"][0]["physicalLocation"];
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("broken.yaml")
    );
    assert_eq!(loc["region"]["startLine"], 5);
    assert_eq!(loc["region"]["startColumn"], 20);
    assert_eq!(run["results"][0]["ruleId"], "IST0101");

    // A clean run says its execution succeeded and has no notifications.
    let (_, stdout, _) = run_clean("sarif");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let invocation = &v["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert_eq!(
        invocation["toolExecutionNotifications"],
        serde_json::json!([])
    );
}

fn run_clean(format: &str) -> (i32, String, String) {
    run(
        &[
            "analyze",
            "-o",
            format,
            "testdata/bookinfo",
            "testdata/ingress/fixed",
        ],
        None,
    )
}

#[test]
fn github_annotates_the_file_that_does_not_parse() {
    let dir = broken_input();
    let args = args_with_broken(dir.path(), "github");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, stdout, _) = run(&args, None);
    let first = stdout.lines().next().unwrap();
    let file = dir.path().join("broken.yaml").display().to_string();
    assert!(
        first.starts_with(&format!("::error file={file},line=5,col=20,")),
        "{first}"
    );
    assert!(first.contains("::invalid YAML"), "{first}");
}

#[test]
fn hints_appear_in_plain_logs_indented_under_their_message() {
    let (code, stdout, _) = run(
        &[
            "analyze",
            "testdata/bookinfo",
            "testdata/ingress/helm-label-mismatch",
        ],
        None,
    );
    assert_eq!(code, 79);
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Error [IST0101]"))
        .expect("the message");
    assert!(
        lines[at + 1].starts_with("    hint: No workload is labelled istio=ingressgateway"),
        "{stdout}"
    );
}

/// One parsed JUnit report: (classname, name) -> (failure type, error type, system-out).
type Cases = Vec<(
    (String, String),
    Option<String>,
    Option<String>,
    Option<String>,
)>;

fn junit(args: &[&str]) -> (i32, Cases, [usize; 3]) {
    let (code, stdout, stderr) = run(args, None);
    let doc = roxmltree::Document::parse(&stdout)
        .unwrap_or_else(|e| panic!("well-formed XML: {e}\n{stdout}\n{stderr}"));
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a testsuite");
    let count = |a: &str| suite.attribute(a).unwrap().parse::<usize>().unwrap();
    let counts = [count("tests"), count("failures"), count("errors")];
    let cases: Cases = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|c| {
            let child = |tag: &str| {
                c.children()
                    .find(|n| n.has_tag_name(tag))
                    .map(|n| n.attribute("type").or(n.text()).unwrap_or("").to_string())
            };
            (
                (
                    c.attribute("classname").unwrap().to_string(),
                    c.attribute("name").unwrap().to_string(),
                ),
                child("failure"),
                child("error"),
                child("system-out"),
            )
        })
        .collect();
    (code, cases, counts)
}

#[test]
fn junit_has_one_case_per_object_with_failures_and_input_errors() {
    let dir = broken_input();
    let broken = dir.path().join("broken.yaml").display().to_string();
    let (code, cases, counts) = junit(&[
        "analyze",
        "-o",
        "junit",
        "testdata/bookinfo",
        "testdata/ingress/helm-label-mismatch",
        &broken,
    ]);
    assert_eq!(code, 79);
    let gateway = (
        "testdata/ingress/helm-label-mismatch/bookinfo-gateway.yaml".to_string(),
        "Gateway default/bookinfo-gateway".to_string(),
    );
    let case = cases.iter().find(|c| c.0 == gateway).expect("the Gateway");
    assert_eq!(case.1.as_deref(), Some("IST0101"));
    let input = cases
        .iter()
        .find(|c| c.0 == (broken.clone(), "input".to_string()))
        .expect("the input error");
    assert_eq!(input.2.as_deref(), Some("input"));
    assert!(
        cases.iter().any(|c| c.0
            == (
                "testdata/bookinfo/bookinfo.yaml".to_string(),
                "Service default/reviews".to_string()
            )
            && c.1.is_none()),
        "a clean object is a passing case"
    );
    let failures = cases.iter().filter(|c| c.1.is_some()).count();
    let errors = cases.iter().filter(|c| c.2.is_some()).count();
    assert_eq!(counts, [cases.len(), failures, errors]);
    assert_eq!((failures, errors), (1, 1));

    // The same cases in the same order whatever the argument order.
    let (_, again, _) = junit(&[
        "analyze",
        "-o",
        "junit",
        &broken,
        "testdata/ingress/helm-label-mismatch",
        "testdata/bookinfo",
    ]);
    assert_eq!(again, cases);
}

#[test]
fn junit_failures_follow_the_failure_threshold() {
    // port-8080 yields a Warning (IST0162): a failure only at --failure-threshold Warning.
    let args = |threshold: &'static str| {
        [
            "analyze",
            "-o",
            "junit",
            "--failure-threshold",
            threshold,
            "testdata/bookinfo",
            "testdata/ingress/port-8080",
        ]
    };
    let (code, cases, counts) = junit(&args("Error"));
    assert_eq!(code, 0);
    assert_eq!(counts[1], 0, "{cases:?}");
    let warned = cases
        .iter()
        .find(|c| c.3.as_deref().is_some_and(|o| o.contains("IST0162")))
        .expect("the warning is listed in system-out");
    assert!(warned.1.is_none());

    let (code, cases, counts) = junit(&args("Warning"));
    assert_eq!(code, 79);
    assert_eq!(counts[1], 1, "{cases:?}");
    assert!(cases.iter().any(|c| c.1.as_deref() == Some("IST0162")));

    // Hidden by --output-threshold, a failure still fails the report as it fails the exit code.
    let (code, _, counts) = junit(&[
        "analyze",
        "-o",
        "junit",
        "--failure-threshold",
        "Warning",
        "--output-threshold",
        "Error",
        "testdata/bookinfo",
        "testdata/ingress/port-8080",
    ]);
    assert_eq!(code, 79);
    assert_eq!(counts[1], 1);
}
