#!/bin/sh
# test_layering.sh SIM_DIR - the dependency rules of README.md § Architecture, for every C
# file under SIM_DIR. Each file belongs to one part of the tree:
#   util/    includes util/ only                                  (libc; MPI in util/par.c alone)
#   core/    includes core/ and util/; no <stdio.h>, no libraries  (libm)
#   load/    includes load/, core/ and util/                      (libyaml in load/ytree.c alone)
#   sample/  includes sample/, core/, util/ and output/report.h   (GSL)
#   output/  includes output/ and util/                           (PLplot in output/plot*.c alone)
#   the library (trainsim.c, trainsim.h, trainsim_internal.h) includes any layer, never a header of the executable
#   the executable (sim/*.c and *.h but trainsim.*, and everything under sim/cmd/) includes anything
# A layer never includes a header of the executable (a top-level header such as "cli.h", or
# cmd/...), and never one of a layer above it. A folder the rules do not name fails the test,
# so a new folder is placed in the layering before it holds code.
# A quoted include without a folder ("profile.h") means the including file's folder when that
# file exists there (the compiler looks there first), else SIM_DIR.
set -u
sim=${1%/}
fail=0
bad() { echo "layering: $*"; fail=1; }

# part FILE: the part of the tree a file (path relative to sim) belongs to.
part() {
  case "$1" in
    util/*) echo util ;; core/*) echo core ;; load/*) echo load ;; sample/*) echo sample ;;
    output/*) echo output ;; cmd/*) echo exec ;;
    trainsim.c|trainsim.h|trainsim_internal.h) echo lib ;;
    */*) echo "unknown" ;;
    *) echo exec ;;
  esac
}

# allowed FROM TARGET: true when a file of part FROM may include TARGET (a path relative to sim).
allowed() {
  to=$(part "$2")
  case "$1" in
    exec) return 0 ;;
    lib) [ "$to" != exec ] ;;
    util) [ "$to" = util ] ;;
    core) [ "$to" = core ] || [ "$to" = util ] ;;
    load) [ "$to" = load ] || [ "$to" = core ] || [ "$to" = util ] ;;
    sample) [ "$to" = sample ] || [ "$to" = core ] || [ "$to" = util ] || [ "$2" = output/report.h ] ;;
    output) [ "$to" = output ] || [ "$to" = util ] ;;
    *) return 1 ;;
  esac
}

for d in "$sim"/*/; do
  name=$(basename "$d")
  case "$name" in util|core|load|sample|output|cmd) ;; *) bad "sim/$name/: a folder the layering rules do not name (add it to tests/test_layering.sh and README.md)";; esac
done

files=$(cd "$sim" && find . -name '*.[ch]' | sed 's|^\./||' | sort)
[ -n "$files" ] || { echo "layering: no C files under $sim"; exit 1; }
for rel in $files; do
  from=$(part "$rel")
  dir=$(dirname "$rel")
  # every quoted include, as a path relative to sim
  for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$sim/$rel"); do
    case "$inc" in
      */*) target=$inc ;;
      *) if [ "$dir" != . ] && [ -f "$sim/$dir/$inc" ]; then target=$dir/$inc; else target=$inc; fi ;;
    esac
    allowed "$from" "$target" || bad "sim/$rel includes \"$inc\": $from/ may not include $(part "$target") headers"
  done
done

# Libraries stay where the build links them (sim/CMakeLists.txt).
for f in "$sim"/core/*.[ch]; do
  grep -nE '#include <(yaml\.h|gsl/|stdio\.h|mpi\.h|plplot\.h)' "$f" && bad "$f includes a library or stdio (core/ does no I/O)"
done
for f in $(grep -rlE '#include <yaml\.h>' "$sim"); do
  [ "$f" = "$sim/load/ytree.c" ] || bad "$f includes <yaml.h> (only load/ytree.c may)"
done
for f in $(grep -rlE '#include <gsl/' "$sim"); do
  case "$f" in "$sim"/sample/*|"$sim"/main.c) ;; *) bad "$f includes GSL (only sample/ may, and main.c for the error handler)";; esac
done
for f in $(grep -rlE '#include <plplot\.h>' "$sim"); do
  case "$f" in "$sim"/output/plot*.c) ;; *) bad "$f includes PLplot (only output/plot*.c may)";; esac
done
for f in $(grep -rlE '#include <mpi\.h>' "$sim"); do
  [ "$f" = "$sim/util/par.c" ] || bad "$f includes <mpi.h> (only util/par.c may)"
done
[ $fail -eq 0 ] && echo "layering: ok ($(echo "$files" | wc -l) files)"
exit $fail
