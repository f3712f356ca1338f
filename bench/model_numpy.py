#!/usr/bin/python3
"""model_numpy.py - bench scenario A written the way a user would without trainsim.

    /usr/bin/python3 bench/model_numpy.py [--samples N] [--seed S] [--step-min M]

A vectorized numpy Monte Carlo of bench/a-2048-57d.yaml: one time loop over the fixed
1-minute grid, numpy arrays over samples, the same model as DESIGN.md Sec.3 --
gpu_hours work at count x speed per hour; unplanned failures Poisson in RUNNING +
CHECKPOINTING time (rate nodes x f / 24 000 per hour); a failure loses the work since the
last completed checkpoint, then a fresh lognormal restart; Young/Daly checkpoints every
tau of RUNNING since the last checkpoint or restart, stalling training for delta; power by
state; constant PUE and CI. Events fall at their exact times inside a step (the step is
split), as in the engine: an inner loop advances every sample to its next event or the end
of the step until no sample has time left in the step.

It uses its own random numbers (numpy's PCG64), so it agrees with trainsim statistically,
not bit for bit. Debian's python3-numpy, run with /usr/bin/python3 (not a pyenv python).

Prints one line of key=value pairs that bench/bench.c parses:
  samples, steps_mean, sample_steps, seconds, sample_steps_per_s, cpu_seconds,
  sample_steps_per_cpu_s,
  wall_days_mean, wall_days_sd, facility_energy_kwh_mean, facility_energy_kwh_sd
"""
import argparse
import math
import sys
import time

import numpy as np

# ---- Scenario A (must match bench/a-2048-57d.yaml and configs/accelerators.yaml H800-SXM)
COUNT = 2048
GPUS_PER_NODE = 8
GPU_HOURS = 2_801_664.0          # work, accelerator-hours
SPEED = 1.0
TDP_W = 700.0
IDLE_W = 100.0                   # catalog idle_w: idle_fraction = 100 / 700
BUSY_FRACTION = 0.89
OVERHEAD = 1.2
PUE = 1.3
CI_KG_PER_KWH = 0.5366           # grid region CN
FAILURES_PER_1000_NODE_DAYS = 3.8
RESTART_MEDIAN_MIN, RESTART_GSD = 30.0, 1.8
CHECKPOINT_WRITE_MIN = 1.0

RUN, CKPT, RESTART, DONE = 0, 1, 2, 3


def simulate(n, seed, step_min):
    rng = np.random.default_rng(seed)
    nodes = math.ceil(COUNT / GPUS_PER_NODE)
    lam = nodes * FAILURES_PER_1000_NODE_DAYS / 24000.0          # failures per hour
    delta = CHECKPOINT_WRITE_MIN / 60.0                           # hours
    tau = math.sqrt(2.0 * delta * (1.0 / lam))                    # Young/Daly, hours
    rate = COUNT * SPEED                                          # work units per hour
    run_w = COUNT * TDP_W * BUSY_FRACTION * OVERHEAD
    idle_w = COUNT * IDLE_W * OVERHEAD
    step_h = step_min / 60.0
    mu, sigma = math.log(RESTART_MEDIAN_MIN), math.log(RESTART_GSD)

    state = np.full(n, RUN, dtype=np.int8)
    w = np.zeros(n)              # work done
    ck_w = np.zeros(n)           # work at the last completed checkpoint
    since_ck = np.zeros(n)       # RUNNING hours since the last checkpoint or restart
    left = np.zeros(n)           # hours left in CKPT / RESTART
    fail_left = rng.exponential(1.0, n) / lam   # exposure hours to the next failure
    it_wh = np.zeros(n)
    t_done = np.zeros(n)

    step = 0
    while True:
        active = state != DONE
        if not active.any():
            break
        seg = np.where(active, step_h, 0.0)      # time left in this step
        while True:
            live = seg > 0
            if not live.any():
                break
            running = live & (state == RUN)
            exposed = running | (live & (state == CKPT))
            idle = live & ~running
            # Time to each possible event; the smallest wins (ties go to the earlier test).
            to_stage = np.where(running, (GPU_HOURS - w) / rate, np.inf)
            to_ck = np.where(running, tau - since_ck, np.inf)
            to_fail = np.where(exposed, fail_left, np.inf)
            to_end = np.where(idle, left, np.inf)
            dt = np.minimum(np.minimum(np.minimum(seg, to_stage), np.minimum(to_ck, to_fail)), to_end)
            dt = np.where(live, np.maximum(dt, 0.0), 0.0)
            ev_stage = running & (to_stage <= dt)
            ev_fail = exposed & ~ev_stage & (to_fail <= dt)
            ev_ck = running & ~ev_stage & ~ev_fail & (to_ck <= dt)
            ev_end = idle & ~ev_fail & (to_end <= dt)

            it_wh += np.where(running, run_w, idle_w) * dt * live
            w += np.where(running, rate * dt, 0.0)
            since_ck += np.where(running, dt, 0.0)
            fail_left -= np.where(exposed, dt, 0.0)
            left -= np.where(idle, dt, 0.0)
            seg -= dt

            if ev_stage.any():
                t_done[ev_stage] = step * step_h + (step_h - seg[ev_stage])
                state[ev_stage] = DONE
                seg[ev_stage] = 0.0
            if ev_ck.any():
                state[ev_ck] = CKPT
                left[ev_ck] = delta
            end_ck = ev_end & (state == CKPT)
            end_rs = ev_end & (state == RESTART)
            if end_ck.any():
                ck_w[end_ck] = w[end_ck]
                since_ck[end_ck] = 0.0
                state[end_ck] = RUN
            if end_rs.any():
                state[end_rs] = RUN
            if ev_fail.any():
                k = int(ev_fail.sum())
                w[ev_fail] = ck_w[ev_fail]
                since_ck[ev_fail] = 0.0
                state[ev_fail] = RESTART
                left[ev_fail] = np.exp(rng.normal(mu, sigma, k)) / 60.0
                fail_left[ev_fail] = rng.exponential(1.0, k) / lam
        step += 1

    wall_days = t_done / 24.0
    fac_kwh = it_wh * PUE / 1000.0
    steps = np.ceil(t_done / step_h)
    return wall_days, fac_kwh, steps


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--step-min", type=float, default=1.0)
    a = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    wall_days, fac_kwh, steps = simulate(a.samples, a.seed, a.step_min)
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    total = float(steps.sum())
    print(f"samples={a.samples} steps_mean={steps.mean():.1f} sample_steps={total:.0f} seconds={sec:.3f} "
          f"sample_steps_per_s={total / sec:.4g} cpu_seconds={cpu:.3f} sample_steps_per_cpu_s={total / cpu:.4g} "
          f"wall_days_mean={wall_days.mean():.10g} wall_days_sd={wall_days.std(ddof=1):.10g} "
          f"facility_energy_kwh_mean={fac_kwh.mean():.10g} facility_energy_kwh_sd={fac_kwh.std(ddof=1):.10g} "
          f"numpy={np.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
