#!/usr/bin/python3
"""gen_series.py - writes the SYNTHETIC hourly series of bench scenario C.

    /usr/bin/python3 bench/gen_series.py        # rewrites bench/c-pue-2025.csv, bench/c-grid-2025.csv

These are benchmark fixtures, not measurements: one year (2025, UTC, 8,760 hourly rows) of
a plausible shape around published annual means, so the engine has a real series lookup to
do. Deterministic (fixed seed, stdlib only), so the committed files can be regenerated
byte for byte.

PUE: annual mean 1.2, Ai2 Jupiter, Texas (Morrison et al. 2025, via
docs/validation-data.md Sec.4.1, S). Seasonal swing +-0.03 peaking mid-July: the size of
Google's published quarterly-vs-trailing difference (1.16 vs 1.19, Sec.4.1, S); diurnal
+-0.015 peaking 15:00 local; AR(1) noise sd 0.004. All shape figures are invented.

Grid: annual mean 0.332 kg/kWh, Austin Energy 2024 (Morrison et al. 2025, Sec.4.2, S).
Seasonal +-8 % (peak mid-August), diurnal +-15 % (peak 20:00 local, after solar); AR(1)
noise 3 %. The reference has NO quantitative diurnal or seasonal grid ranges (Sec.4.2,
"a gap"), so these amplitudes are invented for the benchmark only.
"""
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = 2025
HOURS = 8760
UTC_OFFSET_H = -6  # Texas, CST (no DST; the model has none either)
SEED = 20250101


def ar1(rng, n, sd, phi):
    """AR(1) noise with stationary sd 'sd' and lag-1 correlation phi."""
    e = sd * math.sqrt(1 - phi * phi)
    x, out = 0.0, []
    for _ in range(n):
        x = phi * x + rng.gauss(0.0, e)
        out.append(x)
    return out


def stamp(h):
    # 2025 is not a leap year; build the date by hand to stay stdlib-simple and exact.
    days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    d, hour = divmod(h, 24)
    m = 0
    while d >= days[m]:
        d -= days[m]
        m += 1
    return f"{YEAR}-{m + 1:02d}-{d + 1:02d}T{hour:02d}:00:00Z"


def main():
    rng = random.Random(SEED)
    pue_noise = ar1(rng, HOURS, 0.004, 0.9)
    ci_noise = ar1(rng, HOURS, 0.03, 0.95)
    pue_rows, ci_rows = [], []
    for h in range(HOURS):
        day = 1 + h / 24.0
        local = (h % 24 + UTC_OFFSET_H) % 24
        pue = 1.2 + 0.03 * math.cos(2 * math.pi * (day - 196) / 365.25) \
            + 0.015 * math.cos(2 * math.pi * (local - 15) / 24) + pue_noise[h]
        ci = 0.332 * (1 + 0.08 * math.cos(2 * math.pi * (day - 227) / 365.25)) \
            * (1 + 0.15 * math.cos(2 * math.pi * (local - 20) / 24)) * (1 + ci_noise[h])
        pue_rows.append(f"{stamp(h)},{max(pue, 1.0):.4f}")
        ci_rows.append(f"{stamp(h)},{ci:.4f}")
    head = "# SYNTHETIC benchmark fixture (bench/gen_series.py), not measured data.\n"
    with open(os.path.join(HERE, "c-pue-2025.csv"), "w") as f:
        f.write(head + "# hourly PUE around the 1.2 annual mean of Ai2 Jupiter, Texas (Morrison et al. 2025, S)\n")
        f.write("timestamp,pue\n" + "\n".join(pue_rows) + "\n")
    with open(os.path.join(HERE, "c-grid-2025.csv"), "w") as f:
        f.write(head + "# hourly kg CO2e/kWh around Austin Energy's 0.332 (Morrison et al. 2025, S)\n")
        f.write("timestamp,kg_per_kwh\n" + "\n".join(ci_rows) + "\n")


if __name__ == "__main__":
    main()
