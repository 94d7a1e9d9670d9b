#!/usr/bin/env python3
"""modelreg benchmark driver (start it with bench/run, which installs tools and builds the peers).

Environment:
  BENCH_TMP        work dir (bench/run makes one and deletes it on exit)
  BENCH_SCALE      full (default) | small
  BENCH_RUNS       runs per measurement (default 3); BENCH_RUNS_BIG for cases 1 and 5 (default BENCH_RUNS)
  BENCH_CASES      e.g. "1 3 7" (default: all)
  BENCH_RESULTS    results file (default bench/results.json)
  BENCH_ORAS_CP    classpath of the oras-java peer (set by bench/run)
  BENCH_TIMEOUT    seconds before one command is killed and its row says FAIL (default 600)
"""
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import datagen  # noqa: E402
from fixtures import GitHubServer, Registry  # noqa: E402
import report  # noqa: E402

REPO = os.path.dirname(HERE)
MODELREG = os.environ.get("BENCH_MODELREG", os.path.join(REPO, "modelreg"))
DEBIAN_PY = "/usr/bin/python3"
MiB = 1 << 20

SCALES = {
    "full": dict(large_count=16, large_size=64 * MiB, small_files=5000, small_models=240, nested=4,
                 huge_size=2048 * MiB, gh_files=200, throttled_size=1024 * MiB),
    "small": dict(large_count=2, large_size=8 * MiB, small_files=200, small_models=10, nested=1,
                  huge_size=64 * MiB, gh_files=200, throttled_size=128 * MiB),
}

_children = set()  # process groups of running commands, killed on SIGTERM/SIGINT


# ---------------------------------------------------------------------------------------------- running
class Result:
    def __init__(self, argv, rc, secs, out, err, rss_kb, timed_out=None, cpu_s=None):
        self.argv, self.rc, self.secs, self.out, self.err = argv, rc, secs, out, err
        self.rss_kb, self.timed_out = rss_kb, timed_out
        self.cpu_s = cpu_s  # user + system CPU seconds of the process (and its waited-for children)

    @property
    def ok(self):
        return self.rc == 0 and not self.timed_out

    @property
    def error(self):
        if self.timed_out:
            return self.timed_out
        text = self.err.decode(errors="replace") + "\n" + self.out.decode(errors="replace")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if any(line.startswith("Traceback") for line in lines):  # a python peer: the exception is last
            lines = [line for line in self.err.decode(errors="replace").splitlines() if line.strip()][-1:]
        pick = next((line for line in lines if line.startswith("modelreg:") and "error" in line.lower()),
                    next((line for line in lines if "error" in line.lower()), lines[0] if lines else ""))
        return f"exit {self.rc}: {pick[:240]}" if pick else f"exit {self.rc} (no output)"

    def json(self):
        try:
            return json.loads(self.out.decode())
        except Exception:
            return None


TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "600"))


def run(argv, env=None, timeout=None, cwd=None, rss=True, tmp=None, watch=None, stall=60):
    """Run argv (wall time around the process; peak RSS from /usr/bin/time -v).

    watch: directories whose total size must keep growing; no growth for `stall` seconds kills the command
    (a hung transfer then fails in about a minute instead of at the timeout).
    """
    timeout = timeout or TIMEOUT
    timefile = None
    full = list(argv)
    if rss:
        timefile = os.path.join(tmp or os.environ.get("BENCH_TMP", "/tmp"), f"time.{os.getpid()}.out")
        full = ["/usr/bin/time", "-v", "-o", timefile] + full
    t0 = time.perf_counter()
    p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         env=env, cwd=cwd, start_new_session=True)
    _children.add(p.pid)
    timed_out = None
    last_size, last_change = -1, time.perf_counter()
    try:
        while True:
            try:
                out, err = p.communicate(timeout=2 if watch else timeout)
                break
            except subprocess.TimeoutExpired:
                now = time.perf_counter()
                if watch:
                    size = sum(datagen.du(w) for w in watch)
                    if size != last_size:
                        last_size, last_change = size, now
                    elif now - last_change > stall:
                        timed_out = (f"stalled: nothing written for {stall} s after {size / MiB:.0f} MiB "
                                     f"(process alive, killed after {now - t0:.0f} s)")
                if now - t0 > timeout:
                    timed_out = f"timed out after {now - t0:.0f} s"
                if timed_out:
                    _killpg(p.pid)
                    out, err = p.communicate()
                    break
    finally:
        _children.discard(p.pid)
    secs = time.perf_counter() - t0
    rss_kb, cpu_s = None, None
    if timefile and os.path.exists(timefile):
        with open(timefile) as f:
            for line in f:
                if "Maximum resident set size" in line:
                    rss_kb = int(line.rsplit(":", 1)[1])
                elif "User time (seconds)" in line or "System time (seconds)" in line:
                    cpu_s = (cpu_s or 0) + float(line.rsplit(":", 1)[1])
        os.remove(timefile)
    return Result(argv, p.returncode, secs, out, err, rss_kb, timed_out, cpu_s)


def _killpg(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------------------------------------- results
class Row:
    """One measured quantity of one tool in one case: values of every run, or the failure."""

    def __init__(self, case, what, tool, unit="s"):
        self.case, self.what, self.tool, self.unit = case, what, tool, unit
        self.values, self.rss_kb, self.cpu_s, self.notes, self.extra = [], [], [], [], {}
        self.error = None
        self.skipped = None

    def add(self, v, rss_kb=None, cpu_s=None):
        self.values.append(v)
        if rss_kb is not None:
            self.rss_kb.append(rss_kb)
        if cpu_s is not None:
            self.cpu_s.append(cpu_s)

    def fail(self, msg):
        if self.error is None:
            self.error = msg

    def skip(self, msg):
        self.skipped = msg

    @property
    def ok(self):
        return self.error is None and self.skipped is None and bool(self.values)

    @property
    def median(self):
        return statistics.median(self.values) if self.values else None

    def to_json(self):
        d = {"case": self.case, "what": self.what, "tool": self.tool, "unit": self.unit, "values": self.values,
             "median": self.median, "min": min(self.values) if self.values else None,
             "max": max(self.values) if self.values else None,
             "status": "ok" if self.ok else "FAIL" if self.error else "skipped",
             "peak_rss_kb": self.rss_kb or None, "cpu_s": self.cpu_s or None}
        if self.error:
            d["error"] = self.error
        if self.skipped:
            d["skipped"] = self.skipped
        if self.notes:
            d["notes"] = self.notes
        if self.extra:
            d["extra"] = self.extra
        return d


class Target:
    def __init__(self, case, what, measured, required, status, detail=""):
        self.case, self.what, self.measured, self.required = case, what, measured, required
        self.status, self.detail = status, detail

    def to_json(self):
        return dict(case=self.case, target=self.what, measured=self.measured, required=self.required,
                    status=self.status, detail=self.detail)


# ---------------------------------------------------------------------------------------------- context
class Ctx:
    def __init__(self):
        self.tmp = os.environ.get("BENCH_TMP") or sys.exit("bench: BENCH_TMP not set (start bench/run)")
        self.scale_name = os.environ.get("BENCH_SCALE", "full")
        if self.scale_name not in SCALES:
            sys.exit("bench: BENCH_SCALE must be small or full")
        self.scale = dict(SCALES[self.scale_name])
        if os.environ.get("BENCH_HUGE_MIB"):
            self.scale["huge_size"] = int(os.environ["BENCH_HUGE_MIB"]) * MiB
        self.runs = int(os.environ.get("BENCH_RUNS", "3"))
        self.runs_big = int(os.environ.get("BENCH_RUNS_BIG", str(self.runs)))
        self.cases = [int(c) for c in os.environ.get("BENCH_CASES", "1 2 3 4 5 6 7 8").replace(",", " ").split()]
        self.oras_cp = os.environ.get("BENCH_ORAS_CP", "")
        self.rows, self.targets = [], []
        self.reg = Registry(os.path.join(self.tmp, "servers"))
        self.gh = None
        self.pushed = {}  # (registry generation, repo, tag) -> push json
        self._n = 0
        self._data = {}
        os.makedirs(os.path.join(self.tmp, "servers"), exist_ok=True)
        os.makedirs(os.path.join(self.tmp, "xdg-config"), exist_ok=True)

    # scratch dirs
    def scratch(self, label):
        self._n += 1
        os.makedirs(os.path.join(self.tmp, "scratch"), exist_ok=True)
        return os.path.join(self.tmp, "scratch", f"{self._n:04d}-{label}")

    def row(self, case, what, tool, unit="s"):
        r = Row(case, what, tool, unit)
        self.rows.append(r)
        return r

    def target(self, *a, **kw):
        t = Target(*a, **kw)
        self.targets.append(t)
        return t

    def write_pids(self):
        with open(os.path.join(self.tmp, "pids"), "w") as f:
            for p in (self.reg.proc, self.gh.proc if self.gh else None):
                if p is not None:
                    f.write(f"{p.pid}\n")

    def reset_registry(self):
        self.reg.reset()
        self.write_pids()

    # modelreg
    def env(self, cache, config=None, java_opts=None, extra=None):
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("MODELREG_") and k != "MODELREG_JAVA_OPTS":
                del env[k]
        env.pop("MODELREG_JAVA_OPTS", None)
        if java_opts:
            env["MODELREG_JAVA_OPTS"] = java_opts
        env["MODELREG_CACHE"] = cache
        env["XDG_CACHE_HOME"] = cache + "-xdg"
        env["XDG_CONFIG_HOME"] = os.path.join(self.tmp, "xdg-config")
        if config:
            env["MODELREG_CONFIG"] = config
        if extra:
            env.update(extra)
        return env

    def modelreg(self, args, cache, config=None, java_opts=None, extra_env=None, timeout=None, watch=None):
        return run([MODELREG] + args, env=self.env(cache, config, java_opts, extra_env), timeout=timeout,
                   tmp=self.tmp, watch=watch)

    def config(self, name, sources):
        """Write a bootstrap file: sources = {key: {field: value}}."""
        path = os.path.join(self.tmp, f"bootstrap-{name}.toml")
        with open(path, "w") as f:
            for key, fields in sources.items():
                f.write(f"[sources.{key}]\n")
                for k, v in fields.items():
                    if isinstance(v, list):
                        f.write(f"{k} = [" + ", ".join(json.dumps(x) for x in v) + "]\n")
                    else:
                        f.write(f"{k} = {json.dumps(v)}\n")
                f.write("\n")
        return path

    def ensure_pushed(self, tree, prefix, repo, tag):
        """Push tree as repo:tag unless this registry instance already has it. Returns (json, error)."""
        key = (self.reg.generation, repo, tag)
        if key in self.pushed:
            return self.pushed[key], None
        r = self.modelreg(["push", tree.root, f"{self.reg.host}/{repo}:{tag}", "--name", prefix, "--json"],
                          cache=self.scratch("push-cache"))
        if not r.ok:
            return None, "modelreg push failed: " + r.error
        self.pushed[key] = r.json() or {}
        return self.pushed[key], None

    def manifest(self, repo, tag):
        req = urllib.request.Request(f"http://{self.reg.host}/v2/{repo}/manifests/{tag}",
                                     headers={"Accept": "application/vnd.oci.image.manifest.v1+json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def blob_bytes(self, repo, tag):
        m = self.manifest(repo, tag)
        return m["config"]["size"] + sum(layer["size"] for layer in m.get("layers", [])), len(m.get("layers", []))

    # data (generated once per run of the benchmark)
    def data(self, name, make):
        if name not in self._data:
            root = os.path.join(self.tmp, "data", name)
            t0 = time.time()
            self._data[name] = make(root)
            log(f"  generated {name}: {len(self._data[name].files)} files, "
                f"{self._data[name].total_bytes / MiB:.1f} MiB in {time.time() - t0:.1f} s")
        return self._data[name]

    def drop_data(self, name):
        t = self._data.pop(name, None)
        if t:
            shutil.rmtree(t.root, ignore_errors=True)

    def small_tree(self):
        s = self.scale
        return self.data("small", lambda root: datagen.small_tree(root, s["small_files"], s["small_models"],
                                                                   nested=s["nested"]))

    def github(self):
        if self.gh is None:
            root = os.path.join(self.tmp, "github")
            os.makedirs(root, exist_ok=True)
            self.gh = GitHubServer(os.path.join(self.tmp, "servers"), root).start()
            self.write_pids()
        return self.gh

    def close(self):
        for pid in list(_children):
            _killpg(pid)
        self.reg.close()
        if self.gh:
            self.gh.close()


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def rmtree(*paths):
    for p in paths:
        shutil.rmtree(p, ignore_errors=True)
        shutil.rmtree(p + "-xdg", ignore_errors=True)


def find_key(obj, names):
    """First value of any of `names` anywhere in a JSON document (modelreg --json output)."""
    if isinstance(obj, dict):
        for n in names:
            if n in obj:
                return obj[n]
        for v in obj.values():
            found = find_key(v, names)
            if found is not None:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = find_key(v, names)
            if found is not None:
                return found
    return None


UPLOADED_KEYS = ("bytesUploaded", "bytes_uploaded", "uploadedBytes")


# ---------------------------------------------------------------------------------------------- shared steps
def time_pushes(ctx, case, row, tree, prefix, repo, tag, runs):
    """Push `runs` times, each into an empty registry (nothing to skip or mount). Leaves the last push."""
    for _ in range(runs):
        ctx.reset_registry()
        ref = f"{ctx.reg.host}/{repo}:{tag}"  # a new registry has a new port
        cache = ctx.scratch("push-cache")
        r = ctx.modelreg(["push", tree.root, ref, "--name", prefix, "--json"], cache=cache)
        rmtree(cache)
        if not r.ok:
            row.fail(r.error)
            return False
        row.add(r.secs, r.rss_kb, r.cpu_s)
        up = find_key(r.json(), UPLOADED_KEYS)
        row.extra.setdefault("bytes_uploaded", []).append(up)
        ctx.pushed[(ctx.reg.generation, repo, tag)] = r.json() or {}
    return True


def time_full_pulls(ctx, case, tree, repo, tag, runs, payload):
    """modelreg pull + the peers (skopeo, oras-java pullArtifact, parallel curl) of one artifact."""
    host = ctx.reg.host
    ref = f"{host}/{repo}:{tag}"
    rows = {}

    for key, what, flags in (("modelreg", "pull (empty cache + dir)", []),
                             ("single", "pull --no-cache (single write; empty dir)", ["--no-cache"])):
        r = rows[key] = ctx.row(case, what, "modelreg")
        for i in range(runs):
            cache, dest = ctx.scratch("pull-cache"), ctx.scratch("pull-dest")
            ctx.reg.mark()
            res = ctx.modelreg(["pull", ref, dest] + flags, cache=cache, watch=[cache, dest, os.path.dirname(dest)])
            if not res.ok:
                r.fail(res.error)
                rmtree(cache, dest)
                break
            traffic = ctx.reg.requests()
            r.extra.setdefault("requests", []).append(traffic.count)
            r.extra.setdefault("blob_bytes_downloaded", []).append(traffic.blob_get_bytes)
            if i == 0:
                bad = datagen.verify_dir(tree, sorted(tree.files), dest)
                if bad:
                    r.fail("pulled tree differs from the pushed one: " + bad)
                    rmtree(cache, dest)
                    break
                r.extra["disk_cache"], r.extra["disk_dir"] = datagen.du(cache), datagen.du(dest)
            r.add(res.secs, res.rss_kb, res.cpu_s)
            rmtree(cache, dest)

    r = rows["skopeo"] = ctx.row(case, "pull: skopeo copy docker:// oci:", "skopeo")
    for _ in range(runs):
        dest = ctx.scratch("skopeo")
        res = run(["skopeo", "copy", "-q", "--src-tls-verify=false", f"docker://{ref}", f"oci:{dest}:{tag}"],
                  tmp=ctx.tmp)
        if not res.ok:
            r.fail(res.error)
            rmtree(dest)
            break
        r.extra["bytes_written"] = datagen.du(dest)
        r.add(res.secs, res.rss_kb, res.cpu_s)
        rmtree(dest)

    r = rows["oras"] = ctx.row(case, "pull: oras-java Registry.pullArtifact", "oras-java")
    if not ctx.oras_cp:
        r.fail("oras-java peer not built (BENCH_ORAS_CP unset; start bench/run)")
    for _ in range(runs if ctx.oras_cp else 0):
        dest = ctx.scratch("oras")
        res = run(["java", "-cp", ctx.oras_cp, "OrasPull", ref, dest], tmp=ctx.tmp)
        if not res.ok:
            r.fail(res.error)
            rmtree(dest)
            break
        r.extra["bytes_written"] = datagen.du(dest)
        r.add(res.secs, res.rss_kb, res.cpu_s)
        rmtree(dest)

    r = rows["curl"] = ctx.row(case, "raw: parallel curl of every blob to /dev/null (-P 8)", "curl")
    for _ in range(runs):
        res = run([os.path.join(HERE, "peers", "curl-blobs.sh"), host, repo, tag, "8"], tmp=ctx.tmp)
        if not res.ok:
            r.fail(res.error)
            break
        r.add(res.secs, res.rss_kb, res.cpu_s)

    r = rows["curl-o"] = ctx.row(case, "floor: parallel curl -o of every blob to files (-P 8)", "curl")
    for _ in range(runs):
        dest = ctx.scratch("curl-o")
        res = run([os.path.join(HERE, "peers", "curl-blobs.sh"), host, repo, tag, "8", dest], tmp=ctx.tmp)
        if not res.ok:
            r.fail(res.error)
            rmtree(dest)
            break
        r.add(res.secs, res.rss_kb, res.cpu_s)
        rmtree(dest)

    for row in rows.values():
        if row.ok:
            row.notes.append(f"{payload / MiB / row.median:.0f} MiB/s")
    for m in (rows["modelreg"], rows["single"]):
        if m.ok:
            m.notes.append(f"{statistics.median(m.extra['requests']):.0f} requests, "
                           f"{statistics.median(m.extra['blob_bytes_downloaded']) / MiB:.1f} MiB of blobs; du cache "
                           f"{m.extra['disk_cache'] / MiB:.1f} MiB + dir {m.extra['disk_dir'] / MiB:.1f} MiB")
    return rows


def speedup_target(ctx, case, what, rows, peer, factor):
    """Target: modelreg at least `factor` x faster than `peer` (median vs median)."""
    m, p = rows["modelreg"], rows[peer]
    req = f">= {factor:g}x"
    if not m.ok:
        return ctx.target(case, what, "FAIL", req, "FAIL", m.error or m.skipped)
    if not p.ok:
        return ctx.target(case, what, "n/a", req, "FAIL", f"peer {peer}: {p.error or p.skipped}")
    ratio = p.median / m.median
    return ctx.target(case, what, f"{ratio:.2f}x", req, "PASS" if ratio >= factor else "MISS",
                      f"{peer} {p.median:.3f} s / modelreg {m.median:.3f} s")


def floor_target(ctx, case, tree, pull):
    """Case 2's floor: `tar -xf` of the same files from a local tar, plus the JVM start (`modelreg --version`)."""
    tar = os.path.join(ctx.tmp, "small-tree.tar")
    run(["tar", "-cf", tar, "-C", tree.root] + sorted(tree.files), rss=False, tmp=ctx.tmp)
    tx = ctx.row(case, f"floor: tar -xf of the same {len(tree.files)} files from a local tar", "tar")
    for _ in range(ctx.runs):
        dest = ctx.scratch("tar-x")
        os.makedirs(dest)
        res = run(["tar", "-xf", tar, "-C", dest], tmp=ctx.tmp)
        if not res.ok:
            tx.fail(res.error)
            break
        tx.add(res.secs, res.rss_kb, res.cpu_s)
        rmtree(dest)
    jvm = ctx.row(case, "floor: modelreg --version (JVM start)", "modelreg")
    for _ in range(ctx.runs):
        res = ctx.modelreg(["--version"], cache=ctx.scratch("version-cache"))
        if not res.ok:
            jvm.fail(res.error)
            break
        jvm.add(res.secs, res.rss_kb, res.cpu_s)
    os.remove(tar)
    what = "full pull <= 1.5x (tar -xf + JVM start)"
    if pull.ok and tx.ok and jvm.ok:
        floor = tx.median + jvm.median
        ratio = pull.median / floor
        ctx.target(case, what, f"{ratio:.2f}x", "<= 1.5x", "PASS" if ratio <= 1.5 else "MISS",
                   f"pull {pull.median:.3f} s / (tar -xf {tx.median:.3f} s + --version {jvm.median:.3f} s)")
    else:
        ctx.target(case, what, "FAIL", "<= 1.5x", "FAIL", pull.error or tx.error or jvm.error)


def skip_rows(ctx, case, names, why):
    for what, tool in names:
        ctx.row(case, what, tool).skip(why)


# ---------------------------------------------------------------------------------------------- cases
def case1(ctx):
    s = ctx.scale
    n, size = s["large_count"], s["large_size"]
    tree = ctx.data("large", lambda root: datagen.large_tree(root, n, size))
    label = f"{n} x {size // MiB} MiB"
    push = ctx.row(1, f"push {label} (empty registry)", "modelreg")
    ok = time_pushes(ctx, 1, push, tree, "bench/large", "bench/large", "r1", ctx.runs_big)
    if not ok:
        skip_rows(ctx, 1, [("pull", "modelreg"), ("pull", "skopeo"), ("pull", "oras-java"), ("raw", "curl")],
                  "no artifact: modelreg push failed")
        ctx.target(1, "pull --no-cache >= 2x faster than skopeo", "FAIL", ">= 2x", "FAIL", push.error)
        ctx.target(1, "pull --no-cache >= 60% of parallel curl -o rate", "FAIL", ">= 60%", "FAIL", push.error)
        return
    payload, layers = ctx.blob_bytes("bench/large", "r1")
    push.notes.append(f"{payload / MiB / push.median:.0f} MiB/s, {layers} layers")
    rows = time_full_pulls(ctx, 1, tree, "bench/large", "r1", ctx.runs_big, payload)
    speedup_target(ctx, 1, "pull (default) >= 2x faster than skopeo", rows, "skopeo", 2)
    speedup_target(ctx, 1, "pull --no-cache >= 2x faster than skopeo", dict(rows, modelreg=rows["single"]), "skopeo", 2)
    m, c = rows["single"], rows["curl-o"]
    if m.ok and c.ok:
        frac = c.median / m.median
        ctx.target(1, "pull --no-cache >= 60% of parallel curl -o rate", f"{frac * 100:.0f}%", ">= 60%",
                   "PASS" if frac >= 0.6 else "MISS", f"curl -o {c.median:.3f} s / modelreg {m.median:.3f} s")
    else:
        ctx.target(1, "pull --no-cache >= 60% of parallel curl -o rate", "FAIL", ">= 60%", "FAIL", m.error or c.error)
    ctx.drop_data("large")
    ctx.reset_registry()


def pick_model(tree):
    """A typical model: not holding nested models, median file count."""
    dirs = tree.model_dirs()
    plain = [d for d in dirs if not any(o != d and o.startswith(d + "/") for o in dirs)]
    plain.sort(key=lambda d: (len(tree.model_files(d)), d))
    return plain[len(plain) // 2]


def case2(ctx):
    tree = ctx.small_tree()
    models = len(tree.model_dirs())
    label = f"{len(tree.files)} files / {models} models, {tree.total_bytes / MiB:.0f} MiB"
    push = ctx.row(2, f"push {label} (empty registry)", "modelreg")
    if not time_pushes(ctx, 2, push, tree, "bench/test", "bench/test", "r1", ctx.runs):
        skip_rows(ctx, 2, [("pull", "modelreg"), ("copy one model", "modelreg")], "no artifact: push failed")
        for t in ("full pull <= 1.5x (tar -xf + JVM start)", "one-model copy moves <= 2x model bytes",
                  "one-model copy < 1 s (registry file cached)"):
            ctx.target(2, t, "FAIL", "", "FAIL", push.error)
        return
    payload, layers = ctx.blob_bytes("bench/test", "r1")
    manifest_json = ctx.manifest("bench/test", "r1")
    push.notes.append(f"{layers} layers, manifest {len(json.dumps(manifest_json)) // 1024} KiB")
    push.extra["layers"] = layers
    rows = time_full_pulls(ctx, 2, tree, "bench/test", "r1", ctx.runs, payload)
    floor_target(ctx, 2, tree, rows["modelreg"])

    # one-model copy after the registry file is cached (sync first into a template cache)
    model = pick_model(tree)
    mname = f"bench/test/{model}"
    mbytes = tree.model_bytes(model)
    mfiles = tree.model_files(model)
    cfg = ctx.config("case2", {"bench-test": {"name": "bench/test", "oci": f"{ctx.reg.host}/bench/test",
                                              "refs": ["r1"]}})
    row = ctx.row(2, f"copy one model ({len(mfiles)} files, {mbytes / 1024:.0f} KiB), registry file cached",
                  "modelreg")
    bytes_row = ctx.row(2, "copy one model: blob bytes downloaded", "modelreg", unit="B")
    template = ctx.scratch("copy-template")
    res = ctx.modelreg(["sync", "--source", "bench-test", "--ref", "r1"], cache=template, config=cfg)
    if not res.ok:
        row.fail("modelreg sync failed: " + res.error)
        bytes_row.fail("modelreg sync failed: " + res.error)
    else:
        row.notes.append(f"sync beforehand: {res.secs:.2f} s, cache {datagen.du(template) // 1024} KiB")
        for i in range(ctx.runs):
            cache, ws = ctx.scratch("copy-cache"), ctx.scratch("copy-ws")
            shutil.copytree(template, cache, symlinks=True)
            if os.path.isdir(template + "-xdg"):
                shutil.copytree(template + "-xdg", cache + "-xdg", symlinks=True)
            ctx.reg.mark()
            r = ctx.modelreg(["copy", mname, ws], cache=cache, config=cfg)
            if not r.ok:
                row.fail(r.error)
                bytes_row.fail(r.error)
                rmtree(cache, ws)
                break
            t = ctx.reg.requests()
            if i == 0:
                bad = datagen.verify_dir(tree, mfiles, ws, strip=model + "/")
                if bad:
                    row.fail("workspace differs from the model: " + bad)
                    bytes_row.fail("workspace differs from the model")
                    rmtree(cache, ws)
                    break
            row.add(r.secs, r.rss_kb, r.cpu_s)
            row.extra.setdefault("requests", []).append(t.count)
            bytes_row.add(t.blob_get_bytes)
            rmtree(cache, ws)
    rmtree(template)
    if bytes_row.ok:
        ratio = bytes_row.median / mbytes
        bytes_row.notes.append(f"{ratio:.2f}x model bytes ({mbytes} B)")
        ctx.target(2, "one-model copy moves <= 2x model bytes", f"{ratio:.2f}x", "<= 2x",
                   "PASS" if ratio <= 2 else "MISS", f"{int(bytes_row.median)} B for a {mbytes} B model")
    else:
        ctx.target(2, "one-model copy moves <= 2x model bytes", "FAIL", "<= 2x", "FAIL", bytes_row.error)
    if row.ok:
        ctx.target(2, "one-model copy < 1 s (registry file cached)", f"{row.median:.3f} s", "< 1 s",
                   "PASS" if row.median < 1 else "MISS", "median wall time incl. JVM start")
    else:
        ctx.target(2, "one-model copy < 1 s (registry file cached)", "FAIL", "< 1 s", "FAIL", row.error)


def case3(ctx):
    tree = ctx.small_tree()
    _, err = ctx.ensure_pushed(tree, "bench/test", "bench/test", "r1")
    req_row = ctx.row(3, "no-op sync: HTTP requests", "modelreg", unit="req")
    bytes_row = ctx.row(3, "no-op sync: blob bytes", "modelreg", unit="B")
    time_row = ctx.row(3, "no-op sync: wall time", "modelreg")
    if err:
        for r in (req_row, bytes_row, time_row):
            r.fail(err)
    else:
        cfg = ctx.config("case3", {"bench-test": {"name": "bench/test", "oci": f"{ctx.reg.host}/bench/test",
                                                  "refs": ["r1"]}})
        cache = ctx.scratch("sync-cache")
        first = ctx.modelreg(["sync", "--source", "bench-test", "--ref", "r1"], cache=cache, config=cfg)
        if not first.ok:
            for r in (req_row, bytes_row, time_row):
                r.fail("first sync failed: " + first.error)
        else:
            for _ in range(ctx.runs):
                ctx.reg.mark()
                r = ctx.modelreg(["sync", "--source", "bench-test", "--ref", "r1"], cache=cache, config=cfg)
                t = ctx.reg.requests()
                if not r.ok:
                    for row in (req_row, bytes_row, time_row):
                        row.fail(r.error)
                    break
                req_row.add(t.count)
                bytes_row.add(t.blob_get_bytes)
                time_row.add(r.secs, r.rss_kb, r.cpu_s)
                req_row.extra.setdefault("requests", []).append(t.summary())
        rmtree(cache)
    if req_row.ok:
        worst = max(req_row.values)
        ctx.target(3, "no-op sync: 1 request", f"{worst} (max of runs)", "== 1", "PASS" if worst == 1 else "MISS",
                   json.dumps(req_row.extra["requests"][-1]))
    else:
        ctx.target(3, "no-op sync: 1 request", "FAIL", "== 1", "FAIL", req_row.error)
    if bytes_row.ok:
        worst = max(bytes_row.values)
        ctx.target(3, "no-op sync: 0 blob bytes", f"{worst} B", "== 0", "PASS" if worst == 0 else "MISS")
    else:
        ctx.target(3, "no-op sync: 0 blob bytes", "FAIL", "== 0", "FAIL", bytes_row.error)


def case4(ctx):
    base = ctx.small_tree()
    for clustered in (False, True):
        kind = "clustered in ~10% of models" if clustered else "spread over the tree"
        name = "small-r2-clustered" if clustered else "small-r2"
        holder = {}

        def make(root, clustered=clustered):
            t, picked, changed = datagen.changed_copy(base, root, 0.10, seed=11 if clustered else 10,
                                                      clustered=clustered)
            holder.update(picked=picked, changed=changed)
            return t

        tree2 = ctx.data(name, make)
        if "changed" not in holder:  # generated earlier: recompute the changed set
            picked = [r for r in tree2.files if tree2.files[r] != base.files[r]]
            holder.update(picked=picked, changed=sum(tree2.files[r][0] for r in picked))
        changed = holder["changed"]
        config_size = None
        tag = f"10% changed, {kind}"
        up = ctx.row(4, f"push r2 ({len(holder['picked'])} files / {changed / MiB:.1f} MiB changed, {kind}): "
                        "bytes uploaded", "modelreg", unit="B")
        up_t = ctx.row(4, f"push r2 ({tag}): wall time", "modelreg")
        down = ctx.row(4, f"pull r2 after r1 ({tag}): blob bytes downloaded", "modelreg", unit="B")
        down_t = ctx.row(4, f"pull r2 after r1 ({tag}): wall time", "modelreg")
        for i in range(ctx.runs):
            ctx.reset_registry()
            _, err = ctx.ensure_pushed(base, "bench/test", "bench/test", "r1")
            if err:
                for r in (up, up_t, down, down_t):
                    r.fail(err)
                break
            r2 = ctx.modelreg(["push", tree2.root, f"{ctx.reg.host}/bench/test:r2", "--name", "bench/test",
                               "--base", "r1", "--json"], cache=ctx.scratch("push-cache"))
            if not r2.ok:
                for r in (up, up_t, down, down_t):
                    r.fail("push r2: " + r2.error)
                break
            config_size = ctx.manifest("bench/test", "r2")["config"]["size"]
            uploaded = find_key(r2.json(), UPLOADED_KEYS)
            up_t.add(r2.secs, r2.rss_kb, r2.cpu_s)
            if not isinstance(uploaded, (int, float)):
                up.fail(f"modelreg push --json has no bytesUploaded: {r2.out.decode(errors='replace')[:200]}")
            else:
                up.add(int(uploaded))
            cache, d1, d2 = ctx.scratch("inc-cache"), ctx.scratch("inc-r1"), ctx.scratch("inc-r2")
            p1 = ctx.modelreg(["pull", f"{ctx.reg.host}/bench/test:r1", d1], cache=cache)
            if not p1.ok:
                down.fail("pull r1: " + p1.error)
                down_t.fail("pull r1: " + p1.error)
                rmtree(cache, d1)
                break
            ctx.reg.mark()
            p2 = ctx.modelreg(["pull", f"{ctx.reg.host}/bench/test:r2", d2], cache=cache)
            t = ctx.reg.requests()
            if not p2.ok:
                down.fail("pull r2: " + p2.error)
                down_t.fail("pull r2: " + p2.error)
                rmtree(cache, d1, d2)
                break
            if i == 0:
                bad = datagen.verify_dir(tree2, sorted(tree2.files), d2)
                if bad:
                    down.fail("pulled r2 differs: " + bad)
                    down_t.fail("pulled r2 differs")
                    rmtree(cache, d1, d2)
                    break
            down.add(t.blob_get_bytes)
            down.extra.setdefault("requests", []).append(t.count)
            down_t.add(p2.secs, p2.rss_kb, p2.cpu_s)
            rmtree(cache, d1, d2)
        floor = changed + (config_size or 0)
        for row, what in ((up, "uploads"), (down, "downloads")):
            tname = f"{what} <= 1.1x (changed bytes + new config) ({kind})"
            if row.ok and config_size:
                ratio = row.median / floor
                row.notes.append(f"{row.median / changed:.2f}x changed bytes ({changed} B); "
                                 f"{ratio:.2f}x changed + new config ({config_size} B)")
                ctx.target(4, tname, f"{ratio:.2f}x", "<= 1.10x", "PASS" if ratio <= 1.1 else "MISS",
                           f"{int(row.median)} B vs {changed} B changed + {config_size} B config")
            else:
                ctx.target(4, tname, "FAIL", "<= 1.10x", "FAIL", row.error or "no config size")
        ctx.drop_data(name)


def case5(ctx):
    size = ctx.scale["huge_size"]
    tree = ctx.data("huge", lambda root: datagen.huge_model(root, size))
    ctx.reset_registry()
    row = ctx.row(5, f"copy a model with a {size // MiB} MiB file, MODELREG_JAVA_OPTS=-Xmx64m", "modelreg")
    push = ctx.row(5, f"push it (default JVM options)", "modelreg")
    _, err = ctx.ensure_pushed(tree, "bench/huge", "bench/huge", "r1")
    if err:
        push.fail(err)
        row.fail(err)
    else:
        push.skip("timed in case 1; pushed once here")
        cfg = ctx.config("case5", {"bench-huge": {"name": "bench/huge", "oci": f"{ctx.reg.host}/bench/huge",
                                                  "refs": ["r1"]}})
        for i in range(ctx.runs_big):
            cache, ws = ctx.scratch("huge-cache"), ctx.scratch("huge-ws")
            r = ctx.modelreg(["copy", "bench/huge/m2g", ws], cache=cache, config=cfg, java_opts="-Xmx64m",
                             watch=[os.path.dirname(ws)])  # cache, staging dir and workspace
            if not r.ok:
                row.fail(r.error)
                rmtree(cache, ws)
                break
            if i == 0:
                bad = datagen.verify_dir(tree, tree.model_files("m2g"), ws, strip="m2g/")
                if bad:
                    row.fail("workspace differs: " + bad)
                    rmtree(cache, ws)
                    break
            row.add(r.secs, r.rss_kb, r.cpu_s)
            rmtree(cache, ws)
    if row.ok:
        peak = max(row.rss_kb) / 1024
        row.notes.append(f"{size / MiB / row.median:.0f} MiB/s")
        ctx.target(5, "2 GiB-file copy at -Xmx64m succeeds, peak RSS < 300 MB" if size >= 2048 * MiB else
                   f"{size // MiB} MiB-file copy at -Xmx64m succeeds, peak RSS < 300 MB",
                   f"ok, {peak:.0f} MiB", "< 300 MB", "PASS" if max(row.rss_kb) * 1024 < 300e6 else "MISS",
                   "peak RSS = max over runs of /usr/bin/time -v Maximum resident set size")
    else:
        ctx.target(5, "copy at -Xmx64m succeeds, peak RSS < 300 MB", "FAIL", "< 300 MB", "FAIL", row.error)
    ctx.drop_data("huge")
    ctx.reset_registry()


def case6(ctx):
    gh = ctx.github()
    n = ctx.scale["gh_files"]
    owner_repo, ref, model = "bench/ghmodels", "main", "model200"
    raw = os.path.join(gh.root, "raw", owner_repo, ref)
    tree = ctx.data("gh", lambda root: datagen.one_model(raw, model, n))
    reg_dir = os.path.join(raw, ".registry")
    os.makedirs(reg_dir, exist_ok=True)
    with open(os.path.join(reg_dir, "models.toml"), "w") as f:  # what `make-registry --repo --ref` writes
        f.write('schema_version = "1.0"\n\n[files]\n')
        for rel in sorted(tree.files):
            f.write(f'"{rel}" = {{hash = "{tree.files[rel][1]}", url = "{gh.url}/{owner_repo}/{ref}/{rel}"}}\n')
        f.write(f'\n[models]\n"bench/gh/{model}" = [\n')
        for rel in sorted(tree.files):
            f.write(f'    "{rel}",\n')
        f.write(f']\n\n[examples]\n')
    cfg = ctx.config("case6", {"bench-gh": {"repo": owner_repo, "name": "bench/gh", "refs": [ref]}})
    registry_url = f"{gh.url}/{owner_repo}/{ref}/.registry/models.toml"
    emulated = int(os.environ.get("BENCH_GH_LATENCY_MS", "20"))
    for latency in sorted({0, emulated}):
        gh.set_latency(latency)
        where = "loopback" if latency == 0 else f"+{latency} ms/response"
        _case6_pair(ctx, gh, tree, cfg, registry_url, model, n, where)
    gh.set_latency(0)


def _case6_pair(ctx, gh, tree, cfg, registry_url, model, n, where):
    mb = tree.total_bytes
    rows = {}
    r = rows["modelreg"] = ctx.row(6, f"GitHub mode ({where}): copy {n}-file model ({mb / 1024:.0f} KiB), "
                                      "cold cache", "modelreg")
    for i in range(ctx.runs):
        cache, ws = ctx.scratch("gh-cache"), ctx.scratch("gh-ws")
        gh.mark()
        res = ctx.modelreg(["copy", f"bench/gh/{model}", ws], cache=cache, config=cfg, extra_env=gh.env())
        t = gh.requests()
        if not res.ok:
            r.fail(res.error)
            rmtree(cache, ws)
            break
        if i == 0:
            bad = datagen.verify_dir(tree, sorted(tree.files), ws, strip=model + "/")
            if bad:
                r.fail("workspace differs: " + bad)
                rmtree(cache, ws)
                break
        r.add(res.secs, res.rss_kb, res.cpu_s)
        r.extra.setdefault("requests", []).append(t.count)
        rmtree(cache, ws)
    p = rows["pooch"] = ctx.row(6, f"GitHub mode ({where}): same, sequential pooch (reference way)",
                                "pooch")
    for i in range(ctx.runs):
        cache, ws = ctx.scratch("pooch-cache"), ctx.scratch("pooch-ws")
        gh.mark()
        res = run([DEBIAN_PY, os.path.join(HERE, "peers", "pooch_copy.py"), registry_url, f"bench/gh/{model}",
                   cache, ws], tmp=ctx.tmp)
        t = gh.requests()
        if not res.ok:
            p.fail(res.error)
            rmtree(cache, ws)
            break
        if i == 0:
            bad = datagen.verify_dir(tree, sorted(tree.files), ws, strip=model + "/")
            if bad:
                p.fail("pooch workspace differs: " + bad)
        p.add(res.secs, res.rss_kb, res.cpu_s)
        p.extra.setdefault("requests", []).append(t.count)
        rmtree(cache, ws)
    for row in rows.values():
        if row.ok:
            row.notes.append(f"{statistics.median(row.extra['requests']):.0f} requests")
    speedup_target(ctx, 6, f"GitHub-mode copy >= 5x faster than pooch ({where})", rows,
                   "pooch", 5)


def interleaved(cmds, env, rounds, warmups=3):
    """Times each command `rounds` times, one round of every command after another (the load changes the same for
    all): per label, a list of (wall seconds, CPU seconds of the process and its children), and the load averages."""
    for _ in range(warmups):
        for _, argv in cmds:
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = {label: [] for label, _ in cmds}
    errors = {}
    load0 = os.getloadavg()[0]
    for _ in range(rounds):
        for label, argv in cmds:
            r0 = os.times()
            t0 = time.perf_counter()
            p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            wall = time.perf_counter() - t0
            r1 = os.times()
            if p.returncode != 0:
                errors.setdefault(label, f"exit {p.returncode}: {p.stderr.decode(errors='replace').strip()[:200]}")
            times[label].append((wall, (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)))
    return times, errors, (round(load0, 2), round(os.getloadavg()[0], 2))


def await_archive(home, limit=300):
    """Waits until an unpacked archive's launcher has finished its background class-data archive (key or failure)."""
    lib = os.path.join(home, "lib")
    t0 = time.time()
    while time.time() - t0 < limit:
        if os.path.exists(os.path.join(lib, "modelreg.jsa.key")) or os.path.exists(os.path.join(lib, "modelreg.jsa.failed")):
            subprocess.run(["flock", os.path.join(lib, "modelreg.jsa.lock"), "true"])  # its builder has ended
            return True
        time.sleep(0.5)
    return False


def case7(ctx):
    """Start-up on a warm cache, interleaved with the JVM floor (java -version); and the first command of a freshly
    unpacked archive against its second (the plain archive builds its class-data archive in the background then)."""
    tree = ctx.small_tree()
    _, err = ctx.ensure_pushed(tree, "bench/test", "bench/test", "r1")
    cfg = ctx.config("case7", {"bench-test": {"name": "bench/test", "oci": f"{ctx.reg.host}/bench/test",
                                              "refs": ["r1"]}})
    cache = ctx.scratch("warm-cache")
    env = ctx.env(cache, cfg)
    jar = os.environ.get("BENCH_MODELREG_JAR") or os.path.join(os.path.dirname(os.path.realpath(MODELREG)), "cli",
                                                               "target", "modelreg.jar")
    plain, own = os.environ.get("BENCH_DIST_PLAIN"), os.environ.get("BENCH_DIST_RUNTIME")
    floor = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-version"]
    cmds = [("modelreg info (warm cache)", [MODELREG, "info"]),
            ("modelreg --version", [MODELREG, "--version"]),
            ("archive bin/modelreg info (system JDK, class-data archive)",
             [os.path.join(plain, "bin", "modelreg"), "info"] if plain else None),
            ("archive with own runtime: bin/modelreg info (JDK 17 runtime, class-data archive)",
             [os.path.join(own, "bin", "modelreg"), "info"] if own else None),
            ("java -jar modelreg.jar info (no launcher, no class-data archive)",
             ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar", jar, "info"]),
            ("JVM floor: java -version, same flags", floor)]
    rows = {what: ctx.row(7, what, "java" if argv is floor else "modelreg") for what, argv in cmds}
    s = run([MODELREG, "sync"], env=env, tmp=ctx.tmp) if not err else None
    warm_err = err or (None if s.ok else "warm-up sync failed: " + s.error)
    # the archives' class-data archives: each is built in the background by its first command
    for home in (plain, own):
        if home:
            run([os.path.join(home, "bin", "modelreg"), "--version"], env=env, rss=False, tmp=ctx.tmp)
            await_archive(home)
    live = []
    for what, argv in cmds:
        if argv is None:
            rows[what].fail("no distribution archive (bench/run: scripts/dist --runtime failed)")
        elif warm_err and "info" in what:
            rows[what].fail(warm_err)
        else:
            live.append((what, argv))
    rounds = max(15, ctx.runs)
    times, errors, load = interleaved(live, env, rounds)
    for what, _ in live:
        row = rows[what]
        if what in errors:
            row.fail(errors[what])
            continue
        for wall, _ in times[what]:
            row.add(wall)
        row.notes.append(f"{rounds} interleaved rounds; CPU median {statistics.median(c for _, c in times[what]):.3f} s; "
                         f"load {load[0]} -> {load[1]}")
    fl = rows["JVM floor: java -version, same flags"]
    for what in ("modelreg info (warm cache)", "archive bin/modelreg info (system JDK, class-data archive)",
                 "archive with own runtime: bin/modelreg info (JDK 17 runtime, class-data archive)"):
        r = rows[what]
        if r.ok and fl.ok:
            ratio = r.median / fl.median
            ok = r.median <= 0.2 or ratio <= 5
            ctx.target(7, f"{what.split(' (')[0]}: <= 0.2 s or <= 5x java -version", f"{r.median:.3f} s = {ratio:.1f}x",
                       "<= 0.2 s / 5x", "PASS" if ok else "MISS", f"floor {fl.median:.3f} s, medians of {rounds} rounds")
        else:
            ctx.target(7, f"{what.split(' (')[0]}: <= 0.2 s or <= 5x java -version", "FAIL", "<= 0.2 s / 5x", "FAIL",
                       r.error or fl.error)
    # the first command of a freshly unpacked archive, against its second (3 fresh unpacks each)
    for label, tar in (("archive", os.environ.get("BENCH_DIST_PLAIN_TAR")),
                       ("archive with own runtime", os.environ.get("BENCH_DIST_RUNTIME_TAR"))):
        first, second = ctx.row(7, f"{label}, freshly unpacked: first info", "modelreg"), \
            ctx.row(7, f"{label}, freshly unpacked: second info", "modelreg")
        if not tar or warm_err:
            for r in (first, second):
                r.fail(warm_err or "no distribution archive")
            continue
        for i in range(3):
            d = ctx.scratch("unpacked")
            os.makedirs(d)
            subprocess.run(["tar", "-xzf", tar, "-C", d], check=True)
            home = os.path.join(d, os.listdir(d)[0])
            for r in (first, second):
                res = run([os.path.join(home, "bin", "modelreg"), "info"], env=env, rss=False, tmp=ctx.tmp)
                r.add(res.secs) if res.ok else r.fail(res.error)
            await_archive(home)
            rmtree(d)
        if first.ok and second.ok:
            extra = first.median - second.median
            ctx.target(7, f"{label}: first command < second + 2 s", f"{extra:+.2f} s", "< 2 s",
                       "PASS" if extra < 2 else "MISS", f"first {first.median:.3f} s, second {second.median:.3f} s (medians of 3)")
    rmtree(cache)


def case8(ctx):
    """A 1 GiB single-blob ref through a proxy that caps every connection (as a CDN does): modelreg vs skopeo."""
    size = ctx.scale["throttled_size"]
    rate = float(os.environ.get("BENCH_THROTTLE_MBPS", "50")) * 1e6
    tree = ctx.data("throttled", lambda root: datagen.huge_model(root, size))
    ctx.reset_registry()
    what = f"one {size // MiB} MiB blob, {rate / 1e6:g} MB/s per connection"
    rows = {"modelreg": ctx.row(8, f"pull {what}", "modelreg"),
            "single": ctx.row(8, f"pull --no-cache {what}", "modelreg"),
            "skopeo": ctx.row(8, f"skopeo copy docker:// oci: {what}", "skopeo")}
    _, err = ctx.ensure_pushed(tree, "bench/throttled", "bench/throttled", "r1")
    if err:
        for r in rows.values():
            r.fail(err)
        ctx.target(8, "throttled pull >= 6x faster than skopeo", "FAIL", ">= 6x", "FAIL", err)
        return
    proxy = subprocess.Popen([sys.executable, os.path.join(HERE, "throttle.py"), str(ctx.reg.port), str(int(rate))],
                             stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True)
    _children.add(proxy.pid)
    try:
        port = int(proxy.stdout.readline())
        ref = f"127.0.0.1:{port}/bench/throttled:r1"
        for key, flags in (("modelreg", []), ("single", ["--no-cache"])):
            r = rows[key]
            for i in range(ctx.runs_big):
                cache, dest = ctx.scratch("thr-cache"), ctx.scratch("thr-dest")
                res = ctx.modelreg(["pull", ref, dest] + flags, cache=cache, watch=[cache, os.path.dirname(dest)])
                if not res.ok:
                    r.fail(res.error)
                    rmtree(cache, dest)
                    break
                if i == 0:
                    bad = datagen.verify_dir(tree, sorted(tree.files), dest)
                    if bad:
                        r.fail("pulled tree differs: " + bad)
                        rmtree(cache, dest)
                        break
                r.add(res.secs, res.rss_kb, res.cpu_s)
                rmtree(cache, dest)
        r = rows["skopeo"]
        for _ in range(ctx.runs_big):
            dest = ctx.scratch("thr-skopeo")
            res = run(["skopeo", "copy", "-q", "--src-tls-verify=false", f"docker://{ref}", f"oci:{dest}:r1"],
                      tmp=ctx.tmp)
            if not res.ok:
                r.fail(res.error)
                rmtree(dest)
                break
            r.add(res.secs, res.rss_kb, res.cpu_s)
            rmtree(dest)
    finally:
        _killpg(proxy.pid)
        _children.discard(proxy.pid)
        proxy.wait()
    for r in rows.values():
        if r.ok:
            r.notes.append(f"{size / MiB / r.median:.0f} MiB/s")
    speedup_target(ctx, 8, "throttled pull >= 6x faster than skopeo", rows, "skopeo", 6)
    speedup_target(ctx, 8, "throttled pull --no-cache >= 6x faster than skopeo",
                   {"modelreg": rows["single"], "skopeo": rows["skopeo"]}, "skopeo", 6)
    ctx.drop_data("throttled")
    ctx.reset_registry()


CASES = {1: case1, 2: case2, 3: case3, 4: case4, 5: case5, 6: case6, 7: case7, 8: case8}


# ---------------------------------------------------------------------------------------------- main
def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except OSError:
        mem_kb = 0

    def ver(argv):
        try:
            r = subprocess.run(argv, capture_output=True, timeout=30)
            text = (r.stdout + r.stderr).decode(errors="replace").strip().splitlines()
            return text[0] if text else "?"
        except Exception as e:  # noqa: BLE001
            return f"unavailable ({e.__class__.__name__})"

    commit = ver(["git", "-C", REPO, "rev-parse", "--short", "HEAD"])
    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(mem_kb / 1048576, 1),
        "kernel": platform.release(), "os": platform.platform(),
        "java": ver(["java", "-version"]), "docker_registry": ver(["/usr/bin/docker-registry", "--version"]),
        "skopeo": ver(["skopeo", "--version"]), "curl": ver(["curl", "--version"]),
        "pooch": ver([DEBIAN_PY, "-c", "import pooch; print('pooch', pooch.__version__)"]),
        "modelreg": ver([MODELREG, "--version"]), "commit": commit,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def main():
    ctx = Ctx()

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    started = time.time()
    info = machine()
    log(f"bench: scale={ctx.scale_name} runs={ctx.runs} runs_big={ctx.runs_big} cases={ctx.cases}")
    log(f"bench: {info['date_utc']}, {info['cpu']}, {info['cores']} cores, {info['modelreg']}")
    case_secs = {}
    try:
        ctx.reg.start()
        ctx.write_pids()
        for c in ctx.cases:
            if c not in CASES:
                sys.exit(f"bench: unknown case {c}")
            log(f"bench: case {c} ...")
            # flush what earlier cases wrote (case 5 leaves GBs of dirty pages): no case pays for another's writeback
            os.sync()
            t0 = time.time()
            try:
                CASES[c](ctx)
            except SystemExit:
                raise
            except Exception as e:  # a harness error must show, not hide the other cases
                import traceback
                traceback.print_exc()
                ctx.row(c, "harness error", "bench").fail(f"{e.__class__.__name__}: {e}")
                ctx.target(c, "case ran", "FAIL", "", "FAIL", f"harness error: {e}")
            case_secs[c] = round(time.time() - t0, 1)
            log(f"bench: case {c} done in {case_secs[c]} s")
    finally:
        ctx.close()
    doc = {"machine": info, "scale": ctx.scale_name, "scale_params": ctx.scale, "runs": ctx.runs,
           "runs_big": ctx.runs_big, "cases": ctx.cases, "case_seconds": case_secs,
           "total_seconds": round(time.time() - started, 1), "loadavg_end": [round(x, 2) for x in os.getloadavg()],
           "rows": [r.to_json() for r in ctx.rows], "targets": [t.to_json() for t in ctx.targets]}
    out = os.environ.get("BENCH_RESULTS", os.path.join(HERE, "results.json"))
    with open(out + ".tmp", "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(out + ".tmp", out)
    print(report.table(doc))
    log(f"bench: wrote {out} ({doc['total_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
