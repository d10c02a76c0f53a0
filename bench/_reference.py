"""The engines nnviz is measured against, each training the notebook's problem.

- The notebook's own loop: cells 8, 16, 35, 57 and 59 of seed/01-fundamentals.ipynb, copied
  verbatim below (only the type hints' ``Tuple``/``List`` import and this module's helpers are
  added). It trains on X of shape (features, N), w (in, out), b (out, 1), jax ``value_and_grad``.
- A hand-written numpy loop: the same network, forward and back-propagation written out by hand,
  float32, the notebook's (features, N) layout so that the long axis is contiguous.
- A plain PyTorch CPU loop: ``nn.Sequential`` of Linear + Sigmoid, ``MSELoss``, ``optim.SGD``.
- scikit-learn's ``MLPClassifier``: logistic activation, solver 'sgd', full batch, no momentum,
  no L2, the same learning rate. Its loss is the log-loss (sklearn has no MSE classifier): the
  arithmetic per epoch is the same forward and backward pass.

Every engine starts from the same N(0, 1) weights and zero biases.
"""
from __future__ import annotations

import contextlib
import io
import time
import warnings
from typing import List, Tuple

import numpy as np
from jax import numpy as jpy
from jax import value_and_grad

# ---------------------------------------------------------------- the notebook's cells (verbatim)


def linear_layer(X: np.ndarray, w: np.ndarray, b: np.ndarray):
    """
    NumPy implementation of a "fully connected layer".
    Dot product of transposed weights and X, plus a bias term.
    """
    return w.T @ X + b


class LinearModel:
    def __init__(self, X_dim: int, Y_dim: int, hidden_dims: Tuple[int]):
        self.X_dim = X_dim
        self.Y_dim = Y_dim
        self.hidden_dims = hidden_dims
        self.w = list()
        self.b = list()
        # Number of layers is hidden + output
        self.n_layers = len(hidden_dims) + 1
        self.init_parameters()

    def init_parameters(self):
        """
        Initializes weights to random values, biases to 0
        """

        #Arrange all layer sizes (including input) into a list in order.
        #Input layer -> hidden layer 1 --> hidden layer 2 --> ... --> output layer
        #The length of this list will be self.n_layers+1 (since input doesn't count in n_layers)
        self.layer_lens = [self.X_dim]
        for dim in self.hidden_dims:
            self.layer_lens.append(dim)
        self.layer_lens.append(self.Y_dim)

        self.w = list()
        self.b = list()
        #initialize weight and bias matrices, sizing according to the current layer and next layer
        for i in range(self.n_layers):
            self.w.append(np.random.normal(size=(self.layer_lens[i],self.layer_lens[i+1])))
            self.b.append(np.zeros((self.layer_lens[i+1],1)))

    def forward(self, X: np.ndarray):
        """
        Same notation used for later PyTorch models; we implement a "forward" class method
        that will perform a forward pass of our graph. This function recursively computes
        our `linear_layer` function using the previous iteration's input.
        """
        for w, b in zip(self.w, self.b):
            X = linear_layer(X, w, b)
        return X

    def __call__(self, X: np.ndarray):
        """
        Another PyTorch-style method that lets provides a functional interface
        to the model.
        """
        return self.forward(X)


class LinearModelWithActivation(LinearModel):
    """
    Added support for an activation function. The `activation` keyword argument provides a
    way for the user to provide a function that operates on X
    """
    def __init__(self, X_dim: int, Y_dim: int, hidden_dims: Tuple[int], activation=None):
        super().__init__(X_dim, Y_dim, hidden_dims)
        self.init_parameters()
        self.activation = activation

    def forward(self, X: np.ndarray):
        """
        Modified forward method to include an activation as well.
        """
        for w, b in zip(self.w, self.b):
            X = linear_layer(X, w, b)
            if self.activation:
                X = self.activation(X)
        return X


class LinearModelWithGrad(LinearModelWithActivation):
    def __init__(self, X_dim: int, Y_dim: int, hidden_dims: Tuple[int], activation=None):
        super().__init__(X_dim, Y_dim, hidden_dims, activation)
        self.grads = list()

    def compute_loss_grad(self, params: List[List[np.ndarray]], X: np.ndarray, Y: np.ndarray):
        # Function to evaluate the loss/cost function by providing a set of parameters
        # the X data, and target values Y. The NumPy functions to evaluate the loss
        # are actually replaced with `jax` analogs
        self.w, self.b = params
        J = jpy.mean(jpy.square(self.forward(X) - Y))
        return J


def jax_sigmoid(X: np.ndarray):
    # Use the `jax` version of `exp` instead of NumPy
    return 1 / (1 + jpy.exp(-X))


def gradient_descent_optimization(model, X, Y, epochs=10, lr=0.3):
    for epoch in range(1, epochs + 1):
        if epoch == 1:
            params = (model.w, model.b)
            # setup the automatic differentiation
            gradient_function = value_and_grad(model.compute_loss_grad)
        J, gradients = gradient_function(params, X, Y)
        if epoch % 100 == 0:
            print(f"Loss for epoch {epoch}: {J:.4f}")
        # Separate into weights and biases
        w_grads, b_grads = gradients
        for w_i, w_grad in enumerate(w_grads):
            # convert the jax arrays back into NumPy ones. Inefficient, but
            # it works
            params[0][w_i] = np.array(params[0][w_i]) - lr * w_grad
        for b_i, b_grad in enumerate(b_grads):
            params[1][b_i] = np.array(params[1][b_i]) - lr * b_grad
        (model.w, model.b) = params

# ------------------------------------------------------------------------------- helpers


def notebook_weights(sizes: Tuple[int, ...], seed: int) -> tuple[list, list]:
    """N(0, 1) weights (in, out) and zero biases (out, 1), the notebook's init, from ``seed``."""
    rng = np.random.default_rng(seed)
    w = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    b = [np.zeros((n, 1)) for n in sizes[1:]]
    return w, b


def run_notebook(w: list, b: list, X: np.ndarray, y: np.ndarray, epochs: int,
                 lr: float) -> tuple[float, str]:
    """Seconds for ``epochs`` epochs of the notebook's loop, and what it printed.

    ``X`` is (N, features) as the data sets give it; the notebook trains on its transpose.
    """
    model = LinearModelWithGrad(len(w[0]), len(b[-1]), tuple(len(x) for x in b[:-1]),
                                jax_sigmoid)
    model.w, model.b = [np.array(x) for x in w], [np.array(x) for x in b]
    Xn = np.vstack([X[:, i] for i in range(X.shape[1])])  # the notebook's np.vstack([x, y])
    out = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stdout(out):
        gradient_descent_optimization(model, Xn, y, epochs=epochs, lr=lr)
    return time.perf_counter() - t, out.getvalue()


def notebook_losses(w: list, b: list, X: np.ndarray, y: np.ndarray, epochs: int,
                    lr: float) -> np.ndarray:
    """Each epoch's loss of the notebook's loop (its cells, with J recorded instead of printed)."""
    model = LinearModelWithGrad(len(w[0]), len(b[-1]), tuple(len(x) for x in b[:-1]),
                                jax_sigmoid)
    model.w, model.b = [np.array(x) for x in w], [np.array(x) for x in b]
    params = (model.w, model.b)
    gradient_function = value_and_grad(model.compute_loss_grad)
    Xn = np.ascontiguousarray(X.T)
    out = []
    for _ in range(epochs):
        J, (w_grads, b_grads) = gradient_function(params, Xn, y)
        out.append(float(J))
        for i, g in enumerate(w_grads):
            params[0][i] = np.array(params[0][i]) - lr * g
        for i, g in enumerate(b_grads):
            params[1][i] = np.array(params[1][i]) - lr * g
    return np.array(out)

# ------------------------------------------------------------------------ hand-written numpy


def run_numpy(w: list, b: list, X: np.ndarray, y: np.ndarray, epochs: int,
              lr: float) -> tuple[float, float]:
    """Seconds for ``epochs`` full-batch epochs of a hand-written float32 numpy loop, and the
    last epoch's loss.

    Layout (features, N) so the long axis is contiguous; sigmoid derivative a * (1 - a);
    buffers are preallocated and updated in place to keep numpy's per-call overhead low.
    """
    W = [np.array(x, np.float32) for x in w]
    B = [np.array(x, np.float32).reshape(-1, 1) for x in b]
    A0 = np.ascontiguousarray(X.T, np.float32)
    Y = np.asarray(y, np.float32).reshape(1, -1)
    n = A0.shape[1]
    acts = [A0] + [np.empty((len(x), n), np.float32) for x in B]
    deltas = [np.empty((len(x), n), np.float32) for x in B]
    L = len(W)
    t = time.perf_counter()
    for _ in range(epochs):
        for i in range(L):  # forward: a = 1 / (1 + exp(-(W.T a + b)))
            z = acts[i + 1]
            np.matmul(W[i].T, acts[i], out=z)
            z += B[i]
            np.negative(z, out=z)
            np.exp(z, out=z)
            z += 1.0
            np.reciprocal(z, out=z)
        out = acts[L]
        d = deltas[L - 1]
        np.subtract(out, Y, out=d)
        loss = float(np.mean(np.square(d)))  # the epoch's loss, as the other engines report it
        d *= 2.0 / d.size
        for i in range(L - 1, -1, -1):  # backward: delta = dL/dz
            a = acts[i + 1]
            d *= a * (1.0 - a)
            gW = acts[i] @ d.T
            gB = d.sum(axis=1, keepdims=True)
            if i:
                np.matmul(W[i], d, out=deltas[i - 1])
            W[i] -= lr * gW
            B[i] -= lr * gB
            d = deltas[i - 1] if i else d
    return time.perf_counter() - t, loss

# ----------------------------------------------------------------------------- PyTorch


def torch_version() -> str | None:
    try:
        import torch
    except ImportError:
        return None
    return torch.__version__


def run_torch(w: list, b: list, X: np.ndarray, y: np.ndarray, epochs: int, lr: float,
              threads: int | None = None) -> tuple[float, float]:
    """Seconds for ``epochs`` epochs of a plain PyTorch CPU loop (float32), and the last epoch's
    loss. ``threads``: torch's intra-op threads for the run (None: its default, one per core).
    """
    import torch
    from torch import nn

    default_threads = torch.get_num_threads()
    torch.set_num_threads(threads or default_threads)
    try:
        return _torch_loop(torch, nn, w, b, X, y, epochs, lr)
    finally:
        torch.set_num_threads(default_threads)


def _torch_loop(torch, nn, w, b, X, y, epochs, lr):

    layers = []
    for wi, bi in zip(w, b):
        lin = nn.Linear(wi.shape[0], wi.shape[1])
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(np.asarray(wi).T, dtype=torch.float32))
            lin.bias.copy_(torch.tensor(np.asarray(bi).ravel(), dtype=torch.float32))
        layers += [lin, nn.Sigmoid()]
    model = nn.Sequential(*layers)
    Xt = torch.tensor(X, dtype=torch.float32)
    Yt = torch.tensor(np.asarray(y, np.float32).reshape(-1, 1))
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    t = time.perf_counter()
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(Xt), Yt)
        loss.backward()
        opt.step()
    last = loss.item()
    return time.perf_counter() - t, last

# ----------------------------------------------------------------------------- scikit-learn


def run_sklearn(w: list, b: list, X: np.ndarray, y: np.ndarray, epochs: int, lr: float) -> float:
    """Seconds for ``epochs`` epochs of ``MLPClassifier.fit`` (max_iter = epochs, no early stop)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    hidden = tuple(len(x) for x in b[:-1])
    clf = MLPClassifier(hidden_layer_sizes=hidden, activation="logistic", solver="sgd",
                        alpha=0.0, batch_size=len(X), learning_rate="constant",
                        learning_rate_init=lr, momentum=0.0, nesterovs_momentum=False,
                        max_iter=epochs, shuffle=False, tol=0.0, n_iter_no_change=epochs + 1,
                        random_state=0)
    # Start from the same weights: fit one epoch to build the arrays, then overwrite them.
    # warm_start makes the timed fit continue from them instead of re-initialising.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.set_params(max_iter=1).fit(X, y)
        clf.coefs_ = [np.array(x, X.dtype) for x in w]
        clf.intercepts_ = [np.array(x, X.dtype).ravel() for x in b]
        clf.set_params(max_iter=epochs, warm_start=True)
        t = time.perf_counter()
        clf.fit(X, y)
        dt = time.perf_counter() - t
    if clf.n_iter_ != epochs:
        raise RuntimeError(f"MLPClassifier ran {clf.n_iter_} epochs, not {epochs}")
    return dt
