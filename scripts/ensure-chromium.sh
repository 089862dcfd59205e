#!/usr/bin/env bash
# Debian's Chromium for the Playwright tests; installs it with apt-get when running as root.
# QMS_CHROMIUM names another executable to use instead of /usr/bin/chromium.
set -u
CHROMIUM=${QMS_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$CHROMIUM" = /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium (apt-get)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) || exit 1
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "Chromium not found at $CHROMIUM" >&2
exit 1
