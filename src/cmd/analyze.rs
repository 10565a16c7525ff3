//! `meshdeck analyze`: arguments -> `ops::analyze::run` -> rendered report and exit code.

use std::time::SystemTime;

use super::{CmdError, CmdResult};
use crate::analyze::catalogue::{self, CATALOGUE, ISTIO_DOCS_VERSION};
use crate::analyze::report::{self, RenderOptions};
use crate::analyze::{self, Level, analyzers};
use crate::cli::{AnalyzeArgs, GlobalArgs, OutputFormat};
use crate::exit;
use crate::ops::analyze::{AnalyzeReport, AnalyzeRequest, Target, config};
use crate::resource::Severity;
use crate::ui::{Printer, Style, Table, error::render_issue, paint};

pub fn run(args: AnalyzeArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    if args.list_analyzers {
        return list_analyzers(printer);
    }
    if args.list_codes {
        return list_codes(printer);
    }
    if let Some(code) = &args.explain {
        return explain(code, printer);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let config = config::resolve(
        config::Flags {
            config: args.config,
            no_config: args.no_config,
            output: args.output,
            failure_threshold: args.failure_threshold,
            output_threshold: args.output_threshold,
            analyzers: args.analyzers,
            skip_analyzers: args.skip_analyzers,
            suppress: args.suppress,
        },
        &cwd,
    )?;
    if args.print_config {
        printer
            .data(&print_config(&config))
            .map_err(CmdError::Output)?;
        return Ok(exit::SUCCESS);
    }
    let output = config.output.value;
    let failure_threshold = config.failure_threshold.value;
    let output_threshold = config.output_threshold.value;
    if output != OutputFormat::Log {
        printer.set_machine();
    }
    let request = AnalyzeRequest {
        use_kube: args.use_kube.unwrap_or(args.paths.is_empty()),
        paths: args.paths,
        namespace: global.namespace.clone(),
        all_namespaces: args.all_namespaces,
        analyzers: config.analyzer_names(),
        suppress: config.suppressions(),
        mesh_config_file: args.mesh_config_file,
        mesh_networks_file: args.mesh_networks_file,
        istio_namespace: global.istio_namespace.clone(),
        kube: super::connect_options(global),
        remote_contexts: args.remote_contexts,
        timeout: args.timeout,
        now: SystemTime::now(),
    };
    // The process ends after this command: a large input's tree is left to the system.
    crate::resource::snapshot::leave_large_snapshots_to_exit();
    let report = {
        // Without a terminal, stderr stays as it always was: no step lines.
        let progress = printer.progress(false);
        crate::ops::analyze::run(&request, &progress)?
    };
    print_notes(&report, printer, global.verbose);

    let shown = report.shown(output_threshold);
    let term = printer.terminal();
    let opts = RenderOptions {
        color: term.color,
        snippets: output == OutputFormat::Log && term.stdout_tty && term.color,
    };
    let input_errors = report.input_errors();
    // A JUnit failure is what fails the build: below the output threshold or not.
    let listed = if output == OutputFormat::Junit {
        report.shown(output_threshold.min(failure_threshold))
    } else {
        shown.clone()
    };
    let rendered = report::Report {
        findings: &listed,
        input_errors: &input_errors,
        objects: &report.objects,
        failure_threshold,
    };
    if !(output == OutputFormat::Log && shown.is_empty()) {
        printer
            .data(&report::render_report(output, &rendered, opts))
            .map_err(CmdError::Output)?;
    }

    let unparsed = report.unparsed();
    let gaps = report.gaps();
    if shown.is_empty() && gaps.is_empty() {
        let (sep, end) = match report.target {
            Target::Sources(_) => (":", ""),
            _ => (" ", "."),
        };
        printer.success(&format!(
            "No validation issues found when analyzing{sep}{}{end}",
            report.target
        ));
    } else if !gaps.is_empty() {
        // Never the check mark when something was not read or not checked: say what.
        let lead = if shown.is_empty() {
            "No validation issues found, but "
        } else {
            ""
        };
        let text = format!("{lead}{}", gaps.join("; "));
        let mut chars = text.chars();
        let text = match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
            None => text,
        };
        printer.note(&format!("{text} (-v lists what was skipped)."));
    }
    let code = report.exit_code(failure_threshold);
    if code == exit::ANALYZERS_FOUND_ISSUES {
        printer.raw_stderr(&format!(
            "Error: Analyzers found issues at or above the failure threshold ({}).\n\
             See https://istio.io/v{ISTIO_DOCS_VERSION}/docs/reference/config/analysis for more information about causes and resolutions.",
            failure_threshold
        ));
    } else if code == exit::DATA_ERROR {
        printer.raw_stderr(&format!(
            "Error: {unparsed} input problem(s): some inputs could not be read or parsed."
        ));
    }
    Ok(code)
}

/// Warnings, input problems, skipped analyzers and (with `-v`) what ran, on stderr.
fn print_notes(report: &AnalyzeReport, printer: &Printer, verbose: bool) {
    for w in &report.warnings {
        printer.warning(w);
    }
    for issue in &report.load_issues {
        if issue.severity == Severity::Note && printer.is_quiet() {
            continue;
        }
        printer.raw_stderr(&render_issue(issue, printer.terminal()));
    }
    for skipped in &report.skipped_checks {
        printer.note(&skipped.note());
    }
    for (reason, names) in report.skipped_by_reason() {
        printer.note(&format!(
            "skipped {} analyzer(s) because {reason}: {}",
            names.len(),
            names.join(", ")
        ));
    }
    if verbose {
        let mut text = format!(
            "Analyzed {} resources in {}\nExecuted analyzers:\n",
            report.resources, report.target
        );
        for name in &report.executed {
            text.push_str(&format!("\t {name}\n"));
        }
        if !report.skipped.is_empty() {
            text.push_str("Skipped analyzers:\n");
            for (name, _) in &report.skipped {
                text.push_str(&format!("\t {name}\n"));
            }
        }
        if !report.unread.is_empty() {
            text.push_str("Objects of kinds no analyzer reads (skipped):\n");
            for o in &report.unread {
                let at = o
                    .location
                    .as_deref()
                    .map(|l| format!(" {l}"))
                    .unwrap_or_default();
                text.push_str(&format!("\t {} [{}]{at}\n", o.origin, o.kind));
            }
        }
        text.push('\n');
        printer.status(&text);
    }
}

/// `--print-config`: the settings in force as a `.meshdeck.yaml` would hold them, each with
/// where it came from in a comment.
fn print_config(c: &config::AnalyzeConfig) -> String {
    use clap::ValueEnum;
    let mut out = match &c.file {
        Some((path, config::Found::Flag)) => {
            format!("# config file: {} (--config)\n", path.display())
        }
        Some((path, config::Found::Search)) => format!(
            "# config file: {} (found upward from the working directory)\n",
            path.display()
        ),
        None => format!(
            "# config file: none (no {} in the working directory or above it, up to the repository root; or --no-config)\n",
            config::FILE_NAME
        ),
    };
    let list = |names: &[String]| format!("[{}]", names.join(", "));
    let output = c
        .output
        .value
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let mut line = |key: &str, value: String, origin: &config::Origin| {
        out.push_str(&format!("  {key}: {value}  # {origin}\n"));
    };
    line("output", output, &c.output.origin);
    line(
        "failureThreshold",
        c.failure_threshold.value.to_string(),
        &c.failure_threshold.origin,
    );
    line(
        "outputThreshold",
        c.output_threshold.value.to_string(),
        &c.output_threshold.origin,
    );
    let all = if c.analyzers.value.is_empty() {
        " (all)"
    } else {
        ""
    };
    out.push_str(&format!(
        "  analyzers: {}  # {}{all}\n",
        list(&c.analyzers.value),
        c.analyzers.origin
    ));
    out.push_str(&format!(
        "  skipAnalyzers: {}  # {}\n",
        list(&c.skip_analyzers.value),
        c.skip_analyzers.origin
    ));
    if c.suppress.is_empty() {
        out.push_str("  suppress: []  # default\n");
    } else {
        out.push_str("  suppress:\n");
        for s in &c.suppress {
            let quoted = serde_json::to_string(&s.value).expect("a string serializes");
            out.push_str(&format!("    - {quoted}  # {}\n", s.origin));
        }
    }
    out.insert_str(out.find('\n').map_or(0, |i| i + 1), "analyze:\n");
    out
}

fn list_analyzers(printer: &Printer) -> CmdResult {
    let mut out = String::from("Available analyzers:\n");
    for a in analyzers::all() {
        let m = a.metadata();
        out.push_str(&format!("* {}:\n    {}\n", m.name, m.description));
    }
    printer.data(&out).map_err(CmdError::Output)?;
    Ok(exit::SUCCESS)
}

fn list_codes(printer: &Printer) -> CmdResult {
    let mut table = Table::new(["CODE", "LEVEL", "NAME", "DESCRIPTION"]);
    for m in CATALOGUE {
        table.row([m.code, m.level.as_str(), m.name, m.description]);
    }
    printer
        .data(&table.render(printer.terminal()))
        .map_err(CmdError::Output)?;
    Ok(exit::SUCCESS)
}

fn explain(code: &str, printer: &Printer) -> CmdResult {
    let Some(m) = catalogue::find(code) else {
        return Err(CmdError::UnknownCode(code.to_string()));
    };
    let color = printer.color();
    let bold = |s: &str| paint(color, Style::Emphasis, s);
    let level = match m.level {
        Level::Error => paint(color, Style::Error, "Error"),
        Level::Warning => paint(color, Style::Warning, "Warning"),
        Level::Info => "Info".to_string(),
    };
    let emitted_by = analyze::analyzers_emitting(m.code);
    let emitted = if emitted_by.is_empty() {
        "no analyzer in this version of meshdeck".to_string()
    } else {
        emitted_by.join(", ")
    };
    let example: String = m.example.lines().map(|l| format!("    {l}\n")).collect();
    printer
        .data(&format!(
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
        ))
        .map_err(CmdError::Output)?;
    Ok(exit::SUCCESS)
}
