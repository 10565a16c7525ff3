//! `meshdeck analyze`: arguments -> `analyze::session::analyze` -> rendered report and exit code.

use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets};

use super::{CmdError, CmdResult};
use crate::analyze::catalogue::{self, CATALOGUE, ISTIO_DOCS_VERSION};
use crate::analyze::report::{self, RenderOptions};
use crate::analyze::session::{self, AnalyzeError, AnalyzeRequest};
use crate::analyze::{Level, analyzers};
use crate::cli::{AnalyzeArgs, GlobalArgs, OutputFormat};
use crate::exit;
use crate::resource::Severity;
use crate::source::cluster;
use crate::ui::{Terminal, paint};

pub fn run(args: AnalyzeArgs, global: &GlobalArgs, term: Terminal) -> CmdResult {
    if args.list_analyzers {
        return list_analyzers();
    }
    if args.list_codes {
        return list_codes(term);
    }
    if let Some(code) = &args.explain {
        return explain(code, term);
    }
    let request = AnalyzeRequest {
        use_kube: args.use_kube.unwrap_or(args.paths.is_empty()),
        paths: args.paths,
        namespace: args.namespace,
        all_namespaces: args.all_namespaces,
        analyzers: args.analyzers,
        suppress: args.suppress,
        mesh_config_file: args.mesh_config_file,
        mesh_networks_file: args.mesh_networks_file,
        istio_namespace: args.istio_namespace,
        kube: cluster::Target {
            kubeconfig: global.kubeconfig.clone(),
            context: global.context.clone(),
            ..Default::default()
        },
        timeout: args.timeout,
    };
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| CmdError::failure(format!("cannot start: {e}")))?;
    let result = runtime
        .block_on(async { tokio::time::timeout(args.timeout, session::analyze(&request)).await });
    let report = match result {
        Err(_) => {
            return Err(CmdError::failure(format!(
                "analysis did not finish within --timeout {}",
                humantime::format_duration(args.timeout)
            ))
            .with_hint(Some(
                "raise --timeout, or narrow the run with --analyzer or -n".into(),
            )));
        }
        Ok(Err(e)) => return Err(analyze_error(e)),
        Ok(Ok(report)) => report,
    };

    let mut stderr = std::io::stderr().lock();
    for w in &report.warnings {
        let _ = writeln!(stderr, "{}: {w}", paint(term.stderr_color, "33", "warning"));
    }
    for issue in &report.load_issues {
        let label = match issue.severity {
            Severity::Error => paint(term.stderr_color, "1;31", "error"),
            Severity::Note => paint(term.stderr_color, "36", "note"),
        };
        let _ = writeln!(stderr, "{label}: {}: {}", issue.location(), issue.message);
    }
    if !report.skipped.is_empty() {
        let mut reasons: Vec<&str> = report.skipped.iter().map(|(_, r)| r.as_str()).collect();
        reasons.dedup();
        for reason in reasons {
            let names: Vec<&str> = report
                .skipped
                .iter()
                .filter(|(_, r)| r == reason)
                .map(|(n, _)| *n)
                .collect();
            let _ = writeln!(
                stderr,
                "{}: skipped {} analyzer(s) because {reason}: {}",
                paint(term.stderr_color, "36", "note"),
                names.len(),
                names.join(", ")
            );
        }
    }
    if args.verbose {
        let _ = writeln!(
            stderr,
            "Analyzed {} resources in {}",
            report.resources,
            report.target.trim_start_matches(':')
        );
        let _ = writeln!(stderr, "Executed analyzers:");
        for name in &report.executed {
            let _ = writeln!(stderr, "\t {name}");
        }
        if !report.skipped.is_empty() {
            let _ = writeln!(stderr, "Skipped analyzers:");
            for (name, _) in &report.skipped {
                let _ = writeln!(stderr, "\t {name}");
            }
        }
        let _ = writeln!(stderr);
    }

    let failing = report
        .findings
        .iter()
        .any(|f| f.level >= args.failure_threshold);
    let shown: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.level >= args.output_threshold)
        .cloned()
        .collect();
    let opts = RenderOptions {
        color: term.color,
        snippets: args.output == OutputFormat::Log && term.stdout_tty && term.color,
    };
    let rendered = report::render(args.output, &shown, opts);
    if !(args.output == OutputFormat::Log && shown.is_empty()) {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(rendered.as_bytes())
            .and_then(|_| stdout.flush())
            .map_err(|e| CmdError::failure(format!("cannot write the report: {e}")))?;
    }

    let unparsed = report
        .load_issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count();
    if shown.is_empty() {
        let suffix = if unparsed > 0 {
            format!(" (but {unparsed} input problem(s) were found, see above)")
        } else {
            String::new()
        };
        let target = if report.target.starts_with(':') {
            report.target.clone()
        } else {
            format!(" {}", report.target)
        };
        let end = if target.starts_with(':') { "" } else { "." };
        let _ = writeln!(
            stderr,
            "{} No validation issues found when analyzing{target}{suffix}{end}",
            paint(term.stderr_color, "32", "✔")
        );
    }
    if failing {
        let _ = writeln!(
            stderr,
            "Error: Analyzers found issues at or above the failure threshold ({}).\n\
             See https://istio.io/v{ISTIO_DOCS_VERSION}/docs/reference/config/analysis for more information about causes and resolutions.",
            args.failure_threshold
        );
        return Ok(exit::ANALYZERS_FOUND_ISSUES);
    }
    if unparsed > 0 {
        let _ = writeln!(
            stderr,
            "Error: {unparsed} input problem(s): some inputs could not be read or parsed."
        );
        return Ok(exit::DATA_ERROR);
    }
    Ok(exit::SUCCESS)
}

fn analyze_error(e: AnalyzeError) -> CmdError {
    let code = if e.is_bad_flag_value() {
        exit::BAD_FLAG_VALUE
    } else {
        exit::FAILURE
    };
    let hint = e.hint();
    CmdError::new(code, e.to_string()).with_hint(hint)
}

fn list_analyzers() -> CmdResult {
    let mut out = String::from("Available analyzers:\n");
    for a in analyzers::all() {
        let m = a.metadata();
        out.push_str(&format!("* {}:\n    {}\n", m.name, m.description));
    }
    print!("{out}");
    Ok(exit::SUCCESS)
}

fn list_codes(term: Terminal) -> CmdResult {
    let mut table = Table::new();
    if term.stdout_tty {
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        table.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.load_preset(presets::NOTHING);
    }
    table.set_header(vec!["CODE", "LEVEL", "NAME", "DESCRIPTION"]);
    for m in CATALOGUE {
        table.add_row(vec![m.code, m.level.as_str(), m.name, m.description]);
    }
    println!("{table}");
    Ok(exit::SUCCESS)
}

fn explain(code: &str, term: Terminal) -> CmdResult {
    let Some(m) = catalogue::find(code) else {
        return Err(CmdError::new(
            exit::BAD_FLAG_VALUE,
            format!("unknown message code {code:?}"),
        )
        .with_hint(Some(
            "list every code with meshdeck analyze --list-codes".into(),
        )));
    };
    let bold = |s: &str| paint(term.color, "1", s);
    let level = match m.level {
        Level::Error => paint(term.color, "1;31", "Error"),
        Level::Warning => paint(term.color, "33", "Warning"),
        Level::Info => "Info".to_string(),
    };
    let mut emitted_by: Vec<&str> = analyzers::all()
        .into_iter()
        .filter(|a| a.metadata().codes.iter().any(|c| c.code == m.code))
        .map(|a| a.metadata().name)
        .collect();
    emitted_by.sort();
    let emitted = if emitted_by.is_empty() {
        "no analyzer in this version of meshdeck".to_string()
    } else {
        emitted_by.join(", ")
    };
    let example: String = m.example.lines().map(|l| format!("    {l}\n")).collect();
    print!(
        "{} {} ({level})\n\n{}\n\n{}\n{}\n\n{}\n{}\n\n{}\n{example}\n{} {emitted}\n{} {}\n",
        bold(m.code),
        m.name,
        m.description,
        bold("Why it matters"),
        m.why,
        bold("How to fix it"),
        m.fix,
        bold("Example"),
        bold("Reported by:"),
        bold("More:"),
        m.documentation_url(),
    );
    Ok(exit::SUCCESS)
}
