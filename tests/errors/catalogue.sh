#!/bin/sh
# catalogue.sh - prints one example of every distinct diagnostic in the error corpus (the
# first line of each case's stderr, one per message shape), for README.md's error catalogue.
# Run from anywhere: sh tests/errors/catalogue.sh
cd "$(dirname "$0")" || exit 1
for f in *.stderr; do
  grep -m1 -E "(error|warning): " "$f"
done | awk '{
  msg = $0; sub(/^.*(error|warning): /, "", msg)
  t = msg
  gsub(/'"'"'[^'"'"']*'"'"'/, "Q", t); gsub(/-?[0-9][0-9.e+]*/, "N", t)
  gsub(/^[a-zA-Z_.\[\]N0-9<>-]+: /, "", t); gsub(/\([^)]*\)/, "", t)
  split(t, w, " "); k = w[1] " " w[2] " " w[3]
  if (!(k in seen)) { seen[k] = 1; print $0 }
}' | sort -t: -k4
