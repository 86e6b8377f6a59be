#!/usr/bin/env bash
# Sets up what the tests need on a clean Debian/Ubuntu machine, then installs and runs them:
#   bash scripts/test.sh            check tools → apt-get what is missing (as root or with sudo) → npm install → npm test
#   bash scripts/test.sh --check    only list what is missing (exit 1 when something is)
# Without root or sudo nothing is installed: one line per missing tool names the Debian package that provides it, and
# nothing else runs. Only Debian's packages and the npm registry are used.
set -uo pipefail
here="${BASH_SOURCE[0]%/*}"; [ "$here" = "${BASH_SOURCE[0]}" ] && here=.
cd "$here/.." || exit 1

export DEBIAN_FRONTEND=noninteractive
# Electron's binary comes from outside the package registries; no test needs it (the desktop glue is tested mocked).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

# Fixed locations below are read under this prefix (empty: this machine); checking an image or chroot sets it.
ROOT="${AVISA_TOOLS_ROOT:-}"
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19

on_path() { command -v "$1" >/dev/null 2>&1; }
exists() { [ -e "$ROOT$1" ]; }

# Each check answers 0 when the tool is where the tests look for it.
has_node() {
  on_path node || return 1
  local v major minor
  v="$(node -p 'process.versions.node' 2>/dev/null)" || return 1
  major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%.*}"
  [ "$major" -gt "$NODE_MIN_MAJOR" ] || { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -ge "$NODE_MIN_MINOR" ]; }
}
has_chromium() { if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ]; else exists /usr/bin/chromium || on_path chromium; fi; }
has_postgres() {
  on_path initdb && return 0
  local bin
  for bin in "$ROOT"/usr/lib/postgresql/*/bin/initdb; do [ -x "$bin" ] && return 0; done
  return 1
}
has_mariadb() { on_path mariadbd || exists /usr/sbin/mariadbd || exists /usr/sbin/mysqld; }
has_orthanc() { on_path Orthanc || exists /usr/sbin/Orthanc || exists /usr/bin/Orthanc; }
has_dicomweb() { exists /usr/share/orthanc/plugins/libOrthancDicomWeb.so; }
has_softhsm() { on_path softhsm2-util && { exists /usr/lib/softhsm/libsofthsm2.so || exists /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so || exists /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; }; }
has_python_hl7() { exists /usr/lib/python3/dist-packages/hl7; }

# tool | Debian package | check
TOOLS=(
  "node ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}+|nodejs|has_node"
  "npm|npm|on_path npm"
  "chromium|chromium|has_chromium"
  "pdfsig|poppler-utils|on_path pdfsig"
  "pdftotext|poppler-utils|on_path pdftotext"
  "pdftocairo|poppler-utils|on_path pdftocairo"
  "qpdf|qpdf|on_path qpdf"
  "openssl|openssl|on_path openssl"
  "initdb (PostgreSQL)|postgresql|has_postgres"
  "mariadbd|mariadb-server|has_mariadb"
  "Orthanc|orthanc|has_orthanc"
  "Orthanc DICOMweb plugin|orthanc-dicomweb|has_dicomweb"
  "dump2dcm|dcmtk|on_path dump2dcm"
  "softhsm2-util|softhsm2|has_softhsm"
  "pkcs11-tool|opensc|on_path pkcs11-tool"
  "python3 hl7 module|python3-hl7|has_python_hl7"
  "Xvfb|xvfb|on_path Xvfb"
  "python3|python3|on_path python3"
  "make|make|on_path make"
  "g++|g++|on_path g++"
)

MISSING_TOOLS=()
MISSING_PACKAGES=()
find_missing() {
  MISSING_TOOLS=()
  MISSING_PACKAGES=()
  local entry tool package check
  for entry in "${TOOLS[@]}"; do
    IFS='|' read -r tool package check <<<"$entry"
    if ! eval "$check"; then
      MISSING_TOOLS+=("$tool|$package")
      case " ${MISSING_PACKAGES[*]} " in *" $package "*) ;; *) MISSING_PACKAGES+=("$package") ;; esac
    fi
  done
}

print_missing() {
  local entry tool package
  for entry in "${MISSING_TOOLS[@]}"; do
    IFS='|' read -r tool package <<<"$entry"
    printf 'missing: %s (Debian package: %s)\n' "$tool" "$package"
  done
}

# How to become root for apt-get, or nothing when that is not possible here.
privilege() {
  on_path apt-get || return 1
  if [ "$(id -u 2>/dev/null)" = "0" ]; then echo ""; return 0; fi
  on_path sudo || return 1
  # Without a terminal sudo cannot ask for a password: use it only when it needs none.
  # sudo resets the environment: DEBIAN_FRONTEND goes along as an argument.
  if [ -t 0 ] || sudo -n true 2>/dev/null; then echo "sudo DEBIAN_FRONTEND=noninteractive"; return 0; fi
  return 1
}

find_missing
if [ "${1:-}" = "--check" ]; then
  print_missing
  [ "${#MISSING_TOOLS[@]}" -eq 0 ]
  exit $?
fi

if [ "${#MISSING_TOOLS[@]}" -gt 0 ]; then
  if as="$(privilege)"; then
    echo "Installing Debian packages: ${MISSING_PACKAGES[*]}"
    $as apt-get update -qq || exit 1
    $as apt-get install -y -qq --no-install-recommends "${MISSING_PACKAGES[@]}" || exit 1
    find_missing
  fi
fi
if [ "${#MISSING_TOOLS[@]}" -gt 0 ]; then
  print_missing
  echo "Install them as root (apt-get install ${MISSING_PACKAGES[*]}) and run this command again."
  exit 1
fi

node --version && npm --version && npm install && npm test
