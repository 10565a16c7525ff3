# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_meshdeck_global_optspecs
    string join \n c/kubeconfig= context= n/namespace= i/istioNamespace= q/quiet y/yes v/verbose color= as= as-group= request-timeout= h/help V/version
end

function __fish_meshdeck_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_meshdeck_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_meshdeck_using_subcommand
    set -l cmd (__fish_meshdeck_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c meshdeck -n "__fish_meshdeck_needs_command" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_needs_command" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_needs_command" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_needs_command" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_needs_command" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_needs_command" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_needs_command" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_needs_command" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_needs_command" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -s V -l version -d 'Print version'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "analyze" -d 'Lint mesh configuration from files, stdin, URLs or a live cluster'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "manifest" -d 'Render Istio\'s manifests as istioctl does (manifest generate)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "install" -d 'Install Istio: for now, `--dry-run` shows what would be applied'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "profile" -d 'List, show and compare Istio\'s configuration profiles'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s o -l output -d 'Output format' -r -f -a "log\t'One line per message, with source snippets on a terminal'
json\t'A JSON array with istioctl\'s keys plus file, line, column, field and analyzer'
yaml\t'The JSON objects as YAML'
sarif\t'SARIF 2.1.0, for code-scanning dashboards'
github\t'GitHub Actions workflow commands (annotations on the changed files)'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l failure-threshold -d 'The lowest message level that makes the exit code 79' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l output-threshold -d 'The lowest message level that is printed' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l analyzer -d 'Run only this analyzer (repeatable; see --list-analyzers)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s S -l suppress -d 'Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable), e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l meshConfigFile -d 'A MeshConfig YAML file merged over Istio\'s defaults (and over the cluster\'s)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l meshNetworksFile -d 'A MeshNetworks YAML file' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s k -l use-kube -d 'Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid over the cluster\'s objects. A switch: `--use-kube=false` turns it off' -r -f -a "true\t''
false\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l timeout -d 'Upper bound on the whole run, cluster reads and URL fetches included (e.g. 30s, 2m)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l explain -d 'Explain a message code (what it means, why it matters, how to fix it) and exit' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s A -l all-namespaces -d 'Report messages from every namespace'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s L -l list-analyzers -d 'List the analyzers and exit'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l list-codes -d 'List every message code and exit'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -s h -l help -d 'Print help'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -f -a "generate" -d 'Print the Kubernetes objects Istio consists of for the given configuration'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and not __fish_seen_subcommand_from generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s f -l filename -d 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s s -l set -d 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \\' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s r -l revision -d 'The control plane revision (a DNS-1123 label)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l output-dir -d 'Write one file per component (<Component>.yaml) into this directory instead of stdout' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l component -d 'Only this component\'s objects (repeatable): base, pilot, ingressGateways, egressGateways, cni, ztunnel' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Print the Kubernetes objects Istio consists of for the given configuration'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s f -l filename -d 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s s -l set -d 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \\' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s r -l revision -d 'The control plane revision (a DNS-1123 label)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -l dry-run -d 'Show what would be applied and touch no cluster'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -s h -l help -d 'Print help'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -f -a "list" -d 'List the release\'s configuration profiles'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -f -a "dump" -d 'Print a profile (layered on default) as YAML, JSON or --set flags'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -f -a "diff" -d 'Compare two profiles (exit code 1 when they differ)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and not __fish_seen_subcommand_from list dump diff help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s o -l output -d 'Output format' -r -f -a "yaml\t''
json\t''
flags\t'One --set flag per value'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s p -l config-path -d 'Only the subtree at this path of the spec, e.g. components.pilot or values.gateways' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from dump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the release\'s configuration profiles'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "dump" -d 'Print a profile (layered on default) as YAML, JSON or --set flags'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare two profiles (exit code 1 when they differ)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand completion" -s h -l help -d 'Print help'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze manifest install profile completion help" -f -a "analyze" -d 'Lint mesh configuration from files, stdin, URLs or a live cluster'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze manifest install profile completion help" -f -a "manifest" -d 'Render Istio\'s manifests as istioctl does (manifest generate)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze manifest install profile completion help" -f -a "install" -d 'Install Istio: for now, `--dry-run` shows what would be applied'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze manifest install profile completion help" -f -a "profile" -d 'List, show and compare Istio\'s configuration profiles'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze manifest install profile completion help" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze manifest install profile completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from manifest" -f -a "generate" -d 'Print the Kubernetes objects Istio consists of for the given configuration'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'List the release\'s configuration profiles'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "dump" -d 'Print a profile (layered on default) as YAML, JSON or --set flags'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "diff" -d 'Compare two profiles (exit code 1 when they differ)'
