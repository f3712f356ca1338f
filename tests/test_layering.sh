#!/bin/sh
# test_layering.sh SIM_DIR - the dependency rules of README.md:
#   core/ includes only core/ and util/ headers, no <yaml.h>, no <gsl/...>, no stdio I/O;
#   only load/ytree.c includes <yaml.h>; only sample/ includes <gsl/...> (and main.c, for
#   gsl_set_error_handler_off); only output/plot*.c includes <plplot.h>; output/ includes only
#   output/ and util/.
set -u
sim=$1
fail=0
bad() { echo "layering: $*"; fail=1; }
for f in "$sim"/core/*.[ch]; do
  grep -nE '#include <(yaml\.h|gsl/|stdio\.h)' "$f" && bad "$f includes a library or stdio"
  grep -nE '#include "(load|sample|output|cli|commands)' "$f" && bad "$f reaches into another layer"
done
for f in $(grep -rlE '#include <yaml\.h>' "$sim"); do
  [ "$f" = "$sim/load/ytree.c" ] || bad "$f includes <yaml.h> (only load/ytree.c may)"
done
for f in $(grep -rlE '#include <gsl/' "$sim"); do
  case "$f" in "$sim"/sample/*|"$sim"/main.c) ;; *) bad "$f includes GSL (only sample/ may)";; esac
done
for f in $(grep -rlE '#include <plplot\.h>' "$sim"); do
  case "$f" in "$sim"/output/plot*.c) ;; *) bad "$f includes PLplot (only output/plot*.c may)";; esac
done
for f in "$sim"/output/*.[ch]; do
  grep -nE '#include "(load|sample|core|cli|commands)' "$f" && bad "$f reaches outside output/ and util/"
done
for f in "$sim"/load/*.[ch]; do
  grep -nE '#include "(sample|output|cli|commands)' "$f" && bad "$f reaches into sample/ or output/"
done
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
