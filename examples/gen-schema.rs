//! Writes the schema table (`data/istio-schema.table`) for a release's CRD bundle to stdout.
//! Run through `scripts/gen-schema`, which documents the arguments.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(crds), Some(release)) = (args.next(), args.next()) else {
        eprintln!("usage: gen-schema <crd-all.gen.yaml> <istio release, e.g. 1.30.3>");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&crds).unwrap_or_else(|e| {
        eprintln!("gen-schema: cannot read {crds}: {e}");
        std::process::exit(1);
    });
    match meshdeck::analyze::analyzers::schema::table::generate(&text, &release) {
        Ok(table) => print!("{table}"),
        Err(e) => {
            eprintln!("gen-schema: {crds}:{e}");
            std::process::exit(1);
        }
    }
}
