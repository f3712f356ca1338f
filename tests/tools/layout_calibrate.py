#!/usr/bin/env python3
"""layout_calibrate.py LAYOUT_VALIDATE DATA.csv [NETWORK OVERLAP]

The calibration of the catalog's efficiency defaults (docs/throughput.md):
for each accelerator with calibration rows, a grid search over (matmul, attention) with
network and overlap held at the given values (default 0.8 and 0.85), minimising the median
|log(predicted / measured)| over the calibration rows only (holdout rows are never read
for the fit), then the spread of the matmul scale each calibration row would need on its own
(its 5th, 50th and 95th percentiles), from which the catalog's distributions are written.
Prints the fit per accelerator; the values are copied into configs/accelerators.yaml by hand.
"""
import math
import subprocess
import sys
from collections import defaultdict


def run(tool, data, effs):
    args = [tool, data, "--samples", "0", "--rows"]
    for k, v in effs.items():
        args += ["--eff", "%s=%g,%g,%g,%g" % ((k,) + tuple(v))]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 8 and f[1] in ("calibration", "holdout"):
            rows.append(dict(id=f[0], split=f[1], accel=f[2], measured=float(f[3]), pred=float(f[4])))
    return rows


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def pct(v, q):
    v = sorted(v)
    i = q * (len(v) - 1)
    lo = int(math.floor(i))
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (i - lo) * (v[hi] - v[lo])


def main():
    tool, data = sys.argv[1], sys.argv[2]
    net = float(sys.argv[3]) if len(sys.argv) > 3 else 0.8
    ov = float(sys.argv[4]) if len(sys.argv) > 4 else 0.85
    accels = sorted({r["accel"] for r in run(tool, data, {}) if r["split"] == "calibration"})
    mm_grid = [0.30 + 0.025 * i for i in range(27)]
    at_grid = [0.05 + 0.05 * i for i in range(12)]
    score = defaultdict(dict)
    for mm in mm_grid:
        for at in at_grid:
            rows = run(tool, data, {a: (mm, at, net, ov) for a in accels})
            by = defaultdict(list)
            for r in rows:
                if r["split"] == "calibration":
                    by[r["accel"]].append(abs(math.log(r["pred"] / r["measured"])))
            for a, e in by.items():
                score[a][(mm, at)] = median(e) + 0.1 * sum(e) / len(e)
    best = {a: min(score[a], key=score[a].get) for a in accels}
    rows = run(tool, data, {a: (best[a][0], best[a][1], net, ov) for a in accels})
    for a in accels:
        mm, at = best[a]
        # scale each row would need: measured / predicted (the step is close to inverse in it)
        k = [r["measured"] / r["pred"] for r in rows if r["accel"] == a and r["split"] == "calibration"]
        e = [abs(x - 1) for x in k]
        print("%-14s n=%3d matmul=%.3f attention=%.3f network=%.2f overlap=%.2f  median|e|=%.1f%%  "
              "scale P5/P50/P95 = %.2f/%.2f/%.2f" % (a, len(k), mm, at, net, ov, 100 * median(e),
                                                     pct(k, 0.05), pct(k, 0.5), pct(k, 0.95)))


if __name__ == "__main__":
    main()
