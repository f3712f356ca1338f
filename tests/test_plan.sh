#!/bin/sh
# test_plan.sh TRAINSIM ROOT - the planning commands against known answers (issue 4 item 6).
set -u
bin=$1 root=$2
dir=$root/tests/plan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "plan: FAIL: $*"; fail=1; }
ok() { echo "plan: ok: $*"; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
# field NAME of the sensitivity CSV row for metric M and input P
sens() { awk -F, -v m="$2" -v p="$3" -v f="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $1 == m && $2 == p { print $c[f] }' "$1"; }

# 1. Additive model with analytic Sobol indices.
"$bin" sensitivity "$dir/additive.yaml" --metric cost_usd --sobol-samples 4000 --format csv -o "$tmp/add.csv" || bad "sensitivity additive"
s1=$(sens "$tmp/add.csv" cost_usd economics.gpu_hour_usd sobol_first)
st1=$(sens "$tmp/add.csv" cost_usd economics.gpu_hour_usd sobol_total)
s2=$(sens "$tmp/add.csv" cost_usd economics.electricity_usd_per_kwh sobol_first)
st2=$(sens "$tmp/add.csv" cost_usd economics.electricity_usd_per_kwh sobol_total)
echo "plan: additive: S(gpu_hour_usd) = $s1 / $st1 (want 0.2462), S(electricity) = $s2 / $st2 (want 0.7538)"
near "$s1" 0.2462 0.04 && near "$st1" 0.2462 0.04 && near "$s2" 0.7538 0.04 && near "$st2" 0.7538 0.04 \
  && ok "additive Sobol indices match the analytic 0.246 / 0.754" || bad "additive Sobol indices"

# 2. Only the grid intensity is uncertain: index ~1 for co2e_kg, 0 for wall_days.
"$bin" sensitivity "$dir/grid-only.yaml" --metric co2e_kg --metric wall_days --format csv -o "$tmp/grid.csv" || bad "sensitivity grid"
g1=$(sens "$tmp/grid.csv" co2e_kg grid.intensity_kg_per_kwh sobol_first)
w1=$(sens "$tmp/grid.csv" wall_days grid.intensity_kg_per_kwh sobol_first)
wt=$(sens "$tmp/grid.csv" wall_days grid.intensity_kg_per_kwh sobol_total)
sp=$(sens "$tmp/grid.csv" co2e_kg grid.intensity_kg_per_kwh spearman)
near "$g1" 1 0.05 && near "$sp" 1 1e-9 && ok "grid-only: co2e first-order $g1, Spearman $sp" || bad "grid-only co2e: $g1 $sp"
near "$w1" 0 1e-12 && near "$wt" 0 1e-12 && ok "grid-only: wall_days indices 0" || bad "grid-only wall_days: $w1 $wt"

# 3. compare of a scenario with itself: zero difference, P(A < B) = 0 (ties are not 'less').
"$bin" compare "$root/scenarios/deepseek-v3-h800.yaml" "$root/scenarios/deepseek-v3-h800.yaml" --samples 100 --format csv -o "$tmp/self.csv" || bad "compare self"
# The five throughput metrics of DESIGN 8 are not modelled for a gpu_hours scenario: their
# difference is nan (not modelled), every other one exactly 0.
nm='^(tokens_per_gpu_s|mfu|effective_mfu|step_time_s|memory_gb_per_gpu),'
nz=$(grep -Ev "$nm" "$tmp/self.csv" | awk -F, '/difference/ { for (i = 4; i <= NF; i++) if ($i != 0) n++ } END { print n + 0 }')
nn=$(grep -E "$nm" "$tmp/self.csv" | awk -F, '/difference/ { for (i = 4; i <= NF; i++) if ($i != "nan") n++ } END { print n + 0 }')
[ "$nz" -eq 0 ] && [ "$nn" -eq 0 ] && [ "$(grep -c difference "$tmp/self.csv")" -eq 26 ] && ok "compare with itself: every difference and P(A<B) is 0 (nan where not modelled)" || bad "compare self: $nz nonzero, $nn not nan"

# 4. compare is paired: a PUE change moves energy in every sample, and P(A < B) = 1.
"$bin" compare "$dir/grid-only.yaml" "$dir/grid-only.yaml" --set facility.pue=1.2 --metric facility_energy_kwh --format json -o "$tmp/c.json" || bad "compare json"
grep -q '"p_a_less": 0' "$tmp/c.json" && ok "compare json has p_a_less" || bad "compare json"

# 5. A sweep over a parameter the metric does not depend on gives identical rows.
"$bin" sweep "$root/scenarios/deepseek-v3-h800.yaml" --vary economics.gpu_hour_usd=1,2,3 --metric wall_days --metric co2e_kg --samples 100 --format csv -o "$tmp/sw.csv" || bad "sweep"
[ "$(cut -d, -f2- "$tmp/sw.csv" | sed 1d | sort -u | wc -l)" -eq 1 ] && ok "sweep over gpu_hour_usd: identical wall_days and co2e rows" || bad "sweep rows differ"
"$bin" sweep "$root/scenarios/deepseek-v3-h800.yaml" --vary cluster.count=1024:4096*2 --vary 'start=2024-03-01,2024-09-01' --samples 50 --format json -o "$tmp/sw.json" || bad "sweep grid"
[ "$(grep -c '"values"' "$tmp/sw.json")" -eq 6 ] && grep -q '"cluster.count": 4096, "start": "2024-09-01"' "$tmp/sw.json" && ok "sweep grid of 3 x 2 points, dates as values" || bad "sweep grid"

# 6. solve: a deterministic case with a closed form. 96,000 GPU-h / (count x 24 h) <= 10 days
#    first holds at count = 400 exactly.
"$bin" solve "$dir/grid-only.yaml" --vary cluster.count --target 'wall_days.mean<=10' --samples 5 --format json -o "$tmp/s.json" || bad "solve"
grep -q '"answer": 400, "met": true' "$tmp/s.json" && grep -q '"neighbour": 399' "$tmp/s.json" && ok "solve: count 400 (neighbour 399 fails)" || bad "solve answer: $(grep answer "$tmp/s.json")"

# 7. solve on a stochastic scenario, checked by running the answer and its neighbour.
"$bin" solve "$root/scenarios/h100-1024-70b-us.yaml" --vary cluster.count --target 'wall_days.p90<=60' --min 1024 --max 8192 --step 64 --samples 100 --format json -o "$tmp/s2.json" || bad "solve stochastic"
ans=$(sed -n 's/.*"answer": \([0-9]*\),.*/\1/p' "$tmp/s2.json")
nb=$(sed -n 's/.*"neighbour": \([0-9]*\),.*/\1/p' "$tmp/s2.json")
p90() { "$bin" run "$root/scenarios/h100-1024-70b-us.yaml" --samples 100 --set cluster.count="$1" --set 'sim.quantiles=[0.9]' --format csv 2>/dev/null | awk -F, '$1 == "wall_days" { print $6 }'; }
pa=$(p90 "$ans") pn=$(p90 "$nb")
echo "plan: solve: answer $ans (p90 $pa), neighbour $nb (p90 $pn)"
[ -n "$ans" ] && [ "$nb" -eq $((ans - 64)) ] && awk -v a="$pa" -v n="$pn" 'BEGIN { exit !(a <= 60 && n > 60) }' \
  && ok "solve's answer meets the target and its neighbour does not (re-run with run)" || bad "solve neighbours"

# 8. solve says plainly when the target is unreachable.
"$bin" solve "$dir/grid-only.yaml" --vary cluster.count --target 'wall_days.mean<=0.001' --min 8 --max 16 --samples 5 --format json -o "$tmp/u.json" || bad "solve unreachable exit"
grep -q '"answer": null' "$tmp/u.json" && grep -q 'unreachable' "$tmp/u.json" && ok "solve: unreachable target gives answer null" || bad "unreachable"

# 9. Inheritance: base: with a deep merge.
printf 'base: %s\nname: child\nfacility:\n  pue: 1.5\n' "$dir/grid-only.yaml" > "$tmp/child.yaml"
"$bin" check "$tmp/child.yaml" > "$tmp/child.out" 2>&1 && grep -q 'pue: 1.5' "$tmp/child.out" && grep -q 'count: 64' "$tmp/child.out" \
  && ok "base: merges the child over the parent" || bad "base"

[ $fail -eq 0 ] && echo "plan: all passed"
exit $fail
