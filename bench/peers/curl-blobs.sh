#!/usr/bin/env bash
# Peer "raw limit": fetch the manifest, then every blob it names (config + layers) with curl in parallel to
# /dev/null. No verification, no writes: the fastest a client could possibly be on this machine.
# usage: curl-blobs.sh HOST:PORT REPO TAG [PARALLEL]
set -euo pipefail
host=$1 repo=$2 tag=$3 par=${4:-8}
manifest=$(curl -sSf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  "http://$host/v2/$repo/manifests/$tag")
grep -o '"digest" *: *"sha256:[0-9a-f]*"' <<<"$manifest" | grep -o 'sha256:[0-9a-f]*' | sort -u \
  | sed "s#^#http://$host/v2/$repo/blobs/#" \
  | xargs -P "$par" -n 1 curl -sSf -o /dev/null
