#!/usr/bin/env bash
# The README's pictures (docs/*.png) retaken with nnviz's own --screenshot, offscreen, at the
# README's sizes: run after a change a picture shows, so that the README shows the app as it is.
#
#     bash scripts/docs_images.sh            # all of them (~2 minutes)
#     bash scripts/docs_images.sh regions    # those whose name holds "regions"
#
# docs/exercise.png (an exercise solved, with hints and the solution open) needs clicks that
# --screenshot cannot make: it is taken by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
nnviz=("${PYTHON:-.venv/bin/python}" -m nnviz)  # (PYTHON: another environment's)
# A settings file of its own: the user's theme, palette and text size stay out of the pictures
# (the defaults: light, playground, 100%).
export QT_QPA_PLATFORM=offscreen NNVIZ_SETTINGS="${TMPDIR:-/tmp}/nnviz-docs-images.ini"
rm -f "$NNVIZ_SETTINGS"

shot() {  # shot NAME ARGS...: docs/NAME.png
    local name=$1
    shift
    [[ -z "$only" || "$name" == *"$only"* ]] || return 0
    echo "docs/$name.png"
    "${nnviz[@]}" --screenshot "docs/$name.png" "$@"
}
only=${1-}
shot screenshot --epochs 3000
shot timeline --epochs 3000 --at-epoch 400 --show network
shot compare --sweep seeds --epochs 3000 --stop-at 3000
shot landscape --dataset sine --hidden 16,16 --activation tanh --lr 0.05 --epochs 3000 \
    --show landscape
shot regions --epochs 1000 --activation relu --hidden 8 --show regions
shot backprop --epochs 1000 --show backprop
shot presentation --preset moons --epochs 1000 --presentation --size 1280x720
shot themes --epochs 1000 --theme dark --palette tol
rm -f "$NNVIZ_SETTINGS"
