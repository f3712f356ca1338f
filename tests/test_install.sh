#!/bin/sh
# test_install.sh BUILD_DIR ROOT - `cmake --install` into a temporary prefix gives a working
# binary elsewhere, with its man page (naming every command and option of the command table),
# completions and example scenarios (issue 12 points 5 and 6).
set -u
build=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "install: FAIL: $*"; fail=1; }
ok() { echo "install: ok: $*"; }
p=$tmp/prefix
cmake --install "$build" --prefix "$p" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; bad "cmake --install"; exit 1; }
bin=$p/bin/trainsim
[ -x "$bin" ] && ok "P/bin/trainsim" || bad "no P/bin/trainsim"
man=$p/share/man/man1/trainsim.1
[ -f "$man" ] && [ -f "$p/share/bash-completion/completions/trainsim" ] && [ -f "$p/share/zsh/site-functions/_trainsim" ] \
  && ok "man page and completions installed" || bad "man page or completions missing"
[ -f "$p/share/trainsim/scenarios/deepseek-v3-napkin.yaml" ] && [ -d "$p/share/trainsim/scenarios/published" ] \
  && ok "example scenarios in P/share/trainsim" || bad "scenarios missing"
mkdir "$tmp/elsewhere"
(cd "$tmp/elsewhere" && "$bin" run "$p/share/trainsim/scenarios/deepseek-v3-napkin.yaml" --nominal --quiet -o out.json) \
  && grep -q '"wall_days"' "$tmp/elsewhere/out.json" && ok "the installed binary runs from another directory" || bad "installed run"
(cd "$tmp/elsewhere" && "$bin" validate "$p/share/trainsim/scenarios/published" --format csv -o /dev/null) \
  && ok "installed validate on the installed scenarios" || bad "installed validate"
# The man page names every option and command the binary knows.
for opt in $("$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
  grep -q -- "$esc\\|$opt" "$man" || bad "trainsim.1 does not mention $opt"
done
for c in $("$bin" --help | sed -n 's/^  \([a-z]*\) .*/\1/p; s/^  \([a-z]*\)$/\1/p' | sort -u); do
  grep -q "^\.B[IR]* \"$c\|^\.B[IR]* $c\|^\.BR \"$c " "$man" || bad "trainsim.1 does not describe the command $c"
done
ok "trainsim.1 mentions every option and command"
# bash completion: options of the command under the cursor, from its help.
if command -v bash >/dev/null; then
  out=$(PATH="$p/bin:$PATH" bash -c '. "$1"; COMP_WORDS=(trainsim sweep x.yaml --va); COMP_CWORD=3; _trainsim; echo "${COMPREPLY[*]}"' _ \
        "$p/share/bash-completion/completions/trainsim")
  [ "$out" = "--vary" ] && ok "bash completion: sweep --va -> --vary" || bad "bash completion gave '$out'"
  out=$(PATH="$p/bin:$PATH" bash -c '. "$1"; COMP_WORDS=(trainsim sol); COMP_CWORD=1; _trainsim; echo "${COMPREPLY[*]}"' _ \
        "$p/share/bash-completion/completions/trainsim")
  [ "$out" = "solve" ] && ok "bash completion: commands" || bad "bash command completion gave '$out'"
fi
if command -v zsh >/dev/null; then
  zsh -n "$p/share/zsh/site-functions/_trainsim" && ok "zsh completion parses" || bad "zsh completion syntax"
fi
[ $fail -eq 0 ] && echo "install: all passed"
exit $fail
