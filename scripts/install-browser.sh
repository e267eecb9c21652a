#!/usr/bin/env bash
# Installs the browser the admin UI tests (test/ui) drive: Debian's chromium at
# /usr/bin/chromium, plus fonts-liberation so screenshots have readable text.
# Idempotent and quiet: does nothing when chromium is already there; otherwise runs
# apt-get non-interactively (as root, or through sudo), refreshing the package lists
# only if the install fails without them.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-liberation)

if [[ -x "${CHROMIUM}" ]]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: ${CHROMIUM} is missing and this is not a Debian-like system (no apt-get); install chromium so that ${CHROMIUM} exists." >&2
  exit 1
fi

as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-browser: installing chromium needs root (or sudo)." >&2; exit 1; }
  as_root=(sudo)
fi

log="$(mktemp -t install-browser.XXXXXX)"
trap 'rm -f "${log}"' EXIT
apt() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 "$@" >>"${log}" 2>&1; }

echo "installing ${PACKAGES[*]} (for the admin UI tests)"
if ! apt install --no-install-recommends "${PACKAGES[@]}"; then
  # A fresh machine or container often has no package lists yet.
  if ! { apt update && apt install --no-install-recommends "${PACKAGES[@]}"; }; then
    cat "${log}" >&2
    echo "install-browser: apt-get could not install ${PACKAGES[*]}." >&2
    exit 1
  fi
fi

if [[ ! -x "${CHROMIUM}" ]]; then
  cat "${log}" >&2
  echo "install-browser: the chromium package is installed but ${CHROMIUM} is missing." >&2
  exit 1
fi
"${CHROMIUM}" --version 2>/dev/null || true
