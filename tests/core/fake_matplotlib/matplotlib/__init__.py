"""A stand-in for matplotlib in the exported notebook's test (tests/core/test_export.py): the
venv has no matplotlib, and the test asserts what the figure's cell draws, not its pixels."""
