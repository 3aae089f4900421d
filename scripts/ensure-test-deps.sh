#!/bin/sh
# Installs the Debian packages the tests use when they are missing: OpenSSH's server (the real test host),
# sudo (become), ansible-core (the ansible engine, interop and conformance tests), Chromium and the native
# build tools code-server's install needs (the real VS Code used by the e2e tests).
set -eu
missing=""
need() { dpkg -s "$1" >/dev/null 2>&1 || missing="$missing $1"; }
need openssh-server
need openssh-client
need sudo
need ansible-core
need chromium
# the ⏱ of inlay hints and code lenses in the UI screenshots
need fonts-noto-color-emoji
need libkrb5-dev
need build-essential
need pkg-config
need python3
need procps
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-test-deps: missing Debian packages:$missing" >&2
  echo "install them with: sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "ensure-test-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
