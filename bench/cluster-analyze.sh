#!/usr/bin/env bash
# Benchmark: `meshdeck analyze -A` against a real API server, compared in the same run with
# `kubectl get <the same kinds> -A -o json` (the floor for fetching them). Starts its own local
# cluster with scripts/test-cluster, creates a few thousand objects, and prints the median wall
# time of each and their ratio (goal: at most 1.2x).
#
#   bench/cluster-analyze.sh              # 3,000 objects, 7 runs each
#   APPS=1000 RUNS=9 bench/cluster-analyze.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${MESHDECK_TEST_KUBECONFIG:-}" ]]; then
  exec scripts/test-cluster run -- "$0" "$@"
fi

APPS=${APPS:-600}
RUNS=${RUNS:-7}
NAMESPACES=${NAMESPACES:-10}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${MESHDECK_CACHE:-$HOME/.cache/meshdeck}/target}"
cargo build --release --locked --bin meshdeck >&2
MESHDECK="$CARGO_TARGET_DIR/release/meshdeck"
KC="$MESHDECK_TEST_KUBECONFIG"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Istio's CRDs, without the CEL rules a 1.20 server cannot hold.
python3 - ../shared/istio-release/1.30.3/manifests/charts/base/files/crd-all.gen.yaml "$work/crds.yaml" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
out = []
skip_indent = None
for line in open(src):
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if skip_indent is not None:
        if stripped.strip() == "" or indent > skip_indent or (indent == skip_indent and stripped.startswith("- ")):
            continue
        skip_indent = None
    if stripped.startswith("x-kubernetes-validations:"):
        skip_indent = indent
        continue
    out.append(line)
open(dst, "w").write("".join(out))
PY
kubectl --kubeconfig "$KC" apply -f "$work/crds.yaml" >/dev/null
kubectl --kubeconfig "$KC" wait --for condition=established --timeout=60s crd --all >/dev/null

# The generator: per app a Service, a Deployment, a DestinationRule, a VirtualService and a
# ConfigMap (every tenth app also a Gateway), spread over $NAMESPACES namespaces.
python3 - "$APPS" "$NAMESPACES" "$work/objects" <<'PY'
import os, sys
apps, namespaces, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
os.makedirs(out)
for n in range(namespaces):
    docs = [f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-{n}\n  labels:\n    istio-injection: enabled\n"]
    for i in range(n, apps, namespaces):
        ns = f"team-{n}"
        docs.append(f"""apiVersion: v1
kind: Service
metadata: {{name: app-{i}, namespace: {ns}}}
spec:
  selector: {{app: app-{i}}}
  ports: [{{name: http, port: 80, targetPort: 8080, protocol: TCP}}]
""")
        docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}, version: v1}}}}
    spec:
      containers: [{{name: app, image: "example.com/app:{i}", ports: [{{containerPort: 8080, protocol: TCP}}]}}]
""")
        docs.append(f"""apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: app-{i}, namespace: {ns}}}
spec:
  host: app-{i}
  subsets: [{{name: v1, labels: {{version: v1}}}}]
""")
        docs.append(f"""apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: app-{i}, namespace: {ns}}}
spec:
  hosts: [app-{i}]
  http: [{{route: [{{destination: {{host: app-{i}, subset: v1}}}}]}}]
""")
        docs.append(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: app-{i}, namespace: {ns}}}\ndata: {{key: value}}\n")
        if i % 10 == 0:
            docs.append(f"""apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: gw-{i}, namespace: {ns}}}
spec:
  selector: {{app: app-{i}}}
  servers: [{{port: {{number: 80, name: http, protocol: HTTP}}, hosts: ["app-{i}.example.com"]}}]
""")
    with open(os.path.join(out, f"{n:03}.yaml"), "w") as f:
        f.write("---\n".join(docs))
PY
echo "creating objects..." >&2
kubectl --kubeconfig "$KC" create -f "$work/objects" >/dev/null
count=$(kubectl --kubeconfig "$KC" get services,deployments,destinationrules,virtualservices,configmaps,gateways.networking.istio.io -A --no-headers | wc -l)

# The kinds meshdeck's analyzers read (see `meshdeck analyze -L` and their inputs).
KINDS="namespaces,nodes,pods,services,configmaps,secrets,deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs,gateways.networking.istio.io,virtualservices,destinationrules,serviceentries"

python3 - "$RUNS" "$count" "$MESHDECK" "$KC" "$KINDS" <<'PY'
import statistics, subprocess, sys, time
runs, count, meshdeck, kc, kinds = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def timed(cmd, ok_codes):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if p.returncode not in ok_codes:
        sys.exit(f"{cmd[0]} failed ({p.returncode}): {p.stderr.decode()[-2000:]}")
    return elapsed
kubectl = ["kubectl", "--kubeconfig", kc, "get", kinds, "-A", "-o", "json"]
analyze = [meshdeck, "analyze", "--kubeconfig", kc, "-A", "-o", "json", "--timeout", "5m"]
timed(kubectl, {0}); timed(analyze, {0, 79})  # warm up
k, m = [], []
for _ in range(runs):  # interleaved, so both see the same machine load
    k.append(timed(kubectl, {0}))
    m.append(timed(analyze, {0, 79}))
km, mm = statistics.median(k), statistics.median(m)
print(f"cluster-analyze: {count} objects, {runs} runs each (median wall time)")
print(f"  kubectl get {kinds} -A -o json (baseline): {km:.3f}s")
print(f"  meshdeck analyze -A -o json:                {mm:.3f}s")
print(f"  ratio: {mm / km:.2f}x (goal: at most 1.20x)")
PY
