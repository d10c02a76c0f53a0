"""Which initial weights a sweep's member starts from when its base has weights of its own
(review r24 F11). ``nnviz sweep --init F`` gives F to every member, whatever its seed, as
``nnviz train --init F --seed S`` does; the window's run (a preset's weights, a promoted or
loaded run) only starts the members whose values draw no weights: a member of a seed, an init
seed or a width starts from its own draw, as a single run of those values does."""
from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import presets
from nnviz.core.network import init_params
from nnviz.core.sweep import Axis, SweepError, SweepSpec

PINNED = presets.get("moons").problem()  # the notebook's own initial weights


def _flat(params) -> np.ndarray:
    return np.concatenate([np.ravel(v) for layer in params for v in layer])


def _same(a, b) -> bool:
    return np.array_equal(_flat(a), _flat(b))


def test_a_runs_pinned_weights_give_way_to_each_members_seed():
    assert PINNED.params is not None
    spec = SweepSpec(PINNED, (Axis("learning_rate", (0.3, 1.0)), Axis("init_seed", (0, 1, 2))),
                     redraw=True)
    for i, m in enumerate(spec.members()):
        p = spec.problem_for(i)
        assert _same(p.initial_params(), init_params(p.spec, m["init_seed"])), m
        assert p.seed == PINNED.seed and p.dataset is PINNED.dataset  # the data stay
    starts = [_flat(spec.problem_for(i).initial_params()) for i in range(3)]
    assert len({s.tobytes() for s in starts + [_flat(PINNED.params)]}) == 4
    # the seed draws the weights too; a width draws them (its shapes are other)
    seeds = SweepSpec(PINNED, (Axis("seed", (0, 3)),), redraw=True)
    assert _same(seeds.problem_for(1).initial_params(), init_params(PINNED.spec, 3))
    widths = SweepSpec(PINNED, (Axis("hidden", ((2,), (4, 10, 4))),), redraw=True)
    assert _same(widths.problem_for(1).initial_params(), init_params(PINNED.spec, PINNED.seed))


def test_axes_that_draw_nothing_keep_the_runs_weights():
    spec = SweepSpec(PINNED, (Axis("learning_rate", (0.3, 1.0)),
                              Axis("activation", ("sigmoid", "tanh"))), redraw=True)
    assert all(p.params is PINNED.params for p in spec.problems())


def test_given_weights_start_every_member_and_a_seed_of_the_weights_is_refused():
    """``--init``: a seed varies the data and the batch order only (a61841f); an init seed
    would draw nothing, every member the same run: refused, not trained as copies."""
    spec = SweepSpec(PINNED, (Axis("seed", (0, 1)),))
    assert all(p.params is PINNED.params for p in spec.problems())
    for axis in (Axis("init_seed", (0, 1)), Axis("init_scheme", ("normal", "glorot"))):
        with pytest.raises(SweepError, match="starting weights are given"):
            SweepSpec(PINNED, (Axis("learning_rate", (0.3, 1.0)), axis)).problems()
