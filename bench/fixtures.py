"""Servers the benchmark starts for itself: a docker-registry (CNCF distribution) and a GitHub-shaped HTTP server.

Both listen on 127.0.0.1 only, keep their data in the benchmark's temp dir and are stopped by close().
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

REGISTRY_BIN = "/usr/bin/docker-registry"

# Combined log format written by distribution's access log (gorilla handlers):
# 127.0.0.1 - - [26/Nov/2026:11:13:34 +0000] "GET /v2/x/blobs/sha256:.. HTTP/1.1" 200 1234 "" "curl/7.88.1"
ACCESS_RE = re.compile(r'^\S+ \S+ \S+ \[[^\]]*\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+|-)')


class Request:
    __slots__ = ("method", "path", "status", "size")

    def __init__(self, method, path, status, size):
        self.method, self.path, self.status, self.size = method, path, status, size

    @property
    def is_blob_get(self):
        return self.method == "GET" and "/blobs/sha256:" in self.path

    def __repr__(self):
        return f"{self.method} {self.path} {self.status} {self.size}"


class Traffic:
    """Requests seen by a server between mark() and a later requests() call."""

    def __init__(self, reqs):
        self.reqs = reqs

    @property
    def count(self):
        return len(self.reqs)

    @property
    def blob_get_bytes(self):
        return sum(r.size for r in self.reqs if r.is_blob_get and r.status < 300)

    @property
    def blob_gets(self):
        return sum(1 for r in self.reqs if r.is_blob_get)

    @property
    def total_bytes(self):
        return sum(r.size for r in self.reqs if r.method == "GET")

    def summary(self):
        by = {}
        for r in self.reqs:
            kind = "blob" if "/blobs/" in r.path else "manifest" if "/manifests/" in r.path else "other"
            key = f"{r.method} {kind} {r.status}"
            by[key] = by.get(key, 0) + 1
        return by


class Registry:
    """A docker-registry serve process with a config written here (never /etc/docker/registry/config.yml)."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.proc = None
        self.port = None
        self.generation = 0
        self._offset = 0

    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    def start(self):
        if not os.access(REGISTRY_BIN, os.X_OK):
            raise SystemExit("bench: %s missing: apt-get install -y docker-registry" % REGISTRY_BIN)
        self.generation += 1
        d = os.path.join(self.workdir, f"registry-{self.generation}")
        os.makedirs(d)
        self.storage = os.path.join(d, "storage")
        self.config = os.path.join(d, "config.yml")
        self.access_log = os.path.join(d, "access.log")
        self.app_log = os.path.join(d, "registry.log")
        with open(self.config, "w") as f:
            f.write(
                "version: 0.1\n"
                "log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n"
                f"storage:\n  filesystem:\n    rootdirectory: {self.storage}\n  delete:\n    enabled: true\n"
                "  maintenance:\n    uploadpurging:\n      enabled: false\n"
                "http:\n  addr: 127.0.0.1:0\n"
            )
        out = open(self.access_log, "wb")
        err = open(self.app_log, "wb")
        self.proc = subprocess.Popen([REGISTRY_BIN, "serve", self.config], stdout=out, stderr=err,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        err.close()
        deadline = time.time() + 15
        while time.time() < deadline:
            with open(self.app_log, "rb") as f:
                m = re.search(rb"listening on 127\.0\.0\.1:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if self.port is None:
            with open(self.app_log, "rb") as f:
                tail = f.read()[-2000:].decode(errors="replace")
            self.close()
            raise SystemExit("bench: docker-registry did not start:\n" + tail)
        _wait_http(f"http://{self.host}/v2/")
        self._offset = 0
        return self

    def reset(self):
        """Fresh, empty storage (so a push really uploads, not mounts or skips)."""
        old = self.storage if self.proc else None
        self.close()
        if old:
            shutil.rmtree(os.path.dirname(old), ignore_errors=True)
        return self.start()

    def mark(self):
        """Remember the current end of the access log; requests() returns what came after."""
        time.sleep(0.15)
        self._offset = os.path.getsize(self.access_log)

    def requests(self):
        # The access log line is written after the response is sent: give the server a moment.
        last = -1
        for _ in range(20):
            size = os.path.getsize(self.access_log)
            if size == last:
                break
            last = size
            time.sleep(0.1)
        with open(self.access_log, "rb") as f:
            f.seek(self._offset)
            data = f.read()
        reqs = []
        for line in data.decode(errors="replace").splitlines():
            m = ACCESS_RE.match(line)
            if m:
                size = 0 if m.group(4) == "-" else int(m.group(4))
                reqs.append(Request(m.group(1), m.group(2), int(m.group(3)), size))
        return Traffic(reqs)

    def storage_bytes(self):
        total = 0
        for root, _, files in os.walk(self.storage):
            for n in files:
                total += os.path.getsize(os.path.join(root, n))
        return total

    def close(self):
        _stop(self.proc)
        self.proc = None


class GitHubServer:
    """bench/ghserver.py in its own process: raw /{owner}/{repo}/{ref}/{path}, release downloads, request log."""

    def __init__(self, workdir, root):
        self.workdir = workdir
        self.root = root
        self.proc = None
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def env(self):
        return {"MODELREG_GITHUB_URL": self.url, "MODELREG_GITHUB_RAW_URL": self.url,
                "MODELREG_GITHUB_API_URL": self.url}

    def start(self):
        self.log = os.path.join(self.workdir, "ghserver.log")
        portfile = os.path.join(self.workdir, "ghserver.port")
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ghserver.py")
        err = open(os.path.join(self.workdir, "ghserver.err"), "wb")
        self.latency_file = os.path.join(self.workdir, "ghserver.latency")
        self.set_latency(0)
        self.proc = subprocess.Popen([sys.executable, script, self.root, portfile, self.log, self.latency_file],
                                     stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        err.close()
        deadline = time.time() + 15
        while time.time() < deadline and self.port is None:
            if os.path.exists(portfile) and os.path.getsize(portfile) > 0:
                self.port = int(open(portfile).read().strip())
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if self.port is None:
            self.close()
            raise SystemExit("bench: GitHub-shaped server did not start (see %s)" % err.name)
        self._offset = 0
        return self

    def set_latency(self, ms):
        """Delay every response by ms milliseconds from now on (emulated network round trip)."""
        with open(self.latency_file + ".tmp", "w") as f:
            f.write(str(ms))
        os.replace(self.latency_file + ".tmp", self.latency_file)

    def mark(self):
        time.sleep(0.1)
        self._offset = os.path.getsize(self.log) if os.path.exists(self.log) else 0

    def requests(self):
        time.sleep(0.1)
        if not os.path.exists(self.log):
            return Traffic([])
        with open(self.log, "rb") as f:
            f.seek(self._offset)
            lines = f.read().decode(errors="replace").splitlines()
        reqs = []
        for line in lines:
            parts = line.split(" ")
            if len(parts) == 4:
                reqs.append(Request(parts[0], parts[1], int(parts[2]), int(parts[3])))
        return Traffic(reqs)

    def close(self):
        _stop(self.proc)
        self.proc = None


def _wait_http(url, timeout=15):
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                r.read()
                return
        except Exception:
            if time.time() > deadline:
                raise SystemExit("bench: %s did not answer" % url)
            time.sleep(0.05)


def _stop(proc):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=5)
