"""The command line: launch the window, or train headless.

    nnviz [train options] [--screenshot FILE.png [--show VIEW] [--epochs N]] [--size WxH]
          [--presentation] [--stop-at N] [--open FILE]
    nnviz --sweep NAME [--screenshot FILE.png --epochs N]
    nnviz [train options] --record FILE.gif|FILE.mp4 --epochs N [--frames K] [--show VIEW]
    nnviz --exercise FILE.toml [--screenshot FILE.png [--epochs N]]
    nnviz train [train options] [--epochs N] [--init FILE.npz] [--history FILE.csv] [--json]
    nnviz train --preset NAME [--epochs N]       (e.g. moons: the notebook's own run)
    nnviz --preset NAME                          (the window on a preset, as its menu loads it)
    nnviz train --data FILE.csv [--task T] [train options] [--save FILE.nnviz]
    nnviz train --session FILE.nnviz [--epochs N] [--save FILE.nnviz]
    nnviz train [train options] --export-script FILE.py
    nnviz train [train options] --export-onnx FILE.onnx
    nnviz sweep [train options, each swept one a comma list] [--epochs N] [--json]
                [--history FILE.csv]

A bad argument prints one line on stderr and exits with code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import math
import os
import sys
import time
from dataclasses import replace
from typing import Sequence

import numpy as np

from nnviz import __version__
from nnviz.core import activations as acts
from nnviz.core import compile_cache, features, fileio, heap, runlog
from nnviz.core.csvdata import read_csv
from nnviz.core.data import DATASETS, MAX_SEED, Dataset, DataSpec, make_dataset
from nnviz.core.data import enable_cache as enable_data_cache
from nnviz.core.errors import NnvizError
from nnviz.core.formatting import format_score, plural
from nnviz.core.losses import LOSSES
from nnviz.core.network import INIT_SCHEMES, MAX_HIDDEN_LAYERS, MAX_WIDTH, load_npz
from nnviz.core.runlog import Run, RunLog
from nnviz.core.session import Session
from nnviz.core.session import load as load_session
from nnviz.core.problem import Choices, Problem, make_problem
from nnviz.core.training import (MAX_LEARNING_RATE, MAX_PENALTY_RATE, OPTIMIZERS, STUCK_EPOCHS,
                                  Trainer, divergence_message, high_loss_message)

USER_ERRORS = (NnvizError,)  # every error meant for the user (core/errors.py)
# The exit code of a program that SIGPIPE stopped, as shells report it (128 + 13).
_PIPE_CLOSED = 141


class UsageError(Exception):
    """A mistake on the command line: one line on stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line instead of usage + message
        raise UsageError(f"{message} (see '{self.prog} --help')")


class _DataInWindow(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None) -> None:
        raise UsageError("--data is an option of 'nnviz train' and 'nnviz sweep'; the window "
                         "opens a CSV file with File > Import CSV")


# --- argument types: each raises ArgumentTypeError with a message for the user ---------------

def _positive_float(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(v) and v > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return v


def _nonneg_float(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(v) and v >= 0):
        raise argparse.ArgumentTypeError(f"must be zero or a positive number, got {text!r}")
    return v


def _number_in(low: float, high: float, *, above_low: bool = False):
    """A number from ``low`` (or above it, ``above_low``) to ``high``: the range the core
    checks, checked here so that the message names the flag."""
    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not (math.isfinite(v) and (v > low if above_low else v >= low) and v <= high):
            span = (f"a number above {low:g} and up to {high:g}" if above_low
                    else f"between {low:g} and {high:g}")
            raise argparse.ArgumentTypeError(f"must be {span}, got {text}")
        return v
    return parse


MAX_EPOCHS = 1_000_000_000


def _int_at_least(low: int, high: int | None = None):
    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if v < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {v}")
        if high is not None and v > high:
            raise argparse.ArgumentTypeError(f"must be at most {high:,}, got {v:,}")
        return v
    return parse


MIN_WINDOW, MAX_WINDOW = 200, 16384


def _window_size(text: str) -> tuple[int, int]:
    """``WxH`` in pixels, each within MIN_WINDOW..MAX_WINDOW."""
    parts = text.lower().split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write WxH, e.g. 1024x768")
    w, h = (int(p) for p in parts)
    for v in (w, h):
        if v < MIN_WINDOW:
            raise argparse.ArgumentTypeError(f"a side must be at least {MIN_WINDOW} pixels, "
                                             f"got {v}")
        if v > MAX_WINDOW:
            raise argparse.ArgumentTypeError(f"a side must be at most {MAX_WINDOW:,} pixels, "
                                             f"got {v:,}")
    return w, h


_NO_HIDDEN = "write 'none' for no hidden layer"


def _widths(text: str) -> tuple[int, ...]:
    # An empty value is refused, not read as no hidden layer: --hidden "" (an unset shell
    # variable) trained "network 2 -> 1" without a word. 'none' says it on purpose.
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: an empty value ({_NO_HIDDEN})")
    text = text.strip()
    if text.lower() == "none":
        return ()
    chunks = [c.strip() for c in text.split(",")]
    if any(not c for c in chunks):
        raise argparse.ArgumentTypeError(f"{text!r}: an empty value in the list")
    # 4x10 is read as 4,10; a chunk that is not whole numbers joined by x is named as it was
    # typed: '4,x' said "an empty value in the list" (the x became a comma), nothing was empty.
    parts = []
    for c in chunks:
        subs = [s.strip() for s in c.replace("X", "x").split("x")]
        parts += [(s, c if any(not t for t in subs) else s) for s in subs]
    widths = []
    for p, shown in parts:
        try:
            w = int(p)
        except ValueError:
            where = "" if shown == text else f"{text!r}: "
            raise argparse.ArgumentTypeError(
                f"{where}{shown!r} is not a whole number; widths are whole numbers "
                f"separated by commas, like 4,10,4") from None
        if not 1 <= w <= MAX_WIDTH:
            raise argparse.ArgumentTypeError(f"{text!r}: each width must be 1..{MAX_WIDTH}, got {w}")
        widths.append(w)
    if len(widths) > MAX_HIDDEN_LAYERS:
        raise argparse.ArgumentTypeError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(widths)}")
    return tuple(widths)


def _list_of(parse):
    """A comma list of what ``parse`` reads (a sweep's values of one option)."""
    def parse_list(text: str) -> list:
        parts = [t for t in text.split(",")]
        if any(not t.strip() for t in parts):
            raise argparse.ArgumentTypeError(f"{text!r}: an empty value in the list")
        return [parse(t.strip()) for t in parts]
    parse_list.__name__ = getattr(parse, "__name__", "value")
    return parse_list


def _features(text: str) -> tuple[str, ...]:
    """Input features, canonical (which ones the data allows is the network's to check)."""
    parts = tuple(features.canonical(p) for p in text.split(",") if p.strip())
    if not parts:
        raise argparse.ArgumentTypeError("give at least one input feature, like x1,x2,x1*x2")
    return parts


def _choice(names, what: str):
    names = list(names)

    def parse(text: str) -> str:
        from nnviz.view_names import did_you_mean
        t = text.strip().lower().replace("_", "-")
        if t not in names:  # the name meant, when one is close, as --show says it
            raise argparse.ArgumentTypeError(f"unknown {what} {text!r}{did_you_mean(t, names)}"
                                             f" (choose from {', '.join(names)})")
        return t
    parse.__name__ = what
    return parse


def _view(text: str) -> str:
    """A view of --show (nnviz.view_names: nnviz.launch checks it before the imports too)."""
    from nnviz.view_names import view_name
    try:
        return view_name(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _unrecognized(parser: argparse.ArgumentParser, command: str | None,
                  extra: Sequence[str]) -> str:
    """The message for arguments no option takes: the option meant when one is close to a
    mistyped one, and the help of the command they were given to ('nnviz train --help'): it
    said "unrecognized arguments: --activaton relu (see 'nnviz --help')" (review r25 F11)."""
    from nnviz.view_names import did_you_mean
    sub = parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            sub = action.choices[command]
    options = [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
    meant = ""
    for arg in extra:
        if arg.startswith("--") and arg.split("=", 1)[0] not in options:
            meant = did_you_mean(arg.split("=", 1)[0], options)
            if meant:
                break
    return f"unrecognized arguments: {' '.join(extra)}{meant} (see '{sub.prog} --help')"


def _preset_name(text: str) -> str:
    """The id of a built-in preset (the window's Presets menu); a clear message naming them."""
    from nnviz.core import presets
    t = text.strip().lower()
    try:
        ids = [p.id for p in presets.load_presets()]
    except presets.PresetError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if t not in ids:
        from nnviz.view_names import did_you_mean
        raise argparse.ArgumentTypeError(f"unknown preset {text!r}{did_you_mean(t, ids)} "
                                         f"(choose from {', '.join(ids)})")
    return t


def _preset_names_help() -> str:
    from nnviz.core import presets
    try:
        names = "; ".join(f"{p.id}: {p.title}" for p in presets.load_presets())
        return names.replace("%", "%%")  # argparse formats help strings
    except presets.PresetError as e:
        return f"(none: {e})"


def _existing_file(text: str) -> str:
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text} is a folder, not a file")
    if not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"no such file: {text}" if not os.path.exists(text)
                                         else f"{text} is not a regular file")
    return text


# The options a sweep may vary (each a comma list), and their names in JSON and core/sweep.py.
SWEPT = {"samples": "samples", "noise": "noise", "seed": "seed", "init_seed": "init_seed",
         "test_fraction": "test_fraction", "classes": "classes", "hidden": "hidden",
         "activation": "activation", "output_activation": "output_activation",
         "init_scheme": "init_scheme", "features": "features", "loss": "loss",
         "optimizer": "optimizer", "lr": "learning_rate", "batch_size": "batch_size",
         "l1": "l1", "l2": "l2"}
# Options whose values hold commas: a sweep separates them by slashes.
_SLASHED = {"hidden", "features"}
# Options of nnviz train that a sweep takes with one value (the same for every member).
_ONE_VALUE = {"dataset": "every member trains on the same data set",
              "epochs": "every member trains as many epochs",
              "print_every": "one printout for the whole sweep",
              "from_epoch": "every member goes on from the same epoch of the session"}


def _seeds(dest: str):
    """A sweep's --seed or --init-seed: the window's sweep form's values (its parser, so the
    same ranges, limits and messages): a comma list with ranges, like 0-15 or 0-3,7."""
    def parse_list(text: str) -> list:
        if any(not t.strip() for t in text.split(",")):
            raise argparse.ArgumentTypeError(f"{text!r}: an empty value in the list")
        from nnviz.core.sweep_driver import AxisError, parse_values
        try:
            return list(parse_values(dest, text))
        except AxisError as e:
            raise argparse.ArgumentTypeError(str(e)) from None
    parse_list.__name__ = "seeds"
    return parse_list


def _one_value(parse, dest: str):
    """``parse``, refusing a comma list with the reason the option is not swept."""
    def parse_one(text: str):
        if "," in text:
            raise argparse.ArgumentTypeError(
                f"{text!r}: one value only, {_ONE_VALUE[dest]} (a sweep varies "
                + ", ".join("--" + k.replace("_", "-") for k in SWEPT) + ")")
        return parse(text)
    parse_one.__name__ = getattr(parse, "__name__", "value")
    return parse_one


def _slashed(parse):
    """Values of ``parse`` separated by slashes (a sweep's values of an option with commas);
    an empty one is refused as ``_list_of`` refuses it (--hidden 4//8 made a member "none")."""
    def parse_list(text: str) -> list:
        parts = text.split("/")
        if any(not part.strip() for part in parts):
            note = f" ({_NO_HIDDEN})" if parse is _widths else ""
            raise argparse.ArgumentTypeError(f"{text!r}: an empty value in the list{note}")
        return [parse(part) for part in parts]
    parse_list.__name__ = getattr(parse, "__name__", "value")
    return parse_list


def _add_train_options(p: argparse.ArgumentParser, epochs_default: int | None,
                       lists: bool = False) -> None:
    """The options that describe a run; with ``lists`` (nnviz sweep), each option of SWEPT
    takes a comma list of values."""
    g = p.add_argument_group("the notebook's runs, or ready-made problems")
    g.add_argument("--preset", type=_preset_name, default=None, metavar="NAME",
                   help="train a preset of the window's Presets menu (its data, network, "
                        "training settings and initial weights; the other options of the "
                        "run cannot change them" + ("; a sweep varies the options given a "
                                                    "comma list, from the preset's weights"
                                                    if lists else "") + "): "
                        + _preset_names_help() + ". 'moons' is the notebook's own run: it "
                        "prints the notebook's losses, 0.2460 at epoch 100 ... 0.0804 at "
                        "epoch 1000")
    g = p.add_argument_group("data")
    g.add_argument("--dataset", type=_choice(DATASETS, "data set"), default="moons",
                   help="data set: " + "; ".join(f"{k}: {v.description}" for k, v in DATASETS.items()))
    g.add_argument("--samples", type=_int_at_least(4), default=None,
                   help="number of points (default: the data set's, 200 for moons)")
    g.add_argument("--noise", type=_number_in(0, 10), default=None,
                   help="noise level (default: the data set's, 0.1 for moons)")
    g.add_argument("--seed", type=_int_at_least(0, MAX_SEED), default=None,
                   help="random seed of the data, the split, the mini-batch order and the "
                        "initial weights (default: the data set's, 0 for moons)")
    g.add_argument("--init-seed", type=_int_at_least(0, MAX_SEED), default=None, metavar="S",
                   help="random seed of the initial weights alone (default: --seed's)")
    g.add_argument("--test-fraction", type=_number_in(0, 0.9), default=0.2,
                   help="fraction of points held out for testing, 0..0.9 (default 0.2); 0 trains on "
                        "every point in the data set's own order, as the notebook does")
    # None: not given (3); given with another data set it is refused, not ignored (review r30:
    # --dataset line --classes 3 trained a regression without a word).
    g.add_argument("--classes", type=_int_at_least(3, 8), default=None,
                   help="number of classes for --dataset multiclass, 3..8 (default 3)")

    g = p.add_argument_group("network")
    g.add_argument("--hidden", type=_widths, default=None,
                   help="hidden layer widths, comma separated (default 4,10,4, for the line "
                        "none: the notebook's linear regression; 'none' for no "
                        f"hidden layer); each 1..{MAX_WIDTH}, at most {MAX_HIDDEN_LAYERS} layers")
    g.add_argument("--activation", type=_choice(acts.ACTIVATIONS, "activation"), default="sigmoid",
                   help="activation of every hidden layer: " + ", ".join(acts.ACTIVATIONS)
                        + " (default sigmoid)")
    g.add_argument("--output-activation", type=_choice(acts.ACTIVATIONS, "activation"),
                   default=None, help="activation of the output layer (default: the one that "
                   "fits the data: linear for regression, softmax with cross-entropy, else "
                   "sigmoid)")
    g.add_argument("--init-scheme", type=_choice(INIT_SCHEMES, "init scheme"), default="normal",
                   help="initial weights: " + "; ".join(f"{k}: {v}" for k, v in INIT_SCHEMES.items()))
    g.add_argument("--features", type=_features, default=None, metavar="F,F,...",
                   help="the input features the first layer takes, comma separated: "
                        + ", ".join(features.catalogue(2))
                        + " (TensorFlow Playground's; default: the raw inputs x1,x2)")
    g.add_argument("--init", type=_existing_file, default=None, metavar="FILE.npz",
                   help="start from these weights: w0..w{L-1} of shape (in, out) and b0..b{L-1} "
                        "of shape (out, 1), the notebook's layout")

    g = p.add_argument_group("training")
    g.add_argument("--loss", type=_choice(LOSSES, "loss"), default=None,
                   help="; ".join(f"{k}: {v}" for k, v in LOSSES.items())
                   + " (default mse; cross-entropy for more than two classes)")
    g.add_argument("--optimizer", type=_choice(OPTIMIZERS, "optimizer"), default="gd",
                   help="; ".join(f"{k}: {v}" for k, v in OPTIMIZERS.items()) + " (default gd)")
    g.add_argument("--lr", type=_number_in(0, MAX_LEARNING_RATE, above_low=True), default=None,
                   help="learning rate, a positive number (default: one that trains this data "
                        "with this optimiser; the notebook's 1.0 for classification with gd)")
    g.add_argument("--batch-size", type=_int_at_least(0), default=0,
                   help="mini-batch size, reshuffled each epoch; 0 = all training points at once "
                        "(default 0, the notebook's)")
    g.add_argument("--l1", type=_number_in(0, MAX_PENALTY_RATE), default=0.0, help="L1 penalty rate on the weights")
    g.add_argument("--l2", type=_number_in(0, MAX_PENALTY_RATE), default=0.0, help="L2 penalty rate on the weights")
    g.add_argument("--epochs", type=_int_at_least(0, MAX_EPOCHS), default=epochs_default,
                   help="number of epochs to train" + (f" (default {epochs_default})"
                                                       if epochs_default else
                                                       " when the window opens (a Step of N; "
                                                       "with --screenshot or --record, before "
                                                       "the picture; default 0)"))
    if lists:
        for action in p._actions:
            if action.dest in ("seed", "init_seed"):
                action.type = _seeds(action.dest)
            elif action.dest in SWEPT:
                action.type = (_slashed(action.type) if action.dest in _SLASHED
                               else _list_of(action.type))
            elif action.dest in _ONE_VALUE:
                action.type = _one_value(action.type, action.dest)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="nnviz", description="Watch a neural network learn. Without a command, opens "
                "the window with the given problem (the notebook's moons by default).")
    p.add_argument("--version", action="version", version=f"nnviz {__version__}")
    # '--data FILE.csv' is an option of train and sweep; given to the window, argparse took it
    # for an abbreviation of --dataset and said "unknown data set 'FILE.csv'".
    p.add_argument("--data", action=_DataInWindow, help=argparse.SUPPRESS)
    p.add_argument("--screenshot", metavar="FILE.png", default=None,
                   help="render the window offscreen after --epochs epochs, save it and exit")
    # (default None, read as main: a session opened with --open keeps the view it was saved on
    # unless --show is given, review r27 F2)
    p.add_argument("--show", default=None, metavar="VIEW", type=_view,
                   help="the view to show or capture: main, network, neurons, hidden-space, "
                        "gradients, landscape, lessons, backprop, regions, compare, or one "
                        "lesson's page: "
                        "lesson-1 .. lesson-5, "
                        "baseline (default main)")
    from nnviz.core.ready_sweeps import BY_KEY as SWEEPS
    p.add_argument("--sweep", type=_choice(SWEEPS, "sweep"), default=None, metavar="NAME",
                   help="start a ready-made sweep in the Compare view (with --screenshot: "
                        "trained --epochs epochs): " + ", ".join(SWEEPS))
    p.add_argument("--at-epoch", type=_int_at_least(0, MAX_EPOCHS), default=None, metavar="E",
                   help="with --screenshot: draw the recorded epoch E of the run (the timeline) "
                        "after training --epochs epochs")
    p.add_argument("--size", type=_window_size, default=None, metavar="WxH",
                   help="the window's size in pixels, e.g. 1024x768 (a projector); with "
                        "--screenshot, the picture's (default 1400x900)")
    p.add_argument("--stop-at", type=_int_at_least(0, MAX_EPOCHS), default=None, metavar="N",
                   help="Play pauses at epoch N, where the picture stays (the window's 'Stop at "
                        "epoch' field; 0: never)")
    p.add_argument("--presentation", action="store_true",
                   help="presentation mode: large text and markers, the settings folded away "
                        "(View > Presentation mode, F11)")
    p.add_argument("--open", metavar="FILE.nnviz", default=None, help="open a saved session")
    r = p.add_argument_group("animations (pip install 'nnviz[record]')")
    r.add_argument("--record", metavar="FILE.gif|FILE.mp4", default=None,
                   help="train --epochs epochs offscreen, then record the run from its first "
                        "epoch to its last as an animation (16:9, a caption with the epoch, loss "
                        "and accuracy) and exit")
    r.add_argument("--frames", type=_int_at_least(2, 2000), default=60, metavar="K",
                   help="with --record: the number of frames (default 60)")
    r.add_argument("--spacing", choices=("even", "geometric"), default="even",
                   help="with --record: frames evenly spaced in epochs, or geometrically (ever "
                        "further apart: more frames early, where most is learnt)")
    r.add_argument("--area", choices=("view", "plot", "window"), default="view",
                   help="with --record: the view shown (--show), the decision plot alone, or "
                        "the whole window (default view)")
    r.add_argument("--fps", type=float, default=10.0, metavar="F",
                   help="with --record: frames per second (default 10)")
    p.add_argument("--exercise", metavar="FILE.toml", default=None,
                   help="open an exercise: its problem, goals checked live, hints and solution "
                        "(docs/exercises.md; nnviz ships some in resources/exercises)")
    # The names of nnviz.gui.colors.THEMES / PALETTES (not imported here: no Qt for --help).
    p.add_argument("--theme", choices=("light", "dark"), default=None,
                   help="the window's theme (default: the one chosen last in View > Theme)")
    p.add_argument("--palette", choices=("playground", "tol", "cividis"), default=None,
                   help="the colours: playground (TensorFlow Playground's orange / blue), tol "
                        "(Paul Tol's colour-blind safe colours), cividis (perceptually uniform "
                        "heatmaps) (default: the one chosen last in View > Palette)")
    _add_train_options(p, epochs_default=None)

    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    t = sub.add_parser("train", help="train headless and print the loss (nnviz train --help)",
                       description="Train without a window: prints the loss every 100 epochs like "
                       "the notebook, then the final train/test loss and accuracy (R^2 for "
                       "regression) and the speed in epochs per second, compile time apart. "
                       "'nnviz train --preset moons' is the notebook's own run and prints its "
                       "numbers (0.2460 at epoch 100 ... 0.0804 at 1000, 88%); other options "
                       "draw nnviz's own initial weights and hold out a test set (--test-fraction "
                       "0.2), so their numbers differ from the notebook's.")
    _add_train_options(t, epochs_default=1000)
    for action in t._actions:  # a preset trains its own epochs unless told otherwise
        if action.dest == "epochs":
            action.default = None
            action.help = "number of epochs to train (default 1000; with --preset, the preset's)"
    t.add_argument("--history", metavar="FILE.csv", default=None,
                   help="write one row per epoch: epoch,loss")
    t.add_argument("--json", action="store_true",
                   help="print one JSON object instead of text")
    _add_run_options(t, sweep=False)

    w = sub.add_parser(
        "sweep", help="train many variants at once and compare them (nnviz sweep --help)",
        description="Train the variants of a run together and print a table of their final "
        "train/test loss and accuracy (R^2 for regression). Takes the options of 'nnviz train'; "
        "each of " + ", ".join("--" + k.replace("_", "-") for k in SWEPT) + " may be a comma "
        "list of values, and the members are every combination (the product). For --hidden and "
        "--features, the values are separated by slashes: --hidden 4,10,4/8/16 sweeps 4-10-4, "
        "8 and 16. --seed and --init-seed also take ranges, as the window's sweep form does: "
        "0-15, or 0-3,7. Example: nnviz sweep --lr 0.1,0.3,1,3 --seed 0-3. The other options of "
        "'nnviz train' take one value, the same for every member: --data FILE.csv (split by "
        "each member's --seed and --test-fraction), --session FILE --from-epoch E (with --lr "
        "A,B,...: the saved run goes on from epoch E at each rate); --save, --export-script "
        "and --export-onnx write one file per member. Each member's numbers are those "
        "of 'nnviz train' with its values; members of one shape train in one vectorised call "
        "(and over every jax device). A member that diverges stops at its best weights; the "
        "others go on. Exit code 0 when the sweep ran (diverged members are in the table), 2 "
        "on a bad argument.")
    w.add_argument("--json", action="store_true",
                   help="print one JSON object: 'members' (each with the keys of 'nnviz train "
                        "--json', the seed and every swept option under its name), "
                        "'member_epochs_per_second', 'devices'")
    w.add_argument("--history", metavar="FILE.csv", default=None,
                   help="write one row per member per epoch: member,<swept options>,epoch,loss")
    _add_run_options(w, sweep=True)
    _add_train_options(w, epochs_default=1000, lists=True)
    return p


def _add_run_options(p: argparse.ArgumentParser, sweep: bool) -> None:
    """The options of nnviz train beyond the problem's; a sweep takes them too (files written
    once per member, NAME-<member>.EXT)."""
    each = (" (one file per member: NAME-0.EXT, NAME-1.EXT, ... in the order of the table)"
            if sweep else "")
    p.add_argument("--print-every", type=_int_at_least(1), default=None if sweep else 100,
                   metavar="N",
                   help="print every member's loss every N epochs, one line per epoch, the "
                        "members in the order of the table (default: none, the table only)"
                   if sweep else "print the loss every N epochs (default 100): the loss each "
                   "epoch's update starts from, as the notebook prints it (the final line "
                   "measures the weights after the last update)")
    p.add_argument("--sharpness", action="store_true",
                   help="also measure the sharpness at the final weights (the largest eigenvalue "
                        "of the training loss's Hessian) and print it beside 2/lr, the most "
                        "plain gradient descent stays stable at" + (", for every member"
                                                                     if sweep else ""))
    g = p.add_argument_group("your own data and sessions")
    g.add_argument("--data", type=_existing_file, default=None, metavar="FILE.csv",
                   help="train on a CSV file instead of --dataset: x1,x2,label (classification; "
                        "any label values) or x,y / x1,x2,y (regression), header optional; "
                        "--test-fraction and --seed set the split")
    g.add_argument("--task", choices=("classification", "regression"), default=None,
                   help="with --data: force the task (default: read from the last column)")
    g.add_argument("--raw-features", action="store_true",
                   help="with --data: keep the features as they are (default: features far "
                        "from unit scale, such as lengths in cm, are standardised to mean 0 "
                        "and sd 1 on the training points, so that the default network trains)")
    g.add_argument("--raw-targets", action="store_true",
                   help="with --data: keep a regression's targets as they are (default: "
                        "targets far from unit scale, such as prices in thousands, are "
                        "standardised to mean 0 and sd 1 on the training points, so that the "
                        "default network fits them; the losses are then in standardised units, "
                        "R^2 the same)")
    g.add_argument("--save", metavar="FILE.nnviz", default=None,
                   help="save the whole session at the end (data, settings, weights, optimiser "
                        "state, loss history); open it in the window or go on with --session"
                        + each)
    g.add_argument("--export-script", metavar="FILE.py", default=None,
                   help="write the run as a standalone Python script (jax and numpy only, the "
                        "notebook's code with this run's training points and initial weights) "
                        "that prints the loss every 100 epochs: this run's losses" + each)
    g.add_argument("--export-onnx", metavar="FILE.onnx", default=None,
                   help="write the trained network as an ONNX model (input X: points in rows, "
                        "output Y: Run.predict's numbers), for Netron or onnxruntime; needs "
                        "pip install 'nnviz[onnx]'" + each)
    g.add_argument("--session", type=_existing_file, default=None, metavar="FILE.nnviz",
                   help="go on training a saved session for --epochs more epochs, exactly as if "
                        "it had never stopped (its data and settings are the session's)"
                   + ("; a sweep goes on from --from-epoch E at each of the --lr values"
                      if sweep else ""))
    g.add_argument("--from-epoch", type=_int_at_least(0, MAX_EPOCHS), default=None, metavar="E",
                   help="with --session: go on from the recorded epoch E of its run instead of "
                        "its end, as a new branch (--lr may change the learning rate); with the "
                        "same settings the losses equal the original run's from E on")


def build_problem(args: argparse.Namespace, data: Dataset | None = None) -> Problem:
    """The Problem the train options describe; raises one of USER_ERRORS on a bad combination.

    ``data`` (e.g. an imported CSV) replaces the generated data set. Options left out take the
    defaults that fit the data (:mod:`nnviz.core.problem`).
    """
    preset = getattr(args, "preset", None)
    if preset:  # the preset's whole problem, its initial weights included (core/presets.py)
        from nnviz.core import presets
        return presets.get(preset).problem()
    if data is None:
        if args.classes is not None and args.dataset != "multiclass":
            raise UsageError(f"--classes only applies to --dataset multiclass, not to "
                             f"{args.dataset}")
        data = make_dataset(DataSpec(args.dataset, args.samples, args.noise, args.seed,
                                     args.test_fraction,
                                     3 if args.classes is None else args.classes))
    if args.features:  # which features there are depends on the data's inputs
        try:
            features.check(tuple(args.features), data.n_features)
        except ValueError as e:
            raise UsageError(f"argument --features: {e}") from None
    acts = (args.activation,) * (1 if args.hidden is None else len(args.hidden))
    choices = Choices(args.hidden, acts, args.output_activation,
                      args.init_scheme, args.loss, args.optimizer, args.lr, args.batch_size,
                      args.l1, args.l2, tuple(getattr(args, "features", None) or ()))
    seed = data.spec.seed if data.spec is not None else (args.seed or 0)
    problem = make_problem(data, choices, seed=seed, init_seed=getattr(args, "init_seed", None))
    if args.init:
        problem = replace(problem, params=load_npz(args.init, problem.spec))
    return problem


# Options that describe a new run; --session continues a saved one and takes none of them.
_RUN_OPTIONS = ("dataset", "samples", "noise", "seed", "init_seed", "test_fraction", "classes",
                "hidden", "activation", "output_activation", "init_scheme", "init", "features",
                "loss", "optimizer", "lr", "batch_size", "l1", "l2", "data", "task",
                "raw_features", "raw_targets")


def check_preset(args: argparse.Namespace, defaults: dict, swept=lambda option: False,
                 instead: str = "leave out --preset to set them yourself") -> None:
    """--preset brings its own problem: the options that would change it are refused (a
    silently ignored --lr would print numbers the user did not ask for), as is --session.
    ``swept(option)``: an option a sweep varies over the preset (``instead``: what to do)."""
    if not getattr(args, "preset", None):
        return
    if getattr(args, "session", None):
        raise UsageError("--session goes on with the saved data and settings; --preset cannot "
                         "change them")
    given = [o for o in _RUN_OPTIONS
             if o in defaults and getattr(args, o) != defaults[o] and not swept(o)]
    if given:
        flags = ", ".join("--" + o.replace("_", "-") for o in given)
        raise UsageError(f"--preset {args.preset} brings its own data and settings; {flags} "
                         f"cannot change them ({instead})")


def prepare_run(args: argparse.Namespace) -> tuple[Trainer, Run, tuple[str, ...] | None]:
    """The trainer of ``nnviz train`` (new, from --data, or from --session), the run it records
    into (a saved session's, going on from its end or, with --from-epoch, from a branch), and the
    class names of imported data."""
    defaults = vars(build_parser().parse_args(["train"]))
    if args.from_epoch is not None and not args.session:
        raise UsageError("--from-epoch needs --session FILE.nnviz: the run to go back into")
    check_preset(args, defaults)
    if args.session:
        changeable = ("lr",) if args.from_epoch is not None else ()
        given = [o for o in _RUN_OPTIONS
                 if getattr(args, o) != defaults[o] and o not in changeable]
        if given:
            flags = ", ".join("--" + o.replace("_", "-") for o in given)
            also = "" if args.from_epoch is not None else " (with --from-epoch, --lr may)"
            raise UsageError(f"--session goes on with the saved data and settings; {flags} "
                             f"cannot change them{also}; start a new run instead")
        session = load_session(args.session)
        trainer = session.make_trainer()
        run = session.make_run()
        if run is None:  # a file of format 1: its losses, but no record of its past states
            run = Run(RunLog(losses=session.history))
            run.log.checkpoint(trainer.epoch, trainer.state, "start")
        if args.from_epoch is not None:
            _go_back(trainer, run, args.from_epoch, args.lr if args.lr != defaults["lr"] else None)
        return trainer, run, session.class_names
    if args.data:
        if args.dataset != defaults["dataset"]:
            raise UsageError("--data and --dataset both choose the data; give one of them")
        imported = read_csv(args.data, args.task, test_fraction=args.test_fraction,
                            seed=args.seed or 0, standardise=not args.raw_features,
                            standardise_target=not args.raw_targets)
        say_scaling(imported)
        return (*_fresh(build_problem(args, imported.dataset).make_trainer()), imported.class_names)
    only_data = [f for f, given in (("--task", args.task), ("--raw-features", args.raw_features),
                                    ("--raw-targets", args.raw_targets)) if given]
    if only_data:
        raise UsageError(f"{only_data[0]} only applies to --data FILE.csv")
    return (*_fresh(build_problem(args).make_trainer()), None)


def say_scaling(imported) -> None:
    """On stderr, as the window's status line does: what the import standardised, and the flag
    that keeps it as it is; a warning for what is far from unit scale and kept raw."""
    from nnviz.core.csvdata import target_unscaled_warning, unscaled_warning
    d = imported.dataset
    for said, warning, flag in (
            (imported.feature_scaling_text(), unscaled_warning, "--raw-features"),
            (imported.target_scaling_text(), target_unscaled_warning, "--raw-targets")):
        if said:
            print(f"nnviz: {said} ({flag} keeps them as they are)", file=sys.stderr)
        elif warned := warning(d):
            print(f"nnviz: warning: {warned}; leave out {flag} to train on (value - mean) / sd",
                  file=sys.stderr)


def scaling_fields(data) -> dict:
    """What ``--json`` says of the data's standardisation, for a script reading the losses:
    ``feature_scaling``, each standardised input's file name, mean and sd (network input =
    (value - mean) / sd), or null when the features are trained as given;
    ``target_scaling``, the regression target's name, mean and sd (null: as given, or
    classification); ``loss_units``, "standardised" when the losses (and the loss's
    predictions behind them) are of (target - mean) / sd, "data" when of the targets as given,
    null for classification (a loss of class probabilities). R^2 and accuracy are the same
    in either units."""
    from nnviz.core.csvdata import input_names, target_words
    names = input_names(data) or tuple(f"x{i + 1}" for i in range(data.n_features))
    features = ([{"feature": n, "mean": m, "sd": s} for n, (m, s) in zip(names, data.scaling)]
                if data.scaling else None)
    target = ({"target": target_words(data), "mean": data.target_scaling[0],
               "sd": data.target_scaling[1]} if data.target_scaling else None)
    units = (None if data.is_classification else
             "standardised" if data.target_scaling else "data")
    return {"feature_scaling": features, "target_scaling": target, "loss_units": units}


def _fresh(trainer: Trainer) -> tuple[Trainer, Run]:
    run = Run(RunLog())
    run.log.checkpoint(trainer.epoch, trainer.state, "start")
    return trainer, run


def _go_back(trainer: Trainer, run: Run, epoch: int, lr: float | None) -> None:
    """Fork ``run``'s live branch at the recorded ``epoch``; the trainer goes on from there."""
    log = run.log
    first, last = log.checkpoints[0].epoch, trainer.epoch
    if not first <= epoch <= last:
        older = (" (the session was saved by an older nnviz, without the record of its past "
                 "epochs)") if first == last else ""
        raise UsageError(f"--from-epoch {epoch}: the session's run reaches epochs {first}.."
                         f"{last}{older}")
    at, state = runlog.state_at(trainer, log, epoch)
    if at != epoch:
        raise UsageError(f"--from-epoch {epoch}: the recorded run stopped being finite at "
                         f"epoch {at}")
    runlog.continue_from(trainer, run, epoch, state, lr)


def _check_outputs(args: argparse.Namespace) -> None:
    """Before anything is loaded or trained: every output can be written (a writable folder, a
    name the file system takes, a regular file or none) and none is an input or another
    output, so a long run never ends in a file that cannot be written or destroys one."""
    outputs = {"--history": args.history, "--save": args.save,
               "--export-script": args.export_script, "--export-onnx": args.export_onnx}
    try:
        for path in outputs.values():
            if path is not None:
                fileio.check_output(path)
        fileio.check_distinct(outputs, {"--data": args.data, "--session": args.session,
                                        "--init": args.init})
    except fileio.OutputError as e:
        raise UsageError(str(e)) from None


class _Printer:
    """stdout that a closed pipe (``nnviz train | head -1``) silences instead of a traceback."""

    def __init__(self, stream) -> None:
        self.stream, self.broken = stream, False

    def __call__(self, text: str) -> None:
        if self.broken:
            return
        try:
            print(text, file=self.stream)
        except BrokenPipeError:
            self.broken = True
            _silence_stdout()


def _silence_stdout() -> None:
    # Python flushes stdout once more at exit: point it at /dev/null so that flush cannot fail.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def open_history(files: contextlib.ExitStack, path: str) -> io.TextIOWrapper:
    """--history's text stream, into a temporary file that replaces ``path`` only once it is
    complete (``files`` closes it; a failure leaves what was there)."""
    try:
        binary = files.enter_context(fileio.atomic_write(path))
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    # Before atomic_write syncs and renames it: the rows reach the binary file, which is left
    # open for atomic_write.
    files.callback(lambda: (text.flush(), text.detach()))
    return text


def _history_writer(f, path: str | None):
    """``write(first_epoch, losses)`` appending rows ``epoch,loss`` to ``f`` (after a header),
    or None without a file; a failed write is the user's one-line error."""
    if f is None:
        return None
    w = csv.writer(f)

    def write(first: int, losses: np.ndarray) -> None:
        try:
            w.writerows(zip(range(first, first + len(losses)),
                            map(repr, losses.astype(np.float64).tolist())))
        except OSError as e:
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        w.writerow(["epoch", "loss"])
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    return write


def train_command(args: argparse.Namespace) -> int:
    if args.epochs is None:
        from nnviz.core import presets
        args.epochs = presets.get(args.preset).epochs if args.preset else 1000
    _check_outputs(args)
    trainer, run, class_names = prepare_run(args)
    if args.export_onnx:  # before training: a long run must not end in a refusal
        from nnviz.core.onnx_export import INSTALL_HINT, check_exportable, have_onnx
        if not have_onnx():
            raise UsageError(INSTALL_HINT)
        check_exportable(trainer.spec.layer_activations)
    start_epoch = trainer.epoch
    cfg = trainer.config
    data, spec = trainer.data, trainer.spec
    out = _Printer(sys.stdout)
    # With nothing to write, a closed stdout ends the job: nobody is left to see it.
    wanted = bool(args.save or args.history or args.export_script or args.export_onnx)
    if not args.json:
        if args.session:
            branch = f" as {run.log.name}" if args.from_epoch is not None else ""
            out(f"{args.session}: going on from epoch {start_epoch}{branch}")
        if args.preset:
            from nnviz.core import presets
            out(f"preset {args.preset}: {presets.get(args.preset).title}")
        out(f"{data.name}: {len(data.train_index)} training / "
            f"{plural(len(data.test_index), 'test point')};"
            f" network {spec.shapes_text()} ({spec.n_params} parameters, "
            f"{spec.output_activation} output); "
            f"{cfg.loss}, {cfg.optimizer}, lr {cfg.learning_rate:g}")

    t0 = time.perf_counter()
    trainer.compile()
    compile_s = time.perf_counter() - t0

    def measure(log: runlog.RunLog) -> None:
        runlog.measure_test(trainer, log)

    # Nothing per epoch is kept in memory (a run flat out does ~10^5 epochs a second): the
    # printout is printed as it goes, and --history is streamed into a temporary file that
    # replaces the target only once it is complete (a failure leaves what was there).
    try:
        with contextlib.ExitStack() as files:
            writer = None
            if args.history is not None:
                writer = _history_writer(open_history(files, args.history), args.history)
            diverged, left, ran, last_loss = False, args.epochs, 0, math.nan
            tail = np.zeros(0, np.float32)  # the last losses: is the run stuck high?
            if args.save:
                measure(run.log)  # the initial weights': the test curve starts at epoch 1
            t0 = time.perf_counter()
            while left > 0 and not diverged:
                if out.broken and not wanted:
                    return _PIPE_CLOSED
                first = trainer.epoch + 1
                # Recorded (losses, checkpoints, the test loss at each checkpoint: the curve
                # the window draws when the session is opened) only for --save: a record
                # nobody keeps would grow.
                k = min(left, 4096)
                result = (runlog.advance(trainer, run.log, k, on_checkpoint=measure)
                          if args.save else trainer.run(k))
                if args.export_script and not args.save:
                    # The losses alone (bounded: ever sparser past 4,096 epochs) tell the
                    # script's docstring where plain gradient descent's loss rose.
                    run.log.record_losses(first, result.losses)
                left -= 4096
                diverged = result.diverged
                n = len(result.losses)
                if n:
                    ran += n
                    last_loss = float(result.losses[-1])
                    tail = np.concatenate([tail, result.losses])[-STUCK_EPOCHS:]
                    if writer is not None:
                        writer(first, result.losses)
                if not args.json:
                    epochs = np.arange(first, first + n)
                    for i in np.flatnonzero(epochs % args.print_every == 0):
                        out(f"Loss for epoch {first + i}: {result.losses[i]:.4f}")
            train_s = time.perf_counter() - t0
            if args.save:
                runlog.finish_test(trainer, run.log, diverged)
    except OSError as e:  # the history's last flush, sync or rename: a full disk, say
        raise UsageError(f"cannot write {args.history}: {e.strerror or e}") from None
    eps = ran / train_s if train_s > 0 and ran else float("nan")
    m = trainer.evaluate()
    message = divergence_message(trainer.epoch, trainer.learning_rate, trainer.best_epoch,
                                 trainer.best_loss, then="run again",
                                 see="nnviz train --sharpness measures it",
                                 what=trainer.blow_up, start=trainer.blame_start(),
                                 init="--init-scheme he (for relu) or glorot"
                                 ) if diverged else ""
    high = "" if diverged else high_loss_message(
        tail, trainer.best_loss, cfg.learning_rate, then="run again",
        epoch_s=1 / eps if eps > 0 and math.isfinite(eps) else None)
    stuck = bool(high)
    if stuck:
        message = high
    sharp = _sharpness(trainer) if args.sharpness else None

    final = last_loss if ran else m.train_loss
    if args.json:
        def num(v):
            return v if math.isfinite(v) else None
        out(json.dumps({
            "dataset": data.name, "task": data.task, "architecture": spec.shapes_text(),
            "parameters": spec.n_params, "output_activation": spec.output_activation,
            "loss": cfg.loss, "optimizer": cfg.optimizer,
            "learning_rate": cfg.learning_rate, "epochs": ran,
            "total_epochs": trainer.epoch,
            "final_loss": num(final), "train_loss": num(m.train_loss),
            "train_accuracy": num(m.train_accuracy), "test_loss": num(m.test_loss),
            "test_accuracy": num(m.test_accuracy),
            "accuracy_measure": "fraction correct" if data.is_classification else "R^2",
            "epochs_per_second": num(eps), "compile_seconds": compile_s,
            "diverged": diverged, "stuck": stuck, "message": message,
            **({"sharpness": num(sharp[0]), "stability_limit": sharp[1]} if sharp else {}),
            **scaling_fields(data),
        }))
    else:
        acc = "accuracy" if data.is_classification else "R^2"
        pct = data.is_classification
        # "Loss for epoch N" is the loss the N-th update started from (the notebook prints it
        # so); these are the weights after the last update (or the restored best ones).
        if diverged:
            which = "final: the run's best weights, restored"
        else:
            which = (f"final: the weights after epoch {trainer.epoch}'s update"
                     if trainer.epoch else "final: the initial weights")
        out(f"{which}: train loss {format_score(m.train_loss)}, "
            f"{acc} {format_score(m.train_accuracy, pct)}; test loss "
            f"{format_score(m.test_loss)}, {acc} {format_score(m.test_accuracy, pct)}")
        if data.target_scaling:
            out(f"(the losses are of {data.target_name}: in standardised units, "
                f"(value - {data.target_scaling[0]:.4g}) / {data.target_scaling[1]:.4g}; "
                "R^2 is the same in the file's units)")
        if sharp:
            out(_sharpness_line(*sharp, cfg.optimizer))
        if ran:  # no epochs, nothing timed: no speed (it printed "nan epochs/s")
            out(f"speed: {eps:,.0f} epochs/s over {ran} "
                f"epoch{'' if ran == 1 else 's'} "
                f"(compile {compile_s:.2f} s, not counted)")
    if args.save:
        Session.from_trainer(trainer, class_names=class_names, run=run).save(args.save)
        if not args.json:
            out(f"saved the session at epoch {trainer.epoch} to {args.save}")
    if args.export_script:
        from nnviz.core.export import write_script
        replayed = write_script(args.export_script, trainer, trainer.epoch or 1000,
                                class_names, run.log)
        if not args.json:
            out(f"wrote the script {args.export_script}: python {args.export_script} trains "
                f"{plural(trainer.epoch or 1000, 'epoch')} from the initial weights"
                + ("" if trainer.epoch else " (the run trained none)"))
            if replayed.note:
                out(replayed.note)
    if args.export_onnx:
        from nnviz.core.onnx_export import describe, write_onnx
        doc, meta = describe(trainer, class_names)
        write_onnx(args.export_onnx, trainer.spec, trainer.params, doc=doc, metadata=meta,
                   scaling=trainer.data.scaling,
                   target_scaling=trainer.data.target_scaling)
        if not args.json:
            raw = ("; it takes rows as the CSV file has them and standardises them itself"
                   if trainer.data.scaling else "")
            out(f"wrote the ONNX model {args.export_onnx} (epoch {trainer.epoch}{raw})")
    if stuck and not args.json:  # a hint; the run itself went as asked
        print(f"nnviz: {message}", file=sys.stderr)
    if diverged:
        print(f"nnviz: {message}", file=sys.stderr)
        return 1
    return 0


def _sharpness(trainer) -> tuple[float, float | None]:
    """(sharpness at the trainer's weights, the stability limit of its optimiser or None)."""
    from nnviz.core.sharpness import sharpness, stability_limit
    return (sharpness(trainer),
            stability_limit(trainer.config.optimizer, trainer.learning_rate))


def _sharpness_line(value: float, limit: float | None, optimizer: str) -> str:
    text = f"sharpness (largest Hessian eigenvalue) {format_score(value)}"
    if limit is None:
        return text + f" (no 2/lr limit applies to {optimizer})"
    name = "2/lr" if optimizer == "gd" else "(2 + 2 x 0.9)/lr"
    return text + f"; {name} = {limit:.4g}: " + (
        "at the edge of stability" if value >= 0.9 * limit else "below the edge of stability")


def gui_command(args: argparse.Namespace) -> int:
    try:
        from nnviz.gui.app import run
    except ImportError as e:
        print(f"nnviz: cannot start the window: {e}. On Debian: apt-get install libgl1 libegl1 "
              "libglib2.0-0 libfontconfig1 libxkbcommon0 libdbus-1-3", file=sys.stderr)
        return 1
    _window_ran.append(True)
    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``nnviz`` command on ``argv`` (None: the program's own, ``sys.argv``: then the
    window's end is the process's, see gui.app.end_program); returns the exit code."""
    code = _main(argv)
    if argv is None and _window_ran:
        from nnviz.gui.app import end_program
        return end_program(code)
    return code


_window_ran: list[bool] = []  # (the window was opened by this process's main)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            raise UsageError(_unrecognized(parser, args.command, extra))
        heap.limit_arenas()  # before the worker's and jax's threads allocate (core/heap.py)
        if os.environ.get("NNVIZ_NO_COMPILE_CACHE") is None:  # both caches, in ~/.cache/nnviz
            compile_cache.enable()
            enable_data_cache(compile_cache.default_dir().parent / "data")
        if args.command == "train":
            return train_command(args)
        if args.command == "sweep":
            from nnviz.cli_sweep import sweep_command
            return sweep_command(args)
        if args.preset and (args.open or args.exercise):
            raise UsageError("--preset and --" + ("open" if args.open else "exercise")
                             + " both choose what to show; give one")
        check_preset(args, vars(parser.parse_args([])))
        if args.open:
            # A broken file: one line here rather than a window that fails; its refusal the
            # window's (the file is opened to be drawn).
            load_session(args.open, plotted=True)
        if args.exercise:
            from nnviz.core import exercises
            if args.open:
                raise UsageError("--open and --exercise both choose what to show; give one")
            defaults = vars(parser.parse_args([]))
            given = [o for o in _RUN_OPTIONS if o in defaults and getattr(args, o) != defaults[o]]
            if given:
                flags = ", ".join("--" + o.replace("_", "-") for o in given)
                raise UsageError(f"--exercise brings its own data and settings; {flags} cannot "
                                 "change them (edit the exercise, or leave it out)")
            exercises.load(args.exercise)  # likewise
        return gui_command(args)
    except (UsageError, *USER_ERRORS) as e:
        line = str(e).replace("\n", "\\n")  # one line, even for a file name with a newline
        print(f"nnviz: error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nnviz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # stdout closed by the reader (`| head -1`): stop quietly
        _silence_stdout()
        return _PIPE_CLOSED


if __name__ == "__main__":
    raise SystemExit(main())
