"""scenario_a.py - what bench/model_numpy.py and bench/model_numpy_events.py share.

Scenario A's numbers (they must match bench/a-2048-57d.yaml and configs/accelerators.yaml
H800-SXM), the quantities both models derive from them, and the command line and output
line both print (one line of key=value pairs that bench/bench.c parses:
  samples, steps_mean, sample_steps, seconds, sample_steps_per_s, cpu_seconds,
  sample_steps_per_cpu_s,
  wall_days_mean, wall_days_sd, facility_energy_kwh_mean, facility_energy_kwh_sd, numpy).
"""
import argparse
import math
import time

import numpy as np

COUNT = 2048
GPUS_PER_NODE = 8
GPU_HOURS = 2_801_664.0          # work, accelerator-hours
SPEED = 1.0
TDP_W = 700.0
IDLE_W = 100.0                   # catalog idle_w: idle_fraction = 100 / 700
BUSY_FRACTION = 0.89
OVERHEAD = 1.2
PUE = 1.3
FAILURES_PER_1000_NODE_DAYS = 3.8
RESTART_MEDIAN_MIN, RESTART_GSD = 30.0, 1.8
CHECKPOINT_WRITE_MIN = 1.0

# Derived as in docs/design.md Sec.3.
NODES = math.ceil(COUNT / GPUS_PER_NODE)
LAMBDA = NODES * FAILURES_PER_1000_NODE_DAYS / 24000.0       # failures per hour
DELTA = CHECKPOINT_WRITE_MIN / 60.0                          # hours
TAU = math.sqrt(2.0 * DELTA * (1.0 / LAMBDA))                # Young/Daly, hours
RATE = COUNT * SPEED                                         # work units per hour
RUN_W = COUNT * TDP_W * BUSY_FRACTION * OVERHEAD             # IT power while RUNNING
IDLE_IT_W = COUNT * IDLE_W * OVERHEAD                        # IT power in every other state
RESTART_MU, RESTART_SIGMA = math.log(RESTART_MEDIAN_MIN), math.log(RESTART_GSD)


def main(doc, simulate):
    """Parses the command line, runs simulate(n, seed, step_min) -> (wall_days, facility
    kWh, steps) per sample, and prints the timing and statistics line."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--step-min", type=float, default=1.0)
    a = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    wall_days, fac_kwh, steps = simulate(a.samples, a.seed, a.step_min)
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    total = float(steps.sum())
    pairs = [
        f"samples={a.samples}", f"steps_mean={steps.mean():.1f}", f"sample_steps={total:.0f}",
        f"seconds={sec:.3f}", f"sample_steps_per_s={total / sec:.4g}",
        f"cpu_seconds={cpu:.3f}", f"sample_steps_per_cpu_s={total / cpu:.4g}",
        f"wall_days_mean={wall_days.mean():.10g}",
        f"wall_days_sd={wall_days.std(ddof=1):.10g}",
        f"facility_energy_kwh_mean={fac_kwh.mean():.10g}",
        f"facility_energy_kwh_sd={fac_kwh.std(ddof=1):.10g}",
        f"numpy={np.__version__}",
    ]
    print(" ".join(pairs))
    return 0
