
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
            cand traffic-shift 'Shift a Service''s traffic between its versions, show the split, or undo meshdeck''s changes'
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
        &'meshdeck;traffic-shift'= {
            cand --to 'The new split: VERSION=WEIGHT,... with whole weights summing to 100 (v2=80,v3=20), or one VERSION for all of it. Versions not named leave the route; their subsets stay'
            cand --version-label 'The workload label whose values are versions'
            cand --route 'The route to edit (spec.http[].name or spec.tcp[].name) when several have no match'
            cand --virtual-service 'The VirtualService to edit when several name the Service''s host'
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
            cand --show 'Show the split as configured, per version, with the workloads'' ready replicas'
            cand --reset 'Restore the spec from before meshdeck''s first change, and delete the objects meshdeck created (never objects it did not create)'
            cand --allow-missing 'Route versions that no workload has yet (ahead of a rollout)'
            cand --dry-run 'Print what would change (a diff; -o yaml or json for the objects) and change nothing'
            cand --force-conflicts 'Take over fields another field manager owns (spec.http of a VirtualService written with kubectl, for instance) instead of stopping'
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
            cand traffic-shift 'Shift a Service''s traffic between its versions, show the split, or undo meshdeck''s changes'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;help;analyze'= {
        }
        &'meshdeck;help;traffic-shift'= {
        }
        &'meshdeck;help;completion'= {
        }
        &'meshdeck;help;help'= {
        }
    ]
    $completions[$command]
}
