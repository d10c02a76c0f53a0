"""`nnviz train --data / --save / --session` and `nnviz --open`: your own data and saved sessions
from the command line, with one-line errors and exit code 2."""
from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest

from nnviz import cli
from nnviz.cli import main
from nnviz.core import session as S

ADAM = ["--dataset", "moons", "--hidden", "6,4", "--activation", "tanh", "--loss", "bce",
        "--optimizer", "adam", "--lr", "0.02", "--batch-size", "16"]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _rows(path):
    with open(path) as f:
        return list(csv.reader(f))


def test_save_then_session_goes_on_exactly(capsys, tmp_path):
    code, _, err = run(capsys, "train", *ADAM, "--epochs", 60, "--history", tmp_path / "all.csv")
    assert code == 0, err
    code, out, err = run(capsys, "train", *ADAM, "--epochs", 25, "--save", tmp_path / "s.nnviz")
    assert code == 0, err
    assert f"saved the session at epoch 25 to {tmp_path / 's.nnviz'}" in out
    code, out, err = run(capsys, "train", "--session", tmp_path / "s.nnviz", "--epochs", 35,
                         "--history", tmp_path / "rest.csv", "--save", tmp_path / "s60.nnviz",
                         "--print-every", 10)
    assert code == 0, err
    assert "going on from epoch 25" in out and "bce, adam, lr 0.02" in out
    assert "Loss for epoch 30:" in out and "Loss for epoch 20:" not in out
    whole, rest = _rows(tmp_path / "all.csv"), _rows(tmp_path / "rest.csv")
    assert rest[0] == ["epoch", "loss"]
    assert rest[1:] == whole[26:]  # epochs 26..60, the same values to the last digit
    saved = S.load(tmp_path / "s60.nnviz")
    assert saved.epoch == 60 and saved.history.count == 60
    assert np.array_equal(saved.history.arrays()[1],
                          np.float32([float(r[1]) for r in whole[1:]]))


def test_session_json_reports_the_saved_settings(capsys, tmp_path):
    run(capsys, "train", *ADAM, "--epochs", 5, "--save", tmp_path / "s.nnviz")
    code, out, _ = run(capsys, "train", "--session", tmp_path / "s.nnviz", "--epochs", 3, "--json")
    r = json.loads(out)
    assert code == 0 and r["epochs"] == 3 and r["total_epochs"] == 8
    assert (r["loss"], r["optimizer"], r["learning_rate"]) == ("bce", "adam", 0.02)
    assert r["architecture"] == "2 -> 6 -> 4 -> 1"


def test_train_on_a_csv_and_save_keeps_the_class_names(capsys, tmp_path):
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(60, 2))
    path = tmp_path / "fruit.csv"
    path.write_text("width,height,fruit\n" + "".join(
        f"{a:.4f},{b:.4f},{'apple' if a > b else 'pear'}\n" for a, b in X))
    code, out, err = run(capsys, "train", "--data", path, "--hidden", "4", "--loss", "bce",
                         "--optimizer", "adam", "--lr", "0.05", "--epochs", 300, "--json",
                         "--save", tmp_path / "fruit.nnviz")
    assert code == 0, err
    r = json.loads(out)
    assert r["dataset"] == "fruit" and r["task"] == "classification"
    assert r["train_accuracy"] > 0.9
    s = S.load(tmp_path / "fruit.nnviz")
    assert s.class_names == ("apple", "pear") and s.data_source == "points"
    assert s.dataset.feature_names == ("width", "height")


def test_csv_regression_and_forced_task(capsys, tmp_path):
    path = tmp_path / "line.csv"
    path.write_text("".join(f"{x},{3 * x + 1}\n" for x in range(10)))
    code, out, err = run(capsys, "train", "--data", path, "--hidden", "none",
                         "--output-activation", "linear", "--lr", "0.01", "--epochs", 50, "--json")
    assert code == 0, err
    assert json.loads(out)["task"] == "regression"
    words = tmp_path / "words.csv"
    words.write_text("x1,x2,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n")
    code, out, err = run(capsys, "train", "--data", words, "--task", "regression")
    assert code == 2 and out == ""
    assert err == "nnviz: error: words.csv: line 2, column 3 (label): 'a' is not a number " \
                  "(a regression target must be)\n"


@pytest.mark.parametrize("make_args,message", [
    (lambda p: ["train", "--session", p / "s.nnviz", "--hidden", "8"],
     "--session goes on with the saved data and settings; --hidden cannot change them"),
    (lambda p: ["train", "--session", p / "s.nnviz", "--lr", "0.5", "--dataset", "xor"],
     "--dataset, --lr cannot change them"),
    (lambda p: ["train", "--session", p / "junk.nnviz"], "junk.nnviz: not an nnviz session"),
    (lambda p: ["train", "--session", p / "absent.nnviz"], "no such file"),
    (lambda p: ["train", "--data", p / "absent.csv"], "no such file"),
    (lambda p: ["train", "--data", p / "bad.csv"], r"bad.csv: line 3, column 2 \(x2\): 'x' is not a number"),
    (lambda p: ["train", "--data", p / "bad.csv", "--dataset", "xor"], "--data and --dataset"),
    (lambda p: ["train", "--task", "regression"], "--task only applies to --data"),
    # (it trained the line's regression without a word, review r30)
    (lambda p: ["train", "--dataset", "line", "--classes", "3"],
     "--classes only applies to --dataset multiclass, not to line"),
    (lambda p: ["train", "--save", p / "nowhere" / "s.nnviz"], "cannot write .*no such folder"),
    (lambda p: ["--open", p / "junk.nnviz"], "junk.nnviz: not an nnviz session"),
])
def test_errors_are_one_line_and_exit_2(capsys, tmp_path, make_args, message):
    run(capsys, "train", "--epochs", 1, "--save", tmp_path / "s.nnviz")
    (tmp_path / "junk.nnviz").write_text("hello")
    (tmp_path / "bad.csv").write_text("1,2,a\n3,4,b\n5,x,a\n7,8,b\n")
    code, out, err = run(capsys, *make_args(tmp_path))
    assert code == 2
    assert err.startswith("nnviz: error: ") and err.count("\n") == 1
    assert re.search(message, err), err


def test_a_far_value_in_a_session_or_a_csv_is_refused_in_words_of_the_data(capsys, tmp_path,
                                                                           monkeypatch):
    """One 1e30 among values of -1 to 10, in a session an older nnviz wrote (or edited by
    hand) or in a CSV file: refused in one line, naming the row or line and the column. Where
    nothing is drawn (``nnviz train``) the words are of the column's scale, not of a plot;
    ``--open``, which would draw it, speaks of the plot as the window does."""
    from ..conftest import with_far_value
    run(capsys, "train", "--epochs", 1, "--save", tmp_path / "s.nnviz")
    X = with_far_value(tmp_path / "s.nnviz", tmp_path / "far.nnviz", row=8, column=0)
    others = np.delete(X[:, 0], 8)
    which = "test" if 8 in S.load(tmp_path / "s.nnviz").dataset.test_index else "training"
    said = (f"{tmp_path / 'far.nnviz'}: the data's row 8 ({which} set), column 1 (x1): 1e+30 is "
            f"far outside the column's other values ({others.min():.3g} to {others.max():.3g}).")
    scale = ("The feature's scale would be dominated by it: standardised, every other value "
             "would become nearly the same number, the points no longer told apart. Correct "
             "the value or remove the row; if such values are real, give the column's "
             "logarithm instead")
    code, out, err = run(capsys, "train", "--session", tmp_path / "far.nnviz", "--epochs", 5)
    assert (code, out, err) == (2, "", f"nnviz: error: {said} {scale}\n")
    monkeypatch.setattr(cli, "gui_command", lambda args: pytest.fail("the window opened"))
    code, out, err = run(capsys, "--open", tmp_path / "far.nnviz")
    assert code == 2 and err.startswith(f"nnviz: error: {said} The plot's range and the "
                                        "standardised feature would be dominated by it, every "
                                        "other point drawn on one spot."), err
    rows = [f"{1e30 if i == 7 else i % 10},{i % 3},{'ab'[i % 2]}\n" for i in range(40)]
    (tmp_path / "far.csv").write_text("x1,x2,label\n" + "".join(rows))
    code, out, err = run(capsys, "train", "--data", tmp_path / "far.csv", "--epochs", 5)
    assert (code, out, err) == (2, "", "nnviz: error: far.csv: line 9, column 1 (x1): 1e+30 is "
                                       "far outside the column's other values (0 to 9). "
                                       f"{scale}\n")


def test_a_save_that_cannot_be_written_comes_before_training(capsys, tmp_path):
    (tmp_path / "dir.nnviz").mkdir()
    code, out, err = run(capsys, "train", "--epochs", 5, "--save", tmp_path / "dir.nnviz")
    assert code == 2 and "Loss for epoch" not in out and "cannot write" in err


def test_open_reaches_the_window(capsys, tmp_path, monkeypatch):
    run(capsys, "train", "--epochs", 3, "--save", tmp_path / "s.nnviz")
    seen = {}

    def fake_gui(args):
        seen["open"] = args.open
        return 0
    monkeypatch.setattr(cli, "gui_command", fake_gui)
    assert main(["--open", str(tmp_path / "s.nnviz")]) == 0
    assert seen["open"] == str(tmp_path / "s.nnviz")


def test_from_epoch_branches_a_saved_run_and_reproduces_it(capsys, tmp_path):
    """`--session FILE --from-epoch E` goes on from the recorded epoch E: with the same settings
    the losses are the original run's from E on, bit for bit, and the rows keep the run's own
    epoch numbers; with another --lr they differ; the saved file then holds both branches."""
    code, _, err = run(capsys, "train", *ADAM, "--epochs", 600, "--history", tmp_path / "all.csv",
                       "--save", tmp_path / "s.nnviz")
    assert code == 0, err
    code, out, err = run(capsys, "train", "--session", tmp_path / "s.nnviz", "--from-epoch", 237,
                         "--epochs", 363, "--history", tmp_path / "again.csv",
                         "--save", tmp_path / "two.nnviz")
    assert code == 0, err
    assert "going on from epoch 237 as run 2" in out
    whole, again = _rows(tmp_path / "all.csv"), _rows(tmp_path / "again.csv")
    assert again[1][0] == "238" and again[-1][0] == "600"
    assert again[1:] == whole[238:]
    saved = S.load(tmp_path / "two.nnviz")
    assert saved.make_run().names() == ["run 1", "run 2"] and saved.epoch == 600
    # Both branches open with a test curve, as a run trained in the window: measured at the
    # checkpoints along the run, the last at the final weights (drawn at 601, as the window
    # draws the weights after epoch E at E + 1) with the test loss the run printed; run 2
    # shares run 1's curve up to where it branched. (It was one point, measured when opened.)
    one, two = saved.make_run().branches
    printed = float(re.search(r"test loss ([0-9.e+-]+)", out).group(1))  # as the window reads
    for log in (one, two):
        assert len(log.test) >= 20 and log.test.epochs[0] <= 10 and log.test.epochs[-1] == 601
        assert float(log.test.values[-1]) == pytest.approx(printed, rel=5e-3)
    shared = two.test.epochs <= 237
    assert shared.sum() >= 10
    assert np.array_equal(two.test.values[shared], one.test.values[one.test.epochs <= 237])

    code, _, err = run(capsys, "train", "--session", tmp_path / "s.nnviz", "--from-epoch", 237,
                       "--lr", "0.002", "--epochs", 50, "--history", tmp_path / "slow.csv")
    assert code == 0, err
    slow = _rows(tmp_path / "slow.csv")
    assert slow[1][0] == "238" and slow[1:] != whole[238:288]


def test_from_epoch_refuses_what_it_cannot_do(capsys, tmp_path):
    from pathlib import Path
    run(capsys, "train", *ADAM, "--epochs", 30, "--save", tmp_path / "s.nnviz")
    code, _, err = run(capsys, "train", "--session", tmp_path / "s.nnviz", "--from-epoch", 31)
    assert code == 2 and "reaches epochs 0..30" in err
    code, _, err = run(capsys, "train", "--from-epoch", 3)
    assert code == 2 and "--from-epoch needs --session" in err
    code, _, err = run(capsys, "train", "--session", tmp_path / "s.nnviz", "--lr", "0.1")
    assert code == 2 and "--lr" in err
    old = Path(__file__).resolve().parent.parent / "fixtures" / "sessions-v1" / "notebook-gd-e100.nnviz"
    code, _, err = run(capsys, "train", "--session", old, "--from-epoch", 50)
    assert code == 2 and "older nnviz" in err and "100..100" in err
