"""How a loss and an accuracy read, the same in the window and on the command line.

A loss of 1.65e-05 printed with four decimals was "0.0000" on the command line where the window
said 1.65e-05: small and large values keep three significant digits.
"""
from __future__ import annotations

import math
from typing import Any


def format_loss(v: Any) -> str:
    """Four decimals from 0.001 to 1000, else three significant digits; "n/a" if none."""
    if not isinstance(v, (int, float)) or not math.isfinite(v):
        return "n/a"
    return f"{v:.4f}" if 0.001 <= abs(v) < 1000 else f"{v:.3g}"


def format_losses(values) -> list[str]:
    """A column of losses, all in one notation so that they compare at a glance: four
    decimals where every one is from 0.001 to 1000 (as format_loss), else every one in
    scientific notation with three significant digits ("1.27e-05", "8.50e-05", "7.79e-04",
    "2.60e-03"): a sweep's table read "8.5e-05" over "0.000779" over "0.0026" in one column,
    and a class compared the digits, not the sizes (review r29 L2). "n/a" where none."""
    finite = [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if all(0.001 <= abs(v) < 1000 for v in finite):
        return [format_loss(v) for v in values]
    return [f"{v:.2e}" if isinstance(v, (int, float)) and math.isfinite(v) else "n/a"
            for v in values]


def format_accuracy(v: Any, classification: bool) -> str:
    """A percentage for classes; R\u00b2 for regression with three decimals (three significant
    digits beyond 1000 in size). With ``.3g`` a train and a test R\u00b2 side by side read
    "-7.3" and "-8.93", "0.99" and "0.989": the trailing zeros dropped, so equal precision looked
    unequal."""
    if not isinstance(v, (int, float)) or not math.isfinite(v):
        return "n/a"
    if classification:
        return f"{100 * v:.1f}%"
    return f"{v:.3f}" if abs(v) < 1000 else f"{v:.3g}"


def format_score(v: Any, percent: bool = False) -> str:
    """A score of a table: a percentage (``percent``), else as a loss reads."""
    return format_accuracy(v, True) if percent else format_loss(v)


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and ``noun``, singular for 1: "1 sigmoid unit", "4 sigmoid units" (the caption
    read "1 sigmoid units"). ``many`` is the plural when it is not ``noun`` + "s" ("1 batch",
    "2 batches"). The count is written as the app writes numbers, with thousands separators:
    "the run's 1,371 epochs" (it read "1371 epochs" beside "epoch 1,371", review r25 F1)."""
    return f"{n:,} {noun if n == 1 else (many or noun + 's')}"


def and_list(items) -> str:
    """"a", "a and b", "a, b and c"."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
