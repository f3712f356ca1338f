#!/bin/sh
# test_outputs.sh TRAINSIM ROOT - issue 12: outputs written as '>' would, inputs from standard
# input, formats from file names, options honoured or refused, help from the command table,
# provenance, suggestions, plausibility warnings, not-modelled rows, the as-run header.
set -u
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "outputs: FAIL: $*"; fail=1; }
ok() { echo "outputs: ok: $*"; }
napkin=$root/scenarios/deepseek-v3-napkin.yaml
h800=$root/scenarios/deepseek-v3-h800.yaml
run() { "$bin" run "$napkin" --nominal --quiet "$@"; }

# ---- 1. Writing outputs
# a symlink to a file: the target is replaced, the link stays a link
echo old >"$tmp/target.json"
ln -s target.json "$tmp/link.json"
run -o "$tmp/link.json" && [ -L "$tmp/link.json" ] && grep -q '"trainsim_version"' "$tmp/target.json" \
  && ok "-o through a symlink writes the target, the link stays" || bad "-o through a symlink"
# a dangling symlink: the target is created, as '>' would
ln -s made.json "$tmp/dangling.json"
run -o "$tmp/dangling.json" && [ -L "$tmp/dangling.json" ] && [ -s "$tmp/made.json" ] \
  && ok "-o through a dangling symlink creates its target" || bad "dangling symlink"
# /dev/stdout stand-in: a link in a temporary folder to /proc/self/fd/1, onto a file and onto a pipe
if [ -e /proc/self/fd/1 ]; then
  ln -s /proc/self/fd/1 "$tmp/stdout"
  run --format json -o "$tmp/stdout" >"$tmp/via-stdout.json" && [ -L "$tmp/stdout" ] && grep -q '"metrics"' "$tmp/via-stdout.json" \
    && ok "-o LINK-TO-/proc/self/fd/1 > file: bytes delivered, the link is still a link" || bad "-o /proc/self/fd/1 onto a file"
  n=$(run --format json -o "$tmp/stdout" | grep -c '"wall_days"')
  [ "$n" -eq 1 ] && [ -L "$tmp/stdout" ] && ok "-o LINK-TO-/proc/self/fd/1 | pipe: bytes delivered" || bad "-o /proc/self/fd/1 onto a pipe"
  [ -z "$(ls "$tmp" | grep tmp)" ] && ok "no temporary file left beside the link" || bad "temporary files: $(ls "$tmp")"
fi
if [ -L /dev/stdout ]; then
  run --format json -o /dev/stdout >"$tmp/devstdout.json" && [ -L /dev/stdout ] && grep -q '"metrics"' "$tmp/devstdout.json" \
    && ok "-o /dev/stdout: delivered, /dev/stdout still a symlink" || bad "-o /dev/stdout"
else
  echo "outputs: note: /dev/stdout is not a symlink on this machine; tested through the link made above"
fi
# a link to /proc/self/fd/1 is standard output itself (>&1): the report and the samples share one stream
if [ -e /proc/self/fd/1 ]; then
  "$bin" run "$napkin" --samples 3 --quiet --format csv --samples-out "$tmp/stdout" >"$tmp/both.csv"
  grep -q '^metric,unit,mean' "$tmp/both.csv" && grep -q '^sample,' "$tmp/both.csv" && [ "$(tr -cd '\000' <"$tmp/both.csv" | wc -c)" -eq 0 ] \
    && ok "--samples-out LINK-TO-/proc/self/fd/1 > file: report and samples both there, one stream" || bad "one stream: $(head -2 "$tmp/both.csv")"
fi
# - is standard output; a pipe (FIFO) is written in place
run --format json -o - | grep -q '"wall_days"' && ok "-o - is standard output" || bad "-o -"
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo.json" &
run --format json -o "$tmp/fifo"
wait
[ -p "$tmp/fifo" ] && grep -q '"metrics"' "$tmp/from-fifo.json" && ok "-o FIFO: written in place, still a FIFO" || bad "-o fifo"
# modes: new files 0666 & ~umask, replaced files keep theirs; --samples-out and trace -o too
(umask 022 && run -o "$tmp/m644.json" && "$bin" run "$napkin" --samples 3 --quiet --samples-out "$tmp/s644.csv" -o /dev/null \
  && "$bin" trace "$napkin" --nominal --quiet -o "$tmp/t644.csv")
(umask 027 && run -o "$tmp/m640.json")
[ "$(stat -c %a "$tmp/m644.json")" = 644 ] && [ "$(stat -c %a "$tmp/s644.csv")" = 644 ] && [ "$(stat -c %a "$tmp/t644.csv")" = 644 ] \
  && ok "umask 022: -o, --samples-out and trace -o files are 0644" || bad "modes: $(stat -c %a "$tmp/m644.json" "$tmp/s644.csv" "$tmp/t644.csv")"
[ "$(stat -c %a "$tmp/m640.json")" = 640 ] && ok "umask 027: 0640" || bad "umask 027: $(stat -c %a "$tmp/m640.json")"
chmod 600 "$tmp/m644.json"
(umask 022 && run -o "$tmp/m644.json")
[ "$(stat -c %a "$tmp/m644.json")" = 600 ] && ok "a replaced file keeps its mode" || bad "replaced mode $(stat -c %a "$tmp/m644.json")"
# --plot DIR that cannot be made: exit 1 before any work, nothing on standard output
"$bin" run "$h800" --samples 5 --plot /dev/null/charts -o "$tmp/never.json" >"$tmp/plot.out" 2>"$tmp/plot.err"
rc=$?
[ $rc -eq 1 ] && [ ! -e "$tmp/never.json" ] && [ ! -s "$tmp/plot.out" ] && ! grep -q '%' "$tmp/plot.err" \
  && ok "--plot into an impossible folder: exit 1 before any work" || bad "--plot check: rc $rc $(cat "$tmp/plot.err")"

# ---- 2. Reading inputs
"$bin" run - --nominal --quiet --format json <"$napkin" >"$tmp/stdin.json" && grep -q '"file": "-"' "$tmp/stdin.json" \
  && ok "run - reads the scenario from standard input" || bad "run -"
"$bin" run <(cat "$napkin") --nominal --quiet --format json | grep -q '"wall_days"' && ok "process substitution <(...)" || bad "process substitution"
printf 'name: x\n' | iconv -f UTF-8 -t UTF-16 >"$tmp/u16.yaml"
"$bin" check "$tmp/u16.yaml" 2>"$tmp/u16.err"
[ $? -eq 2 ] && grep -q 'UTF-16.*save it as UTF-8' "$tmp/u16.err" && ok "UTF-16 named, with the fix" || bad "UTF-16: $(cat "$tmp/u16.err")"
printf 'name: x\ncluster:\n\taccelerator: H100-SXM\n' >"$tmp/tab.yaml"
"$bin" check "$tmp/tab.yaml" 2>"$tmp/tab.err"
grep -q 'tab character in the indentation' "$tmp/tab.err" && ok "tab in indentation named" || bad "tab: $(cat "$tmp/tab.err")"

# ---- 3. The format follows the file name unless --format is given
run -o "$tmp/f.json" && head -c1 "$tmp/f.json" | grep -q '{' && ok "-o x.json writes JSON" || bad "-o x.json"
run -o "$tmp/f.csv" && head -1 "$tmp/f.csv" | grep -q '^metric,unit,mean' && ok "-o x.csv writes CSV" || bad "-o x.csv"
run -o "$tmp/f.md" && grep -q '^|' "$tmp/f.md" && ok "-o x.md writes markdown" || bad "-o x.md"
run -o "$tmp/g.json" --format table && ! head -c1 "$tmp/g.json" | grep -q '{' && ok "--format wins over the name" || bad "--format wins"

# ---- 4. Every option honoured or refused
run --format json --metric wall_days --metric co2e_kg >"$tmp/m.json"
[ "$(grep -c '"unit"' "$tmp/m.json")" -eq 2 ] && ok "run --metric selects the metrics" || bad "run --metric: $(grep -c '"unit"' "$tmp/m.json")"
refuse() { # refuse WHAT ARGS...: exit 2, a message naming the command, nothing on stdout
  what=$1; shift
  "$bin" "$@" >"$tmp/r.out" 2>"$tmp/r.err"
  rc=$?
  [ $rc -eq 2 ] && [ ! -s "$tmp/r.out" ] && grep -q "$what" "$tmp/r.err" && ok "refused: $*" || bad "not refused (rc $rc): $* $(cat "$tmp/r.err")"
}
refuse "run does not take --sample" run "$napkin" --sample 5
refuse "check does not take --plot" check "$napkin" --plot "$tmp/p"
refuse "nominal runs one sample" run "$napkin" --nominal --samples 10
refuse "catalog does not take --set" catalog --set x=1
refuse "unknown format" catalog --format xml
refuse "solve does not take --plot" solve "$h800" --vary cluster.count --target 'wall_days.p90<=60' --plot "$tmp/p"
"$bin" catalog --format json >"$tmp/cat.json" && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['accelerators']['H800-SXM']['tdp_w']==700 and 'gpt-3' in d['models']" "$tmp/cat.json" \
  && ok "catalog --format json: machine-readable, models included" || bad "catalog json"
"$bin" catalog accelerators --format csv >"$tmp/cat.csv" && python3 -c "import pandas,sys; t=pandas.read_csv(sys.argv[1]); assert (t[t.key=='H800-SXM'].tdp_w==700).all()" "$tmp/cat.csv" 2>/dev/null \
  && ok "catalog --format csv reads with pandas" || { head -2 "$tmp/cat.csv" | grep -q '^catalog,key,name,tdp_w' && ok "catalog --format csv header" || bad "catalog csv"; }
"$bin" catalog | grep -q '^# models' && ok "catalog with no argument lists models too" || bad "catalog lists no models"

# ---- 5. Help per command from the command table
for c in run check catalog sweep compare solve sensitivity validate trace; do
  "$bin" help "$c" >"$tmp/h1" && "$bin" "$c" --help >"$tmp/h2" && cmp -s "$tmp/h1" "$tmp/h2" && grep -q "^usage: trainsim $c" "$tmp/h1" \
    && grep -q '^example:' "$tmp/h1" || bad "help $c"
done
ok "help COMMAND = COMMAND --help, with usage and an example, for every command"
"$bin" help sweep | grep -q -- '--vary' && "$bin" help sweep | grep -q -- '--metric' && ! "$bin" help sweep | grep -q -- '--target' \
  && ok "help sweep lists sweep's options only" || bad "help sweep"
for opt in vary target min max step largest sobol-samples; do
  "$bin" --help | grep -q -- "--$opt" || bad "--help misses --$opt"
done
ok "--help lists every option"
refuse "unknown command 'nosuch'" help nosuch

# ---- 6. --version
"$bin" --version >"$tmp/v" && head -1 "$tmp/v" | grep -q '^trainsim [0-9]' && grep -q '^commit: ' "$tmp/v" && grep -q 'MPI .*PLplot .*OpenMP' "$tmp/v" \
  && ok "--version: version, commit, features" || bad "--version: $(cat "$tmp/v")"

# ---- 7. Provenance
"$bin" run "$h800" --samples 20 --set cluster.count=4096 --format json >"$tmp/p.json" 2>/dev/null
sum=$(sha256sum "$h800" | cut -d' ' -f1)
python3 - "$tmp/p.json" "$sum" <<'PY' && ok "JSON provenance: version, build, file, sha256, overrides, inputs, warnings" || bad "provenance"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["trainsim_version"] and "commit" in d["build"] and isinstance(d["build"]["features"], list)
assert d["file_sha256"] == sys.argv[2], d["file_sha256"]
assert "cluster.count=4096" in d["overrides"] and "sim.samples=20" in d["overrides"]
assert d["inputs"]["facility.pue"] and isinstance(d["warnings"], list)
PY
"$bin" compare "$napkin" "$h800" "$root/scenarios/h100-1024-70b-us.yaml" --samples 20 --quiet --format json >"$tmp/c.json"
python3 - "$tmp/c.json" <<'PY' && ok "compare JSON: provenance per scenario, differences labelled" || bad "compare provenance"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["provenance"]) == 3 and all(len(p["file_sha256"]) == 64 for p in d["provenance"])
diffs = d["metrics"]["wall_days"]["differences"]
assert [x["b"] for x in diffs] == d["scenarios"][1:] and all(x["a"] == d["scenarios"][0] for x in diffs)
PY
"$bin" sensitivity "$h800" --samples 40 --sobol-samples 16 --metric wall_days --quiet --format json >"$tmp/s.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['file_sha256'])==64 and 'wall_days' in d" "$tmp/s.json" \
  && ok "sensitivity JSON: provenance block" || bad "sensitivity provenance"
python3 -c "import pandas,sys; t=pandas.read_csv(sys.argv[1]); assert list(t.columns[:3])==['metric','unit','mean']" "$tmp/f.csv" 2>/dev/null \
  && ok "CSV stays plain for pandas" || head -1 "$tmp/f.csv" | grep -q '^metric,unit,mean' || bad "CSV"

# ---- 8. Suggestions
sugg() { # sugg SET WANT...
  set_=$1; shift
  "$bin" check "$napkin" --set "$set_" 2>"$tmp/sg.err" >/dev/null
  for w in "$@"; do grep -q -- "$w" "$tmp/sg.err" || { bad "--set $set_: no '$w' in: $(head -1 "$tmp/sg.err")"; return; }; done
  ok "--set $set_ suggests $*"
}
sugg cluster.accelerator=H100 "did you mean 'H100-SXM' or 'H100-PCIe'?"
sugg cluster.accelerator=A100 A100-SXM-80GB A100-SXM-40GB A100-PCIe-40GB A100-PCIe-80GB
sugg grid.region=US-VX US-VA US-TX   # US-VA itself is a catalog key
"$bin" check "$napkin" --set grid.region=Norway >/dev/null 2>"$tmp/no.err"
[ $? -eq 0 ] || grep -q "'NO'" "$tmp/no.err" && ok "a region's display name (Norway) is accepted or suggested" || bad "Norway: $(head -1 "$tmp/no.err")"
"$bin" run "$napkin" --nominal --metric wall_day 2>"$tmp/me.err" >/dev/null
grep -q "did you mean 'wall_days'" "$tmp/me.err" && grep -q 'household_years' "$tmp/me.err" && ok "unknown --metric: suggestion and list" || bad "metric suggestion"
"$bin" solve "$h800" --vary cluster.count --target 'wall_days.p90<45' 2>"$tmp/t.err" >/dev/null
grep -q "only <= and >=" "$tmp/t.err" && ok "solve --target with <: only <= and >=" || bad "target <: $(cat "$tmp/t.err")"

# ---- 9. Plausibility warnings, not-modelled rows, the header as run
warn() { # warn SET WANT
  "$bin" check "$napkin" --set "$1" >/dev/null 2>"$tmp/w.err"
  [ $? -eq 0 ] && grep -q "warning: .*$2" "$tmp/w.err" && ok "warning for --set $1" || bad "no warning '$2' for $1: $(cat "$tmp/w.err")"
}
warn_h800() {
  "$bin" check "$root/scenarios/h100-1024-70b-us.yaml" --set "$1" >/dev/null 2>"$tmp/w.err"
  [ $? -eq 0 ] && grep -q "warning: .*$2" "$tmp/w.err" && ok "warning for --set $1" || bad "no warning '$2' for $1: $(cat "$tmp/w.err")"
}
warn grid.intensity_kg_per_kwh=450 'g/kWh'
warn_h800 'workload.mfu=0.8' 'MFU'
warn facility.pue=3.5 'PUE'
warn power.busy_fraction=1.2 'busy_fraction'
run | grep -q '^water_l .*not modelled (set facility.wue_l_per_kwh)' && ok "water with no WUE: not modelled" || bad "not modelled row"
"$bin" run "$h800" --samples 10 --quiet --set cluster.count=4096 >"$tmp/asrun.txt"
head -1 "$tmp/asrun.txt" | grep -q '4,096' && ! head -1 "$tmp/asrun.txt" | grep -q '2,048' && ok "the header names the scenario as run" \
  || bad "header: $(head -1 "$tmp/asrun.txt")"

# ---- 10. solve: a valid default range, integers as integers, censored evaluations, the target's statistic
"$bin" solve "$h800" --vary facility.pue --target 'total_co2e_kg.p90<=1.9e6' --largest --samples 30 --quiet --format json >"$tmp/pue.json" 2>"$tmp/pue.err"
python3 - "$tmp/pue.json" <<'PY' && ok "solve facility.pue: default range within PUE >= 1" || bad "solve pue: $(cat "$tmp/pue.err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["range"][0] >= 1 and all(e["value"] >= 1 for e in d["evaluations"]), d["range"]
PY
"$bin" solve "$h800" --vary cluster.count --target 'wall_days.p90<=45' --samples 30 --quiet >"$tmp/solve.txt"
grep -q '^evaluations.*: 8 -> .*(censored at sim.max_days)' "$tmp/solve.txt" && ok "solve: integers print as integers; censored evaluation flagged" \
  || bad "solve evaluations: $(grep '^evaluations' "$tmp/solve.txt" | cut -c1-120)"
grep -q '^metric .* P90 ' "$tmp/solve.txt" && ok "solve: the table shows the target's P90" || bad "no P90 column"

# ---- 11. docs/scenario.md is the text of 'trainsim help scenario'
"$bin" help scenario >"$tmp/keys.txt"
sed -n '/^```text$/,/^```$/p' "$root/docs/scenario.md" | sed '1d;$d' >"$tmp/keys.md"
cmp -s "$tmp/keys.txt" "$tmp/keys.md" && ok "docs/scenario.md matches trainsim help scenario" \
  || bad "docs/scenario.md is out of date: regenerate it from 'trainsim help scenario'"

[ $fail -eq 0 ] && echo "outputs: all passed"
exit $fail
