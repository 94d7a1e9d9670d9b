"""GitHub-shaped HTTP server for the benchmark: python3 ghserver.py ROOT PORTFILE LOGFILE [LATENCYFILE]

Serves, on 127.0.0.1 and an ephemeral port written to PORTFILE:
  /{owner}/{repo}/releases/download/{tag}/{asset}  from ROOT/releases/{owner}/{repo}/{tag}/{asset}
  /{owner}/{repo}/{ref}/{path...}                   from ROOT/raw/{owner}/{repo}/{ref}/{path...}
HTTP/1.1 with keep-alive, threaded. Every request is appended to LOGFILE as "METHOD PATH STATUS BYTES".
If LATENCYFILE exists it holds a number of milliseconds: every response is delayed by that much (read per
request), to emulate the round trip to a real GitHub server; absent or 0 = loopback speed.
"""
import os
import shutil
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.realpath(sys.argv[1])
LOG = open(sys.argv[3], "a", buffering=1)
LOCK = threading.Lock()
LATENCY_FILE = sys.argv[4] if len(sys.argv) > 4 else None


def latency():
    if not LATENCY_FILE:
        return 0.0
    try:
        with open(LATENCY_FILE) as f:
            return float(f.read().strip() or 0) / 1000.0
    except (OSError, ValueError):
        return 0.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bench-github/1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle + the client's delayed ACK stall
    # every response on a reused keep-alive connection by ~40 ms (real servers set TCP_NODELAY too).
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def _resolve(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") for p in parts) or len(parts) < 4:
            return None
        if parts[2:4] == ["releases", "download"]:
            if len(parts) != 6:
                return None
            local = os.path.join(ROOT, "releases", parts[0], parts[1], parts[4], parts[5])
        else:
            local = os.path.join(ROOT, "raw", *parts)
        return local if os.path.isfile(local) else None

    def _serve(self, body):
        delay = latency()
        if delay > 0:
            time.sleep(delay)
        local = self._resolve()
        if local is None:
            msg = b"404: Not Found"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            if body:
                self.wfile.write(msg)
            self._log(404, len(msg) if body else 0)
            return
        size = os.path.getsize(local)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if body:
            with open(local, "rb") as f:
                shutil.copyfileobj(f, self.wfile, 1 << 20)
        self._log(200, size if body else 0)

    def _log(self, status, n):
        with LOCK:
            LOG.write(f"{self.command} {self.path.replace(' ', '%20')} {status} {n}\n")

    def do_GET(self):
        self._serve(True)

    def do_HEAD(self):
        self._serve(False)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.replace(tmp, sys.argv[2])
    srv.serve_forever()


if __name__ == "__main__":
    main()
