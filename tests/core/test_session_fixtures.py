"""Session files written by earlier versions of nnviz still open and go on exactly.

The files in tests/fixtures/sessions-v1 were written by nnviz at commit 2c62137 (format version 1)
and are never regenerated: they are what users have on their disks. Each reopened run, trained on,
must equal the same problem trained straight from its initial weights -- which fails if the
optimiser state (Adam's two moments, RMSProp's average) is read back into the wrong places.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnviz.core import session as S
from nnviz.core.training import Trainer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sessions-v1"
EXPECTED = {"notebook-gd-e100.nnviz": ("gd", 100), "adam-batch32-e37.nnviz": ("adam", 37),
            "rmsprop-ce-multiclass-e50.nnviz": ("rmsprop", 50)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_old_session_opens_and_continues_exactly(name):
    optimizer, epoch = EXPECTED[name]
    s = S.load(FIXTURES / name)
    assert (s.config.optimizer, s.epoch) == (optimizer, epoch)
    reopened = s.make_trainer()
    after = reopened.run(20).losses

    straight = Trainer(s.spec, s.config, s.dataset, params=s.initial_params, seed=s.seed)
    expected = straight.run(epoch + 20).losses
    # The saved history is the run's own: its last loss is epoch ``epoch``'s.
    assert s.history.count == epoch
    assert s.history.last == pytest.approx(float(expected[epoch - 1]), rel=0, abs=0)
    assert np.array_equal(after, expected[epoch:])
