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
    # batches of 16: the 4,10,4 Adam member's own run is the run log tests' (compiled once)
    (["--hidden", "4,10,4/3", "--optimizer", "gd,adam", "--batch-size", "16", "--seed", "2"],
     lambda m: ["--hidden", ",".join(map(str, m["hidden"])), "--optimizer", m["optimizer"],
                "--batch-size", "16", "--seed", "2"]),
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


def test_the_table_prints_small_losses_with_their_digits(capsys):
    """A train loss of 0.000292 was printed "0.0003" (1.65e-05: "0.0000"), where the window
    says 0.000292: three significant digits below 0.001, as the window writes them (a column
    of such losses all in scientific notation: "2.92e-04")."""
    argv = ("sweep", "--activation", "tanh,relu", "--epochs", "1000", "--test-fraction", "0")
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    # the speed line's count as the table's numbers are written: "over 2000 member-epochs"
    # read as a year beside "1,234 member-epochs/s" (review r26, H)
    assert " member-epochs/s over 2,000 member-epochs (compile " in out
    rows = out.splitlines()[2:4]
    code, js, err = run(capsys, *argv, "--json")
    members = json.loads(js)["members"]
    for row, m in zip(rows, members):
        assert 0 < m["train_loss"] < 1e-3  # (what this test is about)
        cell = row.split()[3]  # #, activation, epochs, train loss
        # (three significant digits; the column in one notation, as the window's: r29 L2)
        assert cell == f"{m['train_loss']:.2e}", (cell, m["train_loss"])


def test_init_seed_varies_the_initial_weights_only(capsys):
    plain = _train_json(capsys, "--epochs", "50")
    same = _train_json(capsys, "--epochs", "50", "--init-seed", "0")  # moons' seed is 0
    other = _train_json(capsys, "--epochs", "50", "--init-seed", "9")
    assert same["final_loss"] == plain["final_loss"]
    assert other["final_loss"] != plain["final_loss"]


@pytest.mark.parametrize("argv, words", [
    (["--lr", "0.1,x"], "'x' is not a number"),
    (["--hidden", "4,/8"], "'4,': an empty value in the list"),
    (["--hidden", "4,a/8"], "widths are whole numbers"),
    (["--lr", "0.1,,1"], "an empty value"),
    (["--epochs", "10"], "nothing to sweep"),
    # r25 F3: a comma list was given, to --hidden, where commas build one network: it said
    # "give an option a comma list of values"
    (["--hidden", "4,8", "--epochs", "10"], "nothing to sweep: --hidden 4,8 is one network, 4 "
     "then 8; to sweep widths 4 and 8 write --hidden 4/8 (slashes separate a sweep's networks, "
     "commas build one)"),
    (["--features", "x1,x2", "--epochs", "10"], "--features x1,x2 is one network's inputs, x1 "
     "and x2; to sweep them one at a time write --features x1/x2"),
    (["--epochs", "1,2", "--lr", "1,2"], "one value only, every member trains as many epochs"),
    (["--dataset", "moons,xor", "--lr", "1,2"], "one value only, every member trains on the same"),
    (["--from-epoch", "3", "--lr", "1,2"], "--from-epoch needs --session"),
    (["--task", "regression", "--lr", "1,2"], "--task only applies to --data"),
    (["--classes", "3,4"], "--classes only applies to --dataset multiclass, not to moons"),
    (["--dataset", "multiclass", "--loss", "mse,bce"], "bce is for two classes"),
    (["--seed", "0,1", "--init-seed", "-1"], "--init-seed: initial weights seed: seeds are "
                                              "whole numbers from 0 to 2,147,483,647"),
    (["--seed", "3000000000,3000000001"], "--seed: seed: seeds are whole numbers from 0 to "
                                          "2,147,483,647"),
    # Ranges are the window's sweep form's (its parser, its messages and limits)
    (["--seed", "5-2"], "--seed: seed: 5-2 runs backwards; write the smaller seed first: 2-5"),
    (["--seed", "0-3,2"], "--seed: seed: a value is given twice"),
    (["--seed", "0-5000"], "--seed: seed: 0-5000 is 5,001 seeds; a sweep has at most 1,024"),
    (["--seed", "0,,3"], "--seed: '0,,3': an empty value in the list"),
])
def test_bad_input_is_one_line_and_exit_code_2(capsys, argv, words):
    code, out, err = run(capsys, "sweep", *argv)
    assert code == 2 and words in err and err.count("\n") == 1 and not out


def test_from_the_shell_no_traceback_and_help_says_the_syntax(capsys, monkeypatch):
    r = subprocess.run([sys.executable, "-m", "nnviz", "sweep", "--hidden", "4/0"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    # The help from cli.main in this process (argparse prints it and exits 0): its own process,
    # ~1 s, proved nothing the launch above does not.
    monkeypatch.setenv("COLUMNS", "80")  # as in a shell's pipe: argparse wraps at the width
    with pytest.raises(SystemExit) as done:
        main(["sweep", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
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
    # an init seed draws no weights then: refused, not 2 copies of one run (review r24 F11)
    code, out, err = run(capsys, "sweep", "--init", str(w), "--init-seed", "0,1")
    assert code == 2 and "the init seed would draw none" in err


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


def test_every_option_of_nnviz_train_is_an_option_of_nnviz_sweep():
    from nnviz.cli import build_parser
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices

    def options(name):
        return {o for a in sub[name]._actions for o in a.option_strings}
    assert options("train") <= options("sweep"), options("train") - options("sweep")


def _members_equal_train(capsys, sweep_args, member_args, epochs=150, keys=NUMBERS):
    code, out, err = run(capsys, "sweep", *sweep_args, "--epochs", str(epochs), "--json")
    assert code == 0, err
    result = json.loads(out)
    for m in result["members"]:
        single = _train_json(capsys, *member_args(m), "--epochs", str(epochs))
        for k in ("architecture", "learning_rate", "dataset", "epochs", "total_epochs"):
            assert m[k] == single[k], k
        np.testing.assert_allclose([m[k] for k in keys], [single[k] for k in keys], rtol=1e-5)
    return result


def test_a_csv_file_is_split_by_each_members_seed_as_nnviz_train_splits_it(capsys, tmp_path):
    from nnviz.core.data import DataSpec, make_dataset
    d = make_dataset(DataSpec("circles"))  # 200: at 0.2 the notebook network's 160 points
    path = tmp_path / "points.csv"
    np.savetxt(path, np.c_[d.X, d.y], delimiter=",", header="x1,x2,label", comments="")
    result = _members_equal_train(
        capsys, ["--data", str(path), "--seed", "0,5", "--test-fraction", "0.2,0.4",
                 "--task", "classification"],
        lambda m: ["--data", str(path), "--seed", str(m["seed"]), "--test-fraction",
                   str(m["test_fraction"]), "--task", "classification"])
    tests = {(m["seed"], m["test_fraction"]): m["test_loss"] for m in result["members"]}
    assert len(set(tests.values())) == 4  # four different splits
    code, _, err = run(capsys, "sweep", "--data", str(path), "--noise", "0.1,0.2")
    assert code == 2 and "noise change generated data; this data was imported" in err
    code, _, err = run(capsys, "sweep", "--data", str(path), "--dataset", "xor", "--lr", "1,2")
    assert code == 2 and "--data and --dataset both choose the data" in err


def test_features_and_classes_are_swept_as_nnviz_train_takes_them(capsys):
    # The default network: the 3-class member's own run is test_problem's multiclass default.
    _members_equal_train(capsys, ["--features", "x1,x2/x1,x2,x1*x2,sin(x1)", "--hidden", "3"],
                         lambda m: ["--features", ",".join(m["features"]), "--hidden", "3"])
    result = _members_equal_train(
        capsys, ["--dataset", "multiclass", "--classes", "3,4"],
        lambda m: ["--dataset", "multiclass", "--classes", str(m["classes"])])
    assert [m["architecture"][-1] for m in result["members"]] == ["3", "4"]


def test_print_every_prints_each_members_loss_as_nnviz_train_prints_it(capsys):
    code, out, err = run(capsys, "sweep", "--lr", "0.3,3", "--epochs", "60",
                         "--print-every", "20")
    assert code == 0, err
    lines = [ln for ln in out.splitlines() if ln.startswith("Loss for epoch")]
    assert [ln.split(":")[0] for ln in lines] == [f"Loss for epoch {e}" for e in (20, 40, 60)]
    for k, lr in enumerate(("0.3", "3")):
        code, single, err = run(capsys, "train", "--lr", lr, "--epochs", "60",
                                "--print-every", "20")
        mine = [ln.split(": ")[1].split()[k] for ln in lines]
        theirs = [ln.split(": ")[1] for ln in single.splitlines()
                  if ln.startswith("Loss for epoch")]
        assert mine == theirs


def test_sharpness_is_measured_for_every_member(capsys):
    code, out, err = run(capsys, "sweep", "--lr", "0.5,2", "--epochs", "100", "--json",
                         "--sharpness")
    assert code == 0, err
    for m in json.loads(out)["members"]:
        single = _train_json(capsys, "--lr", str(m["learning_rate"]), "--epochs", "100",
                             "--sharpness")
        assert m["stability_limit"] == single["stability_limit"] == 2 / m["learning_rate"]
        np.testing.assert_allclose(m["sharpness"], single["sharpness"], rtol=1e-3)
    code, out, err = run(capsys, "sweep", "--lr", "0.5,2", "--epochs", "10", "--sharpness")
    assert code == 0 and "sharpness" in out.splitlines()[1] and "2/lr" in out


def test_save_and_exports_write_one_file_per_member_as_nnviz_train_writes_its_own(
        capsys, tmp_path):
    from nnviz.core.session import load
    code, out, err = run(capsys, "sweep", "--lr", "0.3,3", "--epochs", "80",
                         "--save", str(tmp_path / "m.nnviz"),
                         "--export-script", str(tmp_path / "m.py"),
                         "--export-onnx", str(tmp_path / "m.onnx"))
    assert code == 0, err
    assert "wrote " + str(tmp_path / "m-0.nnviz") in out
    for i, lr in enumerate(("0.3", "3")):
        code, _, err = run(capsys, "train", "--lr", lr, "--epochs", "80",
                           "--save", str(tmp_path / f"t{i}.nnviz"),
                           "--export-script", str(tmp_path / f"t{i}.py"))
        assert code == 0, err
        mine, theirs = load(tmp_path / f"m-{i}.nnviz"), load(tmp_path / f"t{i}.nnviz")
        assert mine.make_trainer().epoch == theirs.make_trainer().epoch == 80
        for a, b in zip(jax_leaves(mine.make_trainer().params),
                        jax_leaves(theirs.make_trainer().params)):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(mine.make_run().log.losses.arrays()[1],
                                   theirs.make_run().log.losses.arrays()[1], rtol=1e-5)
        # The same script, but for the numbers nnviz showed that it ends with (review r25 F1):
        # the sweep's, whose weights differ from nnviz train's in the last bits (above).
        def trained(path):
            text = path.read_text()
            return text[:text.index("# The numbers nnviz showed")]
        assert trained(tmp_path / f"m-{i}.py") == trained(tmp_path / f"t{i}.py")
        assert (tmp_path / f"m-{i}.onnx").stat().st_size > 0
    # a member's file that cannot be written is refused before anything trains
    (tmp_path / "d-1.nnviz").mkdir()
    code, out, err = run(capsys, "sweep", "--lr", "0.3,3", "--save", str(tmp_path / "d.nnviz"))
    assert code == 2 and "d-1.nnviz" in err and not out


def jax_leaves(tree):
    import jax
    return [np.asarray(x) for x in jax.tree_util.tree_leaves(tree)]


def test_a_session_goes_on_from_an_epoch_at_each_learning_rate(capsys, tmp_path):
    saved = tmp_path / "run.nnviz"
    code, _, err = run(capsys, "train", "--optimizer", "adam", "--hidden", "5",
                       "--epochs", "120", "--save", str(saved))
    assert code == 0, err
    result = _members_equal_train(
        capsys, ["--session", str(saved), "--from-epoch", "60", "--lr", "0.003,0.03"],
        lambda m: ["--session", str(saved), "--from-epoch", "60", "--lr",
                   str(m["learning_rate"])], epochs=50)
    assert [m["total_epochs"] for m in result["members"]] == [110, 110]
    # --save: the saved run with each member's epochs as a branch, as nnviz train saves it
    from nnviz.core.session import load
    code, _, err = run(capsys, "sweep", "--session", str(saved), "--from-epoch", "60",
                       "--lr", "0.003,0.03", "--epochs", "50", "--save", str(tmp_path / "m.nnviz"))
    assert code == 0, err
    code, _, err = run(capsys, "train", "--session", str(saved), "--from-epoch", "60",
                       "--lr", "0.03", "--epochs", "50", "--save", str(tmp_path / "t.nnviz"))
    assert code == 0, err
    mine, theirs = load(tmp_path / "m-1.nnviz").make_run(), load(tmp_path / "t.nnviz").make_run()
    assert mine.names() == theirs.names() and len(mine.names()) == 2
    (e1, v1), (e2, v2) = mine.log.losses.arrays(), theirs.log.losses.arrays()
    assert list(e1) == list(e2) == list(range(1, 111))
    np.testing.assert_allclose(v1, v2, rtol=1e-5)
    code, _, err = run(capsys, "sweep", "--session", str(saved), "--from-epoch", "60",
                       "--hidden", "4/8")
    assert code == 2 and "--hidden cannot change" in err
    code, _, err = run(capsys, "sweep", "--session", str(saved), "--lr", "0.1,1")
    assert code == 2 and "--from-epoch E --lr A,B" in err


def test_seed_ranges_are_read_as_the_windows_sweep_form_reads_them(capsys):
    # --seed 0-3 was refused ("'0-3' is not a whole number") while the form took 0-15.
    from nnviz.core.sweep_driver import parse_values  # the form's (nnviz.gui.sweep_panel)
    code, out, err = run(capsys, "sweep", "--seed", "0-2,7", "--init-seed", "4-5",
                         "--epochs", "3", "--json")
    assert code == 0, err
    members = json.loads(out)["members"]
    seeds = sorted({m["seed"] for m in members})
    assert seeds == list(parse_values("seed", "0-2,7")) == [0, 1, 2, 7]
    assert sorted({m["init_seed"] for m in members}) == [4, 5] and len(members) == 8
