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
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "register" -d 'Connect a cluster to the Amazon EKS console (EKS Connector)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "deregister" -d 'Disconnect a cluster from the Amazon EKS console and delete the agent role meshdeck made'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "dashboard" -d 'Open an addon\'s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "dash" -d 'Open an addon\'s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "traffic-shift" -d 'Shift a Service\'s traffic between its versions, show the split, or undo meshdeck\'s changes'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "manifest" -d 'Render Istio\'s manifests as istioctl does (manifest generate)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "install" -d 'Install Istio into the cluster (server-side apply, waits until it is ready, prunes)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "uninstall" -d 'Remove what meshdeck installed (owned objects only; CRDs only with --purge)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "verify-install" -d 'Check that everything install would apply exists, matches and is ready'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "profile" -d 'List, show and compare Istio\'s configuration profiles'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c meshdeck -n "__fish_meshdeck_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s o -l output -d 'Output format (default: the config file\'s `output`, else log)' -r -f -a "log\t'One line per message, with source snippets on a terminal'
json\t'A JSON array with istioctl\'s keys plus file, line, column, field and analyzer'
yaml\t'The JSON objects as YAML'
sarif\t'SARIF 2.1.0, for code-scanning dashboards'
github\t'GitHub Actions workflow commands (annotations on the changed files)'
junit\t'JUnit XML for CI test-report views: one test case per analyzed object'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l failure-threshold -d 'The lowest message level that makes the exit code 79 (default: the config file\'s, else Error)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l output-threshold -d 'The lowest message level that is printed (default: the config file\'s, else Info)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l analyzer -d 'Run only this analyzer (repeatable; see --list-analyzers)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l skip-analyzer -d 'Run every analyzer but this one (repeatable; see --list-analyzers). Replaces the config file\'s skipAnalyzers, e.g. --skip-analyzer injection.ImageAnalyzer' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s S -l suppress -d 'Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable), e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l meshConfigFile -d 'A MeshConfig YAML file merged over Istio\'s defaults (and over the cluster\'s)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l meshNetworksFile -d 'A MeshNetworks YAML file' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s k -l use-kube -d 'Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid over the cluster\'s objects. A switch: `--use-kube=false` turns it off' -r -f -a "true\t''
false\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l remote-contexts -d 'Kubeconfig contexts of remote clusters for multi-cluster analysis (repeatable; not to be confused with --context): their Services are compared with the primary\'s (IST0170). Without it, the clusters of the Istio namespace\'s remote secrets are compared' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l timeout -d 'Upper bound on the whole run, cluster reads and URL fetches included (e.g. 30s, 2m)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l explain -d 'Explain a message code (what it means, why it matters, how to fix it) and exit' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l config -d 'Read settings from this file instead of the .meshdeck.yaml found upward from the working directory (up to the repository root); flags override its settings' -r -F
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
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l no-config -d 'Read no .meshdeck.yaml'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -l print-config -d 'Show the settings in force (config file and flags) and where each came from, and exit'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l name -d 'The cluster\'s name in EKS (1-100 letters, digits, - and _)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l provider -d 'Where the cluster runs, as the EKS API names it (case-insensitive)' -r -f -a "EKS_ANYWHERE\t''
ANTHOS\t''
GKE\t''
AKS\t''
OPENSHIFT\t''
TANZU\t''
RANCHER\t''
EC2\t''
OTHER\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s r -l region -d 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\'s region)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s p -l profile -d 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l endpoint-url -d 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS\'s public endpoints)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l role-arn -d 'Use this existing agent role instead of creating one (it is never deleted)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l tags -d 'Tags for the registration and the agent role: KEY=VALUE, comma-separated or repeated' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l console-user -d 'Also give this IAM user or role ARN console access (repeatable; the caller always has it; an assumed-role session ARN stands for its role)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l output-dir -d 'Directory the manifests are written to (created if missing)' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l connector-image -d 'The eks-connector image of the manifests' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l agent-image -d 'The SSM agent image of the manifests' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l retry-timeout -d 'How long to keep retrying RegisterCluster while AWS propagates roles, throttles or fails' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l ready-timeout -d 'With --apply: how long the connector StatefulSet may take to be ready' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l active-timeout -d 'With --apply: how long EKS may take to report the cluster ACTIVE once the connector runs' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s o -l output -d 'Output format of the result' -r -f -a "text\t'Lines for people'
json\t'One JSON object (never the activation code)'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l dry-run -d 'Show the plan and change nothing'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l refresh -d 'If the cluster is registered already (say its activation expired before the manifests were applied), deregister it and register it again with the same agent role'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -l apply -d 'Then apply the manifests to the current kube context (server-side apply; --kubeconfig, --context), wait for the connector StatefulSet and for EKS to report the cluster ACTIVE'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -f -a "status" -d 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and not __fish_seen_subcommand_from status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -l name -d 'The cluster\'s name in EKS' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s r -l region -d 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\'s region)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s p -l profile -d 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -l endpoint-url -d 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS\'s public endpoints)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "text\t'Lines for people'
json\t'One JSON object (never the activation code)'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand register; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l name -d 'The cluster\'s name in EKS' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s r -l region -d 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\'s region)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s p -l profile -d 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l endpoint-url -d 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS\'s public endpoints)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l output-dir -d 'With --delete-manifests: where `register` wrote the manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -l delete-manifests -d 'Also delete the connector\'s objects from the current kube context (--kubeconfig, --context): those of the manifests in --output-dir, or the names meshdeck\'s templates give for a file that is not there'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand deregister" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s l -l selector -d 'Choose pods by this label selector instead of the dashboard\'s own' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l ui-port -d 'The port the UI listens on in the pod (default: the dashboard\'s own, e.g. 20001 for Kiali)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l address -d 'Local address to listen on: localhost (127.0.0.1 and ::1), an IP address or a host name' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s p -l port -d 'Local port (default: the remote port, or a free one when that is taken)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l browser -d 'Open the system browser (never under CI or without a display). `--browser=false` only prints the URL' -r -f -a "true\t''
false\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l health-timeout -d 'How long to wait for the UI to answer its health check through the tunnel' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l max-reconnects -d 'Give up after this many failed reconnects in a row' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s o -l output -d 'Output format' -r -f -a "text\t'The URL on stdout, status lines on stderr'
json\t'One JSON object per line on stdout (name, url, pod, namespace) once each dashboard is ready'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -l require-healthy -d 'Exit 1 when the health check fails (default: warn and keep the tunnel open)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dashboard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s l -l selector -d 'Choose pods by this label selector instead of the dashboard\'s own' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l ui-port -d 'The port the UI listens on in the pod (default: the dashboard\'s own, e.g. 20001 for Kiali)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l address -d 'Local address to listen on: localhost (127.0.0.1 and ::1), an IP address or a host name' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s p -l port -d 'Local port (default: the remote port, or a free one when that is taken)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l browser -d 'Open the system browser (never under CI or without a display). `--browser=false` only prints the URL' -r -f -a "true\t''
false\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l health-timeout -d 'How long to wait for the UI to answer its health check through the tunnel' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l max-reconnects -d 'Give up after this many failed reconnects in a row' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s o -l output -d 'Output format' -r -f -a "text\t'The URL on stdout, status lines on stderr'
json\t'One JSON object per line on stdout (name, url, pod, namespace) once each dashboard is ready'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -l require-healthy -d 'Exit 1 when the health check fails (default: warn and keep the tunnel open)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand dash" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l to -d 'The new split: VERSION=WEIGHT,... with whole weights summing to 100 (v2=80,v3=20), or one VERSION for all of it. Versions not named leave the route; their subsets stay' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l version-label -d 'The workload label whose values are versions' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l route -d 'The route to edit (spec.http[].name or spec.tcp[].name) when several have no match' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l virtual-service -d 'The VirtualService to edit when several name the Service\'s host' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l backend -d 'The mesh API to write: istio (DestinationRule + VirtualService), gateway-api (an HTTPRoute attached to the Service over per-version Services) or appmesh (a VirtualRouter weighting VirtualNodes). Default: istio when its CRDs are installed, else the one that is' -r -f -a "istio\t'Istio: DestinationRule subsets and a weighted VirtualService route'
gateway-api\t'Gateway API (GAMMA): an HTTPRoute whose parentRef is the Service'
appmesh\t'AWS App Mesh: VirtualService -> VirtualRouter -> weighted VirtualNodes'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l http-route -d 'Gateway API: the HTTPRoute to edit when several are attached to the Service' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l prometheus -d 'Prometheus\' base URL, for the observed split (--show) and the metric gate of a stepped rollout (default for --show: the prometheus Service\'s pod in the Istio namespace, through a port-forward, when there is one)' -r -f
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l window -d 'The window of the observed split\'s request rates (--show, default 5m); for the metric gate, the window of each check (default: --interval)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l step -d 'Roll out in steps: move at most this many percentage points per step from the current split to --to, checking the metric gate after each' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l interval -d 'How long to wait after each step before checking the gate and taking the next step' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l max-error-rate -d 'Roll back when the share of 5xx answers of a version gaining traffic goes over this (1%, 0.5%); needs --prometheus' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l max-p99 -d 'Roll back when the 99th-percentile request duration of a version gaining traffic goes over this (500ms, 1s); needs --prometheus' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -s o -l output -d 'Output format' -r -f -a "text\t'A table (--show) or a unified diff (--dry-run)'
json\t'The split (--show), the objects that would be written (--dry-run) or the rollout\'s report (--step) as JSON'
yaml\t'The split (--show), the objects that would be written (--dry-run) or the rollout\'s report (--step) as YAML'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l show -d 'Show the split as configured, per version, with the workloads\' ready replicas'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l reset -d 'Restore the spec from before meshdeck\'s first change, and delete the objects meshdeck created (never objects it did not create)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l allow-missing -d 'Route versions that no workload has yet (ahead of a rollout)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l dry-run -d 'Print what would change (a diff; -o yaml or json for the objects) and change nothing'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l force-conflicts -d 'Take over fields another field manager owns (spec.http of a VirtualService written with kubectl, for instance) instead of stopping'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l create-version-services -d 'Gateway API: create the missing per-version Services (SERVICE-VERSION, the Service\'s selector plus the version label, its ports)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l interactive -d 'Pick the versions and their weights at prompts (on a terminal only), then see the diff and confirm (-y skips the confirmation)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -l force -d 'Apply even when the analysis of the result (with the cluster\'s objects) finds errors, such as a subset that selects no pods'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand traffic-shift" -s h -l help -d 'Print help (see more with \'--help\')'
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
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s f -l filename -d 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s s -l set -d 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \\' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s r -l revision -d 'The control plane revision (a DNS-1123 label)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l readiness-timeout -d 'How long each component may take to become ready' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s o -l output -d 'Output format of the result' -r -f -a "text\t'Progress and a summary for people, on stderr'
json\t'One JSON object on stdout: components, objects created/changed/unchanged/pruned, time'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l dry-run -d 'Show what would be applied and touch no cluster'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l force-conflicts -d 'Take over fields another field manager owns instead of stopping'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l force -d 'Go on despite a server outside the Kubernetes versions the release supports, an overlapping injector webhook, or Error-level analyze findings (each is printed)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -l adopt -d 'Take over the objects istioctl installed (field manager istio-operator) that this install renders; says how many and of which kinds first'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -f -a "addons" -d 'Install the release\'s telemetry addons (Kiali, Grafana, Prometheus, Jaeger, Loki)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -f -a "sample" -d 'Install a sample application (Bookinfo), its gateway bound to the installed ingress'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and not __fish_seen_subcommand_from addons sample help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l readiness-timeout -d 'How long each addon may take to become ready' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s o -l output -d 'Output format of the result' -r -f -a "text\t'Progress and a summary for people, on stderr'
json\t'One JSON object on stdout: components, objects created/changed/unchanged/pruned, time'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l dry-run -d 'Print the objects that would be applied and touch no cluster'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -l force-conflicts -d 'Take over fields another field manager owns instead of stopping'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from addons" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s r -l revision -d 'Label the namespace istio.io/rev=REVISION instead of istio-injection=enabled' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l ingress -d 'With --gateway: the ingress gateway\'s Service, NAMESPACE/SERVICE or SERVICE in the Istio namespace (default: found by its selector, istio=*ingress*)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l readiness-timeout -d 'How long the sample may take to become ready' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s o -l output -d 'Output format of the result' -r -f -a "text\t'Progress and a summary for people, on stderr'
json\t'One JSON object on stdout: components, objects created/changed/unchanged/pruned, time'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l gateway -d 'Also apply the Gateway and VirtualService, bound to the installed ingress gateway'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l gateway-api -d 'Also apply the Gateway API Gateway and HTTPRoute (needs the Gateway API CRDs)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l destination-rules -d 'Also apply the destination rules (a subset per version of each service)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l dry-run -d 'Print the objects that would be applied (the Gateway as bound to the ingress) and change nothing'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -l force-conflicts -d 'Take over fields another field manager owns instead of stopping'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from sample" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from help" -f -a "addons" -d 'Install the release\'s telemetry addons (Kiali, Grafana, Prometheus, Jaeger, Loki)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from help" -f -a "sample" -d 'Install a sample application (Bookinfo), its gateway bound to the installed ingress'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand install; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -s r -l revision -d 'The revision to remove (default: the default revision; with --purge and no revision, every revision meshdeck installed)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -l purge -d 'Also delete the CRDs meshdeck installed, and every custom resource with them'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -f -a "addons" -d 'Remove the addons meshdeck installed (only objects carrying its addon labels)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -f -a "sample" -d 'Remove a sample meshdeck installed (its objects, and its namespace if meshdeck made it)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and not __fish_seen_subcommand_from addons sample help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -s o -l output -d 'Output format of the result' -r -f -a "text\t'Progress and a summary for people, on stderr'
json\t'One JSON object on stdout: components, objects created/changed/unchanged/pruned, time'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from addons" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -s o -l output -d 'Output format of the result' -r -f -a "text\t'Progress and a summary for people, on stderr'
json\t'One JSON object on stdout: components, objects created/changed/unchanged/pruned, time'"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from sample" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from help" -f -a "addons" -d 'Remove the addons meshdeck installed (only objects carrying its addon labels)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from help" -f -a "sample" -d 'Remove a sample meshdeck installed (its objects, and its namespace if meshdeck made it)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand uninstall; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s f -l filename -d 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s s -l set -d 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \\' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s r -l revision -d 'The control plane revision (a DNS-1123 label)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s d -l manifests -d 'The manifests/ directory of an Istio release (charts and profiles), as istioctl\'s --manifests' -r -f -a "(__fish_complete_directories)"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -l version -d 'The Istio release to install (downloaded into the cache when there is no -d)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -l release-url -d 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio\'s GitHub releases)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s c -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)' -r -F
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s n -l namespace -d 'The namespace to work in. Cluster commands default to the kubeconfig context\'s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s i -l istioNamespace -d 'Namespace of the Istio control plane' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -l color -d 'When to colour output: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -l as -d 'Username to impersonate for the operation (kubectl\'s --as)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -l as-group -d 'Group to impersonate for the operation (repeatable; kubectl\'s --as-group)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -l request-timeout -d 'Bound on each request to the API server (e.g. 10s; 0 waits forever)' -r
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s q -l quiet -d 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s y -l yes -d 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s v -l verbose -d 'Say more: which analyzers ran and were skipped, and why'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand verify-install" -s h -l help -d 'Print help (see more with \'--help\')'
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
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "analyze" -d 'Lint mesh configuration from files, stdin, URLs or a live cluster'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "register" -d 'Connect a cluster to the Amazon EKS console (EKS Connector)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "deregister" -d 'Disconnect a cluster from the Amazon EKS console and delete the agent role meshdeck made'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "dashboard" -d 'Open an addon\'s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "traffic-shift" -d 'Shift a Service\'s traffic between its versions, show the split, or undo meshdeck\'s changes'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "manifest" -d 'Render Istio\'s manifests as istioctl does (manifest generate)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "install" -d 'Install Istio into the cluster (server-side apply, waits until it is ready, prunes)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "uninstall" -d 'Remove what meshdeck installed (owned objects only; CRDs only with --purge)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "verify-install" -d 'Check that everything install would apply exists, matches and is ready'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "profile" -d 'List, show and compare Istio\'s configuration profiles'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and not __fish_seen_subcommand_from analyze register deregister dashboard traffic-shift manifest install uninstall verify-install profile completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from register" -f -a "status" -d 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from manifest" -f -a "generate" -d 'Print the Kubernetes objects Istio consists of for the given configuration'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from install" -f -a "addons" -d 'Install the release\'s telemetry addons (Kiali, Grafana, Prometheus, Jaeger, Loki)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from install" -f -a "sample" -d 'Install a sample application (Bookinfo), its gateway bound to the installed ingress'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from uninstall" -f -a "addons" -d 'Remove the addons meshdeck installed (only objects carrying its addon labels)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from uninstall" -f -a "sample" -d 'Remove a sample meshdeck installed (its objects, and its namespace if meshdeck made it)'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'List the release\'s configuration profiles'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "dump" -d 'Print a profile (layered on default) as YAML, JSON or --set flags'
complete -c meshdeck -n "__fish_meshdeck_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "diff" -d 'Compare two profiles (exit code 1 when they differ)'
