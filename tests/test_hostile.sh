#!/bin/sh
# test_hostile.sh TRAINSIM ROOT - hostile files made on the fly (issue 3): each exits 2 with a
# located message and writes nothing; a BOM and CRLF line ends simply work.
set -u
bin=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
base="name: hostile
workload:
  gpu_hours: 1000
cluster:
  accelerator: H100-SXM
  count: 8
facility:
  pue: 1.2
grid:
  intensity_kg_per_kwh: 0.4
sim:
  samples: 5"
expect() { # name, expected exit, pattern in stderr, file
  "$bin" run "$4" -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/err"
  rc=$?
  if [ $rc -eq "$2" ] && grep -q -- "$3" "$tmp/err" && [ ! -e "$tmp/out" ]; then
    echo "hostile: ok: $1 (exit $rc)"
  else
    echo "hostile: FAIL: $1: exit $rc, stderr:"; head -3 "$tmp/err"; fail=1
  fi
  rm -f "$tmp/out"
}
# A billion laughs: nine levels of ten aliases each.
{
  echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  prev=a
  for l in b c d e f g h i; do
    printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $l $l $prev $prev $prev $prev $prev $prev $prev $prev $prev $prev
    prev=$l
  done
} >"$tmp/laughs.yaml"
expect "billion laughs" 2 "laughs.yaml:[0-9]*:[0-9]*: error: document has more than 200000 nodes" "$tmp/laughs.yaml"
# Nesting 200 levels deep.
awk 'BEGIN { s = "x"; for (i = 0; i < 200; i++) s = "[" s "]"; print "name: " s }' >"$tmp/deep.yaml"
expect "deep nesting" 2 "deep.yaml:1:[0-9]*: error: .*nest.* deeper than" "$tmp/deep.yaml"
# 2 MiB of comments: over the 1 MiB cap.
{ echo "$base"; awk 'BEGIN { for (i = 0; i < 40000; i++) print "# padding padding padding padding padding padding" }'; } >"$tmp/big.yaml"
expect "file over 1 MiB" 2 "is larger than the limit of 1048576 bytes" "$tmp/big.yaml"
# Binary: random bytes with NULs.
head -c 4096 /dev/urandom >"$tmp/binary.yaml"
printf '\000\001\002' >>"$tmp/binary.yaml"
expect "binary file" 2 "error:" "$tmp/binary.yaml"
# A device that never ends.
expect "/dev/zero" 2 "error:" /dev/zero
# A directory, an empty file.
expect "directory" 2 "is a directory" "$tmp"
: >"$tmp/empty.yaml"
expect "empty file" 2 "empty.yaml:1:1: error: the file is empty" "$tmp/empty.yaml"
# Numbers that overflow, NaN, infinities, products that overflow.
echo "$base" | sed 's/gpu_hours: 1000/gpu_hours: 1e400/' >"$tmp/overflow.yaml"
expect "1e400" 2 "overflow.yaml:3:14: error: workload.gpu_hours: '1e400' is too large" "$tmp/overflow.yaml"
echo "$base" | sed 's/pue: 1.2/pue: .nan/' >"$tmp/nan.yaml"
expect "NaN" 2 "nan.yaml:8:8: error: facility.pue: '.nan' is not a number" "$tmp/nan.yaml"
echo "$base" | sed 's/count: 8/count: 10000000/; s/facility:/  tdp_w: 1e300\nfacility:/' >"$tmp/product.yaml"
expect "overflowing product" 2 "error: cluster: count x tdp_w" "$tmp/product.yaml"
echo "$base" | sed 's/samples: 5/samples: 10000000/; s/gpu_hours: 1000/gpu_hours: 1000000/' >"$tmp/ceiling.yaml"
expect "samples x steps ceiling" 2 "above the ceiling of 1e+12" "$tmp/ceiling.yaml"
echo "$base" | sed 's/name: hostile/name: hostile\nstart: 3000-01-01/' >"$tmp/time.yaml"
expect "timestamp out of range" 2 "time.yaml:2:8: error: start: '3000-01-01': year out of range" "$tmp/time.yaml"
# A UTF-8 byte order mark and CRLF line ends simply work.
printf '\357\273\277' >"$tmp/bom.yaml"
echo "$base" | sed 's/$/\r/' >>"$tmp/bom.yaml"
if "$bin" run "$tmp/bom.yaml" --format json -o "$tmp/bom.json" 2>"$tmp/err" && grep -q '"wall_days"' "$tmp/bom.json"; then
  echo "hostile: ok: BOM + CRLF run"
else
  echo "hostile: FAIL: BOM + CRLF"; head -3 "$tmp/err"; fail=1
fi
[ $fail -eq 0 ] && echo "hostile: all passed"
exit $fail
