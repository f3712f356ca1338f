#!/bin/sh
# test_valgrind.sh BUILD_DIR ROOT - the unit tests and every command under valgrind memcheck:
# zero errors, zero definite leaks (issue 3). Run on a build without sanitizers and without
# MPI (Open MPI's own allocations are not ours): configure with -DTRAINSIM_VALGRIND=ON.
set -u
build=$1 root=$2
vg="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
run() { # expected exit code, then the command
  want=$1
  shift
  $vg "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -eq 99 ] || [ $rc -ne "$want" ]; then
    echo "valgrind: FAIL (exit $rc, want $want): $*"
    grep -E "==[0-9]+==" "$tmp/err" | head -20
    fail=1
  else
    echo "valgrind: ok: $*"
  fi
}
for t in test_engine test_ytree test_schema test_override test_load_scenario test_writer test_timeutil test_profile \
         test_sensitivity test_arch test_output_slots test_trace test_validate test_plan; do
  run 0 "$build/tests/$t"
done
run 0 "$build/tests/test_load_arch" "$root/tests/data/hf"
bin=$build/trainsim
s=$root/scenarios
run 0 "$bin" run "$s/deepseek-v3-h800.yaml" --samples 20 --threads 2 --samples-out "$tmp/s.csv" -o "$tmp/r.txt"
run 0 "$bin" run "$s/deepseek-v3-napkin.yaml" --nominal --format json -o "$tmp/n.json"
run 0 "$bin" run "$root/tests/golden/series.yaml" --samples 5 --format csv -o "$tmp/g.csv"
run 0 "$bin" check "$s/h100-1024-70b-us.yaml" -o "$tmp/c.txt"
run 0 "$bin" catalog models -o "$tmp/m.txt"
run 0 "$bin" sweep "$s/deepseek-v3-h800.yaml" --vary cluster.count=1024,2048 --samples 10 -o "$tmp/w.txt"
run 0 "$bin" compare "$s/deepseek-v3-h800.yaml" "$s/deepseek-v3-napkin.yaml" --samples 10 --quiet -o "$tmp/cmp.txt"
run 0 "$bin" solve "$root/tests/plan/grid-only.yaml" --vary cluster.count --target 'wall_days.mean<=10' --samples 3 -o "$tmp/so.txt"
run 0 "$bin" sensitivity "$root/tests/plan/additive.yaml" --samples 20 --sobol-samples 16 -o "$tmp/se.txt"
run 0 "$bin" validate "$s/published" --format csv -o "$tmp/v.csv"
run 0 "$bin" trace "$s/deepseek-v3-h800.yaml" --sample 3 -o "$tmp/t.csv"
run 0 "$bin" run "$s/deepseek-v3-h800.yaml" --samples 10 --format markdown -o "$tmp/r.md"
# Bad input takes the error paths: still no leak.
for c in many_errors dist_unknown_name syntax_unclosed_flow_map set_yaml_error base_cycle series_pue_not_increasing; do
  [ -f "$root/tests/errors/$c.yaml" ] || continue
  args="check $c.yaml"
  [ -f "$root/tests/errors/$c.args" ] && args=$(cat "$root/tests/errors/$c.args")
  (cd "$root/tests/errors" && run 2 "$bin" $args)
done
[ $fail -eq 0 ] && echo "valgrind: all passed"
exit $fail
