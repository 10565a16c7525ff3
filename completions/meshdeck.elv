
use builtin;
use str;

set edit:completion:arg-completer[meshdeck] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'meshdeck'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'meshdeck'= {
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand analyze 'Lint mesh configuration from files, stdin, URLs or a live cluster'
            cand manifest 'Render Istio''s manifests as istioctl does (manifest generate)'
            cand install 'Install Istio: for now, `--dry-run` shows what would be applied'
            cand profile 'List, show and compare Istio''s configuration profiles'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;analyze'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --failure-threshold 'The lowest message level that makes the exit code 79'
            cand --output-threshold 'The lowest message level that is printed'
            cand --analyzer 'Run only this analyzer (repeatable; see --list-analyzers)'
            cand -S 'Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable), e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"'
            cand --suppress 'Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable), e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"'
            cand --meshConfigFile 'A MeshConfig YAML file merged over Istio''s defaults (and over the cluster''s)'
            cand --meshNetworksFile 'A MeshNetworks YAML file'
            cand -k 'Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid over the cluster''s objects. A switch: `--use-kube=false` turns it off'
            cand --use-kube 'Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid over the cluster''s objects. A switch: `--use-kube=false` turns it off'
            cand --timeout 'Upper bound on the whole run, cluster reads and URL fetches included (e.g. 30s, 2m)'
            cand --explain 'Explain a message code (what it means, why it matters, how to fix it) and exit'
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -A 'Report messages from every namespace'
            cand --all-namespaces 'Report messages from every namespace'
            cand -L 'List the analyzers and exit'
            cand --list-analyzers 'List the analyzers and exit'
            cand --list-codes 'List every message code and exit'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshdeck;manifest'= {
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help'
            cand --help 'Print help'
            cand generate 'Print the Kubernetes objects Istio consists of for the given configuration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;manifest;generate'= {
            cand -f 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)'
            cand --filename 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)'
            cand -s 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \'
            cand --set 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \'
            cand -r 'The control plane revision (a DNS-1123 label)'
            cand --revision 'The control plane revision (a DNS-1123 label)'
            cand -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --manifests 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --version 'The Istio release to install (downloaded into the cache when there is no -d)'
            cand --release-url 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)'
            cand --output-dir 'Write one file per component (<Component>.yaml) into this directory instead of stdout'
            cand --component 'Only this component''s objects (repeatable): base, pilot, ingressGateways, egressGateways, cni, ztunnel'
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshdeck;manifest;help'= {
            cand generate 'Print the Kubernetes objects Istio consists of for the given configuration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;manifest;help;generate'= {
        }
        &'meshdeck;manifest;help;help'= {
        }
        &'meshdeck;install'= {
            cand -f 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)'
            cand --filename 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)'
            cand -s 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \'
            cand --set 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \'
            cand -r 'The control plane revision (a DNS-1123 label)'
            cand --revision 'The control plane revision (a DNS-1123 label)'
            cand -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --manifests 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --version 'The Istio release to install (downloaded into the cache when there is no -d)'
            cand --release-url 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)'
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand --dry-run 'Show what would be applied and touch no cluster'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshdeck;profile'= {
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List the release''s configuration profiles'
            cand dump 'Print a profile (layered on default) as YAML, JSON or --set flags'
            cand diff 'Compare two profiles (exit code 1 when they differ)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;profile;list'= {
            cand -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --manifests 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --version 'The Istio release to install (downloaded into the cache when there is no -d)'
            cand --release-url 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)'
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshdeck;profile;dump'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand -p 'Only the subtree at this path of the spec, e.g. components.pilot or values.gateways'
            cand --config-path 'Only the subtree at this path of the spec, e.g. components.pilot or values.gateways'
            cand -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --manifests 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --version 'The Istio release to install (downloaded into the cache when there is no -d)'
            cand --release-url 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)'
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshdeck;profile;diff'= {
            cand -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --manifests 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests'
            cand --version 'The Istio release to install (downloaded into the cache when there is no -d)'
            cand --release-url 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)'
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshdeck;profile;help'= {
            cand list 'List the release''s configuration profiles'
            cand dump 'Print a profile (layered on default) as YAML, JSON or --set flags'
            cand diff 'Compare two profiles (exit code 1 when they differ)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;profile;help;list'= {
        }
        &'meshdeck;profile;help;dump'= {
        }
        &'meshdeck;profile;help;diff'= {
        }
        &'meshdeck;profile;help;help'= {
        }
        &'meshdeck;completion'= {
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand -n 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand --namespace 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand --as 'Username to impersonate for the operation (kubectl''s --as)'
            cand --as-group 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)'
            cand --request-timeout 'Bound on each request to the API server (e.g. 10s; 0 waits forever)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshdeck;help'= {
            cand analyze 'Lint mesh configuration from files, stdin, URLs or a live cluster'
            cand manifest 'Render Istio''s manifests as istioctl does (manifest generate)'
            cand install 'Install Istio: for now, `--dry-run` shows what would be applied'
            cand profile 'List, show and compare Istio''s configuration profiles'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;help;analyze'= {
        }
        &'meshdeck;help;manifest'= {
            cand generate 'Print the Kubernetes objects Istio consists of for the given configuration'
        }
        &'meshdeck;help;manifest;generate'= {
        }
        &'meshdeck;help;install'= {
        }
        &'meshdeck;help;profile'= {
            cand list 'List the release''s configuration profiles'
            cand dump 'Print a profile (layered on default) as YAML, JSON or --set flags'
            cand diff 'Compare two profiles (exit code 1 when they differ)'
        }
        &'meshdeck;help;profile;list'= {
        }
        &'meshdeck;help;profile;dump'= {
        }
        &'meshdeck;help;profile;diff'= {
        }
        &'meshdeck;help;completion'= {
        }
        &'meshdeck;help;help'= {
        }
    ]
    $completions[$command]
}
