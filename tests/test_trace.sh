#!/bin/sh
# test_trace.sh TRAINSIM ROOT - trainsim trace (issue 7): one CSV row per step with the
# documented columns, and sample I's run equal to row I of run --samples-out within 1e-9 (the
# last row's cumulative energy and CO2e, its time; its interruption count exactly).
set -u
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "trace: FAIL: $*"; fail=1; }
ok() { echo "trace: ok: $*"; }
h800=$root/scenarios/deepseek-v3-h800.yaml
napkin=$root/scenarios/deepseek-v3-napkin.yaml
header="t_h,utc,state,stage,progress_frac,accel_power_w,facility_power_w,pue,ci_kg_per_kwh,it_energy_kwh,facility_energy_kwh,co2e_kg,interruptions,checkpoints,maintenances"

# column NAME of the samples CSV for sample I
sample_col() { awk -F, -v name="$2" -v i="$3" 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == name) c = k; next } $1 == i { print $c }' "$1"; }
last() { tail -1 "$1" | cut -d, -f"$2"; }

# 1. Shape: the header, 15 fields on every row, time increasing on the 5-minute grid, the
#    last row DONE with progress 1.
"$bin" trace "$h800" --sample 7 -o "$tmp/t7.csv" 2>"$tmp/err" || bad "trace failed: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/t7.csv")" = "$header" ] && ok "header" || bad "header: $(head -1 "$tmp/t7.csv")"
awk -F, 'NR > 1 && NF != 15 { bad++ } END { exit bad > 0 }' "$tmp/t7.csv" && ok "15 columns on every row" || bad "rows with the wrong number of fields"
awk -F, 'NR > 2 && $1 <= prev { bad++ } NR > 1 { prev = $1 } END { exit bad > 0 }' "$tmp/t7.csv" && ok "time increases" || bad "time not increasing"
rows=$(($(wc -l <"$tmp/t7.csv") - 1))
t_end=$(last "$tmp/t7.csv" 1)
# every step is 5 min = 1/12 h, the last one ends at DONE: rows = ceil(12 t_end)
want=$(awk -v t="$t_end" 'BEGIN { n = t * 12; r = int(n); if (r < n) r++; print r }')
[ "$rows" -eq "$want" ] && ok "one row per step ($rows steps for $t_end h)" || bad "rows $rows, want $want"
[ "$(last "$tmp/t7.csv" 3)" = DONE ] && [ "$(last "$tmp/t7.csv" 5)" = 1 ] && ok "last row DONE at progress 1" || bad "last row: $(tail -1 "$tmp/t7.csv")"
sed -n 2p "$tmp/t7.csv" | grep -q '^0.083333333333333329,2024-09-01T00:05:00Z,RUNNING,pre-training,' && ok "first row: 00:05 UTC, RUNNING, first stage" || bad "first row: $(sed -n 2p "$tmp/t7.csv")"

# 2. Equal to sample I of run --samples-out, for two seeds: trace walks the reference engine
#    step by step, run the fast one (issue 15), so the energies and the time agree within
#    1e-9 relative and the interruption count exactly.
agree() { awk -v a="$1" -v b="$2" 'BEGIN { na = split(a, x, " "); split(b, y, " ")
  for (i = 1; i <= na; i++) { d = x[i] - y[i]; if (d < 0) d = -d; m = x[i] < 0 ? -x[i] : x[i]
    if (d > 1e-9 * m) exit 1 } exit 0 }'; }
for seed in 1 5; do
  "$bin" run "$h800" --samples 10 --seed $seed --samples-out "$tmp/s$seed.csv" -o /dev/null 2>/dev/null || bad "run seed $seed"
  for i in 0 7; do
    "$bin" trace "$h800" --seed $seed --sample $i -o "$tmp/t.csv" 2>/dev/null || bad "trace seed $seed sample $i"
    got="$(last "$tmp/t.csv" 10) $(last "$tmp/t.csv" 11) $(last "$tmp/t.csv" 12) $(last "$tmp/t.csv" 13)"
    want="$(sample_col "$tmp/s$seed.csv" it_energy_kwh $i) $(sample_col "$tmp/s$seed.csv" facility_energy_kwh $i) $(sample_col "$tmp/s$seed.csv" co2e_kg $i) $(sample_col "$tmp/s$seed.csv" interruptions $i)"
    wall=$(awk -v t="$(last "$tmp/t.csv" 1)" 'BEGIN { printf "%.17g", t / 24 }')
    [ "${got##* }" = "${want##* }" ] && agree "$got $wall" "$want $(sample_col "$tmp/s$seed.csv" wall_days $i)" &&
      ok "seed $seed sample $i: energy, CO2e and wall time within 1e-9 of run, interruptions equal" ||
      bad "seed $seed sample $i: trace '$got' $wall, run '$want' $(sample_col "$tmp/s$seed.csv" wall_days $i)"
  done
done

# 3. --nominal: the napkin anchor, every step RUNNING, no events.
"$bin" trace "$napkin" --nominal --quiet -o "$tmp/n.csv" || bad "trace --nominal"
[ "$(last "$tmp/n.csv" 11)" = 1522248 ] || awk -v v="$(last "$tmp/n.csv" 11)" 'BEGIN { d = v - 1522248; exit !(d < 1e-3 && d > -1e-3) }' &&
  ok "napkin nominal facility energy 1,522,248 kWh" || bad "napkin facility energy $(last "$tmp/n.csv" 11)"
[ "$(cut -d, -f3 "$tmp/n.csv" | sed 1d | sort -u | tr '\n' ' ')" = "DONE RUNNING " ] && ok "nominal: RUNNING then DONE" || bad "nominal states"

# 4. Usage errors are exit 2.
"$bin" trace "$h800" --format json -o "$tmp/x.csv" 2>/dev/null
[ $? -eq 2 ] && [ ! -e "$tmp/x.csv" ] && ok "--format json refused" || bad "--format json accepted"
"$bin" trace "$h800" --sample -1 2>/dev/null
[ $? -eq 2 ] && ok "--sample -1 refused" || bad "--sample -1 accepted"
exit $fail
