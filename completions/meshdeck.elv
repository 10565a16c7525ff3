
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
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand analyze 'Lint mesh configuration from files, stdin, URLs or a live cluster'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;analyze'= {
            cand -n 'Report messages from this namespace only; also the namespace given to namespaced resources in files that have none (default: "default")'
            cand --namespace 'Report messages from this namespace only; also the namespace given to namespaced resources in files that have none (default: "default")'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --failure-threshold 'The lowest message level that makes the exit code 79'
            cand --output-threshold 'The lowest message level that is printed'
            cand --analyzer 'Run only this analyzer (repeatable; see --list-analyzers)'
            cand -S 'Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable), e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"'
            cand --suppress 'Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable), e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"'
            cand --meshConfigFile 'A MeshConfig YAML file merged over Istio''s defaults (and over the cluster''s)'
            cand --meshNetworksFile 'A MeshNetworks YAML file'
            cand -i 'Namespace of the Istio control plane'
            cand --istioNamespace 'Namespace of the Istio control plane'
            cand -k 'Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid over the cluster''s objects'
            cand --use-kube 'Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid over the cluster''s objects'
            cand --timeout 'Upper bound on the whole run, cluster reads and URL fetches included (e.g. 30s, 2m)'
            cand --explain 'Explain a message code (what it means, why it matters, how to fix it) and exit'
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand -A 'Report messages from every namespace'
            cand --all-namespaces 'Report messages from every namespace'
            cand -v 'Print which analyzers ran and which were skipped, and why'
            cand --verbose 'Print which analyzers ran and which were skipped, and why'
            cand -L 'List the analyzers and exit'
            cand --list-analyzers 'List the analyzers and exit'
            cand --list-codes 'List every message code and exit'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshdeck;completion'= {
            cand -c 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)'
            cand --context 'The kubeconfig context to use (default: the current context)'
            cand --color 'When to colour output: auto (a terminal without NO_COLOR), always, never'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'meshdeck;help'= {
            cand analyze 'Lint mesh configuration from files, stdin, URLs or a live cluster'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;help;analyze'= {
        }
        &'meshdeck;help;completion'= {
        }
        &'meshdeck;help;help'= {
        }
    ]
    $completions[$command]
}
