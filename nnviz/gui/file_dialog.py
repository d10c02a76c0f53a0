"""The app's file dialogs: Qt's, with icons chosen by a file's kind, never by its content.

Typing /proc/deep.nnviz in the Save dialog froze the app for good (a reviewer lost a 977-epoch
run): QFileIconProvider::icon asked QMimeDatabase::mimeTypeForFile for each file listed, which
reads the first bytes of a file whose name says nothing of its type, on the GUI thread
(QFileSystemModelPrivate::fileSystemChanged -> QFileInfoGatherer::getInfo); reading /proc/kmsg
waits for the next kernel message, forever (the main thread's stack: kmsg_read, syslog_print).
No QFileDialog option turns that off (DontUseCustomDirectoryIcons is for folders), so every
file dialog gets ``PlainIconProvider``: a folder, a file or a drive icon, and a type from the
name's suffix.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QFileInfo, QSize
from PySide6.QtWidgets import (QDialog, QFileDialog, QFileIconProvider, QHeaderView, QTreeView,
                               QWidget)

from .screen_fit import fitting_size


class PlainIconProvider(QFileIconProvider):
    """Icons and types by a file's kind and name alone: nothing is opened or read."""

    def icon(self, what):  # noqa: D102 (both overloads: an IconType or a QFileInfo)
        if isinstance(what, QFileInfo):
            kind = (QFileIconProvider.IconType.Drive if what.isRoot() else
                    QFileIconProvider.IconType.Folder if what.isDir() else
                    QFileIconProvider.IconType.File)
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:  # noqa: A003 (Qt's name)
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix} File" if suffix else "File"


_PROVIDER: PlainIconProvider | None = None


def plain_icon_provider() -> PlainIconProvider:
    """The one provider of the app's dialogs (a dialog does not own the provider it is given)."""
    global _PROVIDER
    if _PROVIDER is None:
        _PROVIDER = PlainIconProvider()
    return _PROVIDER


def start_folder(*choices: str | None) -> str:
    """The folder a file dialog opens in: the first of ``choices`` that is a folder (None and ""
    are passed over, as is a folder gone since), else the home folder."""
    for folder in choices:
        if folder and os.path.isdir(folder):
            return folder
    return os.path.expanduser("~")


# The dialog's least size: Qt's own default (~600 px wide) cut the Size column of its detail
# view to "361...tes" and "10....KiB" (r3 #11); the window's width bounds it.
DIALOG_SIZE = (860, 520)


def _fit_columns(dialog: QFileDialog) -> None:
    """Qt's own (non-native) dialog: its detail view's Size, Type and Date columns as wide as
    their contents (kept so as the folder's files load, and on every folder), the name taking
    the rest. A native dialog has no such view: nothing to do."""
    view = dialog.findChild(QTreeView, "treeView")
    if view is None:
        return
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def file_dialog(parent: QWidget | None, title: str, start: str, file_filter: str, *,
                save: bool) -> QFileDialog:
    """The app's file dialog (not yet shown): ``PlainIconProvider``, columns fitted to their
    contents, sized to show them. ``start`` is a folder, or a path whose file name is
    suggested."""
    dialog = QFileDialog(parent, title, start, file_filter)
    dialog.setIconProvider(plain_icon_provider())
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    _fit_columns(dialog)
    # DIALOG_SIZE, as wide as its row of buttons and fields asks at the font it has, no larger
    # than the window, nor than the screen. Not Qt's first size of it as a floor: that is its
    # hint before the folder is read, 887x883 in presentation mode's font, and the Save dialog
    # came up 883 px high on a 768-px projector, its file name and Save button off the screen
    # (review r29 M1; the next one was 520 high, the folder read by then).
    dialog.ensurePolished()
    width = max(DIALOG_SIZE[0], dialog.sizeHint().width())
    height = max(DIALOG_SIZE[1], dialog.minimumSizeHint().height())
    top = parent.window() if parent is not None else None
    if top is not None and top.isVisible():
        width, height = min(width, top.width() - 40), min(height, top.height() - 40)
    least = dialog.minimumSizeHint()
    size = fitting_size(dialog, QSize(max(width, least.width()), max(height, least.height())))
    dialog.resize(size)
    return dialog


def ask_file(parent: QWidget | None, title: str, start: str, file_filter: str, *,
             save: bool) -> tuple[str, str]:
    """(path, the name filter chosen) from a file dialog, ("", "") if cancelled: what
    QFileDialog.getSaveFileName / getOpenFileName give, with ``PlainIconProvider``. ``start``
    is a folder, or a path whose file name is suggested."""
    dialog = file_dialog(parent, title, start, file_filter, save=save)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return "", ""
        return dialog.selectedFiles()[0], dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()
