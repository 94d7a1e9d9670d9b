#!/usr/bin/env bash
# Air-gapped site, connected side: publish the example models to the upstream registry, then export every ref the
# bootstrap names into one OCI archive to carry across.
#   examples/airgap/connected.sh UPSTREAM WORK      e.g. ghcr.io/acme /tmp/airgap  (UPSTREAM = REGISTRY/NAMESPACE)
# MODELREG is the command to run (default: the repository's ./modelreg launcher). Writes WORK/site.tar.
set -euo pipefail
upstream="$1" work="$2"
repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
modelreg=(${MODELREG:-$repo_root/modelreg})
mkdir -p "$work"
export MODELREG_CACHE="$work/connected-cache"

# the source a consumer configures (same file on both sides)
cat >"$work/sources.toml" <<TOML
[sources.example]
name = "example"
oci = "$upstream/models/example"
refs = ["v1", "develop"]
TOML
export MODELREG_CONFIG="$work/sources.toml"

"${modelreg[@]}" push "$repo_root/examples/models" "$upstream/models/example:v1" --name example --ref v1
"${modelreg[@]}" push "$repo_root/examples/models" "$upstream/models/example:develop" --name example --ref develop
rm -f "$work/site.tar"
"${modelreg[@]}" export --source example --output "$work/site.tar"
"${modelreg[@]}" tags "oci-archive:$work/site.tar"
