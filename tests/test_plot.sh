#!/bin/sh
# test_plot.sh TRAINSIM ROOT HAVE_PLOT - the charts of --plot (issue 7): every chart file of
# run, sweep, compare, sensitivity and trace is written, is a valid PNG of the documented
# size (signature, IHDR width and height) and a valid SVG (root <svg> element of the same
# size; parsed by xmllint when it is installed), with no display. Built without PLplot
# (HAVE_PLOT = 0), --plot must fail before anything runs, and the test is skipped (77).
set -u
bin=$1 root=$2 have_plot=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "plot: FAIL: $*"; fail=1; }
ok() { echo "plot: ok: $*"; }
why() { echo "plot: FAIL: $*" >&2; } # inside $(...): to stderr, the caller counts
h800=$root/scenarios/deepseek-v3-h800.yaml
napkin=$root/scenarios/deepseek-v3-napkin.yaml
unset DISPLAY WAYLAND_DISPLAY # file devices only: no display may be needed

if [ "$have_plot" != 1 ]; then
  "$bin" run "$h800" --samples 5 --plot "$tmp/charts" -o "$tmp/out.txt" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 2 ] && grep -q "built without PLplot" "$tmp/err" && [ ! -e "$tmp/out.txt" ] && [ ! -e "$tmp/charts" ] \
    && ok "without PLplot, run --plot exits 2 before running" || bad "run --plot without PLplot: rc $rc, $(cat "$tmp/err")"
  for cmd in "sweep $h800 --vary cluster.count=1024" "compare $h800 $h800" "sensitivity $h800" "trace $h800"; do
    # shellcheck disable=SC2086
    "$bin" $cmd --samples 5 --plot "$tmp/charts" -o "$tmp/out.txt" 2>/dev/null
    rc=$?
    [ $rc -eq 2 ] && [ ! -e "$tmp/out.txt" ] && ok "without PLplot, ${cmd%% *} --plot exits 2" || bad "${cmd%% *} --plot: rc $rc"
  done
  [ $fail -eq 0 ] || exit 1
  echo "plot: built without PLplot: chart checks skipped"
  exit 77
fi

# u32 BE at byte offset $2 of file $1
u32() { od -An -tu1 -j "$2" -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'; }

# check_png FILE WIDTH HEIGHT
check_png() {
  sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
  ihdr=$(od -An -c -j12 -N4 "$1" | tr -d ' \n')
  w=$(u32 "$1" 16) h=$(u32 "$1" 20)
  [ "$sig" = 89504e470d0a1a0a ] && [ "$ihdr" = IHDR ] && [ "$w" = "$2" ] && [ "$h" = "$3" ] ||
    { why "$1: not a ${2}x$3 PNG (signature $sig, chunk $ihdr, ${w}x$h)"; return 1; }
}

# check_svg FILE WIDTH HEIGHT
check_svg() {
  if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --nonet "$1" 2>"$tmp/xml.err" || { why "$1: does not parse: $(head -3 "$tmp/xml.err")"; return 1; }
    root=$(xmllint --nonet --xpath 'name(/*)' "$1" 2>/dev/null)
  else
    root=$(sed -n 's/^<\(svg\)[ >].*/\1/p' "$1" | head -1)
  fi
  [ "$root" = svg ] || { why "$1: root element is '$root', not svg"; return 1; }
  grep -q "width=\"${2}pt\" height=\"${3}pt\"" "$1" || { why "$1: not ${2}x$3 pt"; return 1; }
  [ "$(tail -c 8 "$1" | tr -d '\n')" = "</svg>" ] || { why "$1: does not end with </svg>"; return 1; }
}

# expect DIR HEIGHT NAME... : each NAME.png and NAME.svg exists and is valid
expect() {
  dir=$1 height=$2
  shift 2
  n=0
  for name in "$@"; do
    [ -s "$dir/$name.png" ] && [ -s "$dir/$name.svg" ] || { why "$dir/$name.png/.svg missing"; continue; }
    check_png "$dir/$name.png" 1000 "$height" && check_svg "$dir/$name.svg" 1000 "$height" && n=$((n + 1))
  done
  echo "$n"
}
keys4="wall_days facility_energy_kwh total_co2e_kg cost_usd"
all16="wall_days gpu_hours training_gpu_hours lost_gpu_hours ettr interruptions it_energy_kwh facility_energy_kwh
co2e_kg co2e_market_kg embodied_co2e_kg total_co2e_kg water_l cost_usd car_years household_years"

# 1. run: a histogram per key metric; the report on stdout is the same with and without --plot.
"$bin" run "$h800" --samples 200 --plot "$tmp/run" >"$tmp/run.txt" 2>"$tmp/run.err" || bad "run --plot failed: $(cat "$tmp/run.err")"
"$bin" run "$h800" --samples 200 >"$tmp/run0.txt" 2>/dev/null
cmp -s "$tmp/run.txt" "$tmp/run0.txt" && ok "run --plot leaves the report unchanged" || bad "run --plot changed stdout"
[ ! -s "$tmp/run.err" ] && ok "run --plot prints nothing on stderr" || bad "run --plot stderr: $(head -5 "$tmp/run.err")"
# shellcheck disable=SC2086
n=$(expect "$tmp/run" 650 $(for k in $keys4; do echo "run-$k"; done))
[ "$n" -eq 4 ] && ok "run: 4 histograms, PNG and SVG, 1000x650" || bad "run: $n of 4 charts valid"
"$bin" run "$napkin" --nominal --quiet --plot "$tmp/nominal" >/dev/null || bad "run --nominal --plot"
# shellcheck disable=SC2086
n=$(expect "$tmp/nominal" 650 $(for k in $keys4; do echo "run-$k"; done))
[ "$n" -eq 4 ] && ok "run --nominal: 4 single-value histograms" || bad "run --nominal: $n of 4"

# 2. sweep: numbers (geometric: log axis), dates, a grid of two --vary, text values.
"$bin" sweep "$h800" --vary cluster.count=1024:4096*2 --samples 30 --plot "$tmp/sweep" >/dev/null 2>&1 || bad "sweep --plot"
# shellcheck disable=SC2086
n=$(expect "$tmp/sweep" 650 $(for k in $keys4; do echo "sweep-$k"; done))
[ "$n" -eq 4 ] && ok "sweep: 4 charts (P50 line, P5-P95 band)" || bad "sweep: $n of 4"
"$bin" sweep "$h800" --vary start=2024-01-01,2024-04-01,2024-07-01 --vary cluster.count=1024,2048 --metric co2e_kg \
  --samples 20 --plot "$tmp/sweep2" >/dev/null 2>&1 || bad "sweep dates x count --plot"
[ "$(expect "$tmp/sweep2" 650 sweep-co2e_kg)" -eq 1 ] && ok "sweep: dates on x, two series" || bad "sweep dates"
"$bin" sweep "$h800" --vary cluster.accelerator=H800-SXM,H100-SXM --metric wall_days --samples 20 --quiet \
  --plot "$tmp/sweep3" >/dev/null 2>&1 || bad "sweep text values --plot"
[ "$(expect "$tmp/sweep3" 650 sweep-wall_days)" -eq 1 ] && ok "sweep: text values as categories" || bad "sweep categories"

# 3. compare: overlaid distributions of every metric (one scenario is a single value).
"$bin" compare "$napkin" "$h800" --samples 100 --quiet --plot "$tmp/compare" >/dev/null || bad "compare --plot"
# shellcheck disable=SC2086
n=$(expect "$tmp/compare" 650 $(for k in $all16; do echo "compare-$k"; done))
[ "$n" -eq 16 ] && ok "compare: 16 charts" || bad "compare: $n of 16"

# 4. sensitivity: a tornado and a Sobol chart per metric.
"$bin" sensitivity "$h800" --samples 50 --sobol-samples 16 --plot "$tmp/sens" >/dev/null 2>&1 || bad "sensitivity --plot"
# shellcheck disable=SC2086
n=$(expect "$tmp/sens" 650 $(for k in $keys4; do echo "tornado-$k sobol-$k"; done))
[ "$n" -eq 8 ] && ok "sensitivity: 4 tornado and 4 Sobol charts" || bad "sensitivity: $n of 8"

# 5. trace: the timeline chart (taller), from a run with time-varying PUE and grid.
"$bin" trace "$h800" --sample 2 --set facility.pue_diurnal_amplitude=0.05 --set grid.seasonal_amplitude=0.2 \
  -o "$tmp/trace.csv" --plot "$tmp/trace" 2>/dev/null || bad "trace --plot"
[ "$(expect "$tmp/trace" 900 trace)" -eq 1 ] && ok "trace: 1000x900 chart" || bad "trace chart"

# 6. Nothing half-written is left; a folder that cannot be made is a runtime error (1).
leftover=$(find "$tmp" -name '.*.tmp' | wc -l)
[ "$leftover" -eq 0 ] && ok "no temporary files left" || bad "$leftover temporary files left"
"$bin" run "$h800" --samples 5 --plot /dev/null/charts >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "cannot create the folder" "$tmp/err" && ok "unwritable --plot folder: exit 1" || bad "unwritable folder: rc $rc"

exit $fail
