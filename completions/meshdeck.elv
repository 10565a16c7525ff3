
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
            cand dashboard 'Open an addon''s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up'
            cand dash 'Open an addon''s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up'
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
        &'meshdeck;dashboard'= {
            cand -l 'Choose pods by this label selector instead of the dashboard''s own'
            cand --selector 'Choose pods by this label selector instead of the dashboard''s own'
            cand --ui-port 'The port the UI listens on in the pod (default: the dashboard''s own, e.g. 20001 for Kiali)'
            cand --address 'Local address to listen on: localhost (127.0.0.1 and ::1), an IP address or a host name'
            cand -p 'Local port (default: the remote port, or a free one when that is taken)'
            cand --port 'Local port (default: the remote port, or a free one when that is taken)'
            cand --browser 'Open the system browser (never under CI or without a display). `--browser=false` only prints the URL'
            cand --health-timeout 'How long to wait for the UI to answer its health check through the tunnel'
            cand --max-reconnects 'Give up after this many failed reconnects in a row'
            cand -o 'Output format'
            cand --output 'Output format'
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
            cand --require-healthy 'Exit 1 when the health check fails (default: warn and keep the tunnel open)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshdeck;dash'= {
            cand -l 'Choose pods by this label selector instead of the dashboard''s own'
            cand --selector 'Choose pods by this label selector instead of the dashboard''s own'
            cand --ui-port 'The port the UI listens on in the pod (default: the dashboard''s own, e.g. 20001 for Kiali)'
            cand --address 'Local address to listen on: localhost (127.0.0.1 and ::1), an IP address or a host name'
            cand -p 'Local port (default: the remote port, or a free one when that is taken)'
            cand --port 'Local port (default: the remote port, or a free one when that is taken)'
            cand --browser 'Open the system browser (never under CI or without a display). `--browser=false` only prints the URL'
            cand --health-timeout 'How long to wait for the UI to answer its health check through the tunnel'
            cand --max-reconnects 'Give up after this many failed reconnects in a row'
            cand -o 'Output format'
            cand --output 'Output format'
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
            cand --require-healthy 'Exit 1 when the health check fails (default: warn and keep the tunnel open)'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
            cand dashboard 'Open an addon''s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;help;analyze'= {
        }
        &'meshdeck;help;dashboard'= {
        }
        &'meshdeck;help;completion'= {
        }
        &'meshdeck;help;help'= {
        }
    ]
    $completions[$command]
}
