"""The architecture editor's hint for wide layers with the notebook's N(0, 1) weights (r4): a
note, not a new default -- the default stays the notebook's, whose numbers the app reproduces."""
from __future__ import annotations

from nnviz.core.network import NetworkSpec
from nnviz.gui.architecture_editor import ArchitectureEditor
from nnviz.gui.widgets import set_combo


def test_wide_layers_with_normal_weights_get_a_note_that_goes_with_he(qtbot):
    editor = ArchitectureEditor()
    qtbot.addWidget(editor)
    editor.show()
    editor.set_spec(NetworkSpec())  # the notebook's 4-10-4: no hint
    assert editor.wide_hint.isHidden() and not editor.wide_hint.text()
    editor.set_spec(NetworkSpec(hidden=(512, 512), activations=("relu", "relu")))
    text = editor.wide_hint.text()
    assert editor.wide_hint.isVisible() and not editor.has_error()
    assert text.startswith("Hidden layers of up to 512 units with N(0, 1) initial weights")
    assert '"he" (for relu) or "glorot" as the Initial weights scale' in text
    assert editor.draft().init_scheme == "normal"  # a hint: nothing changed by itself
    set_combo(editor.init_scheme, "he")  # the user picks he: the note goes
    assert editor.wide_hint.isHidden() and editor.draft().init_scheme == "he"
