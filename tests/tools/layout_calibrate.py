#!/usr/bin/env python3
"""layout_calibrate.py LAYOUT_VALIDATE DATA.csv [NETWORK OVERLAP]

The calibration of the catalog's efficiency defaults (docs/throughput.md):
for each accelerator with calibration rows, a grid search over (matmul, attention) with
network and overlap held at the given values (default 0.8 and 0.85), minimising the median
|log(predicted / measured)| (+ 0.1 x its mean, against heavy tails) over the calibration rows only (holdout rows are never read
for the fit), then the spread of the matmul scale each calibration row would need on its own
(its 5th, 50th and 95th percentiles) and the triangular distribution (relative min, mode,
max) with those percentiles, which times the fitted value is the catalog's distribution.
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


def tri_quantile(lo, mode, hi, p):
    f = (mode - lo) / (hi - lo)
    if p < f:
        return lo + math.sqrt(p * (hi - lo) * (mode - lo))
    return hi - math.sqrt((1 - p) * (hi - lo) * (hi - mode))


def triangular_for(k5, k50, k95):
    """(min, mode, max) of the triangular distribution whose P5, P50, P95 are k5, k50, k95
    (a grid over min and max, the mode by bisection on the median)."""
    best = None
    for i in range(120):
        lo = 0.05 + (k5 - 0.05) * i / 119
        for j in range(120):
            hi = k95 + (2.5 - k95) * j / 119
            a, b = lo, hi
            for _ in range(40):
                mode = (a + b) / 2
                if tri_quantile(lo, mode, hi, 0.5) < k50:
                    a = mode
                else:
                    b = mode
            e = (tri_quantile(lo, mode, hi, 0.05) - k5) ** 2 + (tri_quantile(lo, mode, hi, 0.95) - k95) ** 2
            if best is None or e < best[0]:
                best = (e, lo, mode, hi)
    return best[1:]


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
    pooled = [r["measured"] / r["pred"] for r in rows if r["split"] == "calibration"]
    lo, mode, hi = triangular_for(pct(pooled, 0.05), pct(pooled, 0.5), pct(pooled, 0.95))
    print("pooled         n=%3d scale P5/P50/P95 = %.2f/%.2f/%.2f  triangular x (%.3f, %.3f, %.3f)"
          % (len(pooled), pct(pooled, 0.05), pct(pooled, 0.5), pct(pooled, 0.95), lo, mode, hi))
    for a in accels:
        mm, at = best[a]
        # scale each row would need: measured / predicted (the step is close to inverse in it)
        k = [r["measured"] / r["pred"] for r in rows if r["accel"] == a and r["split"] == "calibration"]
        e = [abs(x - 1) for x in k]
        k5, k50, k95 = pct(k, 0.05), pct(k, 0.5), pct(k, 0.95)
        lo, mode, hi = triangular_for(k5, k50, k95)
        print("%-14s n=%3d matmul=%.3f attention=%.3f network=%.2f overlap=%.2f  median|e|=%.1f%%  "
              "scale P5/P50/P95 = %.2f/%.2f/%.2f  triangular x (%.3f, %.3f, %.3f)"
              % (a, len(k), mm, at, net, ov, 100 * median(e), k5, k50, k95, lo, mode, hi))


if __name__ == "__main__":
    main()
