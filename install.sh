#!/usr/bin/env bash
# Builds meshdeck in release mode and installs the binary, shell completions and man pages under
# PREFIX (default ~/.local). Needs no root. Prints every file it installs; exits non-zero on any
# failure. MESHDECK_BINARY=path installs that binary instead of building one.
set -euo pipefail

PREFIX="${PREFIX:-$HOME/.local}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [ -n "${MESHDECK_BINARY:-}" ]; then
  # Packagers and the test suite install a binary built elsewhere.
  binary="$MESHDECK_BINARY"
else
  command -v cargo >/dev/null 2>&1 || { echo "install.sh: cargo not found; install Rust (https://rustup.rs) first" >&2; exit 1; }
  echo "Building meshdeck (release)..." >&2
  cargo build --release --locked --bin meshdeck
  target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null || echo "$here/target")"
  binary="$target_dir/release/meshdeck"
fi
[ -x "$binary" ] || { echo "install.sh: no meshdeck binary at $binary" >&2; exit 1; }

put() { # put SRC DEST MODE
  install -D -m "$3" "$1" "$2"
  echo "installed $2"
}

put "$binary" "$PREFIX/bin/meshdeck" 0755
put completions/meshdeck.bash "$PREFIX/share/bash-completion/completions/meshdeck" 0644
put completions/_meshdeck "$PREFIX/share/zsh/site-functions/_meshdeck" 0644
put completions/meshdeck.fish "$PREFIX/share/fish/vendor_completions.d/meshdeck.fish" 0644
put completions/meshdeck.elv "$PREFIX/share/elvish/lib/meshdeck.elv" 0644
put completions/_meshdeck.ps1 "$PREFIX/share/powershell/Modules/meshdeck/_meshdeck.ps1" 0644
for page in man/*.1; do
  put "$page" "$PREFIX/share/man/man1/$(basename "$page")" 0644
done

"$PREFIX/bin/meshdeck" --version
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "note: $PREFIX/bin is not on your PATH; add it to use meshdeck by name" >&2 ;;
esac
