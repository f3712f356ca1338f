#!/bin/sh
# test_formats.sh TRAINSIM WRITER_FORMATS - every command that writes a report offers exactly
# the formats its report kind's slots hold (output/writer.h): the --format list of the command
# table (`trainsim help COMMAND`) against tests/tools/writer_formats, kind by kind.
set -u
bin=$1 formats=$2
fail=0
"$formats" >/dev/null || { echo "formats: FAIL: $formats did not run"; exit 1; }
for kind in $("$formats" | cut -d: -f1); do
  want=$("$formats" | sed -n "s/^$kind: //p")
  got=$("$bin" help "$kind" | sed -n 's/^formats: \(.*\) (the first is the default)$/\1/p')
  if [ "$got" = "$want" ]; then
    echo "formats: ok: $kind: $got"
  else
    echo "formats: FAIL: $kind: the command table offers '$got', the writer's slots '$want'"; fail=1
  fi
done
exit $fail
