"""Peer for case 6: the reference tool's way (modflow-devtools `mf models`): pooch, one file at a time.

/usr/bin/python3 pooch_copy.py REGISTRY_URL MODEL_NAME CACHE_DIR WORKSPACE

Fetches the registry file (models.toml) from REGISTRY_URL, then every file of MODEL_NAME sequentially with
pooch (sha256 checked by pooch) into CACHE_DIR, then copies them into WORKSPACE (paths relative to the
model directory, as `mf models copy` does).
"""
import os
import shutil
import sys
import tomllib

import pooch


def main():
    registry_url, model, cache, ws = sys.argv[1:5]
    os.makedirs(cache, exist_ok=True)
    reg_path = pooch.retrieve(registry_url, known_hash=None, fname="models.toml", path=cache, progressbar=False)
    with open(reg_path, "rb") as f:
        reg = tomllib.load(f)
    keys = reg["models"][model]
    files = reg["files"]
    p = pooch.create(path=os.path.join(cache, "files"), base_url="",
                     registry={k: "sha256:" + files[k]["hash"] for k in keys},
                     urls={k: files[k]["url"] for k in keys})
    prefix = os.path.commonpath(keys) + "/" if len(keys) > 1 else ""
    for k in keys:  # sequential, as the reference tool does
        local = p.fetch(k, progressbar=False)
        dest = os.path.join(ws, k[len(prefix):] if prefix and k.startswith(prefix) else k)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(local, dest)


if __name__ == "__main__":
    import logging
    logging.getLogger("pooch").setLevel(logging.WARNING)
    main()
