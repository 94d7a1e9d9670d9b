#!/usr/bin/env python3
"""Render bench/results.json as the benchmark table: python3 bench/report.py [results.json]"""
import json
import os
import statistics
import sys


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "s":
        return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"
    if unit == "B":
        v = int(v)
        if v >= 1 << 20:
            return f"{v / (1 << 20):.2f} MiB"
        if v >= 1 << 10:
            return f"{v / (1 << 10):.1f} KiB"
        return f"{v} B"
    return f"{v:g} {unit}"


def table(doc):
    m = doc["machine"]
    lines = [f"modelreg benchmark, scale={doc['scale']}, runs={doc['runs']} (big cases {doc['runs_big']}), "
             f"{m['date_utc']}",
             f"machine: {m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB RAM, Linux {m['kernel']}; {m['java']}; "
             f"{m['modelreg']} (commit {m['commit']}); load avg at start {m.get('loadavg_start')}, "
             f"at end {doc.get('loadavg_end')}",
             ""]
    head = ("case", "measurement", "tool", "median", "min", "max", "CPU", "peak RSS", "notes")
    rows = []
    for r in doc["rows"]:
        rss = f"{max(r['peak_rss_kb']) / 1024:.0f} MiB" if r.get("peak_rss_kb") else ""
        # the median of the runs' user + system CPU time: less moved by other work on the machine than wall time
        cpu = f"{statistics.median(r['cpu_s']):.2f} s" if r.get("cpu_s") else ""
        if r["status"] == "FAIL":
            note = "FAIL: " + r.get("error", "")
            rows.append((str(r["case"]), r["what"], r["tool"], "FAIL", "", "", cpu, rss, note))
            continue
        if r["status"] == "skipped":
            rows.append((str(r["case"]), r["what"], r["tool"], "-", "", "", "", "", "skipped: " + r["skipped"]))
            continue
        rows.append((str(r["case"]), r["what"], r["tool"], fmt(r["median"], r["unit"]), fmt(r["min"], r["unit"]),
                     fmt(r["max"], r["unit"]), cpu, rss, "; ".join(r.get("notes", []))))
    lines += _grid(head, rows)
    lines.append("")
    thead = ("case", "target", "measured", "required", "result", "detail")
    trows = [(str(t["case"]), t["target"], t["measured"], t["required"], t["status"], t.get("detail") or "")
             for t in doc["targets"]]
    lines += _grid(thead, trows, maxw=(4, 64, 18, 12, 6, 110))
    passed = sum(1 for t in doc["targets"] if t["status"] == "PASS")
    lines.append("")
    lines.append(f"targets: {passed} PASS, {sum(1 for t in doc['targets'] if t['status'] == 'MISS')} MISS, "
                 f"{sum(1 for t in doc['targets'] if t['status'] == 'FAIL')} FAIL of {len(doc['targets'])}; "
                 f"total {doc['total_seconds']} s")
    return "\n".join(lines)


def _grid(head, rows, maxw=(4, 72, 9, 10, 10, 10, 8, 9, 90)):
    def cut(s, w):
        return s if len(s) <= w else s[: w - 1] + "…"
    widths = [min(max([len(head[i])] + [len(r[i]) for r in rows]), maxw[i] if i < len(maxw) else 90)
              for i in range(len(head))]
    out = ["  ".join(cut(h, w).ljust(w) for h, w in zip(head, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(cut(c, w).ljust(w) for c, w in zip(r, widths)).rstrip())
    return out


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                              "results.json")
    with open(path) as f:
        print(table(json.load(f)))
