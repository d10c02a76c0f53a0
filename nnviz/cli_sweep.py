"""``nnviz sweep``: the options of ``nnviz train`` where each swept one is a comma list; the
product of the lists is trained as one sweep (``core/sweep.py``) and printed as a table, or as
JSON, with ``--history`` one CSV row per member per epoch.

A member means exactly what ``nnviz train`` means with its values: its base is built by the
train command's own ``build_problem``, and options left out follow each member's data and
optimiser as they follow a single run's.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import sys
import time

from nnviz.cli import SWEPT, UsageError, _fmt, _Printer, build_problem, open_history
from nnviz.core import fileio
from nnviz.core.sweep import Axis, Sweep, SweepSpec
from nnviz.core.training import MAX_CHUNK, divergence_message


def sweep_spec(args: argparse.Namespace) -> SweepSpec:
    """The sweep the options describe: each option given a list of two or more values is an
    axis (in the order of ``SWEPT``); a list of one is a plain value."""
    base_args = argparse.Namespace(**vars(args))
    axes = []
    for dest, name in SWEPT.items():
        values = getattr(args, dest)
        if isinstance(values, list):
            if len(values) > 1:
                axes.append(Axis(name, tuple(values)))
            setattr(base_args, dest, values[0])
    if not axes:
        raise UsageError("nothing to sweep: give an option a comma list of values, e.g. "
                         "--lr 0.1,0.3,1 (see 'nnviz sweep --help')")
    fitted = frozenset(name for name, dest in (("loss", "loss"), ("learning_rate", "lr"),
                                               ("output_activation", "output_activation"))
                       if getattr(args, dest) is None)
    return SweepSpec(build_problem(base_args), tuple(axes), fitted)


def _value(v):
    return list(v) if isinstance(v, tuple) else v


def _cell(v) -> str:
    if isinstance(v, tuple):
        return ",".join(map(str, v)) or "none"
    return f"{v:g}" if isinstance(v, float) else str(v)


def sweep_command(args: argparse.Namespace) -> int:
    if args.history is not None:
        try:
            fileio.check_output(args.history)
        except fileio.OutputError as e:
            raise UsageError(str(e)) from None
    spec = sweep_spec(args)
    names = [a.name for a in spec.axes]
    sweep = Sweep(spec, record=False)  # nothing to replay afterwards: no checkpoints
    out = _Printer(sys.stdout)
    base = spec.base
    if not args.json:
        d = base.dataset
        out(f"{d.name}: {len(d.train_index)} training / {len(d.test_index)} test points; "
            f"{sweep.n_members} members ({' x '.join(f'{len(a.values)} {a.name}' for a in spec.axes)})"
            f" in {len(sweep.groups)} compiled group{'s' if len(sweep.groups) > 1 else ''} on "
            f"{len(sweep.devices)} device{'s' if len(sweep.devices) > 1 else ''}")

    t0 = time.perf_counter()
    sweep.compile()
    compile_s = time.perf_counter() - t0
    try:
        with contextlib.ExitStack() as files:
            on_losses = None
            if args.history is not None:
                w = csv.writer(open_history(files, args.history))
                w.writerow(["member", *names, "epoch", "loss"])
                labels = [[_cell(m[n]) for n in names] for m in spec.members()]

                def write_rows(i, first, losses):
                    w.writerows([i, *labels[i], first + k, repr(float(v))]
                                for k, v in enumerate(losses))
                on_losses = write_rows
            t0 = time.perf_counter()
            left = args.epochs
            while left > 0 and not sweep.diverged.all():
                sweep.advance(min(left, MAX_CHUNK), on_losses=on_losses)
                left -= MAX_CHUNK
            train_s = time.perf_counter() - t0
    except OSError as e:
        raise UsageError(f"cannot write {args.history}: {e.strerror or e}") from None

    scores = sweep.scores()
    ran = int(sweep.member_epochs.sum())
    rate = ran / train_s if train_s > 0 and ran else math.nan
    if args.json:
        def num(v):
            return v if isinstance(v, (int, float)) and math.isfinite(v) else None
        members = []
        for i, s in enumerate(scores):
            p = sweep.problems[i]
            d, cfg, net = p.dataset, p.config, p.spec
            message = divergence_message(s["epoch"], cfg.learning_rate, s["best_epoch"],
                                         s["best_loss"], then="run again",
                                         see="nnviz train --sharpness measures it"
                                         ) if s["diverged"] else ""
            final = s["final_loss"] if s["epoch"] else s["train_loss"]
            row = {
                "dataset": d.name, "task": d.task, "architecture": net.shapes_text(),
                "parameters": net.n_params, "output_activation": net.output_activation,
                "loss": cfg.loss, "optimizer": cfg.optimizer,
                "learning_rate": cfg.learning_rate, "epochs": s["epoch"],
                "total_epochs": s["epoch"], "final_loss": num(final),
                "train_loss": num(s["train_loss"]), "train_accuracy": num(s["train_accuracy"]),
                "test_loss": num(s["test_loss"]), "test_accuracy": num(s["test_accuracy"]),
                "accuracy_measure": "fraction correct" if d.is_classification else "R^2",
                "epochs_per_second": num(s["epoch"] / train_s if train_s > 0 else math.nan),
                "compile_seconds": compile_s, "diverged": s["diverged"], "message": message,
                "seed": p.seed,
            }
            row.update({n: _value(s[n]) for n in names})
            members.append(row)
        out(json.dumps({"members": members, "swept": names, "epochs": args.epochs,
                        "member_epochs_per_second": num(rate), "compile_seconds": compile_s,
                        "devices": [str(d) for d in sweep.devices]}))
        return 0

    classification = base.dataset.is_classification
    acc = "acc" if classification else "R^2"
    header = ["#", *names, "epochs", "train loss", f"train {acc}", "test loss", f"test {acc}",
              ""]
    has_test = len(base.dataset.test_index) > 0
    key = "test_loss" if has_test else "train_loss"
    ok = [i for i, s in enumerate(scores) if not s["diverged"] and math.isfinite(s[key])]
    best = min(ok, key=lambda i: scores[i][key]) if ok else None
    rows = []
    for i, s in enumerate(scores):
        mark = "*" if i == best else ("diverged" if s["diverged"] else "")
        rows.append([str(i), *(_cell(s[n]) for n in names), str(s["epoch"]),
                     _fmt(s["train_loss"]), _fmt(s["train_accuracy"], classification),
                     _fmt(s["test_loss"]), _fmt(s["test_accuracy"], classification), mark])
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    for r in [header, *rows]:
        out("  ".join(c.ljust(w) if k in (0, len(r) - 1) else c.rjust(w)
                      for k, (c, w) in enumerate(zip(r, widths))).rstrip())
    if best is not None:
        out(f"* lowest {'test' if has_test else 'train'} loss: member {best} "
            f"({spec.label(best)})")
    n_div = int(sweep.diverged.sum())
    if n_div:
        out(f"{n_div} member{'s' if n_div > 1 else ''} diverged and stopped at "
            f"{'their' if n_div > 1 else 'its'} best weights: lower the learning rate")
    out(f"speed: {rate:,.0f} member-epochs/s over {ran} member-epochs "
        f"(compile {compile_s:.2f} s, not counted)")
    return 0
