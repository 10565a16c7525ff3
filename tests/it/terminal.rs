//! The terminal rendering, snapshotted with colour and width forced: error reports with their
//! causes and hints, input problems with the offending line, findings with snippets, tables.
//! Escape characters are shown as `␛` and temporary paths as `[TMP]`.

use std::time::{Duration, SystemTime};

use meshdeck::cli::OutputFormat;
use meshdeck::cmd::CmdError;
use meshdeck::ops::Unobserved;
use meshdeck::ops::analyze::{self, AnalyzeRequest};
use meshdeck::resource::{LoadOptions, SourceText};
use meshdeck::source::Loaded;
use meshdeck::ui::{Table, Terminal, error};

const WIDTH: u16 = 100;

fn settings(tmp: Option<&std::path::Path>) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.add_filter("\x1b", "␛");
    if let Some(tmp) = tmp {
        s.add_filter(&regex_escape(&tmp.display().to_string()), "[TMP]");
    }
    s.add_filter(&regex_escape(env!("CARGO_PKG_VERSION")), "[VERSION]");
    s
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

fn request(paths: &[&str]) -> AnalyzeRequest {
    AnalyzeRequest {
        paths: paths.iter().map(|p| p.to_string()).collect(),
        namespace: None,
        all_namespaces: false,
        analyzers: vec![],
        suppress: vec![],
        mesh_config_file: None,
        mesh_networks_file: None,
        istio_namespace: "istio-system".into(),
        use_kube: false,
        kube: Default::default(),
        remote_contexts: vec![],
        timeout: Duration::from_secs(20),
        now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600),
    }
}

fn issues_of(name: &str, text: &str) -> Vec<meshdeck::resource::LoadIssue> {
    let mut loaded = Loaded::default();
    loaded.add_sources(vec![SourceText::new(name, text)], &LoadOptions::default());
    loaded.issues
}

#[test]
fn yaml_and_json_parse_errors_point_at_the_column_on_a_terminal() {
    let yaml = issues_of(
        "gateway.yaml",
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  selector: {istio: [ingress}\n",
    );
    let json = issues_of(
        "gateway.json",
        "{\"apiVersion\": \"v1\",\n \"kind\": \"Service\",\n \"metadata\": {\"name\": \"s\",}\n",
    );
    assert_eq!(yaml.len(), 1, "{yaml:?}");
    assert_eq!(json.len(), 1, "{json:?}");
    let mut out = String::new();
    for issue in yaml.iter().chain(&json) {
        assert!(issue.text.is_some(), "the source is attached: {issue:?}");
        out.push_str(&error::render_issue(issue, &Terminal::forced(WIDTH)));
        out.push_str("--- without a terminal\n");
        out.push_str(&error::render_issue(issue, &Terminal::plain()));
    }
    settings(None).bind(|| insta::assert_snapshot!("parse-errors-terminal", out));
}

#[test]
fn a_bad_mesh_config_file_shows_its_line_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mesh = dir.path().join("mesh.yaml");
    std::fs::write(
        &mesh,
        "defaultConfig:\n  discoveryAddress: [istiod:15012\nenableTracing: true\n",
    )
    .unwrap();
    let mut req = request(&["testdata/ingress/fixed"]);
    req.mesh_config_file = Some(mesh.clone());
    let err = CmdError::from(analyze::run(&req, &Unobserved).unwrap_err());
    let out = format!(
        "{}--- without a terminal\n{}",
        error::render(&err, &Terminal::forced(WIDTH)),
        error::render(&err, &Terminal::plain())
    );
    settings(Some(dir.path())).bind(|| insta::assert_snapshot!("mesh-config-error-terminal", out));
}

#[test]
fn a_mesh_config_error_past_the_last_line_still_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let mesh = dir.path().join("mesh.yaml");
    std::fs::write(&mesh, "rootNamespace: [").unwrap();
    let mut req = request(&["testdata/ingress/fixed"]);
    req.mesh_config_file = Some(mesh.clone());
    let err = CmdError::from(analyze::run(&req, &Unobserved).unwrap_err());
    let plain = error::render(&err, &Terminal::plain());
    assert!(
        plain.starts_with(&format!("error: {}:", mesh.display())),
        "{plain}"
    );
}

#[test]
fn errors_with_causes_and_hints() {
    let dir = tempfile::tempdir().unwrap();
    let mut req = request(&["testdata/ingress/fixed"]);
    req.mesh_config_file = Some(dir.path().join("missing.yaml"));
    let missing = CmdError::from(analyze::run(&req, &Unobserved).unwrap_err());
    let no_input = CmdError::from(analyze::run(&request(&[]), &Unobserved).unwrap_err());
    let mut out = String::new();
    for err in [&missing, &no_input] {
        out.push_str(&error::render(err, &Terminal::forced(WIDTH)));
        out.push_str("--- without a terminal\n");
        out.push_str(&error::render(err, &Terminal::plain()));
    }
    assert!(out.contains("caused by: No such file"), "{out}");
    settings(Some(dir.path())).bind(|| insta::assert_snapshot!("errors-terminal", out));
}

#[test]
fn findings_with_snippets_on_a_terminal() {
    let report = analyze::run(
        &request(&["testdata/bookinfo", "testdata/ingress/helm-label-mismatch"]),
        &Unobserved,
    )
    .unwrap();
    let out = meshdeck::analyze::report::render(
        OutputFormat::Log,
        &report.findings,
        meshdeck::analyze::report::RenderOptions {
            color: true,
            snippets: true,
        },
    );
    assert!(out.contains("IST0101"), "{out}");
    settings(None).bind(|| insta::assert_snapshot!("findings-terminal", out));
}

#[test]
fn tables_fit_the_terminal_and_are_plain_without_one() {
    let mut table = Table::new(["CODE", "LEVEL", "NAME", "DESCRIPTION"]);
    for m in meshdeck::analyze::catalogue::CATALOGUE.iter().take(4) {
        table.row([m.code, m.level.as_str(), m.name, m.description]);
    }
    let narrow = table.render(&Terminal::forced(72));
    for line in narrow.lines() {
        let visible = console::strip_ansi_codes(line);
        assert!(visible.chars().count() <= 72, "{visible:?}");
    }
    let plain = table.render(&Terminal::plain());
    assert!(plain.lines().all(|l| !l.ends_with(' ')), "{plain}");
    let out = format!("{narrow}--- without a terminal\n{plain}");
    settings(None).bind(|| insta::assert_snapshot!("table-terminal", out));
}
