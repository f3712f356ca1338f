#!/bin/sh
# test_markdown.sh TRAINSIM ROOT - --format markdown for run, compare and validate (issue 7):
# the plain-language statement, the table, the method note; other commands refuse it.
set -u
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "markdown: FAIL: $*"; fail=1; }
ok() { echo "markdown: ok: $*"; }
h800=$root/scenarios/deepseek-v3-h800.yaml
napkin=$root/scenarios/deepseek-v3-napkin.yaml

# 1. run: the statement with the median, the 90 % interval, MWh, t CO2e and car-years.
"$bin" run "$h800" --format markdown -o "$tmp/run.md" 2>/dev/null || bad "run --format markdown"
grep -q '^## DeepSeek-V3 pre-training on 2,048 H800 SXM (realistic)$' "$tmp/run.md" && ok "heading" || bad "heading"
grep -q '^Training DeepSeek-V3 on 2,048 H800-SXM accelerators is expected to take 61.6 days (90 % interval 60.6–62.9 days), use 3,010 MWh of facility energy (2,420–3,690 MWh) and emit 1,530 t CO₂e (905–2,170 t), about 333 car-years of driving\.' "$tmp/run.md" \
  && ok "run statement" || bad "run statement: $(sed -n 3p "$tmp/run.md")"
n_metrics=$("$bin" help metrics | wc -l)   # the metric table: other parts add metrics
# not modelled for this scenario: site and off-site water, the capex, energy and facility cost
# parts (no such prices), and the five throughput metrics (a gpu_hours workload): 10
grep -q '^| metric | unit | mean | P5 | P50 | P95 |$' "$tmp/run.md" && [ "$(grep -c '^| ' "$tmp/run.md")" -eq $((n_metrics + 1)) ] \
  && [ "$(grep -c '^| .* | not modelled (set [^|]*) |' "$tmp/run.md")" -eq 10 ] \
  && grep -q '^| site water | L | not modelled (set facility.wue' "$tmp/run.md" \
  && grep -q '^| model FLOP utilisation | fraction | not modelled' "$tmp/run.md" \
  && ok "table: header and one row per metric ($n_metrics); site water and the throughput metrics not modelled" || bad "table"
grep -q '1,000 Monte Carlo samples, seed 1, 5-minute steps' "$tmp/run.md" && ok "method note" || bad "method note"
"$bin" run "$napkin" --nominal --quiet --format markdown | grep -q '^Training DeepSeek-V3 on 2,000 H800-SXM accelerators takes 58.1 days, uses 1,520 MWh of facility energy and emits 886 t CO₂e, about 193 car-years of driving\.' \
  && ok "nominal statement (the napkin anchor)" || bad "nominal statement"

# 2. compare: a statement per scenario, the paired difference, a table with P([1] < [2]).
"$bin" compare "$napkin" "$h800" --samples 200 --quiet --format markdown -o "$tmp/cmp.md" || bad "compare --format markdown"
[ "$(grep -c '^- \*\*\[[12]\]\*\* Training DeepSeek-V3 on' "$tmp/cmp.md")" -eq 2 ] && ok "compare: two statements" || bad "compare statements"
grep -q '^Sample by sample against \[1\], \[2\] changes wall time by +' "$tmp/cmp.md" && grep -q 'paired samples\.$' "$tmp/cmp.md" \
  && ok "compare: paired difference sentence" || bad "compare difference: $(grep Sample "$tmp/cmp.md")"
grep -q '| \[2\] − \[1\] | P(\[1\] < \[2\]) |' "$tmp/cmp.md" && ok "compare: table" || bad "compare table"

# 3. validate: the summary statement and one table row per reported figure.
"$bin" validate "$root/scenarios/published" --format markdown -o "$tmp/val.md" || bad "validate --format markdown"
n_runs=$(ls "$root"/scenarios/published/*.yaml | wc -l)
grep -q "^Across $n_runs published runs, [0-9]* of [0-9]* consistency checks" "$tmp/val.md" && ok "validate statement" || bad "validate statement"
rows=$("$bin" validate "$root/scenarios/published" --format csv | sed 1d | wc -l)
[ "$(grep -c '^| .* | `' "$tmp/val.md")" -eq "$rows" ] && ok "validate: $rows rows" || bad "validate rows"

# 4. The other commands refuse it (exit 2).
"$bin" sweep "$h800" --vary cluster.count=1024 --format markdown >/dev/null 2>&1
[ $? -eq 2 ] && ok "sweep refuses markdown" || bad "sweep accepted markdown"
"$bin" run "$h800" --format md >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'expected table, json, csv, markdown' "$tmp/err" && ok "unknown format lists markdown" || bad "unknown format message"
exit $fail
