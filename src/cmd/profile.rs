//! `meshdeck profile list|dump|diff`: the profile commands istioctl removed.

use similar::{ChangeTag, TextDiff};

use super::{CmdError, CmdResult};
use crate::cli::{ProfileCommand, ProfileFormat, ReleaseArgs};
use crate::exit;
use crate::install::helm::yaml;
use crate::ops::install::{self, ReleaseSource};
use crate::ui::{Printer, Style};

fn source(r: &ReleaseArgs) -> ReleaseSource {
    super::release_source(r)
}

pub fn run(cmd: ProfileCommand, printer: &mut Printer) -> CmdResult {
    match cmd {
        ProfileCommand::List { release } => {
            let names = {
                let progress = printer.progress(true);
                install::profile_names(&source(&release), &super::DownloadProgress(&progress))?
            };
            let mut out = String::from("Istio configuration profiles:\n");
            for n in names {
                out.push_str(&format!("    {n}\n"));
            }
            printer.data(&out).map_err(CmdError::Output)?;
            Ok(exit::SUCCESS)
        }
        ProfileCommand::Dump(args) => {
            let profile = args.profile.as_deref().unwrap_or("default");
            let tree = {
                let progress = printer.progress(true);
                install::profile_tree(
                    &source(&args.release),
                    profile,
                    args.config_path.as_deref(),
                    &super::DownloadProgress(&progress),
                )?
            };
            let text = match args.output {
                ProfileFormat::Yaml => yaml::to_yaml(&tree),
                ProfileFormat::Json => format!("{}\n", yaml::to_pretty_json(&tree)),
                ProfileFormat::Flags => {
                    let prefix = args
                        .config_path
                        .as_deref()
                        .map(|p| p.trim_start_matches("spec."))
                        .unwrap_or("");
                    let tree = if args.config_path.is_some() {
                        tree
                    } else {
                        tree.get("spec")
                    };
                    install::as_flags(&tree, prefix)
                        .iter()
                        .map(|l| format!("{l}\n"))
                        .collect()
                }
            };
            printer.data(&text).map_err(CmdError::Output)?;
            Ok(exit::SUCCESS)
        }
        ProfileCommand::Diff(args) => {
            let src = source(&args.release);
            let (a, b) = {
                let progress = printer.progress(true);
                let obs = super::DownloadProgress(&progress);
                (
                    yaml::to_yaml(&install::profile_tree(&src, &args.a, None, &obs)?),
                    yaml::to_yaml(&install::profile_tree(&src, &args.b, None, &obs)?),
                )
            };
            if a == b {
                printer
                    .data("Profiles are identical\n")
                    .map_err(CmdError::Output)?;
                return Ok(exit::SUCCESS);
            }
            let diff = TextDiff::from_lines(&a, &b);
            let mut out = format!("--- {}\n+++ {}\n", args.a, args.b);
            for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
                out.push_str(&format!("{}\n", hunk.header()));
                for change in hunk.iter_changes() {
                    let (sign, style) = match change.tag() {
                        ChangeTag::Delete => ("-", Some(Style::Error)),
                        ChangeTag::Insert => ("+", Some(Style::Ok)),
                        ChangeTag::Equal => (" ", None),
                    };
                    let line = format!("{sign}{}", change.value().trim_end_matches('\n'));
                    out.push_str(&match style {
                        Some(s) => printer.style(s, &line),
                        None => line,
                    });
                    out.push('\n');
                }
            }
            printer.data(&out).map_err(CmdError::Output)?;
            Ok(exit::FAILURE)
        }
    }
}
