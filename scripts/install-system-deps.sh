#!/usr/bin/env bash
# Install the Debian packages the project runs on, only those missing. Idempotent; needs root or sudo.
set -euo pipefail

declare -A BIN_TO_PKG=(
  [mosquitto]=mosquitto
  [ffmpeg]=ffmpeg
  [ffprobe]=ffmpeg
  [espeak-ng]=espeak-ng
  # `radio backup` / `radio restore` on PostgreSQL (launcher/backup.py).
  [pg_dump]=postgresql-client
  [pg_restore]=postgresql-client
  # The nginx option of a deployment (deploy/nginx-commune-radio.conf), run privately by tests/web/test_nginx_media.py.
  [nginx]=nginx-light
)
# Extra packages can be requested, e.g. EXTRA_BINS="chromium" for browser tests.
for bin in ${EXTRA_BINS:-}; do BIN_TO_PKG[$bin]=$bin; done

missing=()
for bin in "${!BIN_TO_PKG[@]}"; do
  if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$bin" ]; then
    missing+=("${BIN_TO_PKG[$bin]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
echo "installing system packages: $pkgs"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
# The Debian package starts a system broker on 1883; we only need the binary (tests use private brokers).
# nginx-light likewise starts a system nginx on port 80 where systemd runs: the tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
fi
