#!/bin/sh
# run_error.sh TRAINSIM DIR CASE - runs a deliberately broken input and checks the diagnostics.
#   DIR/CASE.yaml    the broken scenario (run from DIR: messages name "CASE.yaml")
#   DIR/CASE.args    optional: the command line after the binary (default: check CASE.yaml)
#   DIR/CASE.stderr  the exact expected standard error
#   DIR/CASE.exit    optional: the expected exit code (default 2)
# Standard output must be empty: bad input writes nothing.
# To regenerate after a deliberate message change: TRAINSIM_GOLDEN_UPDATE=1 ctest -R errors/CASE
set -u
bin=$1 dir=$2 case=$3
cd "$dir" || exit 1
if [ -f "$case.args" ]; then args=$(cat "$case.args"); else args="check $case.yaml"; fi
want_rc=2
[ -f "$case.exit" ] && want_rc=$(cat "$case.exit")
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
# shellcheck disable=SC2086
"$bin" $args >"$out" 2>"$err"
rc=$?
if [ "${TRAINSIM_GOLDEN_UPDATE:-}" = 1 ]; then cp "$err" "$case.stderr"; echo "updated $case.stderr"; exit 0; fi
fail=0
if [ "$rc" -ne "$want_rc" ]; then echo "errors/$case: exit code $rc, want $want_rc"; fail=1; fi
if [ -s "$out" ]; then echo "errors/$case: wrote to standard output:"; head -5 "$out"; fail=1; fi
if ! diff -u "$case.stderr" "$err"; then echo "errors/$case: diagnostics differ"; fail=1; fi
exit $fail
