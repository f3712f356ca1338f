#!/bin/sh
# test_grid.sh TRAINSIM ROOT - issue 16 end to end: the grid catalog, grid.series in every
# recognised format with a hand-computed CO2e, owned-cluster cost, off-site water,
# elasticities and the g/kWh sanity checks.
set -u
bin=$1 root=$2
data=$root/tests/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "grid: FAIL: $*"; fail=1; }
ok() { echo "grid: ok: $*"; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; exit !(d <= t * s) }'; }
# mean of metric M in trainsim's CSV
mean() { awk -F, -v m="$2" '$1 == m { print $3 }' "$1"; }

# ---- 1. catalog: >= 120 areas, grouped by kind, the keys people type, display names
"$bin" catalog grids >"$tmp/grids.txt" || bad "catalog grids"
n=$(awk '/^# / { gsub(/[()]/, "", $3); s += $3 } END { print s }' "$tmp/grids.txt")
[ "$n" -ge 120 ] && ok "catalog grids: $n areas" || bad "catalog grids: $n areas"
for kind in world country state balancing-authority egrid-subregion zone; do
  grep -q "^# $kind (" "$tmp/grids.txt" || bad "no group $kind"
done
ok "catalog grids groups by kind"
for k in US-VA US-TX CA-QC CN-NM CN-GZ US-PJM US-ERCOT US-CAISO US-MISO US-SPP US-NYISO US-ISONE US-BPA DE SG AE \
         CN CN-NAPKIN US US-LLAMA FR; do
  grep -q "^$k " "$tmp/grids.txt" || bad "no area $k"
done
ok "the keys people type are there (and the old ones)"
"$bin" catalog Norway >"$tmp/no.txt" && grep -q '^NO: Norway (country)' "$tmp/no.txt" && grep -q 'range over' "$tmp/no.txt" \
  && ok "catalog Norway prints the area with every source" || bad "catalog Norway"
"$bin" catalog US-VA | grep -q 'water: 2.385 L/kWh' && ok "US-VA carries its EWIF" || bad "US-VA water"
"$bin" catalog facilities | grep -q '^aws .* 1.14   0.12$' && ok "facility preset aws: PUE 1.14, WUE 0.12" || bad "aws preset"
"$bin" catalog prices | awk 'NR > 1 { n[$2]++ } END { exit !(n["purchase"] >= 50 && n["cloud"] >= 200 && n["colocation"] >= 1 && n["electricity"] >= 50) }' \
  && ok "catalog prices: purchase, cloud, colocation and electricity rows" || bad "catalog prices"

# a 1-GPU, 700 W, PUE 1 cluster: facility power 0.7 kW exactly, so CO2e = 0.7 x sum(CI x h)
scen() { # scen NAME START GPU_HOURS GRID-LINES...
  name=$1 start=$2 gh=$3; shift 3
  { echo "name: $name"; echo "start: $start"; echo "workload: {gpu_hours: $gh}"
    echo "cluster: {accelerator: H100-SXM, count: 1, tdp_w: 700}"; echo "facility: {pue: 1.0}"; echo "grid:"
    for l in "$@"; do echo "  $l"; done; } >"$tmp/$name.yaml"
}
co2() { "$bin" run "$tmp/$1.yaml" --nominal --format csv -o "$tmp/$1.csv" 2>"$tmp/$1.err" && mean "$tmp/$1.csv" co2e_kg; }

# ---- 2. grid.series formats, hand-computed CO2e (fixture values are made up)
# Electricity Maps, new portal, life cycle: 0.7 kW x 1 h x (0.3 + 0.4 + 0.5 + 0.6) = 1.26 kg
scen emnew 2024-07-01T00:00:00Z 4 "series: $data/em_new_portal_hourly.csv"
v=$(co2 emnew); near "$v" 1.26 1e-12 && ok "Electricity Maps (new portal, life cycle): $v kg = 1.26" || bad "em new: $v"
# ... direct column: 0.7 x (0.25 + 0.35 + 0.45 + 0.55) = 1.12 kg
scen emdir 2024-07-01T00:00:00Z 4 "series: $data/em_new_portal_hourly.csv" "series_basis: direct"
v=$(co2 emdir); near "$v" 1.12 1e-12 && ok "Electricity Maps, series_basis direct: $v kg = 1.12" || bad "em direct: $v"
# old portal, LCA: 0.7 x (0.1 + 0.2 + 0.3 + 0.4) = 0.7 kg
scen emold 2024-07-01T00:00:00Z 4 "series: $data/em_old_portal_hourly.csv"
v=$(co2 emold); near "$v" 0.7 1e-12 && ok "Electricity Maps (old portal, LCA): $v kg = 0.7" || bad "em old: $v"
# WattTime v3, 5-minute MOERs in lb/MWh over 0.5 h: 0.7 kW x 1/12 h x (1000 + 800 + 600 + 400 + 200 + 0)
# x 0.45359237 / 1000 = 0.7 / 12 x 3000 x 0.00045359237 = 0.07937866475 kg
scen wt 2024-07-01T00:00:00Z 0.5 "series: $data/watttime_v3.json"
v=$(co2 wt); near "$v" 0.07937866475 1e-12 && ok "WattTime v3: $v kg = 0.0793787" || bad "watttime: $v"
# UK Carbon Intensity API, half-hours over 2 h: 0.7 x 0.5 x (0.263 + 0.240 + 0.220 + 0.210 forecast) = 0.32655 kg
scen uk 2018-01-20T12:00:00Z 2 "series: $data/uk_carbon_intensity.json"
v=$(co2 uk); near "$v" 0.32655 1e-12 && ok "UK Carbon Intensity API: $v kg = 0.32655" || bad "uk: $v"
"$bin" check "$tmp/uk.yaml" 2>&1 >/dev/null | grep -q 'no intensity.actual; their forecast is used' && ok "UK: missing actual -> forecast, warned" || bad "uk warning"
# the project's kg/kWh CSV: 0.7 x (0.2 + 0.4 + 0.1 + 0.3) = 0.7 kg
scen plain 2024-07-01T00:00:00Z 4 "series: $data/kg_per_kwh.csv"
v=$(co2 plain); near "$v" 0.7 1e-12 && ok "timestamp,kg_per_kwh CSV: $v kg = 0.7" || bad "plain: $v"
"$bin" check "$tmp/emnew.yaml" 2>/dev/null | grep -q 'Electricity Maps CSV, new portal (life cycle, g/kWh)' \
  && ok "check names the format it recognised" || bad "check format"

# ---- 6. sanity: g/kWh where kg/kWh belongs
scen gkg 2024-07-01T00:00:00Z 2 "series: $data/g_as_kg.csv"
"$bin" check "$tmp/gkg.yaml" >/dev/null 2>"$tmp/gkg.err"; rc=$?
[ $rc -eq 2 ] && grep -q 'look like g/kWh, not kg/kWh' "$tmp/gkg.err" && ok "g/kWh in a kg/kWh series: refused, says so" || bad "g as kg (rc $rc)"
scen high 2024-07-01T00:00:00Z 2 "series: $data/high_kg.csv"
"$bin" check "$tmp/high.yaml" >/dev/null 2>"$tmp/high.err" && grep -q 'warning: grid.series: 2.5 kg/kWh.*g/kWh' "$tmp/high.err" \
  && ok "2.5 kg/kWh in a series: warned with the g/kWh hint" || bad "high series"
scen typed 2024-07-01T00:00:00Z 2 "intensity_kg_per_kwh: 429"
"$bin" check "$tmp/typed.yaml" >/dev/null 2>"$tmp/typed.err" && grep -q 'was it g/kWh? (429 g/kWh = 0.429 kg/kWh)' "$tmp/typed.err" \
  && ok "intensity_kg_per_kwh: 429 warned with the g/kWh hint" || bad "typed 429: $(cat "$tmp/typed.err")"
scen eia 2024-07-01T00:00:00Z 2 "series: $data/eia930_balance.csv"
"$bin" check "$tmp/eia.yaml" >/dev/null 2>"$tmp/eia.err"
grep -q "matches no known format (its first line is 'Balancing Authority,Data Date" "$tmp/eia.err" && grep -q 'WattTime' "$tmp/eia.err" \
  && ok "an unknown file names the formats and shows its first line" || bad "unmatched"

# ---- 1b. spread between sources -> uncertainty; display names in scenarios
scen qc 2024-07-01T00:00:00Z 2 "region: Quebec, Canada" "intensity_spread: triangular"
"$bin" check "$tmp/qc.yaml" 2>/dev/null | grep -q 'intensity_kg_per_kwh: {dist: triangular, min: 0.0015, mode: 0.0017, max: 0.035}' \
  && ok "CA-QC by display name, intensity_spread triangular over its sources" || bad "spread: $("$bin" check "$tmp/qc.yaml" 2>&1 | grep intensity_kg)"

# ---- 3. owned-cluster cost: capex part = count x wall_h x capex / (1 - share) / (years x 8766)
cat >"$tmp/own.yaml" <<EOS
name: owned
workload: {gpu_hours: 2788000}
cluster: {accelerator: H800-SXM, count: 2048}
facility: {pue: 1.3}
grid: {region: US-VA}
economics: {capex_usd_per_gpu: 46875, amortisation_years: 4, interconnect_share: 0.19,
            electricity_usd_per_kwh: 0.0892, colocation_usd_per_kw_month: 184.06}
EOS
"$bin" run "$tmp/own.yaml" --nominal --format csv -o "$tmp/own.csv" 2>/dev/null || bad "owned run"
want=$(awk 'BEGIN { printf "%.17g", 2788000 * 46875 / (1 - 0.19) / (4 * 8766) }')
v=$(mean "$tmp/own.csv" cost_capex_usd); near "$v" "$want" 1e-9 && ok "cost_capex_usd $v = 2,788,000 GPU-h x 46,875 / 0.81 / 35,064 (1e-9)" || bad "capex $v want $want"
sum=$(awk -F, '$1 ~ /^cost_(rental|capex|energy|facility)_usd$/ { s += $3 } END { printf "%.17g", s }' "$tmp/own.csv")
near "$(mean "$tmp/own.csv" cost_usd)" "$sum" 1e-12 && ok "cost_usd = sum of its four parts" || bad "cost sum"
# colocation: 184.06 USD/kW-month x peak IT (2048 x 700 W = 1,433.6 kW) x wall (1,361.328 h) / 730.5 h
want=$(awk 'BEGIN { printf "%.17g", 184.06 * 2048 * 0.7 * (2788000 / 2048) / 730.5 }')
near "$(mean "$tmp/own.csv" cost_facility_usd)" "$want" 1e-9 && ok "cost_facility_usd on peak IT power" || bad "colo"
# off-site water: facility kWh x 2.385 L/kWh (Ren et al., Virginia)
want=$(awk -F, '$1 == "facility_energy_kwh" { printf "%.17g", $3 * 2.385 }' "$tmp/own.csv")
near "$(mean "$tmp/own.csv" water_offsite_l)" "$want" 1e-12 && ok "water_offsite_l = facility kWh x 2.385" || bad "water offsite"
# economics.price fills the numbers; a key given in the scenario wins
sed 's/economics: .*/economics: {price: [nvidia-h100-sxm5-80gb-purchase-2025-03-03-2, cbre-colocation-na-primary-2024h2,/; s/^            electricity.*/            eia-industrial-virginia-2023], interconnect_share: 0.19}/' "$tmp/own.yaml" >"$tmp/price.yaml"
"$bin" run "$tmp/price.yaml" --nominal --format csv -o "$tmp/price.csv" 2>/dev/null || bad "price run"
[ "$(mean "$tmp/price.csv" cost_usd)" = "$(mean "$tmp/own.csv" cost_usd)" ] && ok "economics.price: the same cost as the numbers written out" || bad "price: $(mean "$tmp/price.csv" cost_usd) vs $(mean "$tmp/own.csv" cost_usd)"
sed 's/nvidia-h100-sxm5-80gb-purchase-2025-03-03-2/nvidia-h100-sxm5-purchase/' "$tmp/price.yaml" >"$tmp/price_bad.yaml"
"$bin" check "$tmp/price_bad.yaml" >/dev/null 2>"$tmp/pb.err"; rc=$?
[ $rc -eq 2 ] && grep -q "economics.price: unknown price 'nvidia-h100-sxm5-purchase'" "$tmp/pb.err" && ok "unknown price key is an error" || bad "price bad"
# annuity: cost_of_capital 0.08 over 4 years costs more than straight line, by r / (1 - 1.08^-4) x 4 = 1.2077
sed 's/interconnect_share: 0.19,/interconnect_share: 0.19, cost_of_capital: 0.08,/' "$tmp/own.yaml" >"$tmp/ann.yaml"
"$bin" run "$tmp/ann.yaml" --nominal --format csv -o "$tmp/ann.csv" 2>/dev/null
ratio=$(awk -v a="$(mean "$tmp/ann.csv" cost_capex_usd)" -v b="$(mean "$tmp/own.csv" cost_capex_usd)" 'BEGIN { printf "%.12g", a / b }')
want=$(awk 'BEGIN { printf "%.12g", 0.08 / (1 - 1.08 ^ -4) * 4 }')
near "$ratio" "$want" 1e-9 && ok "annuity: capex x $ratio at 8 % over 4 years" || bad "annuity $ratio want $want"

# ---- 5. elasticities of every input: a fixed PUE gives 1 for CO2e
cat >"$tmp/sens.yaml" <<EOS
name: fixed PUE
workload: {gpu_hours: 100000}
cluster: {accelerator: H100-SXM, count: 256}
facility: {pue: 1.3}
grid: {intensity_kg_per_kwh: {dist: uniform, min: 0.3, max: 0.5}}
reliability: {failures_per_1000_node_days: 5}
sim: {samples: 200}
EOS
"$bin" sensitivity "$tmp/sens.yaml" --metric co2e_kg --sobol-samples 128 --format csv -o "$tmp/sens.csv" 2>/dev/null || bad "sensitivity"
e=$(awk -F, '$1 == "co2e_kg" && $2 == "facility.pue" { print $12 }' "$tmp/sens.csv")
near "$e" 1 0.01 && ok "elasticity of co2e_kg to a fixed facility.pue: $e (1 within 1 %)" || bad "pue elasticity $e"
u=$(awk -F, '$1 == "co2e_kg" && $2 == "facility.pue" { print $13 }' "$tmp/sens.csv")
[ "$u" = 0 ] && ok "facility.pue is ranked although fixed" || bad "pue row uncertain=$u"
"$bin" sensitivity "$tmp/sens.yaml" --metric co2e_kg --sobol-samples 128 --format json -o "$tmp/sens.json" 2>/dev/null
grep -Eq '"path": "facility.pue", "spearman": null,.*"elasticity": (0\.99|1\.00)' "$tmp/sens.json" && ok "JSON rows carry elasticity (fixed inputs: Sobol null)" || bad "json elasticity"

exit $fail
