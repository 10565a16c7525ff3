//! `meshdeck deregister`: arguments -> `ops::register::deregister` -> what was removed.

use super::register::Ui;
use super::{CmdError, CmdResult};
use crate::cli::{DeregisterArgs, GlobalArgs};
use crate::exit;
use crate::ops::register::{self, DeregisterOutcome, DeregisterRequest, RoleFate};
use crate::register::manifests::FILE_NAMES;
use crate::ui::Printer;

pub fn run(args: DeregisterArgs, global: &GlobalArgs, printer: &mut Printer) -> CmdResult {
    let request = DeregisterRequest {
        aws: args.aws.options(),
        name: args.name,
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
    out.push_str(&format!(
        "Remove the connector from the cluster with:\n  kubectl delete -f {}\n",
        FILE_NAMES.join(",")
    ));
    printer.data(&out).map_err(CmdError::Output)?;
    Ok(exit::SUCCESS)
}
