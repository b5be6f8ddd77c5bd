#!/usr/bin/env bash
# Debian packages PortLab needs beyond PyPI: Chromium (browser tests), CJK fonts and Pango
# and HarfBuzz (WeasyPrint PDFs), poppler (PDF to PNG checks), gettext (translations).
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v msgfmt >/dev/null || need+=(gettext)
# zbar decodes the report's QR code in the tests, as many phone and desk scanners do (pyzbar).
ldconfig -p | grep -q libzbar.so.0 || need+=(libzbar0)
ldconfig -p | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# HarfBuzz-Subset lets WeasyPrint subset the CJK font in C (fontTools takes several times longer).
ldconfig -p | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
