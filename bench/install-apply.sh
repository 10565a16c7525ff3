#!/usr/bin/env bash
# Benchmark: `meshdeck install` of the demo profile and `meshdeck install addons` (Kiali,
# Grafana, Prometheus, Jaeger) against `kubectl apply --server-side -f` of the same rendered
# objects (`meshdeck manifest generate`, `meshdeck install addons --dry-run`) followed by
# `kubectl wait` for the Deployments, on the same local API server, in one run. Starts its own cluster with
# scripts/test-cluster. There is no controller manager there, so a harness thread marks the
# Deployments of the run's namespace available (status subresource) for both, the same way.
# Each run installs into a namespace and revision of its own (deleted objects stay Terminating on
# a server without a garbage collector). Prints the median wall time of each and their ratio
# (goal: not slower, 1.00x).
#
#   bench/install-apply.sh                 # 5 runs each
#   RUNS=9 bench/install-apply.sh
#   PROFILE=debug bench/install-apply.sh   # the debug build (quicker to build, slower to run)
#
# The 1.20 test server cannot hold everything Istio 1.30 renders: meshdeck adapts the objects
# itself (and says so, --force); the kubectl baseline gets the same changes made to its copy of
# the render (CEL rules stripped from CRDs, autoscaling/v2beta2, policy/v1beta1, protocol: TCP on
# ports, no DaemonSet maxSurge), so both apply the same objects.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${MESHDECK_TEST_KUBECONFIG:-}" ]]; then
  exec scripts/test-cluster run -- "$0" "$@"
fi

RUNS=${RUNS:-5}
PROFILE=${PROFILE:-release}
MANIFESTS=${MANIFESTS:-../shared/istio-release/1.30.3/manifests}
CACHE=${MESHDECK_CACHE:-$HOME/.cache/meshdeck}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
if [[ $PROFILE == release ]]; then
  cargo build --release --locked --bin meshdeck >&2
else
  cargo build --locked --bin meshdeck >&2
fi
MESHDECK="$CARGO_TARGET_DIR/$PROFILE/meshdeck"

VENV="$CACHE/bench-venv"
if ! "$VENV/bin/python" -c 'import yaml; yaml.CSafeLoader' 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet pyyaml >&2
fi

"$VENV/bin/python" - "$RUNS" "$MESHDECK" "$MANIFESTS" <<'PY'
import json, os, ssl, statistics, subprocess, sys, tempfile, threading, time, urllib.request
import yaml

runs, meshdeck, manifests = int(sys.argv[1]), sys.argv[2], sys.argv[3]
kc = os.environ["MESHDECK_TEST_KUBECONFIG"]
server = os.environ["MESHDECK_TEST_APISERVER_URL"]
token = os.environ["MESHDECK_TEST_ADMIN_TOKEN"]
insecure = ssl.create_default_context()
insecure.check_hostname = False
insecure.verify_mode = ssl.CERT_NONE

def api(method, path, body=None, content_type="application/merge-patch+json"):
    req = urllib.request.Request(server + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    with urllib.request.urlopen(req, context=insecure, timeout=30) as r:
        return json.loads(r.read() or b"{}")

class Marker(threading.Thread):
    """Marks every Deployment of a namespace available at its generation, as a controller would."""
    def __init__(self, ns):
        super().__init__(daemon=True)
        self.ns, self.stop = ns, threading.Event()
    def run(self):
        while not self.stop.is_set():
            try:
                items = api("GET", f"/apis/apps/v1/namespaces/{self.ns}/deployments")["items"]
            except Exception:
                items = []
            for d in items:
                gen = d["metadata"].get("generation", 1)
                if d.get("status", {}).get("observedGeneration") == gen:
                    continue
                n = d["spec"].get("replicas", 1)
                status = {"status": {"observedGeneration": gen, "replicas": n, "readyReplicas": n,
                    "availableReplicas": n, "updatedReplicas": n,
                    "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}]}}
                try:
                    api("PATCH", f"/apis/apps/v1/namespaces/{self.ns}/deployments/{d['metadata']['name']}/status", status)
                except Exception:
                    pass
            self.stop.wait(0.05)

def strip(v, key):
    if isinstance(v, dict):
        v.pop(key, None)
        for x in v.values(): strip(x, key)
    elif isinstance(v, list):
        for x in v: strip(x, key)

def tcp_ports(v):
    if isinstance(v, dict):
        for p in v.get("ports", []) if isinstance(v.get("ports"), list) else []:
            if isinstance(p, dict) and ("port" in p or "containerPort" in p):
                p.setdefault("protocol", "TCP")
        for x in v.values(): tcp_ports(x)
    elif isinstance(v, list):
        for x in v: tcp_ports(x)

def adapted(docs):
    """What meshdeck applies to a 1.20 server, for kubectl."""
    for d in docs:
        kind, av = d.get("kind"), d.get("apiVersion")
        if kind == "CustomResourceDefinition": strip(d, "x-kubernetes-validations")
        if kind == "HorizontalPodAutoscaler" and av == "autoscaling/v2": d["apiVersion"] = "autoscaling/v2beta2"
        if kind == "PodDisruptionBudget" and av == "policy/v1":
            d["apiVersion"] = "policy/v1beta1"
            d.get("spec", {}).pop("unhealthyPodEvictionPolicy", None)
        if kind == "DaemonSet":
            d.get("spec", {}).get("updateStrategy", {}).get("rollingUpdate", {}).pop("maxSurge", None)
        tcp_ports(d)
    return docs

def render(rev, ns):
    out = subprocess.run([meshdeck, "manifest", "generate", "--set", "profile=demo", "--revision", rev,
        "--set", f"values.global.istioNamespace={ns}", "-d", manifests], check=True, capture_output=True).stdout
    addons = subprocess.run([meshdeck, "install", "addons", "--dry-run", "-i", ns, "-d", manifests],
        check=True, capture_output=True).stdout
    return [d for text in (out, addons) for d in yaml.load_all(text, Loader=yaml.CSafeLoader) if d]

def namespace(ns):
    api("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
        content_type="application/json")

def timed(cmd_fn, ns):
    marker = Marker(ns); marker.start()
    t = time.perf_counter()
    try:
        cmd_fn()
    finally:
        elapsed = time.perf_counter() - t
        marker.stop.set(); marker.join()
    return elapsed

def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} failed ({p.returncode}): {p.stderr.decode()[-3000:]}")

work = tempfile.mkdtemp()
objects = 0
def kubectl_install(i):
    global objects
    rev, ns = f"k{i}", f"bench-k{i}"
    docs = adapted(render(rev, ns))
    objects = len(docs)
    path = os.path.join(work, f"{rev}.yaml")
    with open(path, "w") as f:
        yaml.safe_dump_all(docs, f)
    def go():
        # The namespace too, as meshdeck creates it: kubectl needs it first.
        namespace(ns)
        run(["kubectl", "--kubeconfig", kc, "apply", "--server-side", "--force-conflicts", "-f", path])
        run(["kubectl", "--kubeconfig", kc, "wait", "--for=condition=Available", "deployment", "--all",
             "-n", ns, "--timeout=120s"])
    return timed(go, ns)

def meshdeck_install(i):
    rev, ns = f"m{i}", f"bench-m{i}"
    def go():
        run([meshdeck, "install", "--kubeconfig", kc, "--set", "profile=demo", "--revision", rev,
            "--set", f"values.global.istioNamespace={ns}", "-d", manifests, "--force", "-y",
            "--readiness-timeout", "120s"])
        # The addons' cluster-wide RBAC is shared by every run, and each run moves its subjects
        # to its own namespace: taken over as kubectl's --force-conflicts takes it.
        run([meshdeck, "install", "addons", "--kubeconfig", kc, "-i", ns, "-d", manifests, "-y",
            "--force-conflicts", "--readiness-timeout", "120s"])
    return timed(go, ns)

# Warm up (and load the CRDs, which both then find in place).
meshdeck_install(0); kubectl_install(0)
k, m = [], []
for i in range(1, runs + 1):  # interleaved, so both see the same machine load
    k.append(kubectl_install(i))
    m.append(meshdeck_install(i))
km, mm = statistics.median(k), statistics.median(m)
print(f"install-apply: the demo profile and the default addons ({objects} objects), {runs} runs each (median wall time)")
print(f"  kubectl apply --server-side -f + kubectl wait (baseline): {km:.3f}s")
print(f"  meshdeck install (prechecks, ordered apply, waits, prune) + install addons: {mm:.3f}s")
print(f"  ratio: {mm / km:.2f}x (goal: not slower, 1.00x)")
PY
