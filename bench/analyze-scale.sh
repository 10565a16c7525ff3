#!/usr/bin/env bash
# Benchmark: `meshdeck analyze -A -o json` as a whole process on the generated scale corpus
# (bench/gen-corpus.rs: per application a Service, two Deployments, a DestinationRule, a
# VirtualService, and a Gateway for every tenth) at 1k, 10k and 100k documents, against baselines
# measured in the same run on the same files:
#   - PyYAML's C loader (libyaml) merely parsing them: yaml.load_all(..., Loader=yaml.CSafeLoader)
#   - rapidyaml (PyPI `rapidyaml`, C++) merely parsing them into its tree, if it installs here
#   - checkov scanning them (PyPI `checkov`; slow, minutes: only with --checkov, at 1k and 10k)
# For each size it prints the median wall time, CPU time (user + system) over wall time, peak RSS
# (/usr/bin/time) over the input size, and the ratios; then the scaling exponent from 10k to 100k
# (log(t100k / t10k) / log(10)), and `meshdeck --version` against `kubectl version --client`.
# The table is also written as JSON (to $JSON, default $CARGO_TARGET_DIR/analyze-scale.json).
#
#   bench/analyze-scale.sh                     # 1k, 10k, 100k; 3 runs each (interleaved)
#   bench/analyze-scale.sh --checkov           # and checkov at 1k and 10k (minutes)
#   SIZES="1000 10000" RUNS=5 bench/analyze-scale.sh
#   MESHDECK_BIN=/path/to/meshdeck bench/analyze-scale.sh   # another build, e.g. an older one
#
# The Python tools go into virtual environments under $MESHDECK_CACHE (~/.cache/meshdeck).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CHECKOV=${CHECKOV:-0}
for arg in "$@"; do
  case "$arg" in
    --checkov) CHECKOV=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "analyze-scale: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done
SIZES=${SIZES:-1000 10000 100000}
RUNS=${RUNS:-3}
CACHE=${MESHDECK_CACHE:-$HOME/.cache/meshdeck}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
JSON=${JSON:-$CARGO_TARGET_DIR/analyze-scale.json}
# MESHDECK_BIN: measure that binary instead of building one.
if [[ -n "${MESHDECK_BIN:-}" ]]; then
  MESHDECK="$MESHDECK_BIN"
else
  # With the example: its dev-dependencies unify features, and building both alike keeps one
  # set of compiled dependencies.
  cargo build --release --locked --bin meshdeck --example gen-corpus >&2
  MESHDECK="$CARGO_TARGET_DIR/release/meshdeck"
fi
GEN="$CARGO_TARGET_DIR/release/examples/gen-corpus"

# PyYAML (with libyaml) and rapidyaml, once, in a virtualenv under the cache.
VENV="$CACHE/bench-venv"
if ! "$VENV/bin/python" -c 'import yaml; yaml.CSafeLoader' 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check pyyaml >&2
fi
if ! "$VENV/bin/python" -c 'import ryml' 2>/dev/null; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check rapidyaml >&2 ||
    echo "analyze-scale: rapidyaml does not install here; its column stays empty" >&2
fi
CHECKOV_BIN=""
if [[ "$CHECKOV" == 1 ]]; then
  CVENV="$CACHE/checkov-venv"
  if ! "$CVENV/bin/checkov" --version >/dev/null 2>&1; then
    python3 -m venv "$CVENV" >&2
    "$CVENV/bin/pip" install --quiet --disable-pip-version-check checkov >&2
  fi
  CHECKOV_BIN="$CVENV/bin/checkov"
fi

# The corpus, once per size (the generator is deterministic).
CORPUS="$CACHE/scale-corpus"
for n in $SIZES; do
  if [[ ! -f "$CORPUS/$n/.done" ]]; then
    [[ -x "$GEN" ]] || cargo build --release --locked --example gen-corpus >&2
    rm -rf "${CORPUS:?}/$n"
    "$GEN" "$n" "$CORPUS/$n" >&2
    touch "$CORPUS/$n/.done"
  fi
done

"$VENV/bin/python" - "$RUNS" "$MESHDECK" "$CORPUS" "$JSON" "$CHECKOV_BIN" $SIZES <<'PY'
import glob, json, math, os, platform, statistics, subprocess, sys, tempfile, time
runs, meshdeck, corpus, json_path, checkov = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
sizes = [int(s) for s in sys.argv[6:]]
py = sys.executable
# checkov skips files over 5 MB by default (the 10k file is 7 MB), and fetches guidelines from
# the network unless told not to.
os.environ["CHECKOV_MAX_FILE_SIZE"] = str(1 << 30)
os.environ["BC_SKIP_MAPPING"] = "TRUE"
try:
    import ryml  # noqa: F401
    have_ryml = True
except ImportError:
    have_ryml = False

PYYAML = """
import sys, yaml
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for _ in yaml.load_all(f, Loader=yaml.CSafeLoader):
            pass
"""
# Each file into one tree (rapidyaml holds a multi-document stream as one tree).
RYML = """
import sys, ryml
trees = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        trees.append(ryml.parse_in_arena(f.read()))
"""

def measure(cmd, ok_codes, cwd=None):
    """(wall s, user+sys s, peak RSS bytes) of one run under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", t.name] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
        wall = time.perf_counter() - start
        if p.returncode not in ok_codes:
            sys.exit(f"{cmd[0]} failed ({p.returncode}): {p.stderr.decode()[-2000:]}")
        user, system, rss_kb = t.read().split()[-3:]
    return wall, float(user) + float(system), int(rss_kb) * 1024

def medians(samples):
    return {
        "wall_s": statistics.median(s[0] for s in samples),
        "cpu_s": statistics.median(s[1] for s in samples),
        "peak_rss_bytes": max(s[2] for s in samples),
    }

results = {}
for n in sizes:
    files = sorted(glob.glob(os.path.join(corpus, str(n), "*.yaml")))
    size = sum(os.path.getsize(f) for f in files)
    tools = {
        "meshdeck": ([meshdeck, "analyze", "-A", "-o", "json"] + files, {0, 79}),
        "pyyaml": ([py, "-c", PYYAML] + files, {0}),
    }
    if have_ryml:
        tools["rapidyaml"] = ([py, "-c", RYML] + files, {0})
    if checkov and n <= 10_000:
        # The files by name: with `-d` checkov skips the corpus, which sits under a hidden
        # directory (~/.cache), and reports 0 resources in seconds.
        tools["checkov"] = ([checkov, "--framework", "kubernetes", "--quiet", "--compact",
                             "-o", "json", "-f"] + files, {0, 1})
    samples = {name: [] for name in tools}
    for name, (cmd, ok) in tools.items():  # warm up the page cache
        if name != "checkov":
            measure(cmd, ok)
    for _ in range(runs):  # interleaved, so all see the same machine load
        for name, (cmd, ok) in tools.items():
            if name == "checkov" and samples[name]:
                continue  # minutes a run: once is enough
            samples[name].append(measure(cmd, ok))
    results[n] = {"documents": n, "files": len(files), "bytes": size,
                  "tools": {name: medians(s) for name, s in samples.items()}}
    print(f"  {n} documents measured", file=sys.stderr)

def ratio(a, b):
    return a / b if b else float("nan")

def version_check():
    def median_wall(cmd):
        for _ in range(2):
            measure(cmd, {0})
        return statistics.median(measure(cmd, {0})[0] for _ in range(max(runs, 5)))
    try:
        k = median_wall(["kubectl", "version", "--client"])
    except (OSError, SystemExit):
        return None
    m = median_wall([meshdeck, "--version"])
    return {"meshdeck_s": m, "kubectl_s": k, "ratio": m / k}

version = version_check()
rows = []
print(f"analyze-scale: {runs} runs each (median wall time), {os.cpu_count()} cores, "
      f"load {os.getloadavg()[0]:.1f}")
header = f"{'documents':>10} {'MB':>6} {'meshdeck':>9} {'cpu/wall':>8} {'rss/input':>9} {'vs rapidyaml':>12} {'vs PyYAML':>9} {'vs checkov':>10}"
print(header)
for n, r in results.items():
    t = r["tools"]
    m = t["meshdeck"]
    row = {
        "documents": n,
        "megabytes": r["bytes"] / 1e6,
        "meshdeck_wall_s": m["wall_s"],
        "cpu_over_wall": ratio(m["cpu_s"], m["wall_s"]),
        "rss_over_input": ratio(m["peak_rss_bytes"], r["bytes"]),
    }
    for base in ("rapidyaml", "pyyaml", "checkov"):
        if base in t:
            row[f"{base}_wall_s"] = t[base]["wall_s"]
            row[f"{base}_rss_over_input"] = ratio(t[base]["peak_rss_bytes"], r["bytes"])
            # Above 1: meshdeck is that many times faster than the baseline.
            row[f"speedup_vs_{base}"] = ratio(t[base]["wall_s"], m["wall_s"])
    rows.append(row)
    fmt = lambda key: f"{row[key]:.2f}x" if key in row else "-"
    print(f"{n:>10} {row['megabytes']:>6.1f} {m['wall_s']:>8.3f}s {row['cpu_over_wall']:>8.2f} "
          f"{row['rss_over_input']:>9.2f} {fmt('speedup_vs_rapidyaml'):>12} {fmt('speedup_vs_pyyaml'):>9} "
          f"{fmt('speedup_vs_checkov'):>10}")
scaling = {}
if 10_000 in results and 100_000 in results:
    for name in results[100_000]["tools"]:
        if name in results[10_000]["tools"]:
            t10, t100 = (results[k]["tools"][name]["wall_s"] for k in (10_000, 100_000))
            scaling[name] = math.log(t100 / t10) / math.log(10)
    print("scaling exponent 10k -> 100k: " + ", ".join(f"{k} {v:.2f}" for k, v in scaling.items()))
if version:
    print(f"meshdeck --version {version['meshdeck_s'] * 1000:.1f} ms vs kubectl version --client "
          f"{version['kubectl_s'] * 1000:.1f} ms: {version['ratio']:.2f}x")
print("(speedups above 1: meshdeck is faster; rss/input: peak resident memory over the input size)")
os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
with open(json_path, "w") as f:
    json.dump({"date": time.strftime("%Y-%m-%d"), "machine": platform.machine(),
               "cores": os.cpu_count(), "load": os.getloadavg()[0], "runs": runs,
               "rows": rows, "scaling_exponent": scaling, "version": version,
               "raw": results}, f, indent=2)
print(f"written to {json_path}")
PY
