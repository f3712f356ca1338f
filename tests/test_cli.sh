#!/bin/sh
# test_cli.sh TRAINSIM ROOT - end-to-end checks of the command line (DESIGN 3.7, 4, 5).
set -u
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "cli: FAIL: $*"; fail=1; }
ok() { echo "cli: ok: $*"; }

# Extracts metrics.<key>.<stat> from trainsim's JSON (one metric per line) with sed only.
get() { sed -n "s/.*\"$2\": { \"unit\": \"[^\"]*\", \"mean\": \([^,]*\), \"sd\": \([^,]*\), .*\"p50\": \([^,]*\),.*/\1 \2 \3/p" "$1" | awk -v s="$3" '{ if (s=="mean") print $1; else if (s=="sd") print $2; else print $3 }'; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

# 1. The anchor case, exactly (DESIGN 3.7).
"$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal --format json >"$tmp/napkin.json" 2>"$tmp/napkin.err" || bad "napkin run failed"
near "$(get "$tmp/napkin.json" wall_days mean)" 58.0833333333 1e-6 && ok "napkin wall_days 58.08" || bad "napkin wall_days $(get "$tmp/napkin.json" wall_days mean)"
near "$(get "$tmp/napkin.json" facility_energy_kwh mean)" 1522248 1e-3 && ok "napkin facility_energy_kwh 1,522,248" || bad "napkin energy"
near "$(get "$tmp/napkin.json" co2e_kg mean)" 885948.336 1e-3 && ok "napkin co2e_kg 885,948" || bad "napkin co2e"
near "$(get "$tmp/napkin.json" car_years mean)" 192.597 1e-3 && ok "napkin car_years 192.6" || bad "napkin car_years"
near "$(get "$tmp/napkin.json" household_years mean)" 141.066 1e-3 && ok "napkin household_years 141.1" || bad "napkin household_years"
# The tdp_w warning: always from check, with the table run, never inside a machine format.
"$bin" check "$root/scenarios/deepseek-v3-napkin.yaml" >/dev/null 2>"$tmp/check.err"
"$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal >/dev/null 2>"$tmp/table.err"
grep -q "tdp_w: 350 W departs from the catalog's 700 W" "$tmp/check.err" && \
grep -q "tdp_w: 350 W departs from the catalog's 700 W" "$tmp/table.err" && ok "napkin warns about tdp_w (check, table run)" || bad "no tdp_w warning"
[ ! -s "$tmp/napkin.err" ] && ok "run --format json writes nothing to stderr for warnings" || bad "warnings in a json run: $(head -1 "$tmp/napkin.err")"

# 2. Thread-count invariance of a stochastic scenario: identical JSON.
"$bin" run "$root/scenarios/deepseek-v3-h800.yaml" --samples 300 --threads 1 --format json >"$tmp/t1.json" 2>/dev/null
"$bin" run "$root/scenarios/deepseek-v3-h800.yaml" --samples 300 --threads 2 --format json >"$tmp/t2.json" 2>/dev/null
cmp -s "$tmp/t1.json" "$tmp/t2.json" && ok "threads 1 and 2 give identical JSON" || bad "thread count changes the output"

# 3. Common random numbers: changing one input leaves the other inputs' draws alone.
"$bin" run "$root/scenarios/deepseek-v3-h800.yaml" --samples 50 --samples-out "$tmp/a.csv" --format csv -o "$tmp/a.out" 2>/dev/null
"$bin" run "$root/scenarios/deepseek-v3-h800.yaml" --samples 50 --samples-out "$tmp/b.csv" --format csv -o "$tmp/b.out" \
  --set 'facility.pue={dist: uniform, min: 1.2, max: 1.6}' 2>/dev/null
col() { awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$1"; }
[ "$(col "$tmp/a.csv" power.busy_fraction)" = "$(col "$tmp/b.csv" power.busy_fraction)" ] && \
[ "$(col "$tmp/a.csv" reliability.failures_per_1000_node_days)" = "$(col "$tmp/b.csv" reliability.failures_per_1000_node_days)" ] && \
[ "$(col "$tmp/a.csv" interruptions)" = "$(col "$tmp/b.csv" interruptions)" ] && ok "common random numbers across a changed input" || bad "draws changed"
[ "$(col "$tmp/a.csv" facility.pue)" != "$(col "$tmp/b.csv" facility.pue)" ] && ok "the changed input changed" || bad "pue did not change"
[ "$(wc -l <"$tmp/a.csv")" -eq 51 ] && ok "--samples-out has one row per sample" || bad "samples-out rows"
head -1 "$tmp/a.out" | grep -q '^metric,unit,mean,sd,min,p5,p50,p95,max$' && ok "CSV header" || bad "CSV header: $(head -1 "$tmp/a.out")"

# 4. Same seed, same output; another seed, another output.
"$bin" run "$root/scenarios/deepseek-v3-h800.yaml" --samples 100 --seed 2 --format json >"$tmp/s2.json" 2>/dev/null
"$bin" run "$root/scenarios/deepseek-v3-h800.yaml" --samples 100 --seed 2 --format json >"$tmp/s2b.json" 2>/dev/null
"$bin" run "$root/scenarios/deepseek-v3-h800.yaml" --samples 100 --seed 3 --format json >"$tmp/s3.json" 2>/dev/null
cmp -s "$tmp/s2.json" "$tmp/s2b.json" && ! cmp -s "$tmp/s2.json" "$tmp/s3.json" && ok "seeded reproducibility" || bad "seeds"
grep -q '"seed": 2,' "$tmp/s2.json" && ok "seed echoed in JSON" || bad "seed not echoed"

# 5. -o is atomic: an unwritable target leaves nothing, exit 1; the scenario is never overwritten.
"$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal -o "$tmp/nodir/out.json" 2>/dev/null
[ $? -eq 1 ] && [ ! -e "$tmp/nodir" ] && ok "unwritable -o exits 1" || bad "unwritable -o"
cp "$root/scenarios/deepseek-v3-napkin.yaml" "$tmp/s.yaml"
"$bin" run "$tmp/s.yaml" --nominal -o "$tmp/s.yaml" 2>/dev/null
[ $? -eq 2 ] && cmp -s "$tmp/s.yaml" "$root/scenarios/deepseek-v3-napkin.yaml" && ok "-o refuses to overwrite the scenario" || bad "-o overwrote the scenario"
"$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal -o "$tmp/out.json" --format json 2>/dev/null && [ -s "$tmp/out.json" ] && \
  [ -z "$(ls "$tmp" | grep tmp)" ] && ok "-o writes the file, no temporary left" || bad "-o output"
if [ -c /dev/null ]; then
  "$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal -o /dev/null 2>/dev/null
  [ -c /dev/null ] && ok "-o /dev/null writes the device in place (no rename over it)" || bad "-o /dev/null replaced the device"
fi
if [ -w /dev/full ]; then
  "$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal >/dev/full 2>/dev/null
  [ $? -eq 1 ] && ok "a full disk exits 1" || bad "writing to /dev/full did not fail"
fi

# 5b. SIGINT or SIGTERM during a long run: exit 1, nothing written, no temporary left.
for sig in INT TERM; do
  "$bin" run "$root/scenarios/deepseek-v3-h800.yaml" --samples 2000000 --step-min 1 --threads 1 -o "$tmp/long.json" 2>"$tmp/sig.err" &
  pid=$!
  sleep 1
  kill -$sig $pid
  wait $pid
  rc=$?
  [ $rc -eq 1 ] && [ ! -e "$tmp/long.json" ] && [ -z "$(ls "$tmp" | grep tmp)" ] && grep -q "interrupted" "$tmp/sig.err" \
    && ok "SIG$sig: exit 1, nothing written" || bad "SIG$sig: exit $rc"
done

# 6. check and catalog.
"$bin" check "$root/scenarios/deepseek-v3-h800.yaml" >"$tmp/check.out" 2>&1 && grep -q "checkpoint_interval_min: 52.98" "$tmp/check.out" \
  && ok "check resolves the Young/Daly interval" || bad "check output"
for c in accelerators grids facilities equivalences models; do
  "$bin" catalog $c >"$tmp/cat.out" 2>&1 && [ -s "$tmp/cat.out" ] && ok "catalog $c" || bad "catalog $c"
done
"$bin" catalog accelerators | grep -q '^H800-SXM .* 700 ' && ok "catalog lists H800-SXM at 700 W" || bad "H800-SXM"
"$bin" --version | grep -q '^trainsim 0.1.0$' && ok "--version" || bad "--version"
"$bin" --help | grep -q 'exit codes' && ok "--help documents exit codes" || bad "--help"

# 7. --configs DIR overrides the built-in catalogs.
mkdir -p "$tmp/cfg" && cp "$root"/configs/*.yaml "$tmp/cfg/"
sed -i 's/kg_co2_per_year: 4600/kg_co2_per_year: 9200/' "$tmp/cfg/equivalences.yaml"
"$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal --format json --configs "$tmp/cfg" >"$tmp/cfg.json" 2>/dev/null
near "$(get "$tmp/cfg.json" car_years mean)" 96.2987 1e-3 && ok "--configs DIR is used" || bad "--configs"
TRAINSIM_CONFIGS="$tmp/cfg" "$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal --format json >"$tmp/cfg2.json" 2>/dev/null
cmp -s "$tmp/cfg.json" "$tmp/cfg2.json" && ok "TRAINSIM_CONFIGS is used" || bad "TRAINSIM_CONFIGS"

# 8. Runs from any directory (catalogs and models are compiled in).
(cd / && "$bin" run "$root/scenarios/deepseek-v3-napkin.yaml" --nominal --format json >/dev/null 2>&1) && ok "runs from /" || bad "run from /"

# 9. validate on a folder without scenarios is an input error (2), on a missing one a runtime error (1).
mkdir "$tmp/empty"
"$bin" validate "$tmp/empty" >"$tmp/v.out" 2>"$tmp/v.err"
[ $? -eq 2 ] && [ ! -s "$tmp/v.out" ] && grep -q "no .yaml files in" "$tmp/v.err" && ok "validate: empty folder is exit 2" || bad "validate empty folder: $(cat "$tmp/v.err")"
"$bin" validate "$tmp/missing" >/dev/null 2>&1
[ $? -eq 1 ] && ok "validate: missing folder is exit 1" || bad "validate missing folder"

[ $fail -eq 0 ] && echo "cli: all passed"
exit $fail
