#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium (driven by Playwright)
# and CJK fonts (so Chinese renders in the browser and in exported charts);
# HAProxy, the load balancer of the one-machine stack in deploy/ (its tests start it on loopback),
# curl, which `make stack` uses to wait until the stack answers, and procps (ps for memmon, pkill for
# `make stack-stop`).
# Installs only what is missing; needs root (CI and the dev machines run as root).
set -euo pipefail
packages=(chromium fonts-noto-cjk haproxy curl procps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}"
apt-get update
# Debian's haproxy package starts a system HAProxy when installed; the stack runs its own under supervisord
# (deploy/), so keep services from starting during the install unless a policy already decides.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && own_policy=1
fi
trap 'if [ "$own_policy" -eq 1 ]; then rm -f "$policy"; fi' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
