"""The session actions, one job per module: sessions, settings, undo and presets, your own
data, edited points, exports. ``nnviz.gui.session_actions.SessionActions`` puts them together."""
