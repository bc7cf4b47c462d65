#!/usr/bin/env bash
# Install the Debian packages of the production recipe on this machine, if
# missing (docs/deployment.md):
#   nginx (1.22) with the cache-purge module, the reverse
#   proxy and its cache; PostgreSQL and Redis are installed by the operator
#   (or already present on a development machine).
# Runs apt-get only as root on a Debian-like system; otherwise it says what
# is missing and the tests that need nginx skip with that reason.
set -euo pipefail
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
[ -e /usr/share/nginx/modules-available/mod-http-cache-purge.conf ] \
  || [ -e /usr/lib/nginx/modules/ngx_http_cache_purge_module.so ] \
  || need+=(libnginx-mod-http-cache-purge)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The packaged nginx service is not started: Cổng runs its own units.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  }
else
  echo "Missing Debian packages (install as root): ${need[*]}" >&2
fi
