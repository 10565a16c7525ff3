//! `meshdeck install`: with `--dry-run`, what would be applied; applying itself is not
//! implemented yet, and the command says so rather than pretending.

use super::{CmdError, CmdResult};
use crate::cli::InstallArgs;
use crate::exit;
use crate::install::iop;
use crate::ops::install;
use crate::ui::Printer;

pub fn run(args: InstallArgs, printer: &mut Printer) -> CmdResult {
    if !args.dry_run {
        return Err(CmdError::NotImplemented(
            "meshdeck install cannot apply to a cluster yet".into(),
            "see what would be applied with --dry-run, or apply it yourself: meshdeck manifest generate <the same flags> | kubectl apply --server-side -f -".into(),
        ));
    }
    let rendered = {
        let progress = printer.progress(true);
        install::generate(
            &super::manifest::request(&args.render, Vec::new()),
            &super::DownloadProgress(&progress),
        )?
    };
    let tag = iop::get_string(&rendered.merged, "spec.values.global.tag");
    let objects = rendered.ordered();
    let summary: Vec<String> = rendered
        .components
        .iter()
        .map(|c| format!("{} ({} objects)", c.component.title, c.objects.len()))
        .collect();
    printer.status(&format!(
        "Dry run: this would install the Istio {tag} profile \"{}\": {}. Nothing was sent to a cluster.",
        rendered.profile(),
        summary.join(", ")
    ));
    printer
        .data(&crate::install::render::to_yaml_stream(&objects))
        .map_err(CmdError::Output)?;
    Ok(exit::SUCCESS)
}
