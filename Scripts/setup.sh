#!/usr/bin/env bash
# Installs what scalefit needs on a fresh Debian machine and builds the release binary.
# Idempotent: packages already present are not reinstalled; the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libopenblas-dev libgsl-dev libsqlite3-dev pkg-config librsvg2-bin sqlite3)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected the Swift 6 toolchain)" >&2; exit 1; }
echo "setup: building release binary (.build/release/scalefit)" >&2
swift build -c release --product scalefit
echo "setup: done" >&2
