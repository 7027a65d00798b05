#!/bin/sh
# Installs Debian packages the tests need, unless FILE is already there.
# usage: scripts/apt-install.sh FILE "WHAT FOR" PACKAGE...
# Runs apt-get as root or through sudo; when it cannot, prints the command to run by hand and fails.
set -u
file=$1 purpose=$2
shift 2
[ -e "$file" ] && exit 0
printf '\n\033[1m==> %s\033[0m\n' "Installing Debian's $* for $purpose"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo=none; fi
if [ "$sudo" != none ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@" ||
    { $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@"; }
fi
if [ ! -e "$file" ]; then
  echo "Could not install $*. Install Debian's packages by hand, then run make again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $*" >&2
  exit 1
fi
