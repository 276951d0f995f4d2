#!/usr/bin/env bash
# Packages the service with osls and no AWS credentials, then lints the CloudFormation template.
#
#   scripts/check-package.sh                     # as CI runs it: --stage prod --param allowedGroups=developers
#   scripts/check-package.sh --stage dev --param allowedGroups=developers --param dryRun=true
#
# Arguments go to `serverless package` (default: --stage prod). The package lands in a temporary
# directory that is removed afterwards, unless CHECK_PACKAGE_DIR names a directory to keep it in.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

say() { printf 'check-package: %s\n' "$*"; }
fail() { printf 'check-package: FAILED: %s\n' "$*" >&2; exit 1; }

# This repo's osls, never whatever `serverless` is on PATH: a global Serverless Framework v4 would try
# to download itself and ask for a licence login.
serverless="$repo_root/node_modules/.bin/serverless"
[[ -x "$serverless" ]] || fail "osls is not installed ($serverless missing): run 'npm ci' first"

if ! command -v cfn-lint >/dev/null 2>&1; then
  say "cfn-lint is not installed: installing it with pip (python3 -m pip install cfn-lint)"
  # Plain first (a virtualenv refuses --user); --user where the interpreter's site-packages are not ours.
  python3 -m pip install --quiet cfn-lint || python3 -m pip install --quiet --user cfn-lint ||
    fail "could not install cfn-lint with pip"
  PATH="$PATH:$(python3 -m site --user-base)/bin"
  command -v cfn-lint >/dev/null 2>&1 || fail "cfn-lint was installed but is not on PATH"
fi

work_dir="$(mktemp -d "${TMPDIR:-/tmp}/key-hygiene-package.XXXXXX")"
trap 'rm -rf "$work_dir"' EXIT
package_dir="${CHECK_PACKAGE_DIR:-$work_dir/package}"

# allowedGroups has no default (the groups onboardUser may put users in are each deployer's choice): CI
# packages with a stand-in group.
if [[ $# -eq 0 ]]; then set -- --stage prod --param allowedGroups=developers; fi

# No credentials of any kind: not from the environment, not from ~/.aws, not from instance metadata.
# Packaging must never need them; if it starts to, this check is where we find out.
log="$work_dir/serverless-package.log"
if ! env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_SECURITY_TOKEN \
  -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_WEB_IDENTITY_TOKEN_FILE -u AWS_ROLE_ARN \
  -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_CONTAINER_CREDENTIALS_FULL_URI \
  AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
  "$serverless" package --package "$package_dir" "$@" >"$log" 2>&1; then
  cat "$log" >&2
  fail "serverless package $*"
fi
say "packaged without AWS credentials: serverless package $*"

template="$package_dir/cloudformation-template-update-stack.json"
[[ -f "$template" ]] || fail "no template at $template"

for artifact in "$package_dir"/*.zip; do
  [[ -e "$artifact" ]] || fail "no function package in $package_dir"
  say "$(basename "$artifact"): $(($(wc -c <"$artifact") / 1024)) KiB zipped"
done

# Two rules of DESIGN.md that cfn-lint cannot know: one execution role per function (osls falls back to
# a shared IamRoleLambdaExecution for any function without `role`), and no wildcard actions; and one of
# RELIABILITY.md: the nightly function runs one instance at a time.
node --input-type=module - "$template" <<'EOF' || fail "deployment rules broken in $template"
import { readFileSync } from 'node:fs';

const resources = JSON.parse(readFileSync(process.argv[2], 'utf8')).Resources;
const problems = [];
if ('IamRoleLambdaExecution' in resources) {
  problems.push('a function has no role of its own: osls created the shared IamRoleLambdaExecution');
}
for (const [name, resource] of Object.entries(resources)) {
  if (resource.Type !== 'AWS::IAM::Role') continue;
  for (const policy of resource.Properties.Policies ?? []) {
    for (const statement of [policy.PolicyDocument.Statement].flat()) {
      for (const action of [statement.Action ?? []].flat()) {
        if (typeof action !== 'string' || action.includes('*')) {
          problems.push(`${name} / ${policy.PolicyName}: wildcard action ${JSON.stringify(action)}`);
        }
      }
    }
  }
}
// One nightly run at a time: a second delivery of the event must wait, not race the first (RELIABILITY.md).
const enforceKeys = resources.EnforceKeysLambdaFunction;
if (enforceKeys?.Properties?.ReservedConcurrentExecutions !== 1) {
  problems.push('EnforceKeysLambdaFunction must have ReservedConcurrentExecutions 1 (reservedConcurrency: 1)');
}
for (const problem of problems) console.error(`check-package: ${problem}`);
process.exit(problems.length === 0 ? 0 : 1);
EOF

cfn-lint "$template" || fail "cfn-lint found problems in $template"
say "cfn-lint $(cfn-lint --version | awk '{print $2}'): template clean"
