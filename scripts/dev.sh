#!/usr/bin/env bash
# Frontdesk set-up and launch, from a fresh Debian/Ubuntu machine with Python 3.11+.
#
#   bash scripts/dev.sh app     set up, then open the app (a demo clinic on first run)
#   bash scripts/dev.sh test    set up, then run every check and the whole test suite
#
# Creates or reuses .venv. System libraries are installed with apt when running as root;
# otherwise the missing ones are named in one message.
set -euo pipefail
cd "$(dirname "$0")/.."

QT_PACKAGES="libegl1 libgl1 libx11-6 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
  libfreetype6 libglib2.0-0 libdbus-1-3 fonts-dejavu-core fonts-noto-core fonts-noto-cjk
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-cursor0 libxcb-xinerama0"
TEST_PACKAGES="postgresql cups printer-driver-cups-pdf gnome-keyring dbus dbus-x11 xvfb xauth"

need_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  else
    echo "Frontdesk needs these system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
}

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$candidate"
      return
    fi
  done
  echo "Frontdesk needs Python 3.11 or newer." >&2
  exit 1
}

ensure_venv() {
  if [ ! -x .venv/bin/python ]; then
    "$(pick_python)" -m venv .venv
  fi
  local stamp=.venv/.frontdesk-installed
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test]"
    touch "$stamp"
  fi
}

# Prism checks the app's Twilio requests against Twilio's published OpenAPI contract.
ensure_prism() {
  if [ ! -x .tools/node_modules/.bin/prism ]; then
    command -v npm >/dev/null 2>&1 || need_packages nodejs npm
    echo "Installing Prism (Twilio contract tests) into .tools/"
    npm install --prefix .tools --no-audit --no-fund --loglevel=error @stoplight/prism-cli@5 >/dev/null
  fi
}

# import-linter reads packages from disk, so the contracts are checked on the layout a wheel
# installs (ui/, db/ and resources/ mapped under frontdesk), from its own folder so the
# checkout does not shadow it.
check_imports() {
  rm -rf .build/layout && mkdir -p .build
  .venv/bin/python -m pip install -q --no-deps --target .build/layout . 2>.build/pip.log ||
    { cat .build/pip.log >&2; return 1; }
  (cd .build/layout && ../../.venv/bin/lint-imports ../../pyproject.toml)
}

case "${1:-}" in
  app)
    # shellcheck disable=SC2086
    need_packages $QT_PACKAGES
    ensure_venv
    if ! .venv/bin/frontdesk settings get clinic.name >/dev/null 2>&1; then
      .venv/bin/frontdesk init --clinic "Harbour Physio" --country GB \
        --booking-url "https://harbourphysio.example/book" >/dev/null 2>&1 || true
      .venv/bin/frontdesk demo --patients 2000 --seed 7
    fi
    exec .venv/bin/frontdesk "${@:2}"
    ;;
  test)
    # shellcheck disable=SC2086
    need_packages $QT_PACKAGES $TEST_PACKAGES
    ensure_venv
    ensure_prism
    export FRONTDESK_TEST_PG_URL="${FRONTDESK_TEST_PG_URL:-$(bash scripts/ci/start_postgres.sh)}"
    if [ -f scripts/ci/start_cups.sh ]; then bash scripts/ci/start_cups.sh; fi
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    check_imports
    exec .venv/bin/pytest "${@:2}"
    ;;
  *)
    echo "usage: bash scripts/dev.sh app|test [args]" >&2
    exit 2
    ;;
esac
