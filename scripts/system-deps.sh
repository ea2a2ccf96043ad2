#!/usr/bin/env bash
# WeasyPrint needs Pango (and HarfBuzz's subsetter for fast, small PDFs) from the system; the
# letter tests also look at rendered pages with poppler's pdftoppm, and the browser tests drive Chromium.
# On Debian/Ubuntu as root we install what is missing; elsewhere we say exactly what to install.
set -euo pipefail
need=()
if ! command -v ldconfig >/dev/null 2>&1 && [ ! -x /sbin/ldconfig ]; then
  # No ldconfig (macOS, Alpine): we cannot look; WeasyPrint names what is missing at first use.
  echo "Cannot check for Pango here; if letters fail, install Pango >= 1.44 (see README)." >&2
  exit 0
fi
PATH="$PATH:/sbin:/usr/sbin"
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || need+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || need+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || need+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# The browser tests drive Debian's Chromium with Playwright (its own browser download is not
# reachable here); msgfmt compiles the UI's translations.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing system packages for WeasyPrint and the letter tests: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
elif command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages for WeasyPrint and the letter tests." >&2
  echo "Run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
else
  echo "Missing system packages for WeasyPrint and the letter tests (${need[*]})." >&2
  echo "Install Pango >= 1.44, a TrueType font and poppler: macOS 'brew install pango poppler'," >&2
  echo "Fedora 'dnf install pango poppler-utils', Alpine 'apk add pango font-dejavu poppler-utils'." >&2
  echo "See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html" >&2
  exit 1
fi
