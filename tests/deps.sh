#!/bin/sh
# tests/deps.sh - install the Debian packages clausal needs, if missing.
# Run as root (or with sudo available); does nothing when all are present.
set -e
PKGS="build-essential pkg-config libxapian-dev xapian-tools libstemmer-dev zlib1g-dev libzstd-dev libutf8proc-dev libjansson-dev libmicrohttpd-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
