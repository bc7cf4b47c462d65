#!/bin/sh
# Check the systemd units with `systemd-analyze verify`, on a copy whose
# paths point at this checkout (the units name /srv/cong, user cong).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze not installed: units not verified" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for unit in "$root"/deploy/systemd/*; do
  sed -e "s#/srv/cong#$root#g" -e "s#^User=cong#User=root#" -e "s#^Group=cong#Group=root#" \
      "$unit" > "$tmp/$(basename "$unit")"
done
# The template unit is verified through one instance.
cp "$tmp/cong-worker@.service" "$tmp/cong-worker@1.service"
cd "$tmp"
# systemd-analyze exits 0 on many problems it only prints: any output fails.
out=$(systemd-analyze verify --man=no \
  cong.target cong-web.service cong-worker@1.service cong-scheduler.service \
  cong-backup.service cong-backup.timer 2>&1) || { echo "$out" >&2; exit 1; }
if [ -n "$out" ]; then
  echo "$out" >&2
  exit 1
fi
echo "systemd units: verified ($(ls "$root"/deploy/systemd | wc -l) files)"
