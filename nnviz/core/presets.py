"""Presets: ready-made problems -- each step of the notebook and the classic playground problems.

They live in ``resources/presets.json`` (shipped as ``nnviz.resources``)::

    {"format": "nnviz-presets", "version": 1,
     "groups": {"notebook": "The notebook, step by step", ...},
     "presets": [{"id": "moons", "group": "notebook", "title": "...", "description": "...",
                  "data": {DataSpec fields},
                  "network": {"hidden": [4, 10, 4], "activation": "sigmoid" (or "activations":
                              [one per hidden layer]), "output_activation": "sigmoid",
                              "init_scheme": "normal"},
                  "training": {TrainConfig fields},
                  "seed": 0 (optional; default: the data's seed),
                  "weights": "notebook-moons" (optional: the notebook's exact initial weights),
                  "epochs": 1000 (how long to watch it),
                  "note": "..." (optional: what the window's note over the plot adds -- how
                             this run relates to the notebook's)}, ...]}

:func:`load_presets` validates every entry (a :class:`PresetError` names the preset and the
problem); a :class:`Preset` builds its data, network and :class:`~nnviz.core.training.Trainer`.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, fields
from importlib import resources
from typing import Any

import numpy as np

from .data import MAX_SEED, Dataset, DataError, DataSpec, make_dataset
from .losses import LossError
from .network import NetworkSpec, Params, SpecError
from .problem import Problem
from .training import TrainConfig, Trainer, TrainingError, network_for
from .errors import NnvizError

FORMAT_NAME = "nnviz-presets"
FORMAT_VERSION = 1

# Named initial weights a preset may ask for instead of its init scheme.
WEIGHTS = {
    "notebook-moons": "the notebook's own initial weights for the moons (np.random.seed(42))",
}

_NETWORK_KEYS = {"hidden", "activation", "activations", "output_activation", "init_scheme"}
_PRESET_KEYS = {"id", "group", "title", "description", "data", "network", "training", "seed",
                "weights", "epochs", "note"}


class PresetError(NnvizError):
    """A broken preset file or entry; the message names the preset."""


@dataclass(frozen=True)
class Preset:
    id: str
    group: str
    title: str
    description: str
    data: DataSpec
    hidden: tuple[int, ...]
    activations: tuple[str, ...]
    output_activation: str
    init_scheme: str
    config: TrainConfig
    seed: int
    epochs: int
    weights: str | None = None
    note: str = ""

    def dataset(self) -> Dataset:
        return make_dataset(self.data)

    def network(self, data: Dataset | None = None) -> NetworkSpec:
        """The architecture, with input and output widths that fit the data and the loss."""
        data = data if data is not None else self.dataset()
        return network_for(data, self.config.loss, self.hidden, self.activations,
                           self.output_activation, self.init_scheme)

    def initial_params(self, spec: NetworkSpec) -> Params | None:
        """Named initial weights, or None to draw them by the init scheme from the seed."""
        return named_weights(self.weights) if self.weights else None

    def problem(self) -> Problem:
        """What this preset trains, its data generated."""
        data = self.dataset()
        spec = self.network(data)
        return Problem(data, spec, self.config, self.initial_params(spec), self.seed)

    def trainer(self) -> Trainer:
        """A Trainer at epoch 0 for this preset (not compiled yet)."""
        return self.problem().make_trainer()


def named_weights(name: str) -> Params:
    """The initial weights ``name`` of :data:`WEIGHTS` (zero biases), as parameters."""
    if name == "notebook-moons":
        from .lessons import replay  # the notebook's random stream, replayed
        return tuple((np.asarray(w, np.float32), np.zeros(w.shape[1], np.float32))
                     for w in replay().moons_initial_weights)
    raise PresetError(f"unknown weights {name!r}; known: {', '.join(WEIGHTS)}")


def _preset(entry: Any, groups: dict[str, str], check_data: bool = True) -> Preset:
    if not isinstance(entry, dict):
        raise PresetError(f"a preset must be an object, got {entry!r}")
    pid = entry.get("id")
    if not isinstance(pid, str) or not pid:
        raise PresetError(f"a preset without an id: {json.dumps(entry)[:80]}")

    def fail(message: str) -> PresetError:
        return PresetError(f"preset {pid!r}: {message}")

    unknown = set(entry) - _PRESET_KEYS
    if unknown:
        raise fail(f"unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("group", "title", "description"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise fail(f"{key} must be a non-empty string")
    if entry["group"] not in groups:
        raise fail(f"unknown group {entry['group']!r}; known: {', '.join(groups)}")
    for key in ("data", "network", "training"):
        if not isinstance(entry.get(key), dict):
            raise fail(f"{key} must be an object")
    net = entry["network"]
    if set(net) - _NETWORK_KEYS:
        raise fail(f"network: unknown field(s) {', '.join(sorted(set(net) - _NETWORK_KEYS))}")
    known_data = {f.name for f in fields(DataSpec)}
    if set(entry["data"]) - known_data:
        raise fail(f"data: unknown field(s) {', '.join(sorted(set(entry['data']) - known_data))}")
    try:
        data = DataSpec(**entry["data"]).resolved()
        config = TrainConfig(**entry["training"])
        hidden = tuple(net.get("hidden", ()))
        if "activations" in net:
            activations = tuple(net["activations"])
        else:
            activations = (net.get("activation", "sigmoid"),) * len(hidden)
        output_activation = net.get("output_activation", "sigmoid")
        init_scheme = net.get("init_scheme", "normal")
        # Build the network on the real data now: a loss that does not fit the task, or a bad
        # width, is found when the file is read, not when someone picks the preset. (Not for
        # the shipped file at launch: its check is a test, and making every data set took
        # ~0.2 s of the window's thread and imported scikit-learn on a cold data cache.)
        if check_data:
            network_for(make_dataset(data), config.loss, hidden, activations, output_activation,
                        init_scheme)
    except (DataError, SpecError, TrainingError, LossError, TypeError, ValueError) as e:
        raise fail(str(e)) from None
    seed = entry.get("seed", data.seed)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        raise fail(f"seed must be a whole number from 0 to {MAX_SEED:,}, got {seed!r}")
    epochs = entry.get("epochs", 1000)
    if not isinstance(epochs, int) or isinstance(epochs, bool) or not 1 <= epochs <= 1_000_000:
        raise fail(f"epochs must be a whole number in 1..1000000, got {epochs!r}")
    weights = entry.get("weights")
    if weights is not None and weights not in WEIGHTS:
        raise fail(f"unknown weights {weights!r}; known: {', '.join(WEIGHTS)}")
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise fail("note must be a string")
    return Preset(pid, entry["group"], entry["title"], entry["description"], data, hidden,
                  activations, output_activation, init_scheme, config, seed, epochs, weights,
                  note)


def parse_presets(text: str, check_data: bool = True) -> tuple[tuple[Preset, ...], dict[str, str]]:
    """Presets and group titles from the JSON text of a presets file. ``check_data``: build
    each preset's data set and network on it (the built-in file's presets are checked so by
    the tests, and are loaded without it: no data set is made before a preset is picked)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise PresetError(f"the presets file is not valid JSON ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise PresetError(f"not a presets file (format must be {FORMAT_NAME!r})")
    if doc.get("version") != FORMAT_VERSION:
        raise PresetError(f"presets file version {doc.get('version')!r}; this nnviz reads "
                          f"version {FORMAT_VERSION}")
    groups = doc.get("groups")
    if not isinstance(groups, dict) or not all(isinstance(v, str) for v in groups.values()):
        raise PresetError("the presets file needs a 'groups' object of titles")
    entries = doc.get("presets")
    if not isinstance(entries, list) or not entries:
        raise PresetError("the presets file has no 'presets' list")
    presets = tuple(_preset(e, groups, check_data) for e in entries)
    ids = [p.id for p in presets]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise PresetError(f"duplicate preset id(s): {', '.join(dup)}")
    return presets, dict(groups)


@functools.lru_cache(maxsize=1)
def _builtin() -> tuple[tuple[Preset, ...], dict[str, str]]:
    return parse_presets(builtin_text(), check_data=False)


def builtin_text() -> str:
    """The JSON text of the built-in presets file."""
    return resources.files("nnviz.resources").joinpath("presets.json").read_text("utf-8")


def load_presets() -> tuple[Preset, ...]:
    """The built-in presets, in menu order."""
    return _builtin()[0]


def groups() -> dict[str, str]:
    """Group id -> menu title, in menu order."""
    return dict(_builtin()[1])


def get(preset_id: str) -> Preset:
    """The built-in preset ``preset_id``; a PresetError naming the known ones otherwise."""
    for p in load_presets():
        if p.id == preset_id:
            return p
    raise PresetError(f"unknown preset {preset_id!r}; known: "
                      f"{', '.join(p.id for p in load_presets())}")
