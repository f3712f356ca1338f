#!/bin/sh
# test_capi.sh CMAKE CC BUILD_DIR ROOT [CFLAGS] - the C API as a user meets it (issue 14):
# `cmake --install` into a fresh prefix, docs/example.c compiled against the INSTALLED
# header and library through pkg-config, run; its numbers equal the CLI's JSON and a bad
# override comes back as a located diagnostic.
set -u
cmake=$1 cc=$2 build=$3 root=$4 cflags=${5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "capi: FAIL: $*"; exit 1; }

"$cmake" --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "cmake --install"; }
pc=$(find "$tmp/prefix" -name trainsim.pc | head -1)
[ -n "$pc" ] || fail "no trainsim.pc installed"
[ -f "$tmp/prefix/include/trainsim.h" ] || fail "no trainsim.h installed"
export PKG_CONFIG_PATH="$(dirname "$pc")"
flags=$(pkg-config --cflags --libs trainsim) || fail "pkg-config --cflags --libs trainsim"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror $cflags "$root/docs/example.c" $flags -o "$tmp/example" || fail "compiling docs/example.c"
libdir=$(pkg-config --variable=libdir trainsim)
cd "$root" || exit 1
LD_LIBRARY_PATH="$libdir" "$tmp/example" scenarios/deepseek-v3-h800.yaml >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err"; fail "example exited $?"; }
[ -s "$tmp/err" ] && { cat "$tmp/err"; fail "the library printed to standard error"; }
cat "$tmp/out"

# The same run through the CLI: the example prints %.5g of the mean and quantiles.
"$build/trainsim" run scenarios/deepseek-v3-h800.yaml --set cluster.count=4096 --samples 2000 --seed 7 --format csv \
  >"$tmp/cli.csv" || fail "CLI run"
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
                $1 == "wall_days" { printf "%.5g %.5g %.5g %.5g", $col["mean"], $col["p5"], $col["p50"], $col["p95"] }' "$tmp/cli.csv")
got=$(awk '$1 == "wall_days" { print $3, $4, $5, $6 }' "$tmp/out")
[ -n "$want" ] && [ "$got" = "$want" ] || fail "wall_days: example says '$got', the CLI '$want'"
grep -qx '<command line>:1:15: error: cluster.count: 0 is outside the valid range \[1, 1e+07\]' "$tmp/out" ||
  fail "the bad override's diagnostic is missing"
grep -qx 'still loaded: yes, 2000 samples' "$tmp/out" || fail "a failed set changed the scenario"
echo "capi: ok"
