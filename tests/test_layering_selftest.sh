#!/bin/sh
# test_layering_selftest.sh LAYERING_SH SIM_DIR - the layering test fails when it should: it
# runs on copies of SIM_DIR, each given one forbidden include (a layer reaching up, a layer or
# the library reaching into the executable, a library outside its file, an unnamed folder),
# and must fail on each; on the clean copy, and with a sim/cmd/ folder whose files include
# anything, it must pass.
set -u
layering=$1 sim=${2%/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# fresh: a clean copy of the tree in $tmp/sim
fresh() { rm -rf "$tmp/sim" && cp -R "$sim" "$tmp/sim"; }

# expect pass|fail WHAT [NAMED]: runs the layering test on $tmp/sim; a failure must name NAMED
expect() {
  sh "$layering" "$tmp/sim" >"$tmp/out" 2>&1
  rc=$?
  if { [ "$1" = pass ] && [ $rc -eq 0 ]; } || { [ "$1" = fail ] && [ $rc -ne 0 ] && grep -q "layering: .*${3:-}" "$tmp/out"; }; then
    echo "layering self-test: ok: $2 ($1)"
  else
    echo "layering self-test: FAIL: $2: expected $1, got rc $rc:"; sed 's/^/  /' "$tmp/out"; fail=1
  fi
}

# bad FILE LINE WHAT: one line appended to FILE of a fresh copy must fail the test
bad() { fresh; printf '%s\n' "$2" >>"$tmp/sim/$1"; expect fail "$3" "$1"; }

fresh
expect pass "the tree as it is"

bad core/spec.h '#include "output/report.h"' "core/ including output/"
bad core/engine.c '#include "sample/montecarlo.h"' "core/ including sample/"
bad util/xalloc.c '#include "core/spec.h"' "util/ including core/"
bad load/catalog.c '#include "sample/dist.h"' "load/ including sample/"
bad output/writer.c '#include "sample/montecarlo.h"' "output/ including sample/"
bad output/writer.c '#include "core/spec.h"' "output/ including core/"
bad sample/dist.c '#include "output/writer.h"' "sample/ including an output/ header other than report.h"
bad sample/dist.c '#include "load/load.h"' "sample/ including load/"
bad load/catalog.c '#include "commands.h"' "a layer including a header of the executable"
bad core/engine.c '#include "cli.h"' "a layer including a top-level header without a folder"
bad output/plot.c '#include "cmd/cli.h"' "a layer including cmd/"
bad trainsim.c '#include "cli.h"' "the library including a header of the executable"
bad trainsim.c '#include "cmd/plan.h"' "the library including cmd/"
bad core/engine.c '#include <stdio.h>' "core/ doing I/O"
bad load/catalog.c '#include <yaml.h>' "libyaml outside load/ytree.c"
bad output/writer.c '#include <gsl/gsl_sort.h>' "GSL outside sample/"
bad main.c '#include <mpi.h>' "MPI outside util/par.c"
bad commands.c '#include <plplot.h>' "PLplot outside output/plot*.c"
fresh; mkdir "$tmp/sim/extra" && echo 'int x;' >"$tmp/sim/extra/x.c"; expect fail "a folder the rules do not name" "sim/extra/"

# The executable's folder: its files include anything, including each other without a folder.
fresh
mkdir "$tmp/sim/cmd"
printf '#include "cli.h"\n#include "cmd/run.h"\n#include "other.h"\n#include "output/plot.h"\n#include "sample/montecarlo.h"\n' >"$tmp/sim/cmd/run.c"
printf '#include "core/spec.h"\n' >"$tmp/sim/cmd/run.h"
printf '#include "load/load.h"\n' >"$tmp/sim/cmd/other.h"
expect pass "sim/cmd/ files including anything"
printf '#include "profile.h"\n' >>"$tmp/sim/core/engine.c"
expect pass "a layer including its own header without a folder"

exit $fail
