#!/usr/bin/env bash
# Air-gapped site, internal side: import the carried archive into the internal registry, then consume the upstream's
# source unchanged through a [mirrors] rule, by tag and by the original digest, every file verified.
#   examples/airgap/internal.sh UPSTREAM INTERNAL WORK   e.g. ghcr.io/acme registry.internal/mirror /tmp/airgap
# The upstream is never contacted (the rule is mirror-only). MODELREG as in connected.sh.
set -euo pipefail
upstream="$1" internal="$2" work="$3"
repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
modelreg=(${MODELREG:-$repo_root/modelreg})
export MODELREG_CACHE="$work/internal-cache"
upstream_path="${upstream#*/}"   # the namespace, without the registry host

# every ref of the archive, restored under the internal prefix: $internal/<repository path>:<tag>
"${modelreg[@]}" mirror "oci-archive:$work/site.tar" "$internal"
"${modelreg[@]}" tags "$internal/$upstream_path/models/example"

# the consumer's own config: the same source, plus a rule that sends it to the internal registry only

cp "$work/sources.toml" "$work/internal.toml"
cat >>"$work/internal.toml" <<TOML

[mirrors]
"$upstream" = { endpoints = ["$internal/$upstream_path"], mirror_only = true }
TOML
export MODELREG_CONFIG="$work/internal.toml"

"${modelreg[@]}" sync
"${modelreg[@]}" info
model=example/ex-gwf-twri01
rm -rf "$work/by-tag" "$work/by-digest"
"${modelreg[@]}" copy "$model" "$work/by-tag"
"${modelreg[@]}" verify "$model" "$work/by-tag"
digest=$("${modelreg[@]}" tags "oci-archive:$work/site.tar" | awk '$1 == "v1" { print $2; exit }')
"${modelreg[@]}" copy "example@$digest/ex-gwf-twri01" "$work/by-digest"
"${modelreg[@]}" verify "example@$digest/ex-gwf-twri01" "$work/by-digest"
