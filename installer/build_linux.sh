#!/usr/bin/env bash
# The Linux frozen build of BMT Desktop, then its self-test without a screen.
#
#   bash installer/build_linux.sh
#
# Builds dist/bmt-desktop/ with PyInstaller from installer/bmt_desktop.spec (installs
# PyInstaller first when it is missing), runs `dist/bmt-desktop/bmt-desktop --self-test`
# with QT_QPA_PLATFORM=offscreen and prints the build time and the bundle's size. The
# Windows build is the same spec on Windows (installer/build_windows.ps1, the workflow in
# .github/workflows/windows.yml). PYTHON picks the interpreter (default: python3), which must
# have the project installed (pip install -e .).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -m PyInstaller --version >/dev/null 2>&1; then
  "$PYTHON" -m pip install -q "pyinstaller>=6.10"
fi

started=$(date +%s)
"$PYTHON" -m PyInstaller installer/bmt_desktop.spec --noconfirm --clean \
  --distpath dist --workpath build/pyinstaller --log-level WARN
built=$(date +%s)

bundle=dist/bmt-desktop
echo "--- self-test of the frozen build (offscreen)"
QT_QPA_PLATFORM=offscreen "$bundle/bmt-desktop" --self-test
tested=$(date +%s)

size_mb=$(du -sm "$bundle" | cut -f1)
files=$(find "$bundle" -type f | wc -l)
echo "--- PyInstaller $("$PYTHON" -m PyInstaller --version), $("$PYTHON" --version)"
echo "build: $((built - started)) s; self-test: $((tested - built)) s"
echo "bundle: $bundle, ${size_mb} MB in ${files} files"
