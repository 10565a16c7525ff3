//! `install.sh` puts the binary, completions and man pages under PREFIX and fails loudly.

use std::process::Command;

use crate::common::{meshdeck, repo};

fn install(prefix: &std::path::Path) -> std::process::Output {
    Command::new("bash")
        .arg(repo().join("install.sh"))
        .env("PREFIX", prefix)
        .env("MESHDECK_BINARY", meshdeck())
        .output()
        .unwrap()
}

#[test]
fn installs_everything_under_the_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("root");
    let out = install(&prefix);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "bin/meshdeck",
        "share/bash-completion/completions/meshdeck",
        "share/zsh/site-functions/_meshdeck",
        "share/fish/vendor_completions.d/meshdeck.fish",
        "share/man/man1/meshdeck.1",
        "share/man/man1/meshdeck-analyze.1",
    ] {
        let path = prefix.join(f);
        assert!(path.is_file(), "{f} installed");
        assert!(
            stdout.contains(&format!("installed {}", path.display())),
            "{f} reported: {stdout}"
        );
    }
    let version = Command::new(prefix.join("bin/meshdeck"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("meshdeck "));
}

#[test]
fn fails_when_it_cannot_install() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let out = install(&blocker.join("prefix"));
    assert!(!out.status.success(), "installing under a file must fail");
}
