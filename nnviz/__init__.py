"""nnviz: watch a neural network learn.

From Python (docs/api.md): ``nnviz.train(X, y, ...) -> Run``, ``nnviz.load(path) -> Run``,
``nnviz.datasets.make(name) -> (X, y)``, ``nnviz.show(X, y)`` / ``nnviz.show(run)``. They are loaded on first use: ``import nnviz`` happens
at every launch of the window and must not import jax.
"""

__version__ = "0.1.0"
__all__ = ["train", "load", "show", "datasets", "Run"]

_FROM_API = ("train", "load", "show", "Run")


def __getattr__(name: str):
    if name in _FROM_API:
        from nnviz import api
        return getattr(api, name)
    if name == "datasets":
        import importlib
        return importlib.import_module("nnviz.datasets")
    raise AttributeError(f"module 'nnviz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
