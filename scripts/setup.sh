#!/usr/bin/env bash
# Set up nnviz on a fresh Debian/Ubuntu machine: the system libraries Qt needs, then a virtual
# environment .venv with the package. `bash scripts/setup.sh test` adds the test tools
# and the optional extras.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if command -v apt-get > /dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # libgl1 ... libdbus-1-3: what PySide6 needs to import and draw text (offscreen too);
    # the libxcb-* and libxkbcommon-x11-0: Qt's X11 platform plugin, for a real window.
    $SUDO apt-get install -y -qq --no-install-recommends \
        python3-venv libgl1 libegl1 libglib2.0-0 libfontconfig1 fonts-dejavu-core \
        libxkbcommon0 libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 \
        libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 \
        libxcb-xinerama0 libxcb-xkb1 > /dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "test" ]; then
    # With the optional extras (ONNX, animations, notebooks), so that their tests run.
    .venv/bin/python -m pip install -q -e ".[test,onnx,record,notebook]"
else
    .venv/bin/python -m pip install -q -e .
fi
