"""docs/api.md's examples run as written (in order, in one namespace)."""
import re
import warnings
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_the_examples_of_docs_api_run(tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an example that diverges or warns is a broken example
        for block in blocks:
            exec(compile(block, str(DOC), "exec"), namespace)
    out = capsys.readouterr().out
    assert "(200, 2) float32 [0 1 1 0 1 1 0 1]" in out
    assert "Loss for epoch 1000: " in out
    assert (tmp_path / "moons.nnviz").is_file() and (tmp_path / "moons_run.py").is_file()
