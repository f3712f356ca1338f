#!/bin/sh
# run.sh BUILD_DIR ROOT [SANITIZE] - the Python package's pytest suite (issue 14).
# Installs python/ with `pip install --no-build-isolation --target` into a fresh folder (the
# README's install, without touching the system), then runs pytest from another folder, so
# the package must work from anywhere. Exits 77 (skipped) when Debian's python3 lacks
# pytest, numpy or pandas, or in a sanitizer build (Python cannot load an ASan library).
set -u
build=$1 root=$2 sanitize=${3:-}
if [ -n "$sanitize" ]; then
  echo "python: skipped: a -DTRAINSIM_SANITIZE build's library cannot be loaded into python3"
  exit 77
fi
py=
for cand in ${TRAINSIM_PYTHON:-} /usr/bin/python3 python3; do
  if "$cand" -c "import pytest, numpy, pandas" >/dev/null 2>&1; then py=$cand; break; fi
done
if [ -z "$py" ]; then
  echo "python: skipped: no python3 with pytest, numpy and pandas (apt-get install python3-pytest python3-numpy python3-pandas)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lib=$(readlink -f "$build/libtrainsim.so")
# pip builds in the source folder: build a copy, so the checkout stays clean under ctest -j.
cp -r "$root/python" "$tmp/src"
cp "$root/CMakeLists.txt" "$tmp/CMakeLists.txt"
if ! TRAINSIM_LIB="$lib" "$py" -m pip install --quiet --no-build-isolation --no-deps --target "$tmp/site" "$tmp/src" \
     >"$tmp/pip.log" 2>&1; then
  cat "$tmp/pip.log"
  echo "python: FAIL: pip install --no-build-isolation of python/"
  exit 1
fi
[ -f "$tmp/site/trainsim/libtrainsim.so" ] || { echo "python: FAIL: the library is not in the package"; exit 1; }
mkdir "$tmp/cwd"
cd "$tmp/cwd" || exit 1
env -u TRAINSIM_LIB -u TRAINSIM_CONFIGS PYTHONPATH="$tmp/site" PYTHONDONTWRITEBYTECODE=1 \
  TRAINSIM_ROOT="$root" TRAINSIM_BIN="$build/trainsim" \
  "$py" -m pytest -q -p no:cacheprovider "$root/tests/python"
