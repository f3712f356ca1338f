#!/usr/bin/python3
"""model_numpy.py - bench scenario A written the way a user would without trainsim.

    /usr/bin/python3 bench/model_numpy.py [--samples N] [--seed S] [--step-min M]

A vectorized numpy Monte Carlo of bench/a-2048-57d.yaml: one time loop over the fixed
1-minute grid, numpy arrays over samples, the same model as docs/design.md Sec.3 --
gpu_hours work at count x speed per hour; unplanned failures Poisson in RUNNING +
CHECKPOINTING time (rate nodes x f / 24 000 per hour); a failure loses the work since the
last completed checkpoint, then a fresh lognormal restart; Young/Daly checkpoints every
tau of RUNNING since the last checkpoint or restart, stalling training for delta; power by
state; constant PUE (CO2e is not compared). Events fall at their exact times inside a step (the step is
split), as in the engine: an inner loop advances every sample to its next event or the end
of the step until no sample has time left in the step.

It uses its own random numbers (numpy's PCG64), so it agrees with trainsim statistically,
not bit for bit. Debian's python3-numpy, run with /usr/bin/python3 (not a pyenv python).

Scenario A's numbers, the command line and the output line (key=value pairs that
bench/bench.c parses) are in bench/scenario_a.py, shared with its sibling model.
"""
import sys

import numpy as np

import scenario_a as A

RUN, CKPT, RESTART, DONE = 0, 1, 2, 3


def simulate(n, seed, step_min):
    rng = np.random.default_rng(seed)
    lam, delta, tau, rate = A.LAMBDA, A.DELTA, A.TAU, A.RATE
    run_w, idle_w = A.RUN_W, A.IDLE_IT_W
    step_h = step_min / 60.0
    mu, sigma = A.RESTART_MU, A.RESTART_SIGMA

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
            to_stage = np.where(running, (A.GPU_HOURS - w) / rate, np.inf)
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
    fac_kwh = it_wh * A.PUE / 1000.0
    steps = np.ceil(t_done / step_h)
    return wall_days, fac_kwh, steps


if __name__ == "__main__":
    sys.exit(A.main(__doc__, simulate))
