#!/usr/bin/env bash
# Benchmark: `meshdeck manifest generate --set profile=demo` (whole process: load the release's
# charts and profiles, render every enabled component, order and print the objects) against a
# baseline measured in the same run: a process that merely reads every file of the charts the
# demo profile renders and parses the YAML ones with PyYAML's C loader. Prints the median wall time
# of each and their ratio.
#
#   bench/install-render.sh                      # the bundled 1.30.3 release data, 15 runs each
#   RUNS=31 MANIFESTS=/path/to/manifests bench/install-render.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-15}
MANIFESTS=${MANIFESTS:-../shared/istio-release/1.30.3/manifests}
CACHE=${MESHDECK_CACHE:-$HOME/.cache/meshdeck}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
cargo build --release --locked --bin meshdeck >&2
MESHDECK="$CARGO_TARGET_DIR/release/meshdeck"

# PyYAML with its C loader (libyaml), once, in a virtualenv under the cache.
VENV="$CACHE/bench-venv"
if ! "$VENV/bin/python" -c 'import yaml; yaml.CSafeLoader' 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet pyyaml >&2
fi

"$VENV/bin/python" - "$RUNS" "$MESHDECK" "$MANIFESTS" <<'PY'
import os, statistics, subprocess, sys, time
runs, meshdeck, manifests = int(sys.argv[1]), sys.argv[2], sys.argv[3]
charts = ["base", "istio-control/istio-discovery", "gateways/istio-ingress", "gateways/istio-egress"]
files = []
for chart in charts:
    for root, _, names in os.walk(os.path.join(manifests, "charts", chart)):
        files += [os.path.join(root, n) for n in sorted(names)]
files += [os.path.join(manifests, "profiles", n) for n in sorted(os.listdir(os.path.join(manifests, "profiles")))]
size = sum(os.path.getsize(f) for f in files)
# The baseline process: read every file, parse every .yaml that is not a Helm template (the
# templates, and the files/ the charts pass through `tpl`, hold `{{`).
baseline_src = """
import sys, yaml
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if path.endswith((".yaml", ".yml")) and "{{" not in text:
        list(yaml.load_all(text, Loader=yaml.CSafeLoader))
"""
baseline = [sys.executable, "-c", baseline_src] + files
render = [meshdeck, "manifest", "generate", "--set", "profile=demo", "-d", manifests]
def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({p.returncode}): {p.stderr.decode()[-2000:]}")
    return elapsed
timed(baseline); timed(render)  # warm up the page cache
b, m = [], []
for _ in range(runs):  # interleaved, so both see the same machine load
    b.append(timed(baseline))
    m.append(timed(render))
bm, mm = statistics.median(b), statistics.median(m)
print(f"install-render: demo profile, {len(files)} chart and profile files ({size / 1e6:.1f} MB), {runs} runs each (median wall time)")
print(f"  read + parse the chart files (PyYAML C loader, baseline): {bm:.3f}s")
print(f"  meshdeck manifest generate --set profile=demo:           {mm:.3f}s")
print(f"  ratio: {mm / bm:.2f}x")
PY
