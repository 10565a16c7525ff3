//! `meshdeck register` / `deregister` end to end: the real binary against moto (IAM, STS; started
//! by scripts/test-aws) and the local EKS endpoint of `fake_eks` with injected faults.
//!
//! Run: scripts/test-aws run -- cargo test --test it register -- --include-ignored

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use base64::Engine;
use meshdeck::aws::{Client, Service};

use crate::common::meshdeck;
use crate::fake_eks::{FakeEks, Fault};

const NEEDS_MOTO: &str =
    "needs moto: scripts/test-aws run -- cargo test --test it register -- --include-ignored";
const ACCOUNT: &str = "123456789012";

fn moto_url() -> String {
    std::env::var("MESHDECK_TEST_MOTO_URL").unwrap_or_else(|_| panic!("{NEEDS_MOTO}"))
}

fn moto_or(fallback: &str) -> String {
    std::env::var("MESHDECK_TEST_MOTO_URL").unwrap_or_else(|_| fallback.to_string())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A client on moto with moto's catch-all test keys (the account's administrator).
fn admin() -> Client {
    let creds = Credentials::new("AKIAMESHDECKADMIN000", "admin-secret", None, None, "test");
    Client::with_credentials(creds, "eu-west-1", Some(&moto_url())).unwrap()
}

/// An IAM user with access keys, the caller of a test.
struct User {
    arn: String,
    key: String,
    secret: String,
    token: Option<String>,
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

fn new_user(rt: &tokio::runtime::Runtime) -> User {
    let admin = admin();
    let name = unique("user");
    rt.block_on(async {
        // moto sets up IAM on its first request, which on a loaded machine can outlast the
        // client's timeout: the retried CreateUser then finds the user the first one made.
        let arn = match admin
            .query(Service::Iam, "CreateUser", &[("UserName", &name)])
            .await
        {
            Ok(u) => u.text(&["CreateUserResult", "User", "Arn"]).unwrap(),
            Err(e) if e.api().is_some_and(|a| a.code == "EntityAlreadyExists") => {
                format!("arn:aws:iam::{ACCOUNT}:user/{name}")
            }
            Err(e) => panic!("CreateUser {name}: {e}"),
        };
        let k = admin
            .query(Service::Iam, "CreateAccessKey", &[("UserName", &name)])
            .await
            .unwrap();
        let field = |f: &str| k.text(&["CreateAccessKeyResult", "AccessKey", f]).unwrap();
        User {
            arn,
            key: field("AccessKeyId"),
            secret: field("SecretAccessKey"),
            token: None,
        }
    })
}

/// Runs meshdeck as `user` against moto and `eks`, with no terminal and a clean AWS setup.
fn command(user: &User, eks: &FakeEks, args: &[&str]) -> Command {
    let mut cmd = Command::new(meshdeck());
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env("AWS_ACCESS_KEY_ID", &user.key)
        .env("AWS_SECRET_ACCESS_KEY", &user.secret)
        .env("AWS_REGION", "eu-west-1")
        // Without moto (tests that call neither IAM nor STS) these go to the fake, which
        // refuses them.
        .env("AWS_ENDPOINT_URL_IAM", moto_or(&eks.url))
        .env("AWS_ENDPOINT_URL_STS", moto_or(&eks.url))
        .env("AWS_ENDPOINT_URL_EKS", &eks.url)
        .env("AWS_CONFIG_FILE", "/nonexistent/meshdeck-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/meshdeck-test/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match &user.token {
        Some(t) => cmd.env("AWS_SESSION_TOKEN", t),
        None => cmd.env_remove("AWS_SESSION_TOKEN"),
    };
    cmd
}

fn run(user: &User, eks: &FakeEks, args: &[&str]) -> (i32, String, String) {
    let out = command(user, eks, args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn register_args<'a>(name: &'a str, dir: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "register",
        "--name",
        name,
        "--provider",
        "eks_anywhere",
        "--output-dir",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args
}

/// The `meshdeck-connector-...` role named in `text`.
fn role_named_in(text: &str) -> String {
    let start = text
        .find("meshdeck-connector-")
        .expect("a meshdeck role is named");
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn role_exists(rt: &tokio::runtime::Runtime, name: &str) -> bool {
    match rt.block_on(admin().get_role(name)) {
        Ok(_) => true,
        Err(e) if e.api().is_some_and(|a| a.code == "NoSuchEntity") => false,
        Err(e) => panic!("GetRole {name}: {e}"),
    }
}

/// The activation code appears nowhere but in the Secret: not on stdout or stderr, not in the
/// other files, not elsewhere in eks-connector.yaml, neither raw nor base64-encoded.
fn assert_code_only_in_secret(code: &str, outputs: &[&str], dir: &Path) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(code);
    for text in outputs {
        assert!(
            !text.contains(code) && !text.contains(&b64),
            "the code leaked:\n{text}"
        );
    }
    let mut secret_lines = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = String::new();
        for line in text.lines() {
            if line.trim() == format!("code: \"{b64}\"") {
                secret_lines += 1;
            } else {
                rest.push_str(line);
                rest.push('\n');
            }
        }
        assert!(
            !rest.contains(code) && !rest.contains(&b64),
            "{} has the code outside the Secret",
            path.display()
        );
    }
    assert_eq!(secret_lines, 1, "the Secret holds the code exactly once");
    let connector = std::fs::read_to_string(dir.join("eks-connector.yaml")).unwrap();
    let secret_start = connector
        .find("name: eks-connector-activation-config")
        .unwrap();
    let secret_end = connector[secret_start..].find("---").unwrap() + secret_start;
    assert!(connector[secret_start..secret_end].contains(&b64));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn propagation_delays_are_retried_with_one_token_and_one_registration() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    eks.lock().faults.extend([Fault::Propagation; 3]);
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &register_args(
            &name,
            dir.path(),
            &["-y", "-o", "json", "--tags", "team=platform"],
        ),
    );
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect(&stdout);
    assert_eq!(report["attempts"], 4);
    assert_eq!(report["roleCreated"], true);
    assert_eq!(report["status"], "PENDING");
    assert_eq!(
        report["arn"],
        format!("arn:aws:eks:eu-west-1:{ACCOUNT}:cluster/{name}")
    );
    assert_eq!(report["files"].as_array().unwrap().len(), 3);
    assert!(report["activationExpiry"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        stderr
            .matches("AWS is still propagating the service-linked role; retrying in")
            .count(),
        3,
        "each wait is shown:\n{stderr}"
    );

    let st = eks.lock();
    assert_eq!(st.register_calls.len(), 4);
    let token = &st.register_calls[0].token;
    assert_eq!(token.len(), 36, "a UUID");
    assert!(
        st.register_calls.iter().all(|c| &c.token == token),
        "one token across attempts"
    );
    assert_eq!(st.clusters.len(), 1, "exactly one registration");
    assert_eq!(st.register_calls[0].provider, "EKS_ANYWHERE");
    assert_eq!(st.register_calls[0].tags["team"], "platform");
    let activation = st.codes[&name].clone();
    drop(st);

    // The role meshdeck created: tagged as meshdeck's, with the agent policy.
    let role_arn = report["roleArn"].as_str().unwrap();
    assert_eq!(eks.lock().register_calls[0].role_arn, role_arn);
    let role_name = role_arn.rsplit('/').next().unwrap();
    let role = rt.block_on(admin().get_role(role_name)).unwrap();
    assert_eq!(role.tag("meshdeck.io/cluster-name"), Some(name.as_str()));
    assert_eq!(role.tag("team"), Some("platform"));
    let policy = rt
        .block_on(admin().query(
            Service::Iam,
            "GetRolePolicy",
            &[
                ("RoleName", role_name),
                ("PolicyName", "eks-connector-agent"),
            ],
        ))
        .unwrap();
    let doc = policy
        .text(&["GetRolePolicyResult", "PolicyDocument"])
        .unwrap();
    // IAM answers with the document URL-encoded.
    let doc: String = form_urlencoded::parse(format!("d={doc}").as_bytes())
        .next()
        .unwrap()
        .1
        .into_owned();
    assert!(doc.contains("ssmmessages:CreateControlChannel"), "{doc}");

    // Files: private, the caller has console access, the code only in the Secret.
    for f in [
        "eks-connector.yaml",
        "eks-connector-clusterrole.yaml",
        "eks-connector-console-dashboard-full-access-group.yaml",
    ] {
        #[cfg(unix)]
        assert_eq!(mode(&dir.path().join(f)), 0o600, "{f}");
    }
    let clusterrole =
        std::fs::read_to_string(dir.path().join("eks-connector-clusterrole.yaml")).unwrap();
    assert!(
        clusterrole.contains(&format!("[\"{}\"]", user.arn)),
        "{clusterrole}"
    );
    assert_code_only_in_secret(&activation, &[&stdout, &stderr], dir.path());
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn a_new_role_that_eks_cannot_see_yet_is_waited_for_in_text_mode() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    eks.lock().faults.extend([
        Fault::NonexistentRole,
        Fault::NonexistentRole,
        Fault::Throttle,
        Fault::Unavailable,
    ]);
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let (code, stdout, stderr) = run(&user, &eks, &register_args(&name, dir.path(), &["-y"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr
            .matches("IAM is still propagating the agent role")
            .count(),
        2,
        "{stderr}"
    );
    assert!(
        stderr.contains("EKS is throttling requests (ThrottlingException)"),
        "{stderr}"
    );
    assert!(stderr.contains("EKS answered HTTP 503"), "{stderr}");
    assert_eq!(eks.lock().register_calls.len(), 5);
    assert!(
        stdout.contains(&format!("Registered cluster {name:?}")),
        "{stdout}"
    );
    assert!(stdout.contains("kubectl apply -f "), "{stdout}");
    assert!(
        stdout.contains("Next: apply them to the cluster before "),
        "{stdout}"
    );
    // Three days from the registration, less the moments since.
    assert!(
        stdout.contains("(in 3days)") || stdout.contains("(in 2days 23h 59m)"),
        "{stdout}"
    );
    let activation = eks.lock().codes[&name].clone();
    assert_code_only_in_secret(&activation, &[&stdout, &stderr], dir.path());
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn access_denied_rolls_the_role_back() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    eks.lock().faults.push_back(Fault::AccessDenied);
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &register_args(&unique("c"), dir.path(), &["-y"]),
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("AccessDeniedException"), "{stderr}");
    assert!(stderr.contains("removed what this run created: policy eks-connector-agent of IAM role meshdeck-connector-"), "{stderr}");
    let role = role_named_in(&stderr);
    assert!(!role_exists(&rt, &role), "{role} was deleted");
    assert_eq!(
        eks.lock().register_calls.len(),
        1,
        "AccessDenied is not retried"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no files"
    );
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn a_name_in_use_is_refused_before_anything_is_created() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    let name = unique("c");
    eks.insert(&name, "ACTIVE", "arn:aws:iam::123456789012:role/other", 0.0);
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(&user, &eks, &register_args(&name, dir.path(), &["-y"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cluster {name:?} is already registered in eu-west-1 (status ACTIVE)"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "meshdeck deregister --name {name} --region eu-west-1"
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains("meshdeck-connector-"),
        "no role was created: {stderr}"
    );
    assert!(eks.lock().register_calls.is_empty());
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn running_out_of_retry_time_rolls_the_role_back() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    eks.lock().always = Some(Fault::Propagation);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (code, _, stderr) = run(
        &user,
        &eks,
        &register_args(&unique("c"), dir.path(), &["-y", "--retry-timeout", "2s"]),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        stderr.contains("RegisterCluster did not succeed within --retry-timeout 2s ("),
        "{stderr}"
    );
    assert!(
        stderr.contains("ResourcePropagationDelayException"),
        "{stderr}"
    );
    let role = role_named_in(&stderr);
    assert!(stderr.contains(&format!("IAM role {role}")), "{stderr}");
    assert!(!role_exists(&rt, &role));
    assert!(eks.lock().register_calls.len() >= 2);
}

#[cfg(unix)]
#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn ctrl_c_while_retrying_rolls_the_role_back() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    eks.lock().always = Some(Fault::Propagation);
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let mut child = command(&user, &eks, &register_args(&name, dir.path(), &["-y"]))
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let pid = child.id().to_string();
    let mut seen = String::new();
    let mut interrupted = false;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if !interrupted && line.contains("retrying in") {
            let ok = Command::new("kill").args(["-INT", &pid]).status().unwrap();
            assert!(ok.success());
            interrupted = true;
        }
    }
    let status = child.wait().unwrap();
    assert!(interrupted, "no retry was shown:\n{seen}");
    // As shells report an interrupted command: 128 + SIGINT, after the rollback.
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(seen.contains("interrupted"), "{seen}");
    let role = role_named_in(&seen);
    assert!(seen.contains(&format!("removed what this run created: policy eks-connector-agent of IAM role {role}, IAM role {role}")), "{seen}");
    assert!(!role_exists(&rt, &role));
    assert!(eks.lock().clusters.is_empty());
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn dry_run_and_no_terminal_without_yes_create_nothing() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &register_args(
            &name,
            dir.path(),
            &[
                "--dry-run",
                "--console-user",
                "arn:aws:sts::123456789012:assumed-role/Admin/bob",
            ],
        ),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("Plan to register cluster {name:?}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("account:   {ACCOUNT}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("agent role: create IAM role meshdeck-connector-"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    arn:aws:iam::123456789012:role/Admin\n"),
        "{stdout}"
    );
    assert!(stdout.contains("Dry run: nothing was created."), "{stdout}");
    assert!(!role_exists(&rt, &role_named_in(&stdout)));

    let (code, _, stderr) = run(&user, &eks, &register_args(&name, dir.path(), &[]));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("this needs confirmation, and there is no terminal to ask on: "),
        "{stderr}"
    );
    assert!(stderr.contains("--yes"), "{stderr}");
    assert!(!role_exists(&rt, &role_named_in(&stderr)));
    assert!(eks.lock().register_calls.is_empty());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn an_assumed_role_caller_gets_console_access_as_its_role() {
    let rt = runtime();
    let base = new_user(&rt);
    let role_name = unique("ops");
    let session = rt.block_on(async {
        let admin = admin();
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
        admin
            .query(Service::Iam, "CreateRole", &[("RoleName", &role_name), ("Path", "/team/"), ("AssumeRolePolicyDocument", trust)])
            .await
            .unwrap();
        let me = Client::with_credentials(
            Credentials::new(&base.key, &base.secret, None, None, "test"),
            "eu-west-1",
            Some(&moto_url()),
        )
        .unwrap();
        let arn = format!("arn:aws:iam::{ACCOUNT}:role/team/{role_name}");
        me.query(Service::Sts, "AssumeRole", &[("RoleArn", &arn), ("RoleSessionName", "alice")])
            .await
            .unwrap()
    });
    let field = |f: &str| {
        session
            .text(&["AssumeRoleResult", "Credentials", f])
            .unwrap()
    };
    let user = User {
        arn: String::new(),
        key: field("AccessKeyId"),
        secret: field("SecretAccessKey"),
        token: Some(field("SessionToken")),
    };
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &register_args(&unique("c"), dir.path(), &["-y", "-o", "json"]),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("assumed-role/{role_name}/alice")),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // eksctl's conversion: the session dropped, the role's path not kept.
    let expected = format!("arn:aws:iam::{ACCOUNT}:role/{role_name}");
    assert_eq!(report["consoleArns"][0], expected);
    let console = std::fs::read_to_string(
        dir.path()
            .join("eks-connector-console-dashboard-full-access-group.yaml"),
    )
    .unwrap();
    assert!(
        console.contains(&format!("name: \"{expected}\"")),
        "{console}"
    );
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn deregister_deletes_only_the_role_meshdeck_created() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &register_args(&name, dir.path(), &["-y", "-o", "json"]),
    );
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let role = report["roleArn"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    assert!(role_exists(&rt, &role));

    let (code, _, stderr) = run(&user, &eks, &["deregister", "--name", &name]);
    assert_eq!(code, 1, "no terminal, no --yes: {stderr}");
    assert!(eks.lock().clusters.contains_key(&name));

    let (code, stdout, stderr) = run(&user, &eks, &["deregister", "--name", &name, "-y"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!(
            "Deleted the agent role {role} that meshdeck created."
        )),
        "{stdout}"
    );
    assert!(!role_exists(&rt, &role));
    assert!(eks.lock().clusters.is_empty());

    // A role the user brought is kept.
    let theirs = unique("theirs");
    rt.block_on(admin().query(
        Service::Iam,
        "CreateRole",
        &[("RoleName", &theirs), ("AssumeRolePolicyDocument", "{}")],
    ))
    .unwrap();
    let arn = format!("arn:aws:iam::{ACCOUNT}:role/{theirs}");
    let name2 = unique("c");
    let (code, _, stderr) = run(
        &user,
        &eks,
        &register_args(&name2, dir.path(), &["-y", "--role-arn", &arn]),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("Creating the agent role"), "{stderr}");
    let (code, stdout, stderr) = run(&user, &eks, &["deregister", "--name", &name2, "-y"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("Kept the agent role {arn}")),
        "{stdout}"
    );
    assert!(role_exists(&rt, &theirs));

    let (code, _, stderr) = run(&user, &eks, &["deregister", "--name", &name2, "-y"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("cluster {name2:?} is not registered in eu-west-1")),
        "{stderr}"
    );
}

#[test]
fn bad_flag_values_exit_64_naming_the_flag() {
    let user = User {
        arn: String::new(),
        key: "AKIAUNUSED".into(),
        secret: "unused".into(),
        token: None,
    };
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(
        &user,
        &eks,
        &["register", "--name", "x", "--provider", "minikube"],
    );
    assert_eq!(code, 64, "{stderr}");
    assert!(stderr.contains("EKS_ANYWHERE"), "{stderr}");
    let (code, _, stderr) = run(&user, &eks, &register_args("-bad", dir.path(), &[]));
    assert_ne!(code, 0, "{stderr}");
    let (code, _, stderr) = run(
        &user,
        &eks,
        &register_args("ok", dir.path(), &["--tags", "novalue"]),
    );
    assert_eq!(code, 64, "{stderr}");
    assert!(
        stderr.contains("--tags: tag \"novalue\" is not KEY=VALUE"),
        "{stderr}"
    );
    let (code, _, stderr) = run(
        &user,
        &eks,
        &register_args("ok", dir.path(), &["--role-arn", "arn:aws:iam::1:user/u"]),
    );
    assert_eq!(code, 64, "{stderr}");
    assert!(stderr.contains("--role-arn"), "{stderr}");
    let (code, _, stderr) = run(&user, &eks, &register_args("bad name", dir.path(), &[]));
    assert_eq!(code, 64, "{stderr}");
    assert!(stderr.contains("not a valid EKS cluster name"), "{stderr}");
    assert!(eks.lock().register_calls.is_empty());
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn an_expired_activation_is_called_out_and_refresh_keeps_the_role() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    let name = unique("c");
    // A registration whose activation expired a day ago without the connector connecting,
    // with an agent role meshdeck made for it.
    let role = unique("meshdeck-connector");
    rt.block_on(admin().query(
        Service::Iam,
        "CreateRole",
        &[
            ("RoleName", &role),
            ("AssumeRolePolicyDocument", "{}"),
            ("Tags.member.1.Key", "meshdeck.io/cluster-name"),
            ("Tags.member.1.Value", &name),
        ],
    ))
    .unwrap();
    let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/{role}");
    let yesterday = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        - 86400.0;
    eks.insert(&name, "PENDING", &role_arn, yesterday);

    let (code, stdout, stderr) = run(&user, &eks, &["register", "status", "--name", &name]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("Cluster {name:?} in eu-west-1: PENDING")),
        "{stdout}"
    );
    assert!(stdout.contains("(expired)"), "{stdout}");
    assert!(
        stdout.contains("The activation expired before the connector connected"),
        "{stdout}"
    );
    let fix =
        format!("meshdeck register --refresh --name {name} --provider OTHER --region eu-west-1");
    assert!(stdout.contains(&fix), "{stdout}");
    let (code, stdout, _) = run(
        &user,
        &eks,
        &["register", "status", "--name", &name, "-o", "json"],
    );
    assert_eq!(code, 0);
    let status: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(status["expiredWithoutConnecting"], true);
    assert_eq!(status["roleArn"], role_arn.as_str());
    assert!(!stdout.contains("pre-existing-code"));

    // Without --refresh the name is taken; with it, the same role is registered again (EKS
    // first answers that the old registration is still being deleted).
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(&user, &eks, &register_args(&name, dir.path(), &["-y"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("--refresh"), "{stderr}");
    eks.lock().faults.push_back(Fault::InUse);
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &register_args(&name, dir.path(), &["-y", "--refresh", "-o", "json"]),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Deregistered the old registration"),
        "{stderr}"
    );
    assert!(
        stderr.contains("EKS is still deleting the old registration; retrying in"),
        "{stderr}"
    );
    assert!(!stderr.contains("Creating the agent role"), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["roleArn"], role_arn.as_str());
    assert_eq!(report["roleCreated"], false);
    let st = eks.lock();
    assert_eq!(
        st.register_calls
            .iter()
            .filter(|c| c.role_arn == role_arn)
            .count(),
        2
    );
    let fresh = st.clusters[&name]["connectorConfig"]["activationExpiry"]
        .as_f64()
        .unwrap();
    assert!(fresh > yesterday + 86400.0, "a new activation");
    let code = st.codes[&name].clone();
    drop(st);
    assert_code_only_in_secret(&code, &[&stdout, &stderr], dir.path());
    assert!(role_exists(&rt, &role));

    let (code, _, stderr) = run(
        &user,
        &eks,
        &["register", "status", "--name", &unique("none")],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is not registered in eu-west-1"),
        "{stderr}"
    );
}

/// `Credential=AK/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=HEX` parsed
/// into (region, service, signed headers, signature).
fn authorization_parts(value: &str) -> (String, String, Vec<String>, String) {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256 ").expect("SigV4");
    let mut scope = Vec::new();
    let mut signed = Vec::new();
    let mut signature = String::new();
    for part in rest.split(", ") {
        if let Some(c) = part.strip_prefix("Credential=") {
            scope = c.split('/').map(str::to_string).collect();
        } else if let Some(h) = part.strip_prefix("SignedHeaders=") {
            signed = h.split(';').map(str::to_string).collect();
        } else if let Some(s) = part.strip_prefix("Signature=") {
            signature = s.to_string();
        }
    }
    assert_eq!(scope.len(), 5, "{value}");
    (scope[2].clone(), scope[3].clone(), signed, signature)
}

#[test]
#[ignore = "needs moto and botocore (scripts/test-aws)"]
fn every_request_meshdeck_sends_is_signed_as_botocore_signs_it() {
    let python = std::env::var("MESHDECK_TEST_PYTHON").unwrap_or_else(|_| panic!("{NEEDS_MOTO}"));
    let rt = runtime();
    // Session credentials, so the security token is signed too.
    let base = new_user(&rt);
    let role_name = unique("signer");
    let session = rt.block_on(async {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
        admin()
            .query(Service::Iam, "CreateRole", &[("RoleName", &role_name), ("AssumeRolePolicyDocument", trust)])
            .await
            .unwrap();
        let me = Client::with_credentials(
            Credentials::new(&base.key, &base.secret, None, None, "test"),
            "eu-west-1",
            Some(&moto_url()),
        )
        .unwrap();
        let arn = format!("arn:aws:iam::{ACCOUNT}:role/{role_name}");
        me.query(Service::Sts, "AssumeRole", &[("RoleArn", &arn), ("RoleSessionName", "signer")])
            .await
            .unwrap()
    });
    let field = |f: &str| {
        session
            .text(&["AssumeRoleResult", "Credentials", f])
            .unwrap()
    };
    let user = User {
        arn: String::new(),
        key: field("AccessKeyId"),
        secret: field("SecretAccessKey"),
        token: Some(field("SessionToken")),
    };
    // The fake stands in front of moto, so it sees every request meshdeck sends.
    let eks = FakeEks::start();
    eks.lock().upstream = Some(moto_url());
    eks.lock()
        .faults
        .extend([Fault::Propagation, Fault::NonexistentRole]);
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let via_fake = |args: &[&str]| {
        let out = command(&user, &eks, args)
            .env("AWS_ENDPOINT_URL_IAM", &eks.url)
            .env("AWS_ENDPOINT_URL_STS", &eks.url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    via_fake(&register_args(
        &name,
        dir.path(),
        &["-y", "--tags", "team=a b/c"],
    ));
    via_fake(&["register", "status", "--name", &name]);
    via_fake(&["deregister", "--name", &name, "-y"]);

    let recorded = eks.lock().requests.clone();
    let mut jobs = Vec::new();
    let mut ours = Vec::new();
    let mut operations = std::collections::BTreeSet::new();
    for r in &recorded {
        let header = |n: &str| {
            r.headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
        };
        let (region, service, signed, signature) =
            authorization_parts(&header("authorization").expect("every request is signed"));
        let headers: serde_json::Map<String, serde_json::Value> = signed
            .iter()
            .map(|h| {
                (
                    h.clone(),
                    header(h).expect("a signed header is sent").into(),
                )
            })
            .collect();
        assert!(
            signed.contains(&"x-amz-security-token".to_string()),
            "{signed:?}"
        );
        let operation = if service == "eks" {
            format!(
                "{} {}",
                r.method,
                r.uri.split('/').nth(1).unwrap_or_default()
            )
        } else {
            let body = String::from_utf8_lossy(&r.body);
            form_urlencoded::parse(body.as_bytes())
                .find(|(k, _)| k == "Action")
                .map(|(_, v)| v.into_owned())
                .unwrap()
        };
        operations.insert(operation);
        jobs.push(serde_json::json!({
            "method": r.method,
            "url": format!("{}{}", eks.url, r.uri),
            "headers": headers,
            "body_b64": base64::engine::general_purpose::STANDARD.encode(&r.body),
            "service": service,
            "region": region,
        }));
        ours.push(signature);
    }
    let job = serde_json::json!({
        "access_key": user.key,
        "secret_key": user.secret,
        "token": user.token,
        "requests": jobs,
    });
    let mut child = Command::new(python)
        .arg(crate::common::repo().join("tests/it/botocore_sign.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), job.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let botocore: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(botocore, ours, "botocore signs every request the same way");
    let expected = [
        "GetCallerIdentity",
        "CreateServiceLinkedRole",
        "CreateRole",
        "GetRole",
        "PutRolePolicy",
        "GET clusters",
        "POST cluster-registrations",
        "DELETE cluster-registrations",
        "DeleteRolePolicy",
        "DeleteRole",
    ];
    for op in expected {
        assert!(
            operations.contains(op),
            "{op} was not checked: {operations:?}"
        );
    }
    assert!(recorded.len() >= 14, "{}", recorded.len());
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn credentials_and_region_come_from_profiles_as_in_the_aws_cli() {
    let rt = runtime();
    let env_user = new_user(&rt);
    let profile_user = new_user(&rt);
    let process_user = new_user(&rt);
    let eks = FakeEks::start();
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("creds.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"{}\", \"SecretAccessKey\": \"{}\"}}'\n",
            process_user.key, process_user.secret
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = home.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile dev]\nregion = eu-central-1\n\n[profile tool]\nregion = us-west-2\ncredential_process = {}\n",
            script.display()
        ),
    )
    .unwrap();
    let credentials = home.path().join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[dev]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            profile_user.key, profile_user.secret
        ),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dry = |profile: &str, region_env: bool| {
        let mut cmd = command(
            &env_user,
            &eks,
            &register_args(
                "lab",
                dir.path(),
                &["--dry-run", "-o", "json", "--profile", profile],
            ),
        );
        cmd.env("AWS_CONFIG_FILE", &config)
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials);
        if !region_env {
            cmd.env_remove("AWS_REGION");
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // --profile beats the environment's keys; the profile's region applies without AWS_REGION.
    let plan = dry("dev", false);
    assert_eq!(plan["caller"], profile_user.arn.as_str());
    assert_eq!(plan["region"], "eu-central-1");
    assert_eq!(plan["dryRun"], true);
    // AWS_REGION beats the profile's region.
    assert_eq!(dry("dev", true)["region"], "eu-west-1");
    // credential_process.
    let plan = dry("tool", false);
    assert_eq!(plan["caller"], process_user.arn.as_str());
    assert_eq!(plan["region"], "us-west-2");
    assert!(eks.lock().register_calls.is_empty());
}

#[test]
fn missing_credentials_or_region_say_what_to_do() {
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let nobody = User {
        arn: String::new(),
        key: String::new(),
        secret: String::new(),
        token: None,
    };
    let mut cmd = command(
        &nobody,
        &eks,
        &register_args("lab", dir.path(), &["--dry-run"]),
    );
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_ENDPOINT_URL_IAM", &eks.url)
        .env("AWS_ENDPOINT_URL_STS", &eks.url);
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: cannot load AWS credentials"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: configure credentials as for the AWS CLI"),
        "{stderr}"
    );

    let mut cmd = command(
        &nobody,
        &eks,
        &register_args("lab", dir.path(), &["--dry-run"]),
    );
    cmd.env_remove("AWS_REGION");
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: no AWS region is configured"),
        "{stderr}"
    );
    assert!(stderr.contains("--region"), "{stderr}");
    assert!(eks.lock().requests.is_empty(), "nothing was sent");
}

/// Runs meshdeck with IAM and STS going through `eks` (which passes them on to moto unless a
/// fault is set for the action).
fn run_via_fake(user: &User, eks: &FakeEks, args: &[&str]) -> (i32, String, String) {
    let out = command(user, eks, args)
        .env("AWS_ENDPOINT_URL_IAM", &eks.url)
        .env("AWS_ENDPOINT_URL_STS", &eks.url)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn the_service_linked_role_taken_or_denied_does_not_stop_the_registration() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    eks.lock().upstream = Some(moto_url());
    let fault = |status: u16, code: &str, message: &str| {
        eks.lock().query_faults.insert(
            "CreateServiceLinkedRole".into(),
            (status, code.into(), message.into()),
        );
    };
    // What AWS answers when the role exists (moto answers EntityAlreadyExists instead).
    fault(
        400,
        "InvalidInput",
        "Service role name AWSServiceRoleForAmazonEKSConnector has been taken in this account, please try a different suffix.",
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_via_fake(
        &user,
        &eks,
        &register_args(&unique("c"), dir.path(), &["-y"]),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("The service-linked role exists"),
        "{stderr}"
    );

    fault(
        403,
        "AccessDenied",
        "User is not authorized to perform: iam:CreateServiceLinkedRole",
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_via_fake(
        &user,
        &eks,
        &register_args(&unique("c"), dir.path(), &["-y", "-o", "json"]),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: not allowed to create the service-linked role for eks-connector.amazonaws.com (AccessDenied); EKS creates it itself at registration"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["serviceLinkedRole"], "not-allowed");

    // Any other answer stops the run before a role is created.
    fault(400, "InvalidInput", "Unknown service");
    let (code, _, stderr) = run_via_fake(
        &user,
        &eks,
        &register_args(&unique("c"), dir.path(), &["-y"]),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "IAM CreateServiceLinkedRole failed: InvalidInput (HTTP 400): Unknown service"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing had been created, nothing was removed"),
        "{stderr}"
    );
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn a_policy_that_cannot_be_attached_removes_the_new_role() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    eks.lock().upstream = Some(moto_url());
    eks.lock().query_faults.insert(
        "PutRolePolicy".into(),
        (
            409,
            "LimitExceeded".into(),
            "Cannot exceed quota for PoliciesPerRole".into(),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_via_fake(
        &user,
        &eks,
        &register_args(&unique("c"), dir.path(), &["-y"]),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("IAM PutRolePolicy failed: LimitExceeded (HTTP 409)"),
        "{stderr}"
    );
    let role = role_named_in(&stderr);
    // The policy was never attached: only the role is removed.
    assert!(
        stderr.contains(&format!("removed what this run created: IAM role {role}\n")),
        "{stderr}"
    );
    assert!(!role_exists(&rt, &role));
    assert!(eks.lock().register_calls.is_empty());
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn manifests_that_cannot_be_written_undo_the_registration_and_the_role() {
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    // The second file's name is taken by a non-empty directory: the first file is written,
    // the second cannot be.
    let blocker = dir.path().join("eks-connector-clusterrole.yaml");
    std::fs::create_dir(&blocker).unwrap();
    std::fs::write(blocker.join("keep"), "x").unwrap();
    let name = unique("c");
    let (code, _, stderr) = run(&user, &eks, &register_args(&name, dir.path(), &["-y"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot write the manifests to"), "{stderr}");
    assert!(
        stderr.contains(&format!("the registration of {name:?}")),
        "{stderr}"
    );
    let role = role_named_in(&stderr);
    assert!(stderr.contains(&format!("IAM role {role}")), "{stderr}");
    assert!(!role_exists(&rt, &role));
    assert!(eks.lock().clusters.is_empty(), "deregistered again");
    assert!(
        !dir.path().join("eks-connector.yaml").exists(),
        "no activation code left behind"
    );
    let activation = eks.lock().codes[&name].clone();
    assert!(!stderr.contains(&activation));
}

#[test]
#[ignore = "needs a Kubernetes API server: run scripts/test, or set MESHDECK_TEST_KUBECONFIG"]
fn status_shows_the_connector_pods_of_the_kube_context() {
    use k8s_openapi::api::core::v1::Pod;
    use kube::api::{Api, Patch, PatchParams};
    let c = crate::testcluster::cluster();
    let _turn = crate::testcluster::exclusive();
    clean_connector(&c);
    let ns = c.namespace("register");
    ns.apply_json(serde_json::json!({
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "eks-connector"},
    }));
    for i in 0..2 {
        ns.apply_json(serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("eks-connector-{i}"), "namespace": "eks-connector",
                         "labels": {"app": "eks-connector"}},
            "spec": {
                "initContainers": [{"name": "connector-init", "image": "connector"}],
                "containers": [{"name": "connector-agent", "image": "agent"},
                               {"name": "connector-proxy", "image": "connector"}],
            },
        }));
    }
    let container = |name: &str, ready: bool, restarts: i32, waiting: Option<&str>| {
        let state = match waiting {
            Some(reason) => serde_json::json!({"waiting": {"reason": reason}}),
            None => serde_json::json!({"running": {}}),
        };
        serde_json::json!({"name": name, "ready": ready, "restartCount": restarts,
            "image": "img", "imageID": "", "state": state})
    };
    let pods: Api<Pod> = Api::namespaced(c.client(), "eks-connector");
    let statuses = [
        serde_json::json!({"status": {"phase": "Running",
            "initContainerStatuses": [container("connector-init", true, 0, None)],
            "containerStatuses": [container("connector-agent", true, 0, None),
                                  container("connector-proxy", true, 0, None)]}}),
        serde_json::json!({"status": {"phase": "Pending",
            "initContainerStatuses": [container("connector-init", false, 4, Some("CrashLoopBackOff"))],
            "containerStatuses": [container("connector-agent", false, 0, Some("PodInitializing")),
                                  container("connector-proxy", false, 0, Some("PodInitializing"))]}}),
    ];
    for (i, status) in statuses.iter().enumerate() {
        c.block_on(pods.patch_status(
            &format!("eks-connector-{i}"),
            &PatchParams::default(),
            &Patch::Merge(status),
        ))
        .unwrap();
    }

    let eks = FakeEks::start();
    let name = unique("c");
    eks.insert(
        &name,
        "PENDING",
        "arn:aws:iam::123456789012:role/r",
        4102444800.0,
    );
    let user = User {
        arn: String::new(),
        key: "AKIASTATUSONLY".into(),
        secret: "secret".into(),
        token: None,
    };
    let kubeconfig = c.kubeconfig.to_str().unwrap().to_string();
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &[
            "register",
            "status",
            "--name",
            &name,
            "--kubeconfig",
            &kubeconfig,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("  connector pods:\n"), "{stdout}");
    assert!(
        stdout.contains("    eks-connector-0 Running 2/2 ready, 0 restarts\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    eks-connector-1 Pending 0/2 ready, 4 restarts, CrashLoopBackOff\n"),
        "{stdout}"
    );
    assert!(stdout.contains("Waiting for the connector"), "{stdout}");
    let (code, stdout, _) = run(
        &user,
        &eks,
        &[
            "register",
            "status",
            "--name",
            &name,
            "--kubeconfig",
            &kubeconfig,
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let status: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(status["connectorPods"][1]["problem"], "CrashLoopBackOff");
    assert_eq!(status["connectorPods"][0]["ready"], 2);

    // Without a reachable cluster the registration is still shown, with the reason.
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &[
            "register",
            "status",
            "--name",
            &name,
            "--kubeconfig",
            "/nonexistent/kubeconfig",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "connector pods: cannot read them (cannot load the kubeconfig /nonexistent/kubeconfig"
        ),
        "{stdout}"
    );
    drop(ns);
    clean_connector(&c);
}

/// A role anyone in the account may assume (moto checks no more).
fn assumable_role(rt: &tokio::runtime::Runtime) -> (String, String) {
    let name = unique("chain");
    rt.block_on(async {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity"]}]}"#;
        admin()
            .query(
                Service::Iam,
                "CreateRole",
                &[("RoleName", &name), ("AssumeRolePolicyDocument", trust)],
            )
            .await
            .unwrap();
    });
    let arn = format!("arn:aws:iam::{ACCOUNT}:role/{name}");
    (name, arn)
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn assume_role_and_web_identity_credentials_come_from_sts() {
    let rt = runtime();
    let base = new_user(&rt);
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let plan_of = |mut cmd: Command| {
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let dry = ["--dry-run", "-o", "json"];

    // assume-role: a profile with role_arn + source_profile; aws-config calls STS AssumeRole
    // (moto, through AWS_ENDPOINT_URL_STS) with the source profile's keys.
    let (role, role_arn) = assumable_role(&rt);
    let config = home.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile ops]\nrole_arn = {role_arn}\nsource_profile = base\nrole_session_name = bob\nregion = eu-west-2\n"
        ),
    )
    .unwrap();
    let credentials = home.path().join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            base.key, base.secret
        ),
    )
    .unwrap();
    let nobody = User {
        arn: String::new(),
        key: "AKIANOTUSEDBYPROFILE".into(),
        secret: "not-used".into(),
        token: None,
    };
    let mut cmd = command(
        &nobody,
        &eks,
        &register_args(
            "lab",
            dir.path(),
            &[&dry[..], &["--profile", "ops"]].concat(),
        ),
    );
    cmd.env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env_remove("AWS_REGION")
        .env("HOME", home.path());
    let plan = plan_of(cmd);
    assert_eq!(
        plan["caller"],
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/bob").as_str()
    );
    assert_eq!(plan["consoleArns"][0], role_arn.as_str());
    assert_eq!(plan["region"], "eu-west-2");

    // Web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, no keys anywhere; aws-config
    // calls STS AssumeRoleWithWebIdentity.
    let (role, role_arn) = assumable_role(&rt);
    let token = home.path().join("token");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZXNoZGVjayJ9.c2ln").unwrap();
    let mut cmd = command(&nobody, &eks, &register_args("lab", dir.path(), &dry));
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", &role_arn)
        .env("AWS_ROLE_SESSION_NAME", "ci-job")
        .env("HOME", home.path());
    let plan = plan_of(cmd);
    assert_eq!(
        plan["caller"],
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/ci-job").as_str()
    );
    assert_eq!(plan["consoleArns"][0], role_arn.as_str());
    assert!(eks.lock().register_calls.is_empty());
}

/// The SSO cache file `aws sso login` writes for `identifier` (the start URL for a legacy
/// profile, the session name for an `sso-session`): ~/.aws/sso/cache/<sha1 hex>.json.
fn write_sso_token(home: &Path, identifier: &str, start_url: &str, token: &str) {
    let digest = ring::digest::digest(
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        identifier.as_bytes(),
    );
    let name: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    let dir = home.join(".aws/sso/cache");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{name}.json")),
        serde_json::json!({
            "startUrl": start_url,
            "region": "eu-west-1",
            "accessToken": token,
            "expiresAt": "2099-01-01T00:00:00Z",
        })
        .to_string(),
    )
    .unwrap();
}

#[test]
#[ignore = "needs moto (scripts/test-aws)"]
fn sso_profiles_get_their_credentials_from_the_sso_portal() {
    let rt = runtime();
    // The portal hands out a real moto user's keys, so STS names that user as the caller.
    let granted = new_user(&rt);
    let eks = FakeEks::start();
    eks.lock().sso = Some(crate::fake_eks::SsoPortal {
        access_token: "cached-sso-access-token".into(),
        account_id: ACCOUNT.into(),
        role_name: "MeshOperators".into(),
        key: granted.key.clone(),
        secret: granted.secret.clone(),
        session_token: granted.token.clone(),
    });
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let start_url = "https://d-0123456789.awsapps.com/start";
    let config = home.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile legacy]\nsso_start_url = {start_url}\nsso_region = eu-west-1\n\
             sso_account_id = {ACCOUNT}\nsso_role_name = MeshOperators\nregion = eu-west-2\n\n\
             [profile session]\nsso_session = corp\nsso_account_id = {ACCOUNT}\n\
             sso_role_name = MeshOperators\nregion = eu-central-1\n\n\
             [sso-session corp]\nsso_start_url = {start_url}\nsso_region = eu-west-1\n\
             sso_registration_scopes = sso:account:access\n\n\
             [profile wrong-role]\nsso_session = corp\nsso_account_id = {ACCOUNT}\n\
             sso_role_name = Nobody\nregion = eu-west-1\n"
        ),
    )
    .unwrap();
    write_sso_token(home.path(), start_url, start_url, "cached-sso-access-token");
    write_sso_token(home.path(), "corp", start_url, "cached-sso-access-token");
    let nobody = User {
        arn: String::new(),
        key: "AKIANOTUSEDBYPROFILE".into(),
        secret: "not-used".into(),
        token: None,
    };
    let run = |profile: &str| {
        let mut cmd = command(
            &nobody,
            &eks,
            &register_args(
                "lab",
                dir.path(),
                &["--dry-run", "-o", "json", "--profile", profile],
            ),
        );
        cmd.env("AWS_CONFIG_FILE", &config)
            .env("AWS_ENDPOINT_URL_SSO", &eks.url)
            .env_remove("AWS_REGION")
            .env("HOME", home.path());
        cmd.output().unwrap()
    };

    for (profile, region) in [("legacy", "eu-west-2"), ("session", "eu-central-1")] {
        let out = run(profile);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{profile}: {stderr}");
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(plan["caller"], granted.arn.as_str(), "{profile}");
        assert_eq!(plan["region"], region, "{profile}");
    }
    {
        let st = eks.lock();
        assert_eq!(st.sso_calls.len(), 2, "{:?}", st.sso_calls);
        for (account, role, bearer) in &st.sso_calls {
            assert_eq!(
                (account.as_str(), role.as_str(), bearer.as_str()),
                (ACCOUNT, "MeshOperators", "cached-sso-access-token")
            );
        }
    }

    // A role the portal does not grant: the credentials error, with the AWS CLI's remedy, and
    // neither the cached token nor anything else secret in the output.
    let out = run("wrong-role");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("credentials"), "{stderr}");
    assert!(stderr.contains("aws sso login"), "{stderr}");
    assert!(!stderr.contains("cached-sso-access-token"), "{stderr}");
    assert!(eks.lock().register_calls.is_empty());
}

/// Removes whatever the connector's manifests created (by the names meshdeck's templates use)
/// and the namespace for good: without a namespace controller a deleted namespace stays
/// Terminating, so this empties its finalizers as the controller would once it is empty.
fn clean_connector(c: &crate::testcluster::TestCluster) {
    use k8s_openapi::api::core::v1::Namespace;
    use kube::api::{Api, PostParams};
    use meshdeck::register::objects;
    let kube = c.kube();
    let names: Vec<_> = objects::template_objects()
        .into_iter()
        .flat_map(|(_, names)| names)
        .collect();
    for n in objects::delete_order(&names) {
        let obj = c
            .block_on(kube.object(&n.api_version, &n.kind, n.namespace.as_deref(), &n.name))
            .unwrap();
        c.block_on(kube.delete(&obj, meshdeck::kube::Propagation::Background))
            .unwrap();
    }
    let namespaces: Api<Namespace> = Api::all(c.client());
    if c.block_on(namespaces.get_opt(CONNECTOR_NS))
        .unwrap()
        .is_some()
    {
        let body = serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": CONNECTOR_NS}, "spec": {"finalizers": []},
        });
        c.block_on(namespaces.replace_subresource(
            "finalize",
            CONNECTOR_NS,
            &PostParams::default(),
            &body,
        ))
        .unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while c
        .block_on(namespaces.get_opt(CONNECTOR_NS))
        .unwrap()
        .is_some()
    {
        assert!(Instant::now() < deadline, "namespace {CONNECTOR_NS} stays");
        std::thread::sleep(Duration::from_millis(100));
    }
}

const CONNECTOR_NS: &str = "eks-connector";

/// A running meshdeck with its stdout and stderr collected by threads.
struct Running {
    child: std::process::Child,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
}

fn spawn(mut cmd: Command) -> Running {
    use std::io::Read;
    let mut child = cmd.spawn().unwrap();
    let collect = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            s
        })
    };
    let stdout = collect(Box::new(child.stdout.take().unwrap()));
    let stderr = collect(Box::new(child.stderr.take().unwrap()));
    Running {
        child,
        stdout,
        stderr,
    }
}

impl Running {
    fn finish(mut self) -> (i32, String, String) {
        let status = self.child.wait().unwrap();
        (
            status.code().unwrap_or(-1),
            self.stdout.join().unwrap(),
            self.stderr.join().unwrap(),
        )
    }
}

/// Plays the StatefulSet controller: once meshdeck has applied the connector StatefulSet, its
/// status says both replicas are ready (no kubelet runs pods here).
fn mark_connector_ready(c: &crate::testcluster::TestCluster, running: &mut Running) {
    use k8s_openapi::api::apps::v1::StatefulSet;
    use kube::api::{Api, Patch, PatchParams};
    let api: Api<StatefulSet> = Api::namespaced(c.client(), CONNECTOR_NS);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(sts) = c.block_on(api.get_opt("eks-connector")).unwrap() {
            let generation = sts.metadata.generation.unwrap_or(1);
            let status = serde_json::json!({"status": {
                "observedGeneration": generation, "replicas": 2, "readyReplicas": 2,
                "currentReplicas": 2, "updatedReplicas": 2,
                "currentRevision": "eks-connector-1", "updateRevision": "eks-connector-1",
            }});
            c.block_on(api.patch_status(
                "eks-connector",
                &PatchParams::default(),
                &Patch::Merge(&status),
            ))
            .unwrap();
            return;
        }
        if let Some(status) = running.child.try_wait().unwrap() {
            panic!("meshdeck ended ({status}) before it applied the StatefulSet");
        }
        assert!(Instant::now() < deadline, "no StatefulSet was applied");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
#[ignore = "needs moto and a Kubernetes API server: run scripts/test"]
fn apply_connects_the_cluster_and_delete_manifests_removes_it() {
    use k8s_openapi::api::apps::v1::StatefulSet;
    use k8s_openapi::api::core::v1::Secret;
    use k8s_openapi::api::rbac::v1::ClusterRole;
    use kube::api::Api;
    let c = crate::testcluster::cluster();
    let _turn = crate::testcluster::exclusive();
    clean_connector(&c);
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    // The connector "connects" a few DescribeCluster calls after it runs.
    eks.lock().activate_after = Some(2);
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let kubeconfig = c.kubeconfig.to_str().unwrap().to_string();
    let apply = [
        "-y",
        "--apply",
        "--kubeconfig",
        &kubeconfig,
        "--ready-timeout",
        "60s",
        "--active-timeout",
        "60s",
    ];
    let mut running = spawn(command(
        &user,
        &eks,
        &register_args(&name, dir.path(), &apply),
    ));
    mark_connector_ready(&c, &mut running);
    let (code, stdout, stderr) = running.finish();
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  StatefulSet eks-connector/eks-connector created\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  Secret eks-connector/eks-connector-activation-config created\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "StatefulSet eks-connector/eks-connector is ready and EKS reports the cluster ACTIVE"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("Next: apply them"), "{stdout}");
    assert!(
        stderr.contains("\nStatefulSet eks-connector/eks-connector is ready\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "EKS reports {name:?} PENDING, not ACTIVE yet; asking again in"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("\nEKS reports {name:?} ACTIVE\n")),
        "{stderr}"
    );
    assert_eq!(eks.lock().clusters[&name]["status"], "ACTIVE");
    // The Secret in the cluster holds the code, applied by meshdeck; nothing else shows it.
    let activation = eks.lock().codes[&name].clone();
    let secret = c
        .block_on(
            Api::<Secret>::namespaced(c.client(), CONNECTOR_NS)
                .get("eks-connector-activation-config"),
        )
        .unwrap();
    assert_eq!(secret.data.unwrap()["code"].0, activation.as_bytes());
    let managers: Vec<String> = secret
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.manager)
        .collect();
    assert_eq!(managers, ["meshdeck"]);
    assert_code_only_in_secret(&activation, &[&stdout, &stderr], dir.path());
    let role = role_named_in(&stdout);
    assert!(role_exists(&rt, &role));

    // deregister --delete-manifests: the objects of the files in --output-dir go, the
    // namespace last.
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &[
            "deregister",
            "--name",
            &name,
            "--delete-manifests",
            "--output-dir",
            dir.path().to_str().unwrap(),
            "--kubeconfig",
            &kubeconfig,
            "-y",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    for line in [
        "  deleted StatefulSet eks-connector/eks-connector\n",
        "  deleted Secret eks-connector/eks-connector-activation-config\n",
        "  deleted ClusterRole eks-connector-console-dashboard-full-access-clusterrole\n",
        "  deleted ClusterRoleBinding eks-connector-service\n",
    ] {
        assert!(stdout.contains(line), "{line:?} in:\n{stdout}");
    }
    // No namespace controller runs here: the namespace stays Terminating.
    assert!(
        stdout.ends_with(
            "  deleted Namespace eks-connector (terminating: its finalizers still run)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "named by {}",
            dir.path().join("eks-connector.yaml").display()
        )),
        "{stdout}"
    );
    assert!(!stdout.contains(&activation) && !stderr.contains(&activation));
    assert!(
        c.block_on(
            Api::<StatefulSet>::namespaced(c.client(), CONNECTOR_NS).get_opt("eks-connector")
        )
        .unwrap()
        .is_none()
    );
    assert!(
        c.block_on(Api::<ClusterRole>::all(c.client()).get_opt("eks-connector-service"))
            .unwrap()
            .is_none()
    );
    assert!(!role_exists(&rt, &role));
    assert!(eks.lock().clusters.is_empty());
    clean_connector(&c);

    // Without the files, the names meshdeck's templates use: what is there goes, the rest is
    // reported as not found.
    let rbac = "rbac.authorization.k8s.io/v1";
    c.block_on(c.kube().apply(
        &serde_json::json!({"apiVersion": rbac, "kind": "ClusterRole",
            "metadata": {"name": "eks-connector-service"}, "rules": []}),
        &meshdeck::kube::ApplyOptions::default(),
    ))
    .unwrap();
    let other = unique("c");
    eks.insert(
        &other,
        "ACTIVE",
        &format!("arn:aws:iam::{ACCOUNT}:role/{}", unique("gone")),
        4102444800.0,
    );
    let empty = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &[
            "deregister",
            "--name",
            &other,
            "--delete-manifests",
            "--output-dir",
            empty.path().to_str().unwrap(),
            "--kubeconfig",
            &kubeconfig,
            "-y",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  deleted ClusterRole eks-connector-service\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  not found StatefulSet eks-connector/eks-connector\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the names of meshdeck's eks-connector.yaml (no "),
        "{stdout}"
    );
    assert!(
        c.block_on(Api::<ClusterRole>::all(c.client()).get_opt("eks-connector-service"))
            .unwrap()
            .is_none()
    );
    clean_connector(&c);
}

#[test]
#[ignore = "needs moto and a Kubernetes API server: run scripts/test"]
fn an_apply_that_fails_keeps_the_registration_and_never_shows_the_code() {
    use k8s_openapi::api::core::v1::Secret;
    use kube::api::{Api, PostParams};
    let c = crate::testcluster::cluster();
    let _turn = crate::testcluster::exclusive();
    clean_connector(&c);
    // An immutable Secret of an earlier activation: the server refuses to change its data.
    c.block_on(c.kube().apply(
        &serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": CONNECTOR_NS}}),
        &meshdeck::kube::ApplyOptions::default(),
    ))
    .unwrap();
    let old: Secret = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Secret", "immutable": true,
        "metadata": {"name": "eks-connector-activation-config", "namespace": CONNECTOR_NS},
        "data": {"code": "b2xk"},
    }))
    .unwrap();
    c.block_on(
        Api::<Secret>::namespaced(c.client(), CONNECTOR_NS).create(&PostParams::default(), &old),
    )
    .unwrap();

    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let kubeconfig = c.kubeconfig.to_str().unwrap().to_string();
    let (code, stdout, stderr) = run(
        &user,
        &eks,
        &register_args(
            &name,
            dir.path(),
            &["-y", "--apply", "--kubeconfig", &kubeconfig],
        ),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "registered {name:?} and wrote its manifests, but --apply did not finish"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("Secret eks-connector/eks-connector-activation-config"),
        "{stderr}"
    );
    assert!(stderr.contains("immutable"), "{stderr}");
    assert!(
        stderr.contains("kubectl apply --server-side -f"),
        "{stderr}"
    );
    let activation = eks.lock().codes[&name].clone();
    assert_code_only_in_secret(&activation, &[&stdout, &stderr], dir.path());
    // The registration and its role stay: the manifests can still be applied by hand.
    assert!(eks.lock().clusters.contains_key(&name));
    assert!(role_exists(&rt, &role_named_in(&stderr)));
    clean_connector(&c);
}

#[cfg(unix)]
#[test]
#[ignore = "needs moto and a Kubernetes API server: run scripts/test"]
fn ctrl_c_during_apply_keeps_the_registration_and_says_how_to_finish() {
    use k8s_openapi::api::core::v1::Secret;
    use kube::api::Api;
    let c = crate::testcluster::cluster();
    let _turn = crate::testcluster::exclusive();
    clean_connector(&c);
    let rt = runtime();
    let user = new_user(&rt);
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let kubeconfig = c.kubeconfig.to_str().unwrap().to_string();
    // Nobody marks the StatefulSet ready: meshdeck waits until it is interrupted.
    let mut child = command(
        &user,
        &eks,
        &register_args(
            &name,
            dir.path(),
            &[
                "-y",
                "--apply",
                "--kubeconfig",
                &kubeconfig,
                "--ready-timeout",
                "120s",
            ],
        ),
    )
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    let pid = child.id().to_string();
    let mut seen = String::new();
    let mut interrupted = false;
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if !interrupted && line.contains("Waiting for StatefulSet eks-connector/eks-connector") {
            let ok = Command::new("kill").args(["-INT", &pid]).status().unwrap();
            assert!(ok.success());
            interrupted = true;
        }
    }
    let status = child.wait().unwrap();
    let stdout = out.join().unwrap();
    assert!(
        interrupted,
        "meshdeck never waited for the StatefulSet:\n{seen}"
    );
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(
        seen.contains(&format!(
            "registered {name:?} and wrote its manifests, but --apply was interrupted: Ctrl-C"
        )),
        "{seen}"
    );
    assert!(seen.contains("kubectl apply --server-side -f"), "{seen}");
    // What was applied stays, the registration and its role too; the code is only in the
    // cluster's Secret and the files.
    assert!(eks.lock().clusters.contains_key(&name));
    assert!(role_exists(&rt, &role_named_in(&seen)));
    let secret = c
        .block_on(
            Api::<Secret>::namespaced(c.client(), CONNECTOR_NS)
                .get_opt("eks-connector-activation-config"),
        )
        .unwrap();
    assert!(secret.is_some(), "the Secret applied before Ctrl-C is gone");
    let activation = eks.lock().codes[&name].clone();
    assert_code_only_in_secret(&activation, &[&stdout, &seen], dir.path());
    clean_connector(&c);
}

#[test]
fn apply_flags_need_apply() {
    let eks = FakeEks::start();
    let dir = tempfile::tempdir().unwrap();
    let nobody = User {
        arn: String::new(),
        key: "AKIAFLAGSONLY".into(),
        secret: "secret".into(),
        token: None,
    };
    let (code, _, stderr) = run(
        &nobody,
        &eks,
        &register_args("lab", dir.path(), &["--ready-timeout", "1m"]),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--apply"), "{stderr}");
    let (code, _, stderr) = run(
        &nobody,
        &eks,
        &["deregister", "--name", "lab", "--output-dir", "x"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--delete-manifests"), "{stderr}");
    assert!(eks.lock().requests.is_empty());
}
