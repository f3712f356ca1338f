#!/usr/bin/python3
"""model_numpy_events.py - bench scenario A as an event-driven numpy Monte Carlo.

    /usr/bin/python3 bench/model_numpy_events.py [--samples N] [--seed S] [--step-min M]

The event-driven counterpart of bench/model_numpy.py: the same model of
bench/a-2048-57d.yaml (docs/design.md Sec.3) with the same constants, written the way a strong
numpy user would write it when every input is constant, so that no time grid is needed --
gpu_hours work at count x speed per hour; unplanned failures Poisson in RUNNING +
CHECKPOINTING time (rate nodes x f / 24 000 per hour); a failure loses the work since the
last completed checkpoint, then a fresh lognormal restart; Young/Daly checkpoints every
tau of RUNNING since the last checkpoint or restart, stalling training for delta; power by
state; constant PUE. Each pass of the Python loop moves every still-active sample (numpy
arrays over samples) to its own next event -- checkpoint due, checkpoint end, failure,
restart end or run end -- and integrates energy as power x duration of that segment;
samples leave the arrays when their run ends, and the loop stops when none is left.
Samples are simulated in blocks of BLOCK (12 288) so that the arrays stay in cache.

--step-min only sets how "steps" are counted (ceil(wall / step) per sample, as on the
grid of model_numpy.py), so sample_steps_per_s compares with the grid models; it does not
change the results, which are exact for constant inputs.

It uses its own random numbers (numpy's PCG64), so it agrees with trainsim and
model_numpy.py statistically, not bit for bit. Debian's python3-numpy, run with
/usr/bin/python3 (not a pyenv python).

Scenario A's numbers, the command line and the output line (key=value pairs that
bench/bench.c parses) are in bench/scenario_a.py, shared with its sibling model.
"""
import sys

import numpy as np

import scenario_a as A

RUN, CKPT, RESTART = 0, 1, 2     # a sample whose run has ended leaves the arrays (DONE)

# Samples are simulated in blocks of this many (96 KiB per float64 array): arrays of 32 768
# and more samples fall out of the 1 MiB L2 cache and past glibc's 128 KiB mmap threshold
# (temporaries then page-fault), which measured half the speed; 4 096-16 384 all do well.
BLOCK = 12288


def simulate(n, seed, step_min):
    """Per-sample wall days, facility kWh and grid steps for n samples."""
    rng = np.random.default_rng(seed)
    t_done = np.empty(n)
    it_wh = np.empty(n)
    for lo in range(0, n, BLOCK):
        hi = min(lo + BLOCK, n)
        t_done[lo:hi], it_wh[lo:hi] = simulate_block(hi - lo, rng)
    wall_days = t_done / 24.0
    fac_kwh = it_wh * A.PUE / 1000.0
    steps = np.ceil(t_done / (step_min / 60.0))
    return wall_days, fac_kwh, steps


def simulate_block(n, rng):
    """Run n samples to the end; return their end times (h) and IT energies (Wh)."""
    lam, delta, tau, rate = A.LAMBDA, A.DELTA, A.TAU, A.RATE
    run_w, idle_w = A.RUN_W, A.IDLE_IT_W
    mu, sigma = A.RESTART_MU, A.RESTART_SIGMA

    # Per active sample; row j of every array belongs to sample ids[j].
    ids = np.arange(n)
    state = np.full(n, RUN, dtype=np.int8)
    t = np.zeros(n)              # hours since the run start
    w = np.zeros(n)              # work done
    ck_w = np.zeros(n)           # work at the last completed checkpoint
    since_ck = np.zeros(n)       # RUNNING hours since the last checkpoint or restart
    left = np.zeros(n)           # hours left in CKPT / RESTART
    fail_left = rng.exponential(1.0, n) / lam   # exposure hours to the next failure
    it_wh = np.zeros(n)

    # Per sample, filled in when its run ends.
    t_done = np.empty(n)
    it_wh_done = np.empty(n)

    while ids.size:
        running = state == RUN
        exposed = state != RESTART               # RUNNING or CHECKPOINTING
        # Time to each possible next event; the smallest wins (ties: run end, failure, then
        # checkpoint start or the end of CKPT / RESTART).
        to_done = np.where(running, (A.GPU_HOURS - w) / rate, np.inf)
        to_ck = np.where(running, tau - since_ck, np.inf)
        to_fail = np.where(exposed, fail_left, np.inf)
        to_end = np.where(running, np.inf, left)
        dt = np.minimum(np.minimum(to_done, to_ck), np.minimum(to_fail, to_end))
        ev_done = running & (to_done <= dt)
        ev_fail = ~ev_done & (to_fail <= dt)
        ev_ck = running & ~ev_done & ~ev_fail
        ev_end = ~running & ~ev_fail
        ck_end = ev_end & (state == CKPT)

        # Advance every sample through its segment [t, t + dt) in its current state.
        t += dt
        it_wh += np.where(running, run_w, idle_w) * dt
        w += np.where(running, rate * dt, 0.0)
        since_ck += np.where(running, dt, 0.0)
        fail_left -= np.where(exposed, dt, 0.0)
        left -= dt                               # meaningful in CKPT / RESTART only

        # Apply the events (the masks are disjoint and were taken from the old state).
        ck_w = np.where(ck_end, w, ck_w)
        w = np.where(ev_fail, ck_w, w)
        since_ck = np.where(ck_end | ev_fail, 0.0, since_ck)
        left = np.where(ev_ck, delta, left)
        state[ev_end] = RUN
        state[ev_ck] = CKPT
        state[ev_fail] = RESTART
        if ev_fail.any():
            k = int(ev_fail.sum())
            left[ev_fail] = rng.lognormal(mu, sigma, k) / 60.0
            fail_left[ev_fail] = rng.exponential(1.0, k) / lam

        # Samples whose run ended are DONE: record them and drop them from the arrays.
        if ev_done.any():
            t_done[ids[ev_done]] = t[ev_done]
            it_wh_done[ids[ev_done]] = it_wh[ev_done]
            keep = ~ev_done
            ids, state, t, w, ck_w = ids[keep], state[keep], t[keep], w[keep], ck_w[keep]
            since_ck, left, fail_left = since_ck[keep], left[keep], fail_left[keep]
            it_wh = it_wh[keep]

    return t_done, it_wh_done


if __name__ == "__main__":
    sys.exit(A.main(__doc__, simulate))
