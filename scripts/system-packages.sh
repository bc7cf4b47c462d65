#!/usr/bin/env bash
# Install the Debian packages Cổng's tests and benchmarks use, if missing:
#   chromium, chromium-driver  browser journeys and the accessibility scan
#   libreoffice-writer-nogui   DOCX -> PDF for reports
#   wrk                        HTTP load generator for `make bench`
#   gettext                    compilemessages
# Runs apt-get only as root on a Debian-like system; otherwise it says what is
# missing and leaves the tests that need it to skip with that reason.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
fonts_ok=$(fc-list 2>/dev/null | grep -ci "liberation serif" || true)
[ "${fonts_ok:-0}" -gt 0 ] || need+=(fonts-liberation)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  }
else
  echo "Missing Debian packages (install as root): ${need[*]}" >&2
fi
