"""``nnviz sweep``: the options of ``nnviz train`` where each swept one is a comma list; the
product of the lists is trained as one sweep (``core/sweep.py``) and printed as a table, or as
JSON, with ``--history`` one CSV row per member per epoch.

A member means exactly what ``nnviz train`` means with its values: its base is built by the
train command's own ``build_problem`` (from ``--data FILE.csv`` too, split by each member's
seed and test fraction), and options left out follow each member's data and optimiser as they
follow a single run's. ``--session F --from-epoch E --lr A,B`` goes on from epoch E of a saved
run at each rate, as ``nnviz train --session F --from-epoch E --lr A`` does. The options that
write a file (``--save``, ``--export-script``, ``--export-onnx``) write one per member,
NAME-<member>.EXT.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import sys
import time

import numpy as np

from nnviz.core.formatting import and_list
from nnviz.cli import (_RUN_OPTIONS, SWEPT, UsageError, _go_back, _Printer, _sharpness,
                       build_parser, build_problem, check_preset, open_history,
                       scaling_fields)
from nnviz.core import fileio
from nnviz.core.formatting import format_losses, format_score
from nnviz.core.sweep import Axis, Sweep, SweepSpec
from nnviz.core.sweep_driver import member_run
from nnviz.core.training import (MAX_CHUNK, STUCK_EPOCHS, divergence_message,
                                  high_loss_message)

# The options that write a file: one per member.
_OUTPUTS = {"--save": "save", "--export-script": "export_script", "--export-onnx": "export_onnx"}


def member_path(path: str, i: int) -> str:
    """Member ``i``'s file of an output option: ``runs.nnviz`` -> ``runs-3.nnviz``."""
    stem, ext = os.path.splitext(path)
    return f"{stem}-{i}{ext}"


class _Base:
    """What every member starts from: the base problem, the imported data's class names, and
    for --session the saved run going on from an epoch (its trainer's state)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.class_names = None
        self.start = None  # (TrainState, epoch) a session's run goes on from
        self.session_file = None
        self.split = None
        base_args = argparse.Namespace(**vars(args))
        for dest in SWEPT:
            values = getattr(args, dest)
            if isinstance(values, list):
                setattr(base_args, dest, values[0])
        defaults = vars(build_parser().parse_args(["sweep"]))
        if args.from_epoch is not None and not args.session:
            raise UsageError("--from-epoch needs --session FILE.nnviz: the run to go back into")
        # The preset's problem and weights; the members vary the swept options.
        check_preset(args, defaults,
                     lambda o: isinstance(getattr(args, o), list) and len(getattr(args, o)) > 1,
                     "a sweep of it varies options given a comma list of values")
        if args.session:
            self._session(args, defaults)
            return
        if args.preset:
            from nnviz.core import presets
            self.problem = presets.get(args.preset).problem()
            return
        if args.data:
            if args.dataset != defaults["dataset"]:
                raise UsageError("--data and --dataset both choose the data; give one of them")
            from nnviz.core.csvdata import read_table
            table = read_table(args.data)
            name = os.path.basename(args.data)

            def split(seed: int | None, fraction: float | None):
                from nnviz.core.data import DataError
                try:
                    return table.imported(
                        args.task, seed=(base_args.seed or 0) if seed is None else seed,
                        test_fraction=(base_args.test_fraction if fraction is None
                                       else fraction),
                        standardise=not base_args.raw_features,
                        standardise_target=not base_args.raw_targets).dataset
                except DataError as e:
                    raise DataError(f"{name}: {e}") from None
            imported = table.imported(args.task, test_fraction=base_args.test_fraction,
                                      seed=base_args.seed or 0,
                                      standardise=not base_args.raw_features,
                                      standardise_target=not base_args.raw_targets)
            from nnviz.cli import say_scaling
            say_scaling(imported)
            self.class_names = imported.class_names
            self.split = split
            self.problem = build_problem(base_args, split(None, None))
            return
        if args.task:
            raise UsageError("--task only applies to --data FILE.csv")
        self.problem = build_problem(base_args)

    def member_run(self, sweep: Sweep, i: int):
        """(Trainer, Run) of member i, to save: with --session, the saved run with the
        member's epochs as a new branch from --from-epoch, as ``nnviz train --session F
        --from-epoch E --lr X --save`` saves it."""
        trainer, own = member_run(sweep, i)
        if self.session_file is None:
            return trainer, own
        from nnviz.core.runlog import continue_from
        from nnviz.core.session import load as load_session
        session = load_session(self.session_file)
        saved, run = session.make_trainer(), session.make_run()
        if run is None:
            return trainer, own  # a file of format 1: no record of its past to branch
        e0 = self.start[1]
        continue_from(saved, run, e0, own.log.checkpoints[0].state, trainer.learning_rate)
        log = run.log
        epochs, values = own.log.losses.arrays()
        if len(epochs):
            log.record_losses(int(epochs[0]), values)
        for e, v in zip(*own.log.test.upto(trainer.epoch + 1)):
            if e > e0 + 1:
                log.record_test(int(e), float(v))
        for c in own.log.checkpoints:
            if c.epoch > e0:
                log.checkpoint(c.epoch, c.state, c.pinned)
        return trainer, run

    def _session(self, args: argparse.Namespace, defaults: dict) -> None:
        """``nnviz train --session F --from-epoch E --lr X`` for each X."""
        from nnviz.core.problem import Problem
        from nnviz.core.runlog import Run, RunLog
        from nnviz.core.session import load as load_session
        given = [o for o in _RUN_OPTIONS if getattr(args, o) != defaults[o] and o != "lr"]
        if given or args.from_epoch is None or not isinstance(args.lr, list):
            flags = ", ".join("--" + o.replace("_", "-") for o in given)
            raise UsageError(
                "a sweep of a saved session goes on from one of its recorded epochs at "
                "several learning rates: --session FILE --from-epoch E --lr A,B,..."
                + (f"; {flags} cannot change its data and settings" if given else ""))
        session = load_session(args.session)
        trainer = session.make_trainer()
        run = session.make_run()
        if run is None:
            run = Run(RunLog(losses=session.history))
            run.log.checkpoint(trainer.epoch, trainer.state, "start")
        _go_back(trainer, run, args.from_epoch, None)
        self.session_file = args.session
        self.class_names = session.class_names
        self.problem = Problem(trainer.data, trainer.spec, trainer.config,
                               trainer.initial_params, int(trainer.seed))
        self.start = (trainer.state, trainer.epoch)


def sweep_spec(args: argparse.Namespace, base: _Base | None = None) -> SweepSpec:
    """The sweep the options describe: each option given a list of two or more values is an
    axis (in the order of ``SWEPT``); a list of one is a plain value."""
    base = _Base(args) if base is None else base
    axes = []
    for dest, name in SWEPT.items():
        values = getattr(args, dest)
        if isinstance(values, list) and len(values) > 1:
            axes.append(Axis(name, tuple(values)))
    if not axes:
        # --hidden 4,8 is a comma list, but of one network's layers: the commas of --hidden
        # and --features build one member, slashes separate members (review r25 F3: "give an
        # option a comma list" to a student who had).
        for dest in ("hidden", "features"):
            values = getattr(args, dest, None)
            if not (isinstance(values, list) and len(values) == 1
                    and isinstance(values[0], (list, tuple)) and len(values[0]) > 1):
                continue
            parts = [str(v) for v in values[0]]
            flag, given, slashed = f"--{dest}", ",".join(parts), "/".join(parts)
            if dest == "hidden":
                said = (f"one network, {', '.join(parts[:-1])} then {parts[-1]}; to sweep "
                        f"widths {and_list(parts)} write {flag} {slashed}")
            else:
                said = (f"one network's inputs, {and_list(parts)}; to sweep them one at a "
                        f"time write {flag} {slashed}")
            raise UsageError(f"nothing to sweep: {flag} {given} is {said} (slashes separate "
                             "a sweep's networks, commas build one)")
        raise UsageError("nothing to sweep: give an option a comma list of values, e.g. "
                         "--lr 0.1,0.3,1 (see 'nnviz sweep --help')")
    if base.start is not None or args.preset:
        fitted = frozenset()  # the session's (or the preset's) own settings
    else:
        fitted = frozenset(name for name, dest in (("loss", "loss"), ("learning_rate", "lr"),
                                                   ("output_activation", "output_activation"))
                           if getattr(args, dest) is None)
    # A preset's weights are a run's start, as the window's run (Presets -> Moons) is: a member
    # of an init seed draws its own, as in the window; --init F gives its weights to every
    # member (a seed varies the data and the batch order only), and an init seed is refused.
    return SweepSpec(base.problem, tuple(axes), fitted, split=base.split,
                     start=base.start, redraw=bool(args.preset) and base.start is None)


def _value(v):
    return list(v) if isinstance(v, tuple) else v


def _cell(v) -> str:
    if isinstance(v, tuple):
        return ",".join(map(str, v)) or "none"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _check_outputs(args: argparse.Namespace, n_members: int) -> None:
    """Before training: every member's file can be written, and none is an input."""
    inputs = {"--data": args.data, "--session": args.session, "--init": args.init}
    try:
        if args.history is not None:
            fileio.check_output(args.history)
        outputs = {"--history": args.history}
        for flag, dest in _OUTPUTS.items():
            path = getattr(args, dest)
            if path is None:
                continue
            for i in range(n_members):
                fileio.check_output(member_path(path, i))
                outputs[f"{flag} (member {i})"] = member_path(path, i)
        fileio.check_distinct(outputs, inputs)
    except fileio.OutputError as e:
        raise UsageError(str(e)) from None


def sweep_command(args: argparse.Namespace) -> int:
    if args.history is not None:  # before anything is read: a typo costs nothing
        try:
            fileio.check_output(args.history)
        except fileio.OutputError as e:
            raise UsageError(str(e)) from None
    base = _Base(args)
    spec = sweep_spec(args, base)
    _check_outputs(args, spec.n_members)
    if args.export_onnx:  # before training: a long sweep must not end in a refusal
        from nnviz.core.onnx_export import INSTALL_HINT, check_exportable, have_onnx
        if not have_onnx():
            raise UsageError(INSTALL_HINT)
        for p in spec.problems():
            check_exportable(p.spec.layer_activations)
    names = [a.name for a in spec.axes]
    keep = bool(args.save)  # the members' records, for their sessions
    sweep = Sweep(spec, record=keep)
    out = _Printer(sys.stdout)
    d = spec.base.dataset
    start_epoch = base.start[1] if base.start is not None else 0
    if not args.json:
        if args.session:
            out(f"{args.session}: going on from epoch {start_epoch}")
        out(f"{d.name}: {len(d.train_index)} training / {len(d.test_index)} test points; "
            f"{sweep.n_members} members ({' x '.join(f'{len(a.values)} {a.name}' for a in spec.axes)})"
            f" in {len(sweep.groups)} compiled group{'s' if len(sweep.groups) > 1 else ''} on "
            f"{len(sweep.devices)} device{'s' if len(sweep.devices) > 1 else ''}")

    t0 = time.perf_counter()
    sweep.compile()
    compile_s = time.perf_counter() - t0
    every = None if args.json else args.print_every
    printed: dict[int, dict[int, float]] = {}
    try:
        with contextlib.ExitStack() as files:
            write_rows = None
            if args.history is not None:
                w = csv.writer(open_history(files, args.history))
                w.writerow(["member", *names, "epoch", "loss"])
                labels = [[_cell(m[n]) for n in names] for m in spec.members()]

                def write_rows(i, first, losses):
                    w.writerows([i, *labels[i], first + k, repr(float(v))]
                                for k, v in enumerate(losses))

            def on_losses(i, first, losses):
                tails[i] = np.concatenate([tails.get(i, losses[:0]), losses])[-STUCK_EPOCHS:]
                if write_rows is not None:
                    write_rows(i, first, losses)
                if every is not None:  # the epochs to print, relative to this run's start
                    ks = np.flatnonzero((np.arange(first, first + len(losses)) - start_epoch)
                                        % every == 0)
                    for k in ks:
                        printed.setdefault(first + int(k), {})[i] = float(losses[k])
            tails: dict = {}  # each member's last losses: is it stuck high?
            if every is not None:
                out(f"Losses of the members {', '.join(map(str, range(sweep.n_members)))} "
                    "(the rows of the table below):")
            t0 = time.perf_counter()
            left = args.epochs
            while left > 0 and not sweep.diverged.all():
                sweep.advance(min(left, MAX_CHUNK), on_losses=on_losses)
                left -= MAX_CHUNK
                for e in sorted(printed):
                    row = printed.pop(e)
                    out(f"Loss for epoch {e}: " + " ".join(
                        f"{row[i]:.4f}" if i in row else "-" for i in range(sweep.n_members)))
            train_s = time.perf_counter() - t0
    except OSError as e:
        raise UsageError(f"cannot write {args.history}: {e.strerror or e}") from None

    scores = sweep.scores()
    ran = int(sweep.member_epochs.sum()) - start_epoch * sweep.n_members
    rate = ran / train_s if train_s > 0 and ran else math.nan
    runs = {}
    if args.sharpness or args.save or args.export_script or args.export_onnx:
        runs = {i: base.member_run(sweep, i) for i in range(sweep.n_members)}
    sharp = {i: _sharpness(runs[i][0]) for i in runs} if args.sharpness else {}
    _write_outputs(args, runs, base.class_names, out)
    if args.json:
        def num(v):
            return v if isinstance(v, (int, float)) and math.isfinite(v) else None
        members = []
        for i, s in enumerate(scores):
            p = sweep.problems[i]
            d, cfg, net = p.dataset, p.config, p.spec
            message = divergence_message(s["epoch"], cfg.learning_rate, s["best_epoch"],
                                         s["best_loss"], then="run again",
                                         see="nnviz train --sharpness measures it",
                                         what=s["blow_up"]) if s["diverged"] else ""
            tail = tails.get(i, np.zeros(0))
            high = "" if s["diverged"] else high_loss_message(
                tail, s["best_loss"], cfg.learning_rate, then="run again")
            stuck = bool(high)
            if stuck:
                message = high
            epochs = s["epoch"] - start_epoch
            final = s["final_loss"] if epochs else s["train_loss"]
            row = {
                "dataset": d.name, "task": d.task, "architecture": net.shapes_text(),
                "parameters": net.n_params, "output_activation": net.output_activation,
                "loss": cfg.loss, "optimizer": cfg.optimizer,
                "learning_rate": cfg.learning_rate, "epochs": epochs,
                "total_epochs": s["epoch"], "final_loss": num(final),
                "train_loss": num(s["train_loss"]), "train_accuracy": num(s["train_accuracy"]),
                "test_loss": num(s["test_loss"]), "test_accuracy": num(s["test_accuracy"]),
                "accuracy_measure": "fraction correct" if d.is_classification else "R^2",
                "epochs_per_second": num(epochs / train_s if train_s > 0 else math.nan),
                "compile_seconds": compile_s, "diverged": s["diverged"], "stuck": stuck,
                "message": message,
                "seed": p.seed, **scaling_fields(d),
            }
            if i in sharp:
                row.update(sharpness=num(sharp[i][0]), stability_limit=sharp[i][1])
            row.update({n: _value(s[n]) for n in names})
            members.append(row)
        out(json.dumps({"members": members, "swept": names, "epochs": args.epochs,
                        "member_epochs_per_second": num(rate), "compile_seconds": compile_s,
                        "devices": [str(d) for d in sweep.devices]}))
        return 0

    classification = spec.base.dataset.is_classification
    acc = "acc" if classification else "R^2"
    header = ["#", *names, "epochs", "train loss", f"train {acc}", "test loss", f"test {acc}",
              *(["sharpness", "2/lr"] if sharp else []), ""]
    has_test = len(spec.base.dataset.test_index) > 0
    key = "test_loss" if has_test else "train_loss"
    ok = [i for i, s in enumerate(scores) if not s["diverged"] and math.isfinite(s[key])]
    best = min(ok, key=lambda i: scores[i][key]) if ok else None
    rows = []
    # each loss column in one notation (format_losses), as the window's table
    train_losses = format_losses([s["train_loss"] for s in scores])
    test_losses = format_losses([s["test_loss"] for s in scores])
    for i, s in enumerate(scores):
        mark = "*" if i == best else ("diverged" if s["diverged"] else "")
        extra = []
        if sharp:
            value, limit = sharp[i]
            extra = [format_score(value), f"{limit:.4g}" if limit is not None else "n/a"]
        rows.append([str(i), *(_cell(s[n]) for n in names), str(s["epoch"]),
                     train_losses[i],
                     format_score(s["train_accuracy"], classification),
                     test_losses[i],
                     format_score(s["test_accuracy"], classification),
                     *extra, mark])
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    for r in [header, *rows]:
        out("  ".join(c.ljust(w) if k in (0, len(r) - 1) else c.rjust(w)
                      for k, (c, w) in enumerate(zip(r, widths))).rstrip())
    if best is not None:
        out(f"* lowest {'test' if has_test else 'train'} loss: member {best} "
            f"({spec.label(best)})")
    target = spec.base.dataset.target_scaling
    if target:  # as nnviz train says it
        out(f"(the losses are of {spec.base.dataset.target_name}: in standardised units, "
            f"(value - {target[0]:.4g}) / {target[1]:.4g}; R^2 is the same in the file's units)")
    n_div = int(sweep.diverged.sum())
    if n_div:
        out(f"{n_div} member{'s' if n_div > 1 else ''} diverged and stopped at "
            f"{'their' if n_div > 1 else 'its'} best weights: lower the learning rate")
    if sharp:
        out("sharpness: the largest eigenvalue of the training loss's Hessian at the final "
            "weights; 2/lr: the most plain gradient descent stays stable at (n/a: no such "
            "limit for this optimiser)")
    out(f"speed: {rate:,.0f} member-epochs/s over {ran:,} member-epochs "
        f"(compile {compile_s:.2f} s, not counted)")
    return 0


def _write_outputs(args, runs: dict, class_names, out) -> None:
    """Each member's session, script and ONNX model, as ``nnviz train`` writes its run's."""
    for i, (trainer, run) in runs.items():
        if args.save:
            from nnviz.core.session import Session
            Session.from_trainer(trainer, class_names=class_names, run=run).save(
                member_path(args.save, i))
        if args.export_script:
            from nnviz.core.export import write_script
            write_script(member_path(args.export_script, i), trainer, trainer.epoch or 1000,
                         class_names, run.log)
        if args.export_onnx:
            from nnviz.core.onnx_export import describe, write_onnx
            doc, meta = describe(trainer, class_names)
            write_onnx(member_path(args.export_onnx, i), trainer.spec, trainer.params,
                       doc=doc, metadata=meta, scaling=trainer.data.scaling,
                       target_scaling=trainer.data.target_scaling)
    if runs and not args.json:
        for flag, dest in _OUTPUTS.items():
            path = getattr(args, dest)
            if path:
                out(f"{flag}: wrote {member_path(path, 0)} .. "
                    f"{member_path(path, len(runs) - 1)}, one per member")
