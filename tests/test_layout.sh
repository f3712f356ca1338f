#!/bin/sh
# test_layout.sh TRAINSIM ROOT - the layout work form end to end (DESIGN 8): trainsim layout,
# layout: auto re-chosen by count, H800 against H100 by tensor parallelism, the breakdown chart,
# the markdown MFU phrase, the published DeepSeek-V3 prediction.
set -u
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "layout: FAIL: $*"; fail=1; }
ok() { echo "layout: ok: $*"; }
ds=$root/scenarios/deepseek-v3-h800-layout.yaml
col() { # FILE METRIC COLUMN: a statistic of a run's CSV (3 mean, 7 P50)
  awk -F, -v m="$2" -v c="$3" '$1 == m { print $c }' "$1"
}

# 1. trainsim layout: ranked rows, then the rejections by reason; json parses.
"$bin" layout "$ds" --top 5 --quiet >"$tmp/rank.txt" || bad "layout exit"
[ "$(grep -cE '^ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ ' "$tmp/rank.txt")" -eq 5 ] && grep -q '^rejected:' "$tmp/rank.txt" \
  && grep -q 'does not fit in memory' "$tmp/rank.txt" && ok "layout ranks 5 and counts the rejected" || bad "layout table"
"$bin" layout "$ds" --top 3 --format json --quiet | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["layouts"]) == 3 and d["layouts"][0]["tokens_per_gpu_s"] >= d["layouts"][2]["tokens_per_gpu_s"]' \
  && ok "layout --format json: fastest first" || bad "layout json"
"$bin" layout "$root/scenarios/deepseek-v3-h800.yaml" >/dev/null 2>"$tmp/e" ; [ $? -eq 2 ] && grep -q 'no stage of the layout form' "$tmp/e" \
  && ok "layout on a scenario without a layout stage: exit 2" || bad "layout without layout stage"

# 2. layout: auto is chosen at load, and again at another count (solve re-loads per count).
cat >"$tmp/auto.yaml" <<EOS
name: auto on A100
workload:
  architecture: {layers: 24, hidden: 2048, ffn_hidden: 8192, ffn_kind: gelu, heads: 16, vocab: 50304}
  tokens: 1e11
  seq_len: 2048
  global_batch_seqs: 512
  layout: auto
cluster: {accelerator: A100-SXM-80GB, count: 64}
facility: {pue: 1.2}
grid: {intensity_kg_per_kwh: 0.4}
EOS
a=$("$bin" check "$tmp/auto.yaml" --quiet | grep 'chosen by auto')
b=$("$bin" check "$tmp/auto.yaml" --set cluster.count=2048 --quiet | grep 'chosen by auto')
[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] && ok "auto re-chooses at another count" || bad "auto: '$a' / '$b'"
"$bin" solve "$tmp/auto.yaml" --vary cluster.count --target 'wall_days.p50<=1' --min 512 --max 8192 --step 512 --samples 50 --quiet >"$tmp/solve.txt" \
  && ok "solve --vary cluster.count with layout: auto" || bad "solve with auto"

# 3. H800 against H100: with tp 8 the H800's 200 GB/s NVLink costs time; with tp 1 they agree.
for acc in H800-SXM H100-SXM; do
  "$bin" run "$ds" --set cluster.accelerator=$acc --samples 50 --quiet --format csv -o "$tmp/$acc-tp1.csv"
  "$bin" run "$ds" --set cluster.accelerator=$acc --set 'workload.stages[0].layout.tp=8' \
    --set 'workload.stages[0].layout.pp=8' --samples 50 --quiet --format csv -o "$tmp/$acc-tp8.csv"
done
python3 - "$tmp" <<'PY' && ok "tp 8: H800 slower than H100; tp 1: within 2 %" || bad "H800 vs H100"
import csv, sys
def p50(f):
    return {r["metric"]: float(r["p50"]) for r in csv.DictReader(open(f))}["tokens_per_gpu_s"]
d = sys.argv[1]
h8_1, h1_1 = p50(d + "/H800-SXM-tp1.csv"), p50(d + "/H100-SXM-tp1.csv")
h8_8, h1_8 = p50(d + "/H800-SXM-tp8.csv"), p50(d + "/H100-SXM-tp8.csv")
print(f"  tp1 H800 {h8_1:.0f} H100 {h1_1:.0f}; tp8 H800 {h8_8:.0f} H100 {h1_8:.0f} tokens/s/GPU")
assert abs(h8_1 / h1_1 - 1) < 0.02 and h8_8 < 0.9 * h1_8
PY

# 4. The chart and the markdown statement.
"$bin" layout "$ds" --top 6 --plot "$tmp/plot" --quiet >/dev/null
[ -s "$tmp/plot/layout-step.png" ] && [ -s "$tmp/plot/layout-step.svg" ] && ok "layout --plot: the step-time breakdown chart" || bad "layout chart"
"$bin" run "$ds" --samples 50 --quiet --format markdown | grep -qE ' at [0-9.]+–[0-9.]+ % MFU' \
  && ok "markdown statement says 'at N-M % MFU'" || bad "markdown MFU phrase"

# 5. The published case: DeepSeek-V3's pre-training GPU-hours inside the simulated P5-P95.
"$bin" validate "$root/scenarios/published" --format csv --quiet | grep 'from the layout' | grep -q ',true,prediction,' \
  && ok "DeepSeek-V3 GPU-hours from the layout: the reported 2.664M inside P5-P95" || bad "published DeepSeek prediction"

# 6. check prints what it resolved, architecture and hardware included: it reloads to itself.
"$bin" check "$tmp/auto.yaml" --set cluster.nvlink_gb_s=200 --quiet >"$tmp/r1.yaml" || bad "check r1"
"$bin" check "$tmp/r1.yaml" --quiet >"$tmp/r2.yaml" || bad "check r2"
sed -e 1d -e "s/ *#.*//" "$tmp/r1.yaml" >"$tmp/r1.body"   # comments (chosen by auto, ...) aside
sed -e 1d -e "s/ *#.*//" "$tmp/r2.yaml" >"$tmp/r2.body"
cmp -s "$tmp/r1.body" "$tmp/r2.body" && grep -q '^  nvlink_gb_s: 200$' "$tmp/r2.yaml" \
  && grep -q '^  architecture: {layers: 24' "$tmp/r2.yaml" \
  && ok "check's resolved scenario reloads to itself (architecture, nvlink override kept)" || bad "check round trip"

# 7. layout ranks only layouts the loader accepts: interleave > 1 exactly with the interleaved schedule.
n=$("$bin" layout "$tmp/auto.yaml" --top 100000 --format csv --quiet | awk -F, 'NR > 1 && (($7 > 1) != ($8 == "interleaved"))' | wc -l)
[ "$n" -eq 0 ] && ok "layout's ranking: interleave and schedule agree in every row" || bad "$n rows the loader would reject"

# 8. compare marks what one side does not model instead of printing nan or zeros.
"$bin" compare "$root/scenarios/deepseek-v3-h800.yaml" "$ds" --samples 20 --quiet --metric mfu >"$tmp/cmp.txt"
grep -q '^\[1\] .*not modelled (set ' "$tmp/cmp.txt" && grep -q '^\[2\]-\[1\] .*not modelled$' "$tmp/cmp.txt" \
  && ! grep -q nan "$tmp/cmp.txt" && ok "compare table: not modelled, no nan" || bad "compare not modelled"

[ $fail -eq 0 ] && echo "layout: all passed"
exit $fail
