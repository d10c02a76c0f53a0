"""How a loss and an accuracy read (nnviz.core.formatting), the window's and the CLI's."""
from nnviz.core.formatting import format_accuracy, format_score


def test_r2_reads_with_the_same_precision_for_train_and_test():
    # The metrics line read "R² -7.3 · Test R² -8.93" and "R² 0.99 · Test R² 0.989".
    assert (format_accuracy(-7.3, False), format_accuracy(-8.93, False)) == ("-7.300", "-8.930")
    assert (format_accuracy(0.99, False), format_accuracy(0.989, False)) == ("0.990", "0.989")
    assert format_accuracy(-123456.0, False) == "-1.23e+05"
    assert format_accuracy(float("nan"), False) == "n/a"


def test_accuracy_stays_a_percentage():
    assert format_accuracy(0.5, True) == "50.0%"
    assert format_score(0.5, percent=True) == "50.0%"


def test_plural_is_singular_for_one_only():
    from nnviz.core.formatting import plural
    assert plural(1, "sigmoid unit") == "1 sigmoid unit"
    assert [plural(n, "point") for n in (0, 2)] == ["0 points", "2 points"]
    assert plural(1, "batch", "batches") == "1 batch"
    assert plural(3, "batch", "batches") == "3 batches"


def test_a_column_of_losses_reads_in_one_notation():
    """r29 L2: "1.27e-05", "8.5e-05", "0.000779", "0.0026" in one column of the sweep's table.
    Across orders of magnitude every one in scientific notation with three significant digits;
    within 0.001-1000 four decimals, as format_loss."""
    from nnviz.core.formatting import format_losses
    assert format_losses([1.27e-05, 8.5e-05, 0.000779, 0.0026, float("nan")]) == \
        ["1.27e-05", "8.50e-05", "7.79e-04", "2.60e-03", "n/a"]
    assert format_losses([0.0026, 0.4813, 12.0]) == ["0.0026", "0.4813", "12.0000"]
    assert format_losses([]) == []
