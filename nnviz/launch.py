"""The ``nnviz`` program's entry point: a first look at the arguments, before the imports.

``nnviz.cli`` imports the engine (jax) before argparse reads a word, and the window imports Qt:
~4.5 s on a quiet machine. What can be checked without them is checked here first, with the
message the parser would give: a mistyped view, ``--show backprp``, was said only after those
seconds (review r25 F11).
"""
from __future__ import annotations

import sys
from typing import Sequence

from nnviz.view_names import view_name

_COMMANDS = ("train", "sweep")


def early_error(argv: Sequence[str]) -> str:
    """The error in ``argv`` found without importing jax or Qt ("" if none): an unknown
    ``--show`` view of the window's command line (a command's own options are its parser's)."""
    for i, arg in enumerate(argv):
        if arg in _COMMANDS or arg == "--":
            return ""
        if arg == "--show" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--show="):
            value = arg.split("=", 1)[1]
        else:
            continue
        try:
            view_name(value)
        except ValueError as e:
            return f"argument --show: {e} (see 'nnviz --help')"
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    error = early_error(sys.argv[1:] if argv is None else list(argv))
    if error:
        print(f"nnviz: error: {error}", file=sys.stderr)
        return 2
    from nnviz.cli import main as cli_main
    return cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
