//! `meshdeck manifest generate`: arguments -> `ops::install::generate` -> the YAML stream (or
//! one file per component).

use super::{CmdError, CmdResult};
use crate::cli::{ManifestCommand, ManifestGenerateArgs, RenderArgs};
use crate::exit;
use crate::ops::install::{self, InstallRequest};
use crate::ui::Printer;

/// The request the shared render flags describe.
pub fn request(args: &RenderArgs, components: Vec<String>) -> InstallRequest {
    InstallRequest {
        release: super::release_source(&args.release),
        files: args.files.clone(),
        set: args.set.clone(),
        revision: args.revision.clone(),
        components,
    }
}

pub fn run(cmd: ManifestCommand, printer: &mut Printer) -> CmdResult {
    match cmd {
        ManifestCommand::Generate(args) => generate(*args, printer),
    }
}

fn generate(args: ManifestGenerateArgs, printer: &mut Printer) -> CmdResult {
    let rendered = {
        let progress = printer.progress(true);
        install::generate(
            &request(&args.render, args.components),
            &super::DownloadProgress(&progress),
        )?
    };
    printer.set_machine();
    match &args.output_dir {
        Some(dir) => {
            let files = install::manifest_files(&rendered);
            install::write_manifest_files(dir, &files)?;
            printer.success(&format!(
                "Wrote {} component file(s) to {}: {}",
                files.len(),
                dir.display(),
                files
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        None => printer
            .data(&install::manifest_text(&rendered))
            .map_err(CmdError::Output)?,
    }
    Ok(exit::SUCCESS)
}
