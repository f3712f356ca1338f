#!/bin/sh
# run_smoke.sh - the ctest smoke of one fuzz target: replay its regressions, then fuzz briefly.
#
#   run_smoke.sh FUZZER SECONDS WORKDIR CORPUS_DIR [REGRESSION_FILE...]
#
# Each regression file is run once, on its own (libFuzzer runs a file argument and exits);
# a crash, leak, timeout or sanitizer report fails the test, after every file and the
# fuzzing have run, so one run lists every open finding. Then FUZZER mutates the seed
# corpus for SECONDS. New inputs go to WORKDIR/new (emptied first), never into the
# committed corpus; crash artifacts and logs go to WORKDIR/.
set -u
fuzzer=$1
seconds=$2
work=$3
corpus=$4
shift 4
opts="-rss_limit_mb=2048 -timeout=5 -artifact_prefix=$work/"
mkdir -p "$work"
rm -rf "$work/new"
mkdir -p "$work/new"
failed=0
for f in "$@"; do
    log="$work/$(basename "$f").log"
    # shellcheck disable=SC2086
    if "$fuzzer" $opts "$f" >"$log" 2>&1; then
        echo "ok      $f"
    else
        echo "FAILED  $f"
        grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -n 3 | sed 's/^/        /'
        failed=$((failed + 1))
    fi
done
echo "== fuzzing $corpus for ${seconds}s"
# shellcheck disable=SC2086
"$fuzzer" $opts -max_total_time="$seconds" -print_final_stats=1 "$work/new" "$corpus" || failed=$((failed + 1))
if [ "$failed" -gt 0 ]; then
    echo "== $failed failure(s); logs in $work"
    exit 1
fi
