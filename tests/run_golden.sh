#!/bin/sh
# run_golden.sh TRAINSIM NUMDIFF DIR CASE - runs a golden case and compares its output.
#   DIR/CASE.yaml      the scenario (run from DIR, so paths in the output are relative)
#   DIR/CASE.args      optional: the command line after the binary (default: run CASE.yaml --format json)
#   DIR/CASE.out       the expected standard output, compared with numdiff (relative 1e-9), less
#                      the build line of JSON outputs (commit and features vary between builds)
# To (re)generate an expected file after a deliberate change: TRAINSIM_GOLDEN_UPDATE=1 ctest -R golden/CASE
set -u
bin=$1 numdiff=$2 dir=$3 case=$4
cd "$dir" || exit 1
if [ -f "$case.args" ]; then args=$(cat "$case.args"); else args="run $case.yaml --format json"; fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086
"$bin" $args >"$out.raw"
rc=$?
# The build line of JSON outputs (commit, features) differs between builds: not compared.
grep -v '^  "build": ' "$out.raw" >"$out"
rm -f "$out.raw"
if [ $rc -ne 0 ]; then echo "golden/$case: exit code $rc"; exit 1; fi
if [ "${TRAINSIM_GOLDEN_UPDATE:-}" = 1 ]; then cp "$out" "$case.out"; echo "updated $case.out"; exit 0; fi
"$numdiff" "$case.out" "$out" 1e-9 || { echo "golden/$case: output differs from $case.out"; diff "$case.out" "$out" | head -20; exit 1; }
