"""nnviz train --sharpness: the largest Hessian eigenvalue at the final weights, and the line
2/lr it is compared with; the divergence message points to it."""
import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core import landscape as ls
from nnviz.core import losses
from nnviz.core.problem import notebook_problem


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def full_hessian_top(trainer) -> float:
    flat = jnp.asarray(ls.flatten(trainer.params), jnp.float32)
    # jitted: one compile, where op-by-op it compiled ~150 small programs (~5 s on a cold cache)
    H = jax.jit(jax.hessian(lambda w: losses.data_loss(
        trainer.spec, "mse", ls.unflatten(trainer.spec, w), trainer.X_train,
        trainer.T_train)))(flat)
    return float(np.linalg.eigvalsh(np.asarray(H, np.float64))[-1])


def test_json_has_the_sharpness_at_the_final_weights(capsys):
    code, out, err = run(capsys, "train", "--epochs", "200", "--json", "--sharpness")
    assert code == 0, err
    result = json.loads(out)
    t = notebook_problem().make_trainer()
    t.run(200)
    assert result["sharpness"] == pytest.approx(full_hessian_top(t), rel=0.01)
    assert result["stability_limit"] == pytest.approx(2.0)  # 2 / lr at the notebook's lr 1.0
    # Without the option, no such field (and no time spent on it).
    plain = json.loads(run(capsys, "train", "--epochs", "5", "--json")[1])
    assert "sharpness" not in plain


def test_the_printout_says_the_sharpness_and_2_over_lr(capsys):
    code, out, err = run(capsys, "train", "--epochs", "50", "--lr", "0.5", "--sharpness")
    assert code == 0, err
    line = next(li for li in out.splitlines() if li.startswith("sharpness"))
    assert "2/lr = 4" in line


def test_the_divergence_message_points_to_the_sharpness(capsys):
    code, _, err = run(capsys, "train", "--activation", "relu", "--output-activation", "linear",
                       "--lr", "100", "--epochs", "500")
    assert code == 1 and "2/lr" in err and "--sharpness" in err
