#!/bin/sh
# run.sh BUILD_DIR ROOT SANITIZE pytest|notebook - the Python package's tests (issue 14).
# Installs python/ with `pip install --no-build-isolation --target` into a fresh folder (the
# README's install, without touching the system), then from another folder, so the package
# must work from anywhere: runs the pytest suite, or executes docs/planning.ipynb with
# `nbconvert --execute` (every cell must run). Exits 77 (skipped) when Debian's python3 lacks
# what the mode needs, or in a sanitizer build (Python cannot load an ASan library).
set -u
build=$1 root=$2 sanitize=$3 mode=$4
if [ -n "$sanitize" ]; then
  echo "python: skipped: a -DTRAINSIM_SANITIZE build's library cannot be loaded into python3"
  exit 77
fi
if [ "$mode" = notebook ]; then
  need="numpy, pandas, matplotlib, nbconvert, ipykernel"
  debs="python3-numpy python3-pandas python3-matplotlib python3-nbconvert python3-ipykernel"
else
  need="pytest, numpy, pandas" debs="python3-pytest python3-numpy python3-pandas"
fi
need="$need, setuptools, pip" debs="$debs python3-setuptools python3-pip"   # to install the package
py=
for cand in ${TRAINSIM_PYTHON:-} /usr/bin/python3 python3; do
  if "$cand" -c "import $need" >/dev/null 2>&1; then py=$cand; break; fi
done
if [ -z "$py" ]; then
  echo "python: skipped: no python3 with $need (apt-get install $debs)"
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
run() {
  env -u TRAINSIM_LIB -u TRAINSIM_CONFIGS PYTHONPATH="$tmp/site" PYTHONDONTWRITEBYTECODE=1 PYDEVD_DISABLE_FILE_VALIDATION=1 \
    TRAINSIM_ROOT="$root" TRAINSIM_BIN="$build/trainsim" "$py" "$@"
}
if [ "$mode" = notebook ]; then
  # The kernel inherits this environment (PYTHONPATH: the package just installed).
  cp "$root/docs/planning.ipynb" "$tmp/cwd/"
  run -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 --output executed.ipynb \
    "$tmp/cwd/planning.ipynb" || { echo "python: FAIL: docs/planning.ipynb did not execute"; exit 1; }
  run -c "import json, sys
nb = json.load(open('executed.ipynb'))
errors = [o for c in nb['cells'] for o in c.get('outputs', []) if o.get('output_type') == 'error']
figures = sum('image/png' in o.get('data', {}) for c in nb['cells'] for o in c.get('outputs', []))
print(f'notebook: {len(nb[\"cells\"])} cells, {figures} figures, {len(errors)} errors')
sys.exit(1 if errors or figures < 5 else 0)"
else
  run -m pytest -q -p no:cacheprovider "$root/tests/python"
fi
