
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
            cand register 'Connect a cluster to the Amazon EKS console (EKS Connector)'
            cand deregister 'Disconnect a cluster from the Amazon EKS console and delete the agent role meshdeck made'
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
        &'meshdeck;register'= {
            cand --name 'The cluster''s name in EKS (1-100 letters, digits, - and _)'
            cand --provider 'Where the cluster runs, as the EKS API names it (case-insensitive)'
            cand -r 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)'
            cand --region 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)'
            cand -p 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI'
            cand --profile 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI'
            cand --endpoint-url 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS''s public endpoints)'
            cand --role-arn 'Use this existing agent role instead of creating one (it is never deleted)'
            cand --tags 'Tags for the registration and the agent role: KEY=VALUE, comma-separated or repeated'
            cand --console-user 'Also give this IAM user or role ARN console access (repeatable; the caller always has it; an assumed-role session ARN stands for its role)'
            cand --output-dir 'Directory the manifests are written to (created if missing)'
            cand --connector-image 'The eks-connector image of the manifests'
            cand --agent-image 'The SSM agent image of the manifests'
            cand --retry-timeout 'How long to keep retrying RegisterCluster while AWS propagates roles, throttles or fails'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
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
            cand --dry-run 'Show the plan and change nothing'
            cand --refresh 'If the cluster is registered already (say its activation expired before the manifests were applied), deregister it and register it again with the same agent role'
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand status 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;register;status'= {
            cand --name 'The cluster''s name in EKS'
            cand -r 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)'
            cand --region 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)'
            cand -p 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI'
            cand --profile 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI'
            cand --endpoint-url 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS''s public endpoints)'
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
            cand -q 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand --quiet 'Print only errors and the data asked for (no notes, warnings, progress or summaries)'
            cand -y 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand --yes 'Answer yes to every confirmation (never prompts; without a terminal, commands that need confirmation stop unless this is given)'
            cand -v 'Say more: which analyzers ran and were skipped, and why'
            cand --verbose 'Say more: which analyzers ran and were skipped, and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'meshdeck;register;help'= {
            cand status 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;register;help;status'= {
        }
        &'meshdeck;register;help;help'= {
        }
        &'meshdeck;deregister'= {
            cand --name 'The cluster''s name in EKS'
            cand -r 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)'
            cand --region 'The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile''s region)'
            cand -p 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI'
            cand --profile 'The AWS profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then "default"); its credentials win over AWS_ACCESS_KEY_ID, as in the AWS CLI'
            cand --endpoint-url 'One endpoint URL for EKS, IAM and STS (default: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS''s public endpoints)'
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
            cand register 'Connect a cluster to the Amazon EKS console (EKS Connector)'
            cand deregister 'Disconnect a cluster from the Amazon EKS console and delete the agent role meshdeck made'
            cand completion 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'meshdeck;help;analyze'= {
        }
        &'meshdeck;help;register'= {
            cand status 'Show a registration: status, activation expiry, agent role, and the connector pods of the current kube context; an expired activation that never connected is called out with the fix'
        }
        &'meshdeck;help;register;status'= {
        }
        &'meshdeck;help;deregister'= {
        }
        &'meshdeck;help;completion'= {
        }
        &'meshdeck;help;help'= {
        }
    ]
    $completions[$command]
}
