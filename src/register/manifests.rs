//! The three EKS Connector manifests, from templates meshdeck carries (written from AWS's
//! documented resources, images pinned), rendered for one registration and written mode 0600.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::Engine;

use crate::aws::eks::ActivationCode;

/// The connector's images; `--connector-image` and `--agent-image` override them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectorImages {
    pub connector: String,
    pub agent: String,
}

/// The versions the aws/amazon-eks-connector project documents for its manifest.
pub const DEFAULT_CONNECTOR_IMAGE: &str = "public.ecr.aws/eks-connector/eks-connector:0.0.3";
pub const DEFAULT_AGENT_IMAGE: &str = "public.ecr.aws/amazon-ssm-agent/amazon-ssm-agent:3.1.1927.0";

impl Default for ConnectorImages {
    fn default() -> ConnectorImages {
        ConnectorImages {
            connector: DEFAULT_CONNECTOR_IMAGE.into(),
            agent: DEFAULT_AGENT_IMAGE.into(),
        }
    }
}

/// The file with the connector (and the Secret holding the activation code).
pub const CONNECTOR_FILE: &str = "eks-connector.yaml";
/// The file letting the connector impersonate the console identities.
pub const CLUSTERROLE_FILE: &str = "eks-connector-clusterrole.yaml";
/// The file with the console's read access.
pub const CONSOLE_FILE: &str = "eks-connector-console-dashboard-full-access-group.yaml";
/// All three, in the order to apply them.
pub const FILE_NAMES: [&str; 3] = [CONNECTOR_FILE, CLUSTERROLE_FILE, CONSOLE_FILE];

const CONNECTOR_TEMPLATE: &str = include_str!("templates/eks-connector.yaml");
const CLUSTERROLE_TEMPLATE: &str = include_str!("templates/eks-connector-clusterrole.yaml");
const CONSOLE_TEMPLATE: &str =
    include_str!("templates/eks-connector-console-dashboard-full-access-group.yaml");

/// What one registration's manifests are made of.
#[derive(Clone, Debug)]
pub struct ManifestInputs<'a> {
    pub activation_id: &'a str,
    pub activation_code: &'a ActivationCode,
    pub region: &'a str,
    /// The IAM ARNs given console access (the caller's canonical ARN first).
    pub console_arns: &'a [String],
    pub images: &'a ConnectorImages,
}

/// The rendered files, as `(file name, contents)`.
#[derive(Clone)]
pub struct ConnectorManifests {
    pub files: Vec<(&'static str, String)>,
}

impl std::fmt::Debug for ConnectorManifests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connector file holds the activation code.
        let names: Vec<&str> = self.files.iter().map(|(n, _)| *n).collect();
        f.debug_struct("ConnectorManifests")
            .field("files", &names)
            .finish()
    }
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

pub fn render(inputs: &ManifestInputs<'_>) -> ConnectorManifests {
    let code = base64::engine::general_purpose::STANDARD.encode(inputs.activation_code.expose());
    let connector = CONNECTOR_TEMPLATE
        .replace("%EKS_ACTIVATION_CODE%", &quoted(&code))
        .replace("%EKS_ACTIVATION_ID%", inputs.activation_id)
        .replace("%AWS_REGION%", inputs.region)
        .replace("%EKS_CONNECTOR_IMAGE%", &quoted(&inputs.images.connector))
        .replace("%SSM_AGENT_IMAGE%", &quoted(&inputs.images.agent));
    let arns: Vec<String> = inputs.console_arns.iter().map(|a| quoted(a)).collect();
    let clusterrole = CLUSTERROLE_TEMPLATE.replace("%IAM_ARNS%", &format!("[{}]", arns.join(", ")));
    let subjects: String = inputs
        .console_arns
        .iter()
        .map(|a| {
            format!(
                "  - kind: User\n    name: {}\n    apiGroup: rbac.authorization.k8s.io\n",
                quoted(a)
            )
        })
        .collect();
    let console = CONSOLE_TEMPLATE.replace("%CONSOLE_SUBJECTS%\n", &subjects);
    ConnectorManifests {
        files: vec![
            (CONNECTOR_FILE, connector),
            (CLUSTERROLE_FILE, clusterrole),
            (CONSOLE_FILE, console),
        ],
    }
}

/// Writes each file into `dir` with mode 0600: written to a new private file beside it, then
/// renamed over any existing one, so the activation code is never readable by others, not
/// even for a moment or through an old file's permissions. If one cannot be written, those
/// written before it are removed again.
pub fn write(dir: &Path, manifests: &ConnectorManifests) -> io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, contents) in &manifests.files {
        let target = dir.join(name);
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut file = private_file(&tmp)?;
            file.write_all(contents.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &target)
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            // The files already written belong to a registration that is being undone.
            for done in &written {
                let _ = std::fs::remove_file(done);
            }
            return Err(io::Error::new(
                e.kind(),
                format!("cannot write {}: {e}", target.display()),
            ));
        }
        written.push(target);
    }
    Ok(written)
}

/// Checks that `dir` can take the files (creating it, mode 0700, when missing), before anything
/// is created in AWS.
pub fn prepare_dir(dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir)?;
    } else if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            format!("{} is not a directory", dir.display()),
        ));
    }
    let probe = dir.join(format!(".meshdeck-write-check.{}", std::process::id()));
    private_file(&probe)?;
    std::fs::remove_file(&probe)
}

fn private_file(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(arns: &[String]) -> ConnectorManifests {
        let code = ActivationCode::new("activation-code-123");
        render(&ManifestInputs {
            activation_id: "11111111-2222-3333-4444-555555555555",
            activation_code: &code,
            region: "eu-west-1",
            console_arns: arns,
            images: &ConnectorImages::default(),
        })
    }

    fn docs(text: &str) -> Vec<serde_json::Value> {
        serde_saphyr::from_multiple(text).expect("the rendered YAML parses")
    }

    #[test]
    fn the_secret_holds_the_base64_code_and_nothing_else_does() {
        let m = rendered(&["arn:aws:iam::1:user/alice".into()]);
        let connector = &m.files[0].1;
        let objects = docs(connector);
        let secret = objects
            .iter()
            .find(|o| o["metadata"]["name"] == "eks-connector-activation-config")
            .unwrap();
        assert_eq!(secret["data"]["code"], "YWN0aXZhdGlvbi1jb2RlLTEyMw==");
        for (_, text) in &m.files {
            assert!(!text.contains("activation-code-123"));
            for placeholder in [
                "%EKS_ACTIVATION_CODE%",
                "%EKS_ACTIVATION_ID%",
                "%AWS_REGION%",
                "%EKS_CONNECTOR_IMAGE%",
                "%SSM_AGENT_IMAGE%",
                "%IAM_ARNS%",
                "%CONSOLE_SUBJECTS%",
            ] {
                assert!(!text.contains(placeholder), "{placeholder} left:\n{text}");
            }
        }
        let sts = objects.iter().find(|o| o["kind"] == "StatefulSet").unwrap();
        let init = &sts["spec"]["template"]["spec"]["initContainers"][0];
        assert_eq!(init["image"], DEFAULT_CONNECTOR_IMAGE);
        assert_eq!(init["args"][3], "--agent.region=eu-west-1");
        assert_eq!(
            init["env"][2]["value"],
            "11111111-2222-3333-4444-555555555555"
        );
    }

    #[test]
    fn every_console_identity_is_impersonable_and_bound() {
        let arns = vec![
            "arn:aws:iam::1:role/Admin".to_string(),
            "arn:aws:iam::1:user/bob".to_string(),
        ];
        let m = rendered(&arns);
        let role = docs(&m.files[1].1);
        let names = &role[1]["rules"][0]["resourceNames"];
        assert_eq!(names, &serde_json::json!(arns));
        let console = docs(&m.files[2].1);
        let subjects = console[1]["subjects"].as_array().unwrap();
        assert_eq!(subjects.len(), 2);
        assert_eq!(subjects[1]["name"], "arn:aws:iam::1:user/bob");
        assert_eq!(subjects[1]["kind"], "User");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_even_over_a_world_readable_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(CONNECTOR_FILE);
        std::fs::write(&old, "old").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        prepare_dir(dir.path()).unwrap();
        let written = write(dir.path(), &rendered(&["arn:aws:iam::1:root".into()])).unwrap();
        assert_eq!(written.len(), 3);
        for path in written {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            3,
            "no temp files left"
        );
    }
}
