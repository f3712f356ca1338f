#!/bin/sh
# test_mpi.sh TRAINSIM MPIEXEC ROOT - output under 2 and 3 MPI ranks is byte-identical to one process.
set -u
bin=$1 mpiexec=$2 root=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # name, then the trainsim arguments
  name=$1
  shift
  "$bin" "$@" >"$tmp/one" 2>/dev/null
  for np in 2 3; do
    "$mpiexec" -np $np --oversubscribe "$bin" "$@" >"$tmp/many" 2>"$tmp/err"
    if cmp -s "$tmp/one" "$tmp/many" && [ -s "$tmp/one" ]; then
      echo "mpi: ok: $name with $np ranks is byte-identical"
    else
      echo "mpi: FAIL: $name with $np ranks differs"; head -5 "$tmp/err"; fail=1
    fi
  done
}
s=$root/scenarios/deepseek-v3-h800.yaml
check run run "$s" --samples 301 --format json
check run-samples-out run "$s" --samples 97 --format csv --samples-out /dev/stdout
check sweep sweep "$s" --vary cluster.count=1024,2048,4096 --samples 60 --format json
check compare compare "$s" "$root/scenarios/deepseek-v3-napkin.yaml" --samples 50 --format csv --quiet
check sensitivity sensitivity "$s" --samples 80 --sobol-samples 40 --format json
check validate validate "$root/scenarios/published" --format csv
[ $fail -eq 0 ] && echo "mpi: all passed"
exit $fail
