"""`nnviz train --preset NAME` and `nnviz.train(init="notebook")`: the notebook's own run from
the command line and from Python, printing the numbers the notebook prints (review r3, defect 3:
the README's commands gave 0.1071 where the notebook prints 0.2460, and nothing asked for the
notebook's initial weights)."""
import numpy as np
import pytest

import nnviz
from nnviz.cli import build_parser, main
from nnviz.core import presets
from nnviz.core.errors import NnvizError

# The notebook's "Loss for epoch N" for N = 100, 200, ..., 1000 and its rounded accuracy, from
# running its cells (/work/shared/seed/01-fundamentals.ipynb; review r3's nb_out.txt).
NOTEBOOK_LOSSES = ["0.2460", "0.2169", "0.1387", "0.0997", "0.0892", "0.0862", "0.0848",
                   "0.0836", "0.0823", "0.0804"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_moons_preset_prints_the_notebooks_losses_and_accuracy(capsys):
    code, out, err = run(capsys, "train", "--preset", "moons")
    assert code == 0, err
    printed = {line.split(":")[0]: line.split(": ")[1] for line in out.splitlines()
               if line.startswith("Loss for epoch")}
    assert printed == {f"Loss for epoch {100 * (i + 1)}": v for i, v in enumerate(NOTEBOOK_LOSSES)}
    assert "200 training / 0 test points" in out and "2 -> 4 -> 10 -> 4 -> 1" in out
    assert "accuracy 88.0%" in out
    assert out.splitlines()[0] == f"preset moons: {presets.get('moons').title}"


def test_a_preset_trains_its_own_epochs_unless_told(capsys):
    code, out, _ = run(capsys, "train", "--preset", "line")
    assert code == 0 and "Loss for epoch 2000" in out and "Loss for epoch 2100" not in out
    code, out, _ = run(capsys, "train", "--preset", "line", "--epochs", "200")
    assert code == 0 and "Loss for epoch 200:" in out and "Loss for epoch 300" not in out


def test_help_lists_every_preset_by_name():
    text = build_parser()._subparsers._group_actions[0].choices["train"].format_help()
    flat = " ".join(text.split())
    for p in presets.load_presets():
        assert f"{p.id}:" in flat
    assert "--preset moons" in flat and "0.2460" in flat


@pytest.mark.parametrize("argv, words", [
    (["train", "--preset", "moon"], "unknown preset 'moon'; did you mean moons? (choose from "
                                   "line, "),
    (["train", "--preset", "moons", "--lr", "2"],
     "--preset moons brings its own data and settings; --lr cannot change them"),
    (["train", "--preset", "moons", "--dataset", "xor", "--hidden", "8"],
     "--dataset, --hidden cannot change them"),
    (["--preset", "moons", "--lr", "2"], "--lr cannot change them"),
    (["--preset", "nope"], "unknown preset 'nope'"),
])
def test_a_bad_preset_or_a_clash_is_one_clear_line(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("nnviz: error: ") and words in err and len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_a_session_goes_on_without_a_preset(capsys, tmp_path):
    saved = tmp_path / "s.nnviz"
    assert run(capsys, "train", "--epochs", "2", "--save", str(saved))[0] == 0
    code, _, err = run(capsys, "train", "--session", str(saved), "--preset", "moons")
    assert code == 2 and "--preset cannot change them" in err


def test_python_init_notebook_gives_the_notebooks_losses():
    X, y = nnviz.datasets.make("moons")
    run_ = nnviz.train(X, y, hidden=[4, 10, 4], activation="sigmoid", epochs=1000,
                       test_fraction=0, init="notebook")
    losses = np.asarray(run_.history["loss"])
    assert [f"{losses[e - 1]:.4f}" for e in range(100, 1001, 100)] == NOTEBOOK_LOSSES
    with pytest.raises(NnvizError, match=r"init='notebook' is the notebook's moons network, "
                                         r"2 -> 4 -> 10 -> 4 -> 1; this one is 2 -> 8 -> 1"):
        nnviz.train(X, y, hidden=[8], epochs=1, init="notebook")


def test_a_sweep_of_a_preset_varies_its_options_from_its_weights(capsys):
    # Every option of nnviz train is one of nnviz sweep; a preset's sweep starts each member
    # from the preset's problem and weights: at its own rate, the notebook's numbers.
    code, out, err = run(capsys, "sweep", "--preset", "moons", "--lr", "0.5,1", "--epochs",
                         "300", "--print-every", "100")
    assert code == 0, err
    rows = {line.split(":")[0]: line.split(": ")[1].split() for line in out.splitlines()
            if line.startswith("Loss for epoch")}
    assert [rows[f"Loss for epoch {e}"][1] for e in (100, 200, 300)] == NOTEBOOK_LOSSES[:3]
    code, out, err = run(capsys, "sweep", "--preset", "moons", "--dataset", "xor", "--lr",
                         "1,2", "--epochs", "3")
    assert code == 2 and "--dataset cannot change them" in err


def test_a_sweep_of_the_presets_init_seeds_starts_each_member_from_its_own_weights(capsys):
    # The preset carries the notebook's weights: an init seed axis over them trained copies
    # in the window (review r24 F11) and was then refused here ("the starting weights are
    # given"); each member starts from its own seed's weights, as in the window.
    code, out, err = run(capsys, "sweep", "--preset", "moons", "--init-seed", "0,1,2",
                         "--epochs", "1", "--print-every", "1")
    assert code == 0, err
    first = [line.split(": ")[1].split() for line in out.splitlines()
             if line.startswith("Loss for epoch 1")][0]
    assert len(set(first)) == 3, out  # three members, three starts
