#!/usr/bin/env bash
# Debian's Chromium for the Playwright tests; installs it with apt-get when running as root.
set -u
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium (apt-get)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) || exit 1
  [ -x /usr/bin/chromium ] && exit 0
fi
exit 1
