//! Generates the message-code constants from the catalogue (`src/analyze/messages.yaml`) and
//! records the git revision for `--version`. The catalogue is read with meshdeck's own
//! position-keeping YAML reader, so a mistake in it is reported with its line.

#[allow(dead_code)]
#[path = "src/resource/node.rs"]
mod node;

use std::fmt::Write as _;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=src/analyze/messages.yaml");
    println!("cargo:rerun-if-changed=src/resource/node.rs");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/index");

    let text = std::fs::read_to_string("src/analyze/messages.yaml")
        .expect("read src/analyze/messages.yaml");
    let docs = node::parse_documents(&text, 0)
        .unwrap_or_else(|e| panic!("messages.yaml:{}:{}: {}", e.pos.line, e.pos.col, e.message));
    let entries = docs.first().expect("messages.yaml is empty").as_seq();

    let mut out = String::new();
    let mut names = Vec::new();
    for e in entries {
        let field = |k: &str| -> String {
            let v = e.get(k).and_then(|n| n.scalar_text()).unwrap_or("");
            if v.is_empty() && matches!(k, "code" | "name" | "level" | "template") {
                panic!("messages.yaml:{}: entry lacks `{k}`", e.pos.line);
            }
            v.to_string()
        };
        let code = field("code");
        let level = field("level");
        assert!(
            matches!(level.as_str(), "Error" | "Warning" | "Info"),
            "messages.yaml:{}: level must be Error, Warning or Info",
            e.pos.line
        );
        let mut args = String::new();
        for a in e.path(&["args"]).as_seq() {
            let ty = match a.path(&["type"]).text() {
                "string" => "Str",
                "int" => "Int",
                "strings" => "Strs",
                "ints" => "Ints",
                other => panic!("messages.yaml:{}: unknown arg type {other:?}", a.pos.line),
            };
            write!(
                args,
                "ArgSpec {{ name: {:?}, ty: ArgType::{ty} }}, ",
                a.path(&["name"]).text()
            )
            .unwrap();
        }
        writeln!(
            out,
            "pub static {code}: MessageType = MessageType {{ code: {code:?}, name: {:?}, level: Level::{level}, template: {:?}, args: &[{args}], description: {:?}, why: {:?}, fix: {:?}, example: {:?} }};",
            field("name"),
            field("template"),
            field("description"),
            field("why"),
            field("fix"),
            field("example"),
        )
        .unwrap();
        names.push(code);
    }
    write!(
        out,
        "/// Every message type, in catalogue order.\npub static CATALOGUE: &[&MessageType] = &["
    )
    .unwrap();
    for n in &names {
        write!(out, "&{n}, ").unwrap();
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalogue.rs");
    std::fs::write(dest, out).unwrap();

    let rev = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    let version = match (rev.is_empty(), dirty) {
        (true, _) => env!("CARGO_PKG_VERSION").to_string(),
        (false, false) => format!("{} (git {rev})", env!("CARGO_PKG_VERSION")),
        (false, true) => format!("{} (git {rev}, modified)", env!("CARGO_PKG_VERSION")),
    };
    println!("cargo:rustc-env=MESHDECK_VERSION={version}");
}
