"""Access letters (the underlined "&" letters) for the menus' entries that have none: Alt+P
opened the Presets menu, and then no letter reached "Moons" or "XOR"; the Lessons menu and its
exercises the same (a keyboard reviewer). An entry keeps the letter it was given; the others
take the first free letter that starts one of their words, else any free letter or digit of
theirs, so that within a menu no two entries share one ("1. Linear regression" takes its "1").
An entry whose letters are all taken keeps none (Qt: the arrow keys still reach it). A name
before a colon comes first ("Sine: fitting a curve" took the "a" of "a curve" when its S was
taken: now a letter of "Sine").

An entry shown in two menus (the Exercises submenu is under File and under Lessons: one action)
is given its letter again for the menu about to show: it took X under Lessons, where E is free,
because File's Export has E.

Menus whose entries are made again while the application runs (Open recent) are given theirs
each time they are about to show (:func:`install`)."""
from __future__ import annotations

from PySide6.QtWidgets import QMenu, QMenuBar

#: The dynamic property holding an entry's text before :func:`give` added its letter.
PLAIN = "nnvizPlainText"


def access_letter(text: str) -> str | None:
    """The access letter of a menu text (lower case), or None. "&&" is a literal "&"."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 2
            continue
        i += 1
    return None


def _candidates(text: str, shared: str = "") -> list[int]:
    """Positions in ``text`` of the letters and digits that could take the "&": first those
    that start a word, then the others, in reading order ("&&" skipped); those of the
    ``shared`` start (a first word several entries begin with, "Sweep:") last of all."""
    starts, others, last = [], [], []
    name_starts, name_others = [], []  # the name before a colon ("Sine: fitting a curve")
    name_end = text.find(": ") if not shared else -1
    i, before = 0, " "
    while i < len(text):
        c = text[i]
        if c == "&" and i + 1 < len(text) and text[i + 1] == "&":
            before = "&"
            i += 2
            continue
        if c.isalnum():
            first = not before.isalnum()
            if i < len(shared):
                last.append(i)
            elif i < name_end:
                (name_starts if first else name_others).append(i)
            else:
                (starts if first else others).append(i)
        before = c
        i += 1
    return name_starts + name_others + starts + others + last


def _first_word(text: str) -> str:
    return text.split(" ", 1)[0] if " " in text else ""


def with_letter(text: str, used: set[str], shared: str = "") -> str:
    """``text`` with an access letter not in ``used`` (added to it), or as it was."""
    for i in _candidates(text, shared if _first_word(text) == shared else ""):
        letter = text[i].lower()
        if letter not in used:
            used.add(letter)
            return text[:i] + "&" + text[i:]
    return text


def give(menu: QMenu, deep: bool = True) -> None:
    """Every entry of ``menu`` (and of its submenus, ``deep``) with an access letter of its
    own within its menu."""
    entries = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    for a in entries:  # an entry of two menus: its letter chosen again, for this one
        plain = a.property(PLAIN)
        if plain is not None and sum(isinstance(o, QMenu) for o in a.associatedObjects()) > 1:
            a.setText(plain)
    used = {k for a in entries if (k := access_letter(a.text())) is not None}
    firsts = [_first_word(a.text()) for a in entries]
    for a, first in zip(entries, firsts):
        # (a greyed entry, "(no recent sessions)", none: it cannot be chosen)
        if access_letter(a.text()) is None and a.isEnabled():
            plain = a.text()
            a.setText(with_letter(plain, used, first if firsts.count(first) > 1 else ""))
            if a.text() != plain:
                a.setProperty(PLAIN, plain)
        if deep and a.menu() is not None:
            give(a.menu())


def install(bar: QMenuBar) -> None:
    """Letters for every menu of ``bar`` now, and again each time one is about to show (an
    entry made since, such as a recent file, gets one)."""
    seen: list[QMenu] = []

    def walk(menu: QMenu) -> None:
        if menu in seen:  # (the Exercises menu is under File and under Lessons)
            return
        seen.append(menu)
        give(menu, deep=False)
        menu.aboutToShow.connect(lambda: give(menu, deep=False))
        for a in menu.actions():
            if a.menu() is not None:
                walk(a.menu())

    for top in bar.actions():
        if top.menu() is not None:
            walk(top.menu())
