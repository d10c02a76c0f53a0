"""``nnviz sweep``: each member's numbers are those of ``nnviz train`` with its values."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from nnviz.cli import main

NUMBERS = ("final_loss", "train_loss", "test_loss", "train_accuracy", "test_accuracy")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _train_json(capsys, *argv):
    code, out, err = run(capsys, "train", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("sweep_args, member_args", [
    (["--lr", "0.3,1", "--init-seed", "0,4"],
     lambda m: ["--lr", str(m["learning_rate"]), "--init-seed", str(m["init_seed"])]),
    (["--hidden", "4,10,4/3", "--optimizer", "gd,adam", "--batch-size", "32", "--seed", "2"],
     lambda m: ["--hidden", ",".join(map(str, m["hidden"])), "--optimizer", m["optimizer"],
                "--batch-size", "32", "--seed", "2"]),
])
def test_every_member_equals_its_own_nnviz_train(capsys, sweep_args, member_args):
    code, out, err = run(capsys, "sweep", *sweep_args, "--epochs", "200", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert len(result["members"]) == 4 and result["member_epochs_per_second"] > 0
    assert result["devices"] and all(isinstance(d, str) for d in result["devices"])
    for m in result["members"]:
        single = _train_json(capsys, *member_args(m), "--epochs", "200")
        assert set(single) <= set(m) and "seed" in m
        for k in ("architecture", "learning_rate", "optimizer", "loss", "epochs", "diverged"):
            assert m[k] == single[k], k
        np.testing.assert_allclose([m[k] for k in NUMBERS], [single[k] for k in NUMBERS],
                                   rtol=1e-5)
    # the options left out follow each member's optimiser, as they do for a single run
    if "--optimizer" in sweep_args:
        assert {m["optimizer"]: m["learning_rate"] for m in result["members"]} == \
            {"gd": 1.0, "adam": 0.01}


def test_history_has_one_row_per_member_per_epoch(capsys, tmp_path):
    code, _, err = run(capsys, "sweep", "--seed", "0,3", "--epochs", "40", "--json",
                       "--history", str(tmp_path / "s.csv"))
    assert code == 0, err
    rows = list(csv.DictReader(open(tmp_path / "s.csv")))
    assert len(rows) == 80 and set(rows[0]) == {"member", "seed", "epoch", "loss"}
    code, _, err = run(capsys, "train", "--seed", "3", "--epochs", "40", "--history",
                       str(tmp_path / "t.csv"))
    assert code == 0, err
    single = [float(r["loss"]) for r in csv.DictReader(open(tmp_path / "t.csv"))]
    mine = sorted((int(r["epoch"]), float(r["loss"])) for r in rows if r["seed"] == "3")
    assert [e for e, _ in mine] == list(range(1, 41))
    np.testing.assert_allclose([v for _, v in mine], single, rtol=1e-5)


def test_the_table_lists_every_member_and_marks_the_best(capsys):
    code, out, err = run(capsys, "sweep", "--lr", "0.1,1,100", "--epochs", "300")
    assert code == 0, err
    lines = out.splitlines()
    assert "3 members (3 learning_rate)" in lines[0]
    header = lines[1].split()
    assert header[:3] == ["#", "learning_rate", "epochs"] and "test" in header
    rows = lines[2:5]
    assert [r.split()[1] for r in rows] == ["0.1", "1", "100"]
    assert sum(r.endswith("*") for r in rows) == 1 and rows[1].endswith("*")
    assert "lowest test loss: member 1 (learning_rate 1)" in out
    assert "member-epochs/s" in out


def test_init_seed_varies_the_initial_weights_only(capsys):
    plain = _train_json(capsys, "--epochs", "50")
    same = _train_json(capsys, "--epochs", "50", "--init-seed", "0")  # moons' seed is 0
    other = _train_json(capsys, "--epochs", "50", "--init-seed", "9")
    assert same["final_loss"] == plain["final_loss"]
    assert other["final_loss"] != plain["final_loss"]


@pytest.mark.parametrize("argv, words", [
    (["--lr", "0.1,x"], "'x' is not a number"),
    (["--hidden", "4,/8"], "widths are whole numbers"),
    (["--lr", "0.1,,1"], "an empty value"),
    (["--epochs", "10"], "nothing to sweep"),
    (["--epochs", "1,2", "--lr", "1,2"], "not a whole number"),
    (["--dataset", "multiclass", "--loss", "mse,bce"], "bce is for two classes"),
    (["--seed", "0,1", "--init-seed", "-1"], "must be at least 0"),
])
def test_bad_input_is_one_line_and_exit_code_2(capsys, argv, words):
    code, out, err = run(capsys, "sweep", *argv)
    assert code == 2 and words in err and err.count("\n") == 1 and not out


def test_from_the_shell_no_traceback_and_help_says_the_syntax():
    r = subprocess.run([sys.executable, "-m", "nnviz", "sweep", "--hidden", "4/0"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    out = subprocess.run([sys.executable, "-m", "nnviz", "sweep", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "4,10,4/8/16" in " ".join(out.split()) and "--init-seed" in out


def test_init_weights_start_every_member_as_they_start_nnviz_train(capsys, tmp_path):
    from nnviz.core.network import NetworkSpec, init_params, save_npz
    w = tmp_path / "w.npz"
    save_npz(w, init_params(NetworkSpec(2, (4, 10, 4), ("sigmoid",) * 3, 1, "sigmoid"), 77))
    code, out, err = run(capsys, "sweep", "--init", str(w), "--seed", "0,1", "--epochs", "100",
                         "--json")
    assert code == 0, err
    for m in json.loads(out)["members"]:
        single = _train_json(capsys, "--init", str(w), "--seed", str(m["seed"]),
                             "--epochs", "100")
        np.testing.assert_allclose([m[k] for k in NUMBERS], [single[k] for k in NUMBERS],
                                   rtol=1e-5)
    code, out, err = run(capsys, "sweep", "--init", str(w), "--hidden", "4,10,4/8")
    assert code == 2 and "starting weights fit the network 2 -> 4 -> 10 -> 4 -> 1" in err


def test_a_diverging_member_says_what_nnviz_train_says(capsys):
    opts = ["--activation", "relu", "--output-activation", "linear", "--epochs", "200"]
    code, out, err = run(capsys, "sweep", *opts, "--lr", "0.01,100", "--json")
    assert code == 0, err
    calm, blown = json.loads(out)["members"]
    code, out, _ = run(capsys, "train", *opts, "--lr", "100", "--json")
    single = json.loads(out)
    assert code == 1 and not calm["diverged"] and blown["diverged"] and single["diverged"]
    assert blown["epochs"] == single["epochs"] and blown["message"] == single["message"]
    assert "Lower the learning rate" in blown["message"]
