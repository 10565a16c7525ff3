//! `meshdeck deregister`: arguments -> `ops::register::deregister` -> what was removed.

use super::register::Ui;
use super::{CmdError, CmdResult};
use crate::cli::{DeregisterArgs, GlobalArgs};
use crate::exit;
use crate::ops::register::{
    self, DeleteFate, DeleteManifests, DeregisterOutcome, DeregisterRequest, RoleFate,
};
use crate::register::manifests::FILE_NAMES;
use crate::ui::Printer;

pub fn run(args: DeregisterArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    let request = DeregisterRequest {
        aws: args.aws.options(),
        name: args.name,
        delete_manifests: args.delete_manifests.then(|| DeleteManifests {
            kube: super::connect_options(global),
            dir: args.output_dir,
        }),
    };
    let outcome = {
        let progress = printer.progress(true);
        let ui = Ui {
            progress: &progress,
            printer,
            yes: global.yes,
        };
        register::deregister(&request, &ui)?
    };
    let report = match outcome {
        DeregisterOutcome::Declined(_) => {
            printer.status("Nothing was changed.");
            return Ok(exit::FAILURE);
        }
        DeregisterOutcome::Deregistered(report) => report,
    };
    let mut out = format!(
        "Deregistered cluster {:?} in {}.\n",
        report.plan.name, report.plan.region
    );
    match &report.role {
        RoleFate::Deleted(name) => out.push_str(&format!(
            "Deleted the agent role {name} that meshdeck created.\n"
        )),
        RoleFate::Kept(arn) => out.push_str(&format!(
            "Kept the agent role {arn}: meshdeck did not create it for this cluster.\n"
        )),
        RoleFate::Missing(name) => {
            out.push_str(&format!("The agent role {name} no longer exists.\n"))
        }
        RoleFate::None => {}
    }
    let Some(delete) = &report.plan.delete else {
        out.push_str(&format!(
            "Remove the connector from the cluster with:\n  kubectl delete -f {}\n\
             (or run meshdeck deregister with --delete-manifests)\n",
            FILE_NAMES.join(",")
        ));
        printer.data(&out).map_err(CmdError::Output)?;
        return Ok(exit::SUCCESS);
    };
    out.push_str(&format!(
        "Connector objects in kube context {} ({}), named by {}:\n",
        delete.context,
        delete.server,
        delete.sources.join(", ")
    ));
    let mut failed = 0;
    for (object, fate) in &report.deleted {
        let line = match fate {
            DeleteFate::Deleted => format!("  deleted {object}\n"),
            DeleteFate::Terminating => {
                format!("  deleted {object} (terminating: its finalizers still run)\n")
            }
            DeleteFate::Absent => format!("  not found {object}\n"),
            DeleteFate::Failed(why) => {
                failed += 1;
                format!("  NOT deleted {object}: {why}\n")
            }
        };
        out.push_str(&line);
    }
    printer.data(&out).map_err(CmdError::Output)?;
    if failed > 0 {
        printer.error(&format!(
            "{failed} of the connector's objects could not be deleted (see above)"
        ));
        return Ok(exit::FAILURE);
    }
    Ok(exit::SUCCESS)
}
