
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'meshdeck' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'meshdeck'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'meshdeck' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Lint mesh configuration from files, stdin, URLs or a live cluster')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Connect a cluster to the Amazon EKS console (EKS Connector)')
            [CompletionResult]::new('deregister', 'deregister', [CompletionResultType]::ParameterValue, 'Disconnect a cluster from the Amazon EKS console and delete the agent role meshdeck made')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'Open an addon''s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up')
            [CompletionResult]::new('dash', 'dash', [CompletionResultType]::ParameterValue, 'Open an addon''s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up')
            [CompletionResult]::new('traffic-shift', 'traffic-shift', [CompletionResultType]::ParameterValue, 'Shift a Service''s traffic between its versions, show the split, or undo meshdeck''s changes')
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Render Istio''s manifests as istioctl does (manifest generate)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install Istio into the cluster (server-side apply, waits until it is ready, prunes)')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove what meshdeck installed (owned objects only; CRDs only with --purge)')
            [CompletionResult]::new('verify-install', 'verify-install', [CompletionResultType]::ParameterValue, 'Check that everything install would apply exists, matches and is ready')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'List, show and compare Istio''s configuration profiles')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;analyze' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: the config file''s `output`, else log)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: the config file''s `output`, else log)')
            [CompletionResult]::new('--failure-threshold', '--failure-threshold', [CompletionResultType]::ParameterName, 'The lowest message level that makes the exit code 79 (default: the config file''s, else Error)')
            [CompletionResult]::new('--output-threshold', '--output-threshold', [CompletionResultType]::ParameterName, 'The lowest message level that is printed (default: the config file''s, else Info)')
            [CompletionResult]::new('--analyzer', '--analyzer', [CompletionResultType]::ParameterName, 'Run only this analyzer (repeatable; see --list-analyzers)')
            [CompletionResult]::new('--skip-analyzer', '--skip-analyzer', [CompletionResultType]::ParameterName, 'Run every analyzer but this one (repeatable; see --list-analyzers). Replaces the config file''s skipAnalyzers, e.g. --skip-analyzer injection.ImageAnalyzer')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable), e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Suppress messages: CODE=GLOB, where GLOB matches "Kind namespace/name" (repeatable), e.g. -S "IST0102=Namespace frod" or -S "IST0107=Pod default/*"')
            [CompletionResult]::new('--meshConfigFile', '--meshConfigFile', [CompletionResultType]::ParameterName, 'A MeshConfig YAML file merged over Istio''s defaults (and over the cluster''s)')
            [CompletionResult]::new('--meshNetworksFile', '--meshNetworksFile', [CompletionResultType]::ParameterName, 'A MeshNetworks YAML file')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid over the cluster''s objects. A switch: `--use-kube=false` turns it off')
            [CompletionResult]::new('--use-kube', '--use-kube', [CompletionResultType]::ParameterName, 'Read the cluster (default: only when no PATHS are given). With PATHS, the files are laid over the cluster''s objects. A switch: `--use-kube=false` turns it off')
            [CompletionResult]::new('--remote-contexts', '--remote-contexts', [CompletionResultType]::ParameterName, 'Kubeconfig contexts of remote clusters for multi-cluster analysis (repeatable; not to be confused with --context): their Services are compared with the primary''s (IST0170). Without it, the clusters of the Istio namespace''s remote secrets are compared')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Upper bound on the whole run, cluster reads and URL fetches included (e.g. 30s, 2m)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Explain a message code (what it means, why it matters, how to fix it) and exit')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read settings from this file instead of the .meshdeck.yaml found upward from the working directory (up to the repository root); flags override its settings')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Report messages from every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Report messages from every namespace')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'List the analyzers and exit')
            [CompletionResult]::new('--list-analyzers', '--list-analyzers', [CompletionResultType]::ParameterName, 'List the analyzers and exit')
            [CompletionResult]::new('--list-codes', '--list-codes', [CompletionResultType]::ParameterName, 'List every message code and exit')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no .meshdeck.yaml')
            [CompletionResult]::new('--print-config', '--print-config', [CompletionResultType]::ParameterName, 'Show the settings in force (config file and flags) and where each came from, and exit')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;register' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The cluster''s name in EKS (1-100 letters, digits, - and _)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Where the cluster runs, as the EKS API names it (case-insensitive)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS''s public endpoints)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Use this existing agent role instead of creating one (it is never deleted)')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'Tags for the registration and the agent role: KEY=VALUE, comma-separated or repeated')
            [CompletionResult]::new('--console-user', '--console-user', [CompletionResultType]::ParameterName, 'Also give this IAM user or role ARN console access (repeatable; the caller always has it; an assumed-role session ARN stands for its role)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Directory the manifests are written to (created if missing)')
            [CompletionResult]::new('--connector-image', '--connector-image', [CompletionResultType]::ParameterName, 'The eks-connector image of the manifests')
            [CompletionResult]::new('--agent-image', '--agent-image', [CompletionResultType]::ParameterName, 'The SSM agent image of the manifests')
            [CompletionResult]::new('--retry-timeout', '--retry-timeout', [CompletionResultType]::ParameterName, 'How long to keep retrying RegisterCluster while AWS propagates roles, throttles or fails')
            [CompletionResult]::new('--ready-timeout', '--ready-timeout', [CompletionResultType]::ParameterName, 'With --apply: how long the connector StatefulSet may take to be ready')
            [CompletionResult]::new('--active-timeout', '--active-timeout', [CompletionResultType]::ParameterName, 'With --apply: how long EKS may take to report the cluster ACTIVE once the connector runs')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and change nothing')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'If the cluster is registered already (say its activation expired before the manifests were applied), deregister it and register it again with the same agent role')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Then apply the manifests to the current kube context (server-side apply; --kubeconfig, --context), wait for the connector StatefulSet and for EKS to report the cluster ACTIVE')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;register;status' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The cluster''s name in EKS')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS''s public endpoints)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;register;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;register;help;status' {
            break
        }
        'meshdeck;register;help;help' {
            break
        }
        'meshdeck;deregister' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The cluster''s name in EKS')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS''s public endpoints)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'With --delete-manifests: where `register` wrote the manifests')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--delete-manifests', '--delete-manifests', [CompletionResultType]::ParameterName, 'Also delete the connector''s objects from the current kube context (--kubeconfig, --context): those of the manifests in --output-dir, or the names meshdeck''s templates give for a file that is not there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;dashboard' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Choose pods by this label selector instead of the dashboard''s own')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Choose pods by this label selector instead of the dashboard''s own')
            [CompletionResult]::new('--ui-port', '--ui-port', [CompletionResultType]::ParameterName, 'The port the UI listens on in the pod (default: the dashboard''s own, e.g. 20001 for Kiali)')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Local address to listen on: localhost (127.0.0.1 and ::1), an IP address or a host name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Local port (default: the remote port, or a free one when that is taken)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Local port (default: the remote port, or a free one when that is taken)')
            [CompletionResult]::new('--browser', '--browser', [CompletionResultType]::ParameterName, 'Open the system browser (never under CI or without a display). `--browser=false` only prints the URL')
            [CompletionResult]::new('--health-timeout', '--health-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the UI to answer its health check through the tunnel')
            [CompletionResult]::new('--max-reconnects', '--max-reconnects', [CompletionResultType]::ParameterName, 'Give up after this many failed reconnects in a row')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--require-healthy', '--require-healthy', [CompletionResultType]::ParameterName, 'Exit 1 when the health check fails (default: warn and keep the tunnel open)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;dash' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Choose pods by this label selector instead of the dashboard''s own')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Choose pods by this label selector instead of the dashboard''s own')
            [CompletionResult]::new('--ui-port', '--ui-port', [CompletionResultType]::ParameterName, 'The port the UI listens on in the pod (default: the dashboard''s own, e.g. 20001 for Kiali)')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Local address to listen on: localhost (127.0.0.1 and ::1), an IP address or a host name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Local port (default: the remote port, or a free one when that is taken)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Local port (default: the remote port, or a free one when that is taken)')
            [CompletionResult]::new('--browser', '--browser', [CompletionResultType]::ParameterName, 'Open the system browser (never under CI or without a display). `--browser=false` only prints the URL')
            [CompletionResult]::new('--health-timeout', '--health-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the UI to answer its health check through the tunnel')
            [CompletionResult]::new('--max-reconnects', '--max-reconnects', [CompletionResultType]::ParameterName, 'Give up after this many failed reconnects in a row')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--require-healthy', '--require-healthy', [CompletionResultType]::ParameterName, 'Exit 1 when the health check fails (default: warn and keep the tunnel open)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;traffic-shift' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The new split: VERSION=WEIGHT,... with whole weights summing to 100 (v2=80,v3=20), or one VERSION for all of it. Versions not named leave the route; their subsets stay')
            [CompletionResult]::new('--version-label', '--version-label', [CompletionResultType]::ParameterName, 'The workload label whose values are versions')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'The route to edit (spec.http[].name or spec.tcp[].name) when several have no match')
            [CompletionResult]::new('--virtual-service', '--virtual-service', [CompletionResultType]::ParameterName, 'The VirtualService to edit when several name the Service''s host')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'The mesh API to write: istio (DestinationRule + VirtualService), gateway-api (an HTTPRoute attached to the Service over per-version Services) or appmesh (a VirtualRouter weighting VirtualNodes). Default: istio when its CRDs are installed, else the one that is')
            [CompletionResult]::new('--http-route', '--http-route', [CompletionResultType]::ParameterName, 'Gateway API: the HTTPRoute to edit when several are attached to the Service')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus'' base URL, for the observed split (--show) and the metric gate of a stepped rollout (default for --show: the prometheus Service''s pod in the Istio namespace, through a port-forward, when there is one)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'The window of the observed split''s request rates (--show, default 5m); for the metric gate, the window of each check (default: --interval)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Roll out in steps: move at most this many percentage points per step from the current split to --to, checking the metric gate after each')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'How long to wait after each step before checking the gate and taking the next step')
            [CompletionResult]::new('--max-error-rate', '--max-error-rate', [CompletionResultType]::ParameterName, 'Roll back when the share of 5xx answers of a version gaining traffic goes over this (1%, 0.5%); needs --prometheus')
            [CompletionResult]::new('--max-p99', '--max-p99', [CompletionResultType]::ParameterName, 'Roll back when the 99th-percentile request duration of a version gaining traffic goes over this (500ms, 1s); needs --prometheus')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--show', '--show', [CompletionResultType]::ParameterName, 'Show the split as configured, per version, with the workloads'' ready replicas')
            [CompletionResult]::new('--reset', '--reset', [CompletionResultType]::ParameterName, 'Restore the spec from before meshdeck''s first change, and delete the objects meshdeck created (never objects it did not create)')
            [CompletionResult]::new('--allow-missing', '--allow-missing', [CompletionResultType]::ParameterName, 'Route versions that no workload has yet (ahead of a rollout)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change (a diff; -o yaml or json for the objects) and change nothing')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields another field manager owns (spec.http of a VirtualService written with kubectl, for instance) instead of stopping')
            [CompletionResult]::new('--create-version-services', '--create-version-services', [CompletionResultType]::ParameterName, 'Gateway API: create the missing per-version Services (SERVICE-VERSION, the Service''s selector plus the version label, its ports)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Pick the versions and their weights at prompts (on a terminal only), then see the diff and confirm (-y skips the confirmation)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Apply even when the analysis of the result (with the cluster''s objects) finds errors, such as a subset that selects no pods')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;manifest' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print the Kubernetes objects Istio consists of for the given configuration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;manifest;generate' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The control plane revision (a DNS-1123 label)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The control plane revision (a DNS-1123 label)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release to install (downloaded into the cache when there is no -d)')
            [CompletionResult]::new('--release-url', '--release-url', [CompletionResultType]::ParameterName, 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write one file per component (<Component>.yaml) into this directory instead of stdout')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Only this component''s objects (repeatable): base, pilot, ingressGateways, egressGateways, cni, ztunnel')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;manifest;help' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print the Kubernetes objects Istio consists of for the given configuration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;manifest;help;generate' {
            break
        }
        'meshdeck;manifest;help;help' {
            break
        }
        'meshdeck;install' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The control plane revision (a DNS-1123 label)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The control plane revision (a DNS-1123 label)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release to install (downloaded into the cache when there is no -d)')
            [CompletionResult]::new('--release-url', '--release-url', [CompletionResultType]::ParameterName, 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)')
            [CompletionResult]::new('--readiness-timeout', '--readiness-timeout', [CompletionResultType]::ParameterName, 'How long each component may take to become ready')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be applied and touch no cluster')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields another field manager owns instead of stopping')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go on despite a server outside the Kubernetes versions the release supports, an overlapping injector webhook, or Error-level analyze findings (each is printed)')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'Take over the objects istioctl installed (field manager istio-operator) that this install renders; says how many and of which kinds first')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('addons', 'addons', [CompletionResultType]::ParameterValue, 'Install the release''s telemetry addons (Kiali, Grafana, Prometheus, Jaeger, Loki)')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Install a sample application (Bookinfo), its gateway bound to the installed ingress')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;install;addons' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release to install (downloaded into the cache when there is no -d)')
            [CompletionResult]::new('--release-url', '--release-url', [CompletionResultType]::ParameterName, 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)')
            [CompletionResult]::new('--readiness-timeout', '--readiness-timeout', [CompletionResultType]::ParameterName, 'How long each addon may take to become ready')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the objects that would be applied and touch no cluster')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields another field manager owns instead of stopping')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;install;sample' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Label the namespace istio.io/rev=REVISION instead of istio-injection=enabled')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Label the namespace istio.io/rev=REVISION instead of istio-injection=enabled')
            [CompletionResult]::new('--ingress', '--ingress', [CompletionResultType]::ParameterName, 'With --gateway: the ingress gateway''s Service, NAMESPACE/SERVICE or SERVICE in the Istio namespace (default: found by its selector, istio=*ingress*)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release to install (downloaded into the cache when there is no -d)')
            [CompletionResult]::new('--release-url', '--release-url', [CompletionResultType]::ParameterName, 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)')
            [CompletionResult]::new('--readiness-timeout', '--readiness-timeout', [CompletionResultType]::ParameterName, 'How long the sample may take to become ready')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'Also apply the Gateway and VirtualService, bound to the installed ingress gateway')
            [CompletionResult]::new('--gateway-api', '--gateway-api', [CompletionResultType]::ParameterName, 'Also apply the Gateway API Gateway and HTTPRoute (needs the Gateway API CRDs)')
            [CompletionResult]::new('--destination-rules', '--destination-rules', [CompletionResultType]::ParameterName, 'Also apply the destination rules (a subset per version of each service)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the objects that would be applied (the Gateway as bound to the ingress) and change nothing')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields another field manager owns instead of stopping')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;install;help' {
            [CompletionResult]::new('addons', 'addons', [CompletionResultType]::ParameterValue, 'Install the release''s telemetry addons (Kiali, Grafana, Prometheus, Jaeger, Loki)')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Install a sample application (Bookinfo), its gateway bound to the installed ingress')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;install;help;addons' {
            break
        }
        'meshdeck;install;help;sample' {
            break
        }
        'meshdeck;install;help;help' {
            break
        }
        'meshdeck;uninstall' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The revision to remove (default: the default revision; with --purge and no revision, every revision meshdeck installed)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The revision to remove (default: the default revision; with --purge and no revision, every revision meshdeck installed)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('--purge', '--purge', [CompletionResultType]::ParameterName, 'Also delete the CRDs meshdeck installed, and every custom resource with them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('addons', 'addons', [CompletionResultType]::ParameterValue, 'Remove the addons meshdeck installed (only objects carrying its addon labels)')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Remove a sample meshdeck installed (its objects, and its namespace if meshdeck made it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;uninstall;addons' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;uninstall;sample' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;uninstall;help' {
            [CompletionResult]::new('addons', 'addons', [CompletionResultType]::ParameterValue, 'Remove the addons meshdeck installed (only objects carrying its addon labels)')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Remove a sample meshdeck installed (its objects, and its namespace if meshdeck made it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;uninstall;help;addons' {
            break
        }
        'meshdeck;uninstall;help;sample' {
            break
        }
        'meshdeck;uninstall;help;help' {
            break
        }
        'meshdeck;verify-install' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'An IstioOperator file (repeatable; overlaid left to right; - for stdin, last only)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field of the IstioOperator spec: path=value (repeatable), e.g. profile=demo, values.global.hub=example.com, components.egressGateways[0].enabled=true; escape dots in keys with \')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The control plane revision (a DNS-1123 label)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The control plane revision (a DNS-1123 label)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release to install (downloaded into the cache when there is no -d)')
            [CompletionResult]::new('--release-url', '--release-url', [CompletionResultType]::ParameterName, 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;profile' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the release''s configuration profiles')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print a profile (layered on default) as YAML, JSON or --set flags')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two profiles (exit code 1 when they differ)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;profile;list' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release to install (downloaded into the cache when there is no -d)')
            [CompletionResult]::new('--release-url', '--release-url', [CompletionResultType]::ParameterName, 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshdeck;profile;dump' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only the subtree at this path of the spec, e.g. components.pilot or values.gateways')
            [CompletionResult]::new('--config-path', '--config-path', [CompletionResultType]::ParameterName, 'Only the subtree at this path of the spec, e.g. components.pilot or values.gateways')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release to install (downloaded into the cache when there is no -d)')
            [CompletionResult]::new('--release-url', '--release-url', [CompletionResultType]::ParameterName, 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'meshdeck;profile;diff' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'The manifests/ directory of an Istio release (charts and profiles), as istioctl''s --manifests')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The Istio release to install (downloaded into the cache when there is no -d)')
            [CompletionResult]::new('--release-url', '--release-url', [CompletionResultType]::ParameterName, 'Where release archives are downloaded from: a mirror holding istio-<version>-linux-<arch>.tar.gz and its .sha256 (default: Istio''s GitHub releases)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshdeck;profile;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the release''s configuration profiles')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print a profile (layered on default) as YAML, JSON or --set flags')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two profiles (exit code 1 when they differ)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;profile;help;list' {
            break
        }
        'meshdeck;profile;help;dump' {
            break
        }
        'meshdeck;profile;help;diff' {
            break
        }
        'meshdeck;profile;help;help' {
            break
        }
        'meshdeck;completion' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, which may list several files, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in. Cluster commands default to the kubeconfig context''s namespace, as kubectl does; for `analyze` of files it narrows the report (every namespace of the input is reported by default) and is given to resources that have none (default: "default")')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--istioNamespace', '--istioNamespace', [CompletionResultType]::ParameterName, 'Namespace of the Istio control plane')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate for the operation (kubectl''s --as)')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate for the operation (repeatable; kubectl''s --as-group)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each request to the API server (e.g. 10s; 0 waits forever)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and the data asked for (no notes, warnings, progress or summaries)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which analyzers ran and were skipped, and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'meshdeck;help' {
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Lint mesh configuration from files, stdin, URLs or a live cluster')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Connect a cluster to the Amazon EKS console (EKS Connector)')
            [CompletionResult]::new('deregister', 'deregister', [CompletionResultType]::ParameterValue, 'Disconnect a cluster from the Amazon EKS console and delete the agent role meshdeck made')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'Open an addon''s UI (Kiali, Grafana, Prometheus, ...) through a port-forward that stays up')
            [CompletionResult]::new('traffic-shift', 'traffic-shift', [CompletionResultType]::ParameterValue, 'Shift a Service''s traffic between its versions, show the split, or undo meshdeck''s changes')
            [CompletionResult]::new('manifest', 'manifest', [CompletionResultType]::ParameterValue, 'Render Istio''s manifests as istioctl does (manifest generate)')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install Istio into the cluster (server-side apply, waits until it is ready, prunes)')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove what meshdeck installed (owned objects only; CRDs only with --purge)')
            [CompletionResult]::new('verify-install', 'verify-install', [CompletionResultType]::ParameterValue, 'Check that everything install would apply exists, matches and is ready')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'List, show and compare Istio''s configuration profiles')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshdeck;help;analyze' {
            break
        }
        'meshdeck;help;register' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix')
            break
        }
        'meshdeck;help;register;status' {
            break
        }
        'meshdeck;help;deregister' {
            break
        }
        'meshdeck;help;dashboard' {
            break
        }
        'meshdeck;help;traffic-shift' {
            break
        }
        'meshdeck;help;manifest' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print the Kubernetes objects Istio consists of for the given configuration')
            break
        }
        'meshdeck;help;manifest;generate' {
            break
        }
        'meshdeck;help;install' {
            [CompletionResult]::new('addons', 'addons', [CompletionResultType]::ParameterValue, 'Install the release''s telemetry addons (Kiali, Grafana, Prometheus, Jaeger, Loki)')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Install a sample application (Bookinfo), its gateway bound to the installed ingress')
            break
        }
        'meshdeck;help;install;addons' {
            break
        }
        'meshdeck;help;install;sample' {
            break
        }
        'meshdeck;help;uninstall' {
            [CompletionResult]::new('addons', 'addons', [CompletionResultType]::ParameterValue, 'Remove the addons meshdeck installed (only objects carrying its addon labels)')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Remove a sample meshdeck installed (its objects, and its namespace if meshdeck made it)')
            break
        }
        'meshdeck;help;uninstall;addons' {
            break
        }
        'meshdeck;help;uninstall;sample' {
            break
        }
        'meshdeck;help;verify-install' {
            break
        }
        'meshdeck;help;profile' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the release''s configuration profiles')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print a profile (layered on default) as YAML, JSON or --set flags')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two profiles (exit code 1 when they differ)')
            break
        }
        'meshdeck;help;profile;list' {
            break
        }
        'meshdeck;help;profile;dump' {
            break
        }
        'meshdeck;help;profile;diff' {
            break
        }
        'meshdeck;help;completion' {
            break
        }
        'meshdeck;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
