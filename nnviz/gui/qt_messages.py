"""Qt's log messages that say nothing to a user of nnviz are dropped; every other one goes on
to the handler that was there before (Qt's own prints it to stderr).

The offscreen platform (``--screenshot``) warns "This plugin does not support
propagateSizeHints()" from ``QPlatformWindow::propagateSizeHints`` whenever a window's minimum or
maximum size changes: nnviz's layouts do that all the time, and offscreen nothing is there to
take the hint. A successful ``--screenshot`` prints nothing on stderr.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QtMsgType, qFormatLogMessage, qInstallMessageHandler

# Exact texts, not patterns: any other warning must still reach the user.
DROPPED = frozenset({"This plugin does not support propagateSizeHints()"})

_installed = False


def install_filter() -> None:
    """Install the filter once for the process (later calls do nothing)."""
    global _installed
    if _installed:
        return
    previous = None

    def handler(mode: QtMsgType, context, message: str) -> None:
        if message in DROPPED:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(qFormatLogMessage(mode, context, message), file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    _installed = True
