"""The notebook's five demonstrations, computed with the notebook's own code, plus a baseline.

The notebook (``01-fundamentals.ipynb``) calls ``np.random.seed(42)`` once and then draws from
numpy's global stream cell after cell. :func:`replay` re-runs that sequence of calls on a private
``RandomState(42)`` (the same stream, without touching the global one), so every number the
notebook computes from that stream is reproduced EXACTLY:

- lesson 1: the line data ``y = 2.31531 x + 0.23412 + N(0, 1)`` and the LinearRegression fit;
- lesson 2: the input ``X`` (3, 1) and the weights of ``LinearModel(3, 2, (4,))`` and
  ``LinearModel(3, 2, (4, 10, 20, 50))``, hence their outputs;
- lesson 3: ``X`` (1, 100), the 1-4-1 model, the deep (4, 10, 30, 10, 4) linear model and the
  one with sigmoid between layers -- note that ``LinearModelWithActivation.__init__`` draws its
  weights twice (the base ``__init__`` and its own ``init_parameters()`` call), and so do we;
- lesson 4: the five ``LinearModelWithActivation`` networks, in the notebook's order;
- lesson 5: the initial weights of ``LinearModelWithGrad(2, 1, (4, 10, 4))`` (after the
  notebook's earlier ``classification_model`` consumed its draws) and the initial cost.

Lesson 5's 1000 epochs of gradient descent run on the core :class:`~nnviz.core.training.Trainer`
(jitted, float32, rows as samples) from those exact initial weights. The notebook also trains in
float32 (jax), but sums in a different order (``w.T @ X`` on columns), so the trained weights
agree to rounding, not bit for bit; the accuracy and the per-100-epoch losses it prints agree.

The moons data come from ``make_moons(200, noise=0.1, random_state=0)``, which does not touch
the global stream, exactly as in the notebook.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .data import Dataset, DataSpec, make_dataset

SEED = 42

# --- the notebook's own functions (cells 8, 24, 40, 42, 52) -----------------------------------


def linear_layer(X: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The notebook's fully connected layer: samples are COLUMNS of ``X``; ``w`` is (in, out)."""
    return w.T @ X + b


def sigmoid(X: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-X))


def relu(X: np.ndarray) -> np.ndarray:
    return np.maximum(X, np.zeros(X.shape))


def softmax(X: np.ndarray) -> np.ndarray:
    """The notebook's softmax: it normalises over the WHOLE array, not per sample."""
    return np.exp(X) / np.exp(X).sum()


def mean_squared_error(y_pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.square(y_pred - y)))


class LinearModel:
    """The notebook's multilayer perceptron without activations (cell 16).

    ``rng`` replaces the notebook's global ``np.random`` so the stream can be replayed privately;
    by default it IS the global ``np.random``, as in the notebook.
    """

    def __init__(self, X_dim: int, Y_dim: int, hidden_dims: tuple[int, ...], rng=None) -> None:
        self.rng = np.random if rng is None else rng
        self.X_dim, self.Y_dim, self.hidden_dims = X_dim, Y_dim, tuple(hidden_dims)
        self.n_layers = len(hidden_dims) + 1
        self.init_parameters()

    def init_parameters(self) -> None:
        """N(0, 1) weights (in, out), zero biases (out, 1)."""
        self.layer_lens = [self.X_dim, *self.hidden_dims, self.Y_dim]
        self.w, self.b = [], []
        for i in range(self.n_layers):
            self.w.append(self.rng.normal(size=(self.layer_lens[i], self.layer_lens[i + 1])))
            self.b.append(np.zeros((self.layer_lens[i + 1], 1)))

    def forward(self, X: np.ndarray) -> np.ndarray:
        for w, b in zip(self.w, self.b):
            X = linear_layer(X, w, b)
        return X

    def layers(self, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's output on the way (not in the notebook; for showing the growth)."""
        out = []
        for w, b in zip(self.w, self.b):
            X = linear_layer(X, w, b)
            out.append(X)
        return out

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return self.forward(X)


class LinearModelWithActivation(LinearModel):
    """The notebook's cell 35: the same activation after EVERY layer, the output's included.

    Its ``__init__`` initialises the weights twice, as the notebook's does (it matters for the
    random stream).
    """

    def __init__(self, X_dim: int, Y_dim: int, hidden_dims: tuple[int, ...], activation=None,
                 rng=None) -> None:
        super().__init__(X_dim, Y_dim, hidden_dims, rng)
        self.init_parameters()
        self.activation = activation

    def forward(self, X: np.ndarray) -> np.ndarray:
        for w, b in zip(self.w, self.b):
            X = linear_layer(X, w, b)
            if self.activation:
                X = self.activation(X)
        return X


# --- the replay ---------------------------------------------------------------------------------

ACTIVATION_LABELS = ("Sigmoid", "Softmax", "tanh", "cos", "ReLU")
ACTIVATION_FUNCS = (sigmoid, softmax, np.tanh, np.cos, relu)
TRUE_SLOPE, TRUE_INTERCEPT = 2.31531, 0.23412


@dataclass(frozen=True)
class LineLesson:
    x: np.ndarray  # (100,)
    y: np.ndarray  # (100,)
    slope: float
    intercept: float
    y_pred: np.ndarray


@dataclass(frozen=True)
class DeepLinearLesson:
    X: np.ndarray  # (3, 1), the notebook's cell 10 input
    shallow_layers: list[np.ndarray]  # LinearModel(3, 2, (4,)): each layer's output
    deep_layers: list[np.ndarray]  # LinearModel(3, 2, (4, 10, 20, 50))
    # Cells 10-14: the hand-made layers before the class: h = linear_layer(X, w, b) with a
    # random bias (4, 1), then Y = linear_layer(h, w2, 0) (2, 1).
    hand_hidden: np.ndarray | None = None
    hand_output: np.ndarray | None = None

    @property
    def shallow_output(self) -> np.ndarray:
        return self.shallow_layers[-1]

    @property
    def deep_output(self) -> np.ndarray:
        return self.deep_layers[-1]

    @staticmethod
    def magnitudes(layers: list[np.ndarray]) -> np.ndarray:
        """Largest absolute value in each layer's output."""
        return np.array([float(np.max(np.abs(h))) for h in layers])


@dataclass(frozen=True)
class SigmoidLesson:
    X: np.ndarray  # (1, 100)
    y_small: np.ndarray  # 1-4-1 linear model (cell 28); colours lesson 4 too
    G_small: np.ndarray  # sigmoid of it
    Y_deep: np.ndarray  # (4, 10, 30, 10, 4) linear (cell 32)
    G_deep: np.ndarray  # sigmoid on the output only: a step
    Y_between: np.ndarray  # sigmoid between layers (cell 37)

    @staticmethod
    def saturated_fraction(G: np.ndarray, eps: float = 0.01) -> float:
        """Fraction of outputs within ``eps`` of 0 or 1."""
        return float(np.mean((G < eps) | (G > 1 - eps)))


@dataclass(frozen=True)
class ActivationsLesson:
    X: np.ndarray  # (1, 100)
    colour: np.ndarray  # the notebook colours every panel by cell 28's y
    outputs: tuple[tuple[str, np.ndarray], ...]  # (label, Y (1, 100)) in the notebook's order


@dataclass(frozen=True)
class Replay:
    line: LineLesson
    deep_linear: DeepLinearLesson
    sigmoid: SigmoidLesson
    activations: ActivationsLesson
    moons_initial_cost: float  # cell 54's "Cost" of the first classification_model
    moons_initial_weights: tuple[np.ndarray, ...]  # LinearModelWithGrad's, (in, out)


@functools.lru_cache(maxsize=1)
def replay() -> Replay:
    """Re-run the notebook's random calls, in its order, from ``np.random.seed(42)``."""
    from .data import DataSpec, _generate_cached

    rng = np.random.RandomState(SEED)  # the same stream as np.random.seed(42)
    # Cell 2: the line data and its fit (DataSpec("line") makes the same x and y). The notebook
    # fits sklearn's LinearRegression, which is this least-squares line (tests compare the two
    # to 1e-12): importing scikit-learn's linear models cost the first look at the Lessons tab
    # ~0.4-2 s and ~120 MB of memory (issue 16).
    x = np.linspace(0., 10., 100)
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + rng.normal(size=(x.size))
    (slope, intercept), *_ = np.linalg.lstsq(np.stack([x, np.ones_like(x)], 1), y, rcond=None)
    line = LineLesson(x, y, float(slope), float(intercept), slope * x + intercept)
    # Cells 10-14: a hand-made 3-4-2 network, its hidden layer and output printed.
    X = rng.randn(3, 1)
    w1, b1 = rng.randn(3, 4), rng.randn(4, 1)
    hand_hidden = linear_layer(X, w1, b1)
    hand_output = linear_layer(hand_hidden, rng.randn(4, 2), np.zeros((2, 1)))
    # Cells 17 and 21: LinearModel(3, 2, (4,)) then (4, 10, 20, 50), applied to cell 10's X.
    shallow = LinearModel(3, 2, (4,), rng=rng)
    deep = LinearModel(3, 2, (4, 10, 20, 50), rng=rng)
    deep_linear = DeepLinearLesson(X, shallow.layers(X), deep.layers(X), hand_hidden,
                                   hand_output)
    # Cells 26-28: a 1-4-1 model, 100 inputs, and the sigmoid of its output.
    small = LinearModel(1, 1, (4,), rng=rng)
    X1 = rng.randn(1, 100)
    y_small = small(X1)
    # Cells 31-32: deep linear, sigmoid on the output only.  Cells 36-37: sigmoid between layers.
    deep1 = LinearModel(1, 1, (4, 10, 30, 10, 4), rng=rng)
    Y_deep = deep1(X1)
    between = LinearModelWithActivation(1, 1, (4, 10, 30, 10, 4), activation=sigmoid, rng=rng)
    sig = SigmoidLesson(X1, y_small, sigmoid(y_small), Y_deep, sigmoid(Y_deep), between(X1))
    # Cell 43: the five activations, each through a fresh random network.
    outs = []
    for label, f in zip(ACTIVATION_LABELS, ACTIVATION_FUNCS):
        m = LinearModelWithActivation(1, 1, (4, 10, 30, 10, 4), activation=f, rng=rng)
        outs.append((label, m(X1)))
    acts = ActivationsLesson(X1, y_small, tuple(outs))
    # Cells 46-54: the first classification model and its cost on the moons.
    # make_moons(200, noise=0.1, random_state=0), float64 as there: from the data cache, which
    # calls scikit-learn only when the set is not there yet.
    moon_xy, moon_labels = _generate_cached(DataSpec("moons", samples=200, noise=0.1, seed=0))
    first = LinearModelWithActivation(2, 1, (4, 10, 4), sigmoid, rng=rng)
    cost = mean_squared_error(first(moon_xy.T).flatten(), moon_labels)
    # Cell 60: LinearModelWithGrad(2, 1, (4, 10, 4)) -- the same double initialisation.
    trained = LinearModelWithActivation(2, 1, (4, 10, 4), sigmoid, rng=rng)
    return Replay(line, deep_linear, sig, acts, cost, tuple(np.array(w) for w in trained.w))


# --- lesson 5: training the moons ---------------------------------------------------------------


def moons_data() -> Dataset:
    """The notebook's ``make_moons(200, noise=0.1, random_state=0)``, all for training."""
    return make_dataset(DataSpec("moons", samples=200, noise=0.1, seed=0, test_fraction=0.0))


@dataclass(frozen=True)
class MoonsLesson:
    X: np.ndarray  # (200, 2)
    labels: np.ndarray  # (200,)
    predictions: np.ndarray  # (200,) the trained network's outputs
    losses: np.ndarray  # per epoch, as the notebook prints them (before each update)
    initial_cost: float

    @property
    def rounded(self) -> np.ndarray:
        return self.predictions.round()

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.rounded == self.labels))


def moons_lesson(epochs: int = 1000, learning_rate: float = 1.0) -> MoonsLesson:
    """Train 2-4-10-4-1 sigmoid, mse, gradient descent, lr 1 from the notebook's initial weights."""
    from .network import NetworkSpec
    from .training import TrainConfig, Trainer

    r = replay()
    data = moons_data()
    spec = NetworkSpec.build(2, (4, 10, 4), "sigmoid", 1, "sigmoid", "normal")
    params = [(w, np.zeros(w.shape[1])) for w in r.moons_initial_weights]
    trainer = Trainer(spec, TrainConfig("mse", "gd", learning_rate), data, params=params)
    result = trainer.run(epochs)
    pred = trainer.predict(data.X)[:, 0]
    return MoonsLesson(np.array(data.X), np.array(data.y), pred, result.losses, r.moons_initial_cost)


# --- a LogisticRegression baseline --------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """sklearn's LogisticRegression on a classification problem: the linear model to beat."""

    train_accuracy: float
    test_accuracy: float  # NaN without a test set
    grid_values: np.ndarray | None  # over the grid points: P(class 1) (N,) or class scores (N, K)


def logistic_baseline(data: Dataset, grid_points: np.ndarray | None = None) -> Baseline:
    """Fit LogisticRegression on the training points; score it and evaluate it on the grid."""
    from sklearn.linear_model import LogisticRegression

    if not data.is_classification:
        raise ValueError("a logistic-regression baseline needs a classification problem")
    y = data.y_train
    if len(np.unique(y)) < 2:
        raise ValueError("the training points hold a single class; nothing to separate")
    model = LogisticRegression(max_iter=1000).fit(data.X_train, y)
    train = float(model.score(data.X_train, y))
    test = float(model.score(data.X_test, data.y_test)) if len(data.test_index) else float("nan")
    values = None
    if grid_points is not None:
        proba = model.predict_proba(np.asarray(grid_points, np.float64))
        # Columns follow model.classes_; spread them into all K classes of the data.
        full = np.zeros((len(proba), max(data.n_classes, 2)), np.float32)
        full[:, model.classes_] = proba
        values = full[:, 1] if data.n_classes <= 2 else full
    return Baseline(train, test, values)
