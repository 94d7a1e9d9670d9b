#!/usr/bin/env bash
# Peer "raw limit": fetch the manifest, then every blob it names (config + layers) with curl in parallel, to
# /dev/null (the network/registry limit) or, given OUTDIR, each to its own file OUTDIR/sha256:HEX (`curl -o`: the
# network limit plus one write of every byte). No verification either way.
# usage: curl-blobs.sh HOST:PORT REPO TAG [PARALLEL] [OUTDIR]
set -euo pipefail
host=$1 repo=$2 tag=$3 par=${4:-8} out=${5:-}
manifest=$(curl -sSf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  "http://$host/v2/$repo/manifests/$tag")
digests=$(grep -o '"digest" *: *"sha256:[0-9a-f]*"' <<<"$manifest" | grep -o 'sha256:[0-9a-f]*' | sort -u)
if [[ -z $out ]]; then
  sed "s#^#http://$host/v2/$repo/blobs/#" <<<"$digests" | xargs -P "$par" -n 1 curl -sSf -o /dev/null
else
  mkdir -p "$out"
  xargs -P "$par" -I{} curl -sSf -o "$out/{}" "http://$host/v2/$repo/blobs/{}" <<<"$digests"
fi
