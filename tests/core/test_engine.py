"""The pure engine: a chunk is a function of its inputs, the Trainer runs exactly it, and
jax.vmap trains several states of one problem at once as the single runs do."""
from __future__ import annotations

import jax
import numpy as np
import pytest

from nnviz.core import engine as E
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.problem import Choices, make_problem

MOONS = make_dataset(DataSpec("moons"))


def _problem(**choices):
    return make_problem(MOONS, Choices(**choices))


def test_a_chunk_is_a_pure_function_of_its_inputs():
    p = _problem(optimizer="adam", learning_rate=0.05, batch_size=16)
    state, data = E.init_state(p), E.train_data(p)
    before = [np.array(x) for x in jax.tree_util.tree_leaves(state)]
    a = E.train_chunk(p, state, data, 50)
    b = E.train_chunk(p, state, data, 50)
    assert int(a.done) == 50 and not bool(a.diverged)
    assert np.array_equal(np.asarray(a.losses), np.asarray(b.losses))
    for x, y in zip(jax.tree_util.tree_leaves(a.state), jax.tree_util.tree_leaves(b.state)):
        assert np.array_equal(np.asarray(x), np.asarray(y))
    # the input state is untouched
    for x, y in zip(before, jax.tree_util.tree_leaves(state)):
        assert np.array_equal(x, np.asarray(y))


@pytest.mark.parametrize("choices", [{}, {"optimizer": "adam", "learning_rate": 0.05,
                                          "batch_size": 16}])
def test_the_trainer_runs_exactly_the_engine(choices):
    p = _problem(**choices)
    out = E.train_chunk(p, E.init_state(p), E.train_data(p), 300)
    t = p.make_trainer()
    assert np.array_equal(t.run(300).losses, np.asarray(out.losses)[:300])


@pytest.mark.parametrize("choices,rtol", [({}, 1e-5),
                                          ({"optimizer": "adam", "learning_rate": 0.01,
                                            "batch_size": 32}, 1e-3)])
def test_vmap_over_four_seeds_matches_four_single_runs(choices, rtol):
    """Four seeds trained in one vmapped call equal four single runs: the first epochs to float32
    rounding, the rest within a tolerance (XLA batches the arithmetic differently, and the
    rounding differences grow along a run, faster with Adam's mini-batches)."""
    p = _problem(**choices)
    data = E.train_data(p)
    seeds = [0, 1, 2, 3]
    many = E.train_many(p, E.stack([E.init_state(p, s) for s in seeds]), data, 200)
    assert list(np.asarray(many.done)) == [200] * 4
    for i, s in enumerate(seeds):
        one = E.train_chunk(p, E.init_state(p, s), data, 200)
        single, batched = np.asarray(one.losses)[:200], np.asarray(many.losses)[i, :200]
        np.testing.assert_allclose(batched[:5], single[:5], rtol=1e-6)
        np.testing.assert_allclose(batched, single, rtol=rtol)
    # The members are different runs: four seeds, four curves.
    finals = np.asarray(many.losses)[:, 199]
    assert len(set(np.round(finals, 6))) == 4
