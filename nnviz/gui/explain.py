"""Everything on the screen explained: a "What am I looking at?" panel at the top of each view (a
paragraph in plain words, in the notebook's terms, folded away until asked for), and tooltips
where a control's or a plot's own module gave none (a form's label says what its field says).

Each paragraph is written for the problem on screen and the look it is drawn in
(:func:`explanation` of :class:`Facts`): the kind of data (two classes, more, a regression),
the classes' names, the network's output and loss, and the colours named as the palette and
the theme draw them (:func:`colors.colour_word`). It is written again when the run or the look
changes: at once while it is open, when it is next unfolded while folded.

TensorFlow Playground's lesson (issues #126, #168): a help text is not complete unless
absolutely everything on the screen is explained.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QFormLayout, QFrame, QLabel, QScrollArea, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

from . import colors
from .widgets import let_go

@dataclass(frozen=True)
class Facts:
    """What the explanations depend on in the problem: what kind it is, its classes and
    inputs, the network's output and the loss. The default: the notebook's moons."""

    kind: str = "binary"  # "binary", "multiclass" or "regression"
    names: tuple[str, ...] = ("class 0", "class 1")  # the classes' names (() for regression)
    n_features: int = 2
    inputs: tuple[str, ...] = ("x1", "x2")
    target: str = "y"  # a regression's target
    output: str = "sigmoid"  # the output layer's activation
    outputs: int = 1  # its units
    loss: str = "mse"
    hidden: tuple[str, ...] = ("sigmoid",)  # the hidden layers' activations, each once
    has_test: bool = True

    @property
    def probability(self) -> bool:
        """Whether the output is the classes' probabilities: a softmax's (one per class), or a
        sigmoid's one output (the second class's). A tanh, linear, ... output is a score the
        loss pulls to the label, not a probability."""
        return self.kind != "regression" and (
            self.output == "softmax" or self.output == "sigmoid" and self.outputs == 1)

    def class_output(self, k: int = 1) -> str:
        """The output for class ``k`` in a label's few words: "P(lemon)" where it is that
        class's probability, else "score for lemon". (One output of two classes is the second
        class's, ``k`` = 1.)"""
        name = self.names[k] if k < len(self.names) else f"class {k}"
        return f"P({name})" if self.probability else f"score for {name}"

    @property
    def dividers(self) -> str:
        """What the output layer can split the classes with in the last hidden layer's space:
        "a straight line" (two classes, an output that goes one way only with its input),
        "straight, parallel lines" (a periodic or dipping output: it crosses a level more
        than once), "straight lines" (more classes: one weighted sum each)."""
        if self.kind == "multiclass":
            return "straight lines"
        return "a straight line" if self.output in MONOTONE else "straight, parallel lines"

    def scale_title(self) -> str:
        """What the main plot's background shows of two classes, for its colour bar and key:
        "P(lemon)", or "score for lemon (tanh)"."""
        words = self.class_output(1)
        return words if self.probability else f"{words} ({self.output})"


def facts_of(window) -> Facts:
    """The Facts of ``window``'s current problem (the default's before it has one)."""
    problem = window.current_problem() if hasattr(window, "current_problem") else None
    if problem is None or problem.dataset is None or problem.spec is None:
        return Facts()
    data, spec, config = problem.dataset, problem.spec, problem.config
    from nnviz.core.csvdata import input_names
    classes = data.is_classification
    inputs = tuple(input_names(data)) or tuple(f"x{i + 1}" for i in range(data.n_features))
    return Facts(
        kind="regression" if not classes else "multiclass" if data.n_classes > 2 else "binary",
        names=tuple(window.class_names(data)) if classes else (),
        n_features=data.n_features, inputs=inputs, target=data.target_name or "y",
        output=spec.output_activation, outputs=spec.output_dim, loss=config.loss,
        hidden=tuple(dict.fromkeys(spec.activations)), has_test=len(data.test_index) > 0)


#: The classes' shapes in words (colors.CLASS_SYMBOLS), plural.
SHAPE_WORDS = ("discs", "squares", "triangles", "diamonds", "hexagons", "stars", "pentagons",
               "upside-down triangles", "plus signs", "crosses")
LOSS_WORDS = {"mse": "the mean squared error", "bce": "the binary cross-entropy",
              "cross-entropy": "the softmax cross-entropy"}
#: Output activations whose value goes one way only with its input: a threshold on it is a
#: threshold on w.T @ h + b, one straight line. The others (periodic, or with a dip) cross a
#: level more than once: parallel lines.
MONOTONE = ("linear", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "softplus", "softmax")


def class_look(k: int) -> str:
    """Class ``k``'s training points in words, as drawn now: "orange discs"."""
    return f"{colors.colour_word(colors.point_fill(colors.class_color(k)))} " \
           f"{SHAPE_WORDS[k % len(SHAPE_WORDS)]}"


def _ends() -> tuple[str, str]:
    """The colour scale's low and high ends in words (a negative and a positive weight)."""
    return colors.colour_word(colors.low()), colors.colour_word(colors.high())


def _plane(f: Facts) -> str:
    return "plane" if f.n_features == 2 else "input"


def _output(f: Facts) -> str:
    """What the network's output is, in words, for the main plot's sentence."""
    if f.kind == "regression":
        what = f"its prediction of {f.target}"
        return what if f.output == "linear" else f"{what} (through a {f.output} output)"
    if f.kind == "multiclass":
        if f.output == "softmax":
            return (f"{f.outputs} outputs, one per class: a softmax, the probability of each "
                    "class (they add up to 1)")
        return f"{f.outputs} outputs, one score per class ({f.output})"
    one = f.names[1] if len(f.names) > 1 else "class 1"
    if f.probability:
        return f"{f.class_output(1)}, the probability of {one}"
    # (tanh, cos, linear ...: a number the loss pulls to the label, 0 or 1)
    return (f"its output for {one} ({f.output}: not a probability; training pulls it to 1 "
            f"on {one} and to 0 on {f.names[0]})")


def _main(f: Facts) -> str:
    x = f"({', '.join(f.inputs[:2])})" if f.n_features == 2 else f.inputs[0] \
        if f.n_features == 1 else f"{f.n_features} numbers"
    test = (" Filled shapes are the training points the network learns from; hollow ones are "
            "test points it never trains on, so they show whether what it learned holds for new "
            "data." if f.has_test else " Every point is a training point (this data has no "
            "test points).")
    forward = "the forward pass (w.T @ X + b and the activation, layer after layer)"
    loss = LOSS_WORDS.get(f.loss, f.loss)
    if f.n_features > 2:
        return (f"The data has {f.n_features} inputs: there is no plane to draw it on, so the "
                f"plot stays empty. The curve on the left is the loss ({loss}) epoch by "
                "epoch, going down as gradient descent moves the weights; Network, Hidden "
                "space, Gradients and Landscape show the network learning.")
    if f.kind == "regression":
        if f.n_features == 1:
            return (f"The dots are the data: each is an input {x} and its target "
                    f"{f.target}.{test} The line is the network's answer for every {x}: "
                    f"{forward} gives {_output(f)}. Each epoch, gradient descent moves the "
                    f"weights a step down the loss ({loss} between the line and the dots; the "
                    "curve on the left), and the line moves towards the dots.")
        return (f"The dots are the data: each is a point {x}, coloured by its target "
                f"{f.target} on the colour bar's scale.{test} The background is the network's "
                f"answer for every point of the plane: {forward} gives {_output(f)}, on the "
                "same scale; where the dots' colours match the background, the network fits "
                "them. Each epoch, gradient descent moves the weights a step down the loss "
                f"({loss}; the curve on the left), and the background changes with them.")
    k = len(f.names)
    if f.kind == "binary":
        classes = (f"two classes: {f.names[0]} ({class_look(0)}) and {f.names[1]} "
                   f"({class_look(1)})")
    else:
        classes = (f"{k} classes, each with its own shape and colour (the key below the plot "
                   "names them)")
    if f.n_features == 1:
        curves = (f"The curve is the network's answer along {x}" if f.kind == "binary" else
                  f"The curves are the network's answer along {x}, one per class")
        return (f"The dots are the data: each is an input {x} drawn at the height of its "
                f"class, one of {classes}.{test} {curves}: {forward} gives {_output(f)}. "
                f"Each epoch, gradient descent moves the weights a step down the loss ({loss}; "
                "the curve on the left). Discretize shows the predicted class instead.")
    if f.kind == "binary":
        low, high = _ends()
        background = (f"{forward} gives {_output(f)}, read on the colour bar (0 to 1): {low} "
                      f"towards {f.names[0]}, {high} towards {f.names[1]}, paler where the "
                      "network is unsure. Where the colour turns from one class to the other is "
                      "the decision boundary.")
    else:
        background = (f"{forward} gives {_output(f)}; each point of the plane takes the colour "
                      "of the class with the largest, paler where the network is unsure. "
                      "Where the colour turns from one class to another is a decision "
                      "boundary.")
    return (f"The dots are the data: each is a point {x} of one of {classes}.{test} The "
            "background is the network's answer for every point of the plane: "
            f"{background} Each epoch, gradient descent moves the weights a step down the "
            f"loss ({loss}; the curve on the left), and the boundary moves with them. "
            "Discretize shows the predicted class alone, as the notebook's last figure does.")


def _network(f: Facts) -> str:
    low, high = _ends()
    maps = (", drawn as a small map of its activation over the input plane" if f.n_features == 2
            else ", drawn as a small strip coloured by its activation along the input"
            if f.n_features == 1
            else f" (with {f.n_features} inputs there is no plane to draw its activation on)")
    if f.kind == "regression":
        out = f"The output neuron gives the prediction of {f.target}."
    elif f.outputs == 1:
        out = (f"The output neuron gives {f.class_output(1)}." if f.probability else
               f"The output neuron gives a {f.scale_title()}.")
    else:
        out = (f"The {f.outputs} output neurons give one "
               + ("probability per class (softmax)." if f.output == "softmax"
                  else f"score per class ({f.output})."))
    acts = (f"here {', '.join(f.hidden)}" if f.hidden else
            f"this network has no hidden layer: the output's own, {f.output}")
    return ("The network itself, from the inputs (left) to the output (right). Each square is "
            f"a neuron{maps}. Each line is a weight w: its colour gives its sign ({high} "
            f"positive, {low} negative), its thickness its size; the small square at a "
            "neuron's corner is its bias b. A neuron computes w.T @ X + b from the layer "
            f"before and applies its activation ({acts}). {out} Hover a line or a bias to "
            "read its value, click it to type a new one; click a neuron to see its map large "
            "on the right.")


def _neurons(f: Facts) -> str:
    if f.n_features > 2:
        return ("Every neuron's activation over the inputs, one tile each, layer by layer; "
                f"with {f.n_features} inputs there is no plane to draw them on, so the tab "
                "says so instead. Network shows the weights; Hidden space the data as a "
                "hidden layer sees it.")
    where = ("over the input plane" if f.n_features == 2 else
             "along the input, as a strip of colour")
    first = ("can only draw straight lines (w.T @ X + b is the same all along each of them)"
             if f.n_features == 2 else "is its activation's curve, moved and stretched by its "
             "w and b")
    shape = ("decision boundary" if f.kind != "regression" else "surface"
             if f.n_features == 2 else "curve")
    main = "background" if f.n_features == 2 else "curve"
    if f.kind == "multiclass":
        out = ("The output has a tile per class; the main plot colours each point by the "
               "largest.")
    elif f.kind == "binary" and f.outputs == 2:
        out = f"The output's second tile, for {f.names[1]}, is the main plot's {main}."
    else:
        out = f"The output's tile is the main plot's {main}."
    return (f"Every neuron's activation {where}, one tile each, layer by layer. A neuron of "
            f"the first hidden layer {first}; each later layer mixes the tiles of the layer "
            f"before, which is how the network builds a curved {shape} out of simple pieces. "
            f"{out} Click a tile to see it large with the data over it.")


def _hidden_space(f: Facts) -> str:
    head = ("The data as one hidden layer sees it: every point moved to the activations that "
            "layer gives it, either two of its units or the two directions in which the points "
            "spread most (principal components).")
    if f.n_features == 2:
        head += " The grey lines are the input plane's grid, bent the same way."
    if f.kind == "regression":
        return (f"{head} Each point keeps its target's colour. The output layer can only take "
                "a weighted sum of the last hidden layer's coordinates (then its activation): "
                f"training bends this space until that sum gives {f.target}.")
    lines = f.dividers
    split = "that line splits" if lines == "a straight line" else "they split"
    if f.kind == "multiclass":
        return (f"{head} The output layer compares one weighted sum of the last hidden "
                "layer's coordinates per class, so in that space the classes can only be "
                "split by straight lines: training bends it until they are.")
    return (f"{head} The output layer can only draw {lines} in the last hidden layer's "
            f"space, so training bends it until {split} {f.names[0]} from {f.names[1]}.")


def _backprop(f: Facts) -> str:
    low, high = _ends()
    loss = {"mse": "its squared error", "bce": "its binary cross-entropy",
            "cross-entropy": "its softmax cross-entropy"}.get(f.loss, f.loss)
    if f.kind == "binary" and f.outputs == 1 and f.output == "sigmoid":
        out = (f", and the output's probability P({f.names[1]}) is coloured as on the decision "
               f"boundary: {low} at 0 ({f.names[0]}), pale at 0.5, {high} at 1 ({f.names[1]})")
    elif f.output == "softmax":
        out = (", and each output's probability goes from pale at 0 to its class's colour at "
               "1, as on the decision boundary")
    else:
        out = ""
    return ("One training step, taken apart for one training point. Next and Back walk "
            "through it: the forward pass (z = w.T @ x + b, then a = f(z), unit by unit), "
            f"the loss of this point ({loss}), the error delta of each unit going backwards "
            "(the chain rule, from the output to the input), dL/dw of each link (its input "
            "activation times the delta it feeds), the gradient the run really applies (the "
            "mean over the batch, plus any penalty) and the step the optimiser takes with it. "
            "Every number is computed by hand here and checked against jax.grad, the function "
            f"the training itself uses. Colours: {high} is positive, {low} negative; a link's "
            "thickness is its size, a node's fill is its value with the largest of its layer "
            f"at full colour{out}. Click a point on the plot to follow another one; 'size "
            "points by their pull' shows which points pull hardest on the weights now.")


def _regions(f: Facts) -> str:
    bend = "surface" if f.kind == "regression" else "boundary"
    return ("A ReLU network is a patchwork of straight pieces: wherever no unit switches on "
            "or off, the network is one linear function of the inputs. The plane is split "
            "into those linear regions (dark lines: where a unit switches), each shaded by how "
            f"steeply the output changes there. More regions means a more bendy {bend}; the "
            "curve below counts them over the run. With one hidden layer, n units can cut the "
            "plane into at most 1 + n + n(n-1)/2 regions (Zaslavsky's bound). Smooth "
            "activations such as sigmoid bend everywhere, so they have no regions to count.")


def _compare(f: Facts) -> str:
    scores = "loss" if f.kind == "regression" else "loss and accuracy"
    best = ("lowest test loss" if f.has_test else
            "lowest training loss: this data has no test points")
    return ("Many runs at once. A sweep trains variants of one network together, each a full "
            "run: other learning rates, other initial weights, other widths or activations. "
            "Each tile is one member's answer over the plane (the main plot's picture, small), "
            "labelled with its values; the loss plot has every member's training loss, "
            "coloured along the values swept; the table and the plot beside it give each "
            f"member's {scores} now, the best ({best}) starred. A member whose loss "
            "blows up is greyed and marked diverged. A member trains as one run with its "
            "values does, to float32's last digits (it is computed in a batch with the "
            "others); where training is chaotic, at a rate on the edge of blowing up, those "
            "digits can grow into another run. While this tab is shown, Play and Step "
            "train the whole sweep. Double-click a tile or a row to make that member the main "
            "window's run, with its history.")


_FIXED = {
    "gradients": (
        "How the learning flows backwards. ||dL/dW|| is the size of the gradient of the loss "
        "for each layer's weights (what value_and_grad gives), per epoch and now: when it "
        "shrinks layer after layer towards the input, those layers hardly learn (vanishing "
        "gradients). The update ratio is how much one epoch's step changes a layer's weights. "
        "The histograms show the weights and the activations on the training data; a ReLU unit "
        "that is zero on every point is dead and has stopped learning."),
    "landscape": (
        "The ground gradient descent walks on. The weights are a point in a space with one axis "
        "per weight; the colour is the training loss on a flat slice through that space, the "
        "weights shown at its centre, two chosen directions as its axes (the directions the run "
        "moved most, by default). The red line is the run's path from its initial weights, the "
        "white dot the model now: training rolls it downhill. The slice is not the whole space, "
        "so the plot beside it compares the loss the model really had with the loss of its "
        "shadow on the slice. Click or drag on the map to move the model there. Sharpness is "
        "how steep the valley's walls are; gradient descent at a learning rate lr stays "
        "stable only while the sharpness is below 2/lr."),
    "lessons": (
        "The notebook's demonstrations, computed with its own code: linear regression, a deep "
        "linear model whose values grow layer after layer, sigmoid at the output or between "
        "layers, five activations, and the moons trained for 1,000 epochs. The baseline puts "
        "the network of the main window beside logistic regression, the best straight "
        "boundary. \"Try it live\" loads the same problem into the main window."),
}
_MADE = {"main": _main, "network": _network, "neurons": _neurons,
         "hidden-space": _hidden_space, "backprop": _backprop, "regions": _regions,
         "compare": _compare}
#: The views that have a paragraph (the others show their tab's tooltip).
EXPLAINED = (*_MADE, *_FIXED)


def explanation(name: str, facts: Facts = Facts()) -> str:
    """The "What am I looking at?" paragraph of view ``name`` for a problem of ``facts`` in
    the current look (the colours named as the palette and the theme draw them); "" for a
    view without one."""
    if name in _MADE:
        return _MADE[name](facts)
    return _FIXED.get(name, "")


MAX_SHARE = 0.3  # of the tab's height, at most, for the open paragraph
TOGGLE_TIP = "A short paragraph on what this view shows and how to read it."


class ExplainPanel(QWidget):
    """A "What am I looking at?" button that unfolds a paragraph."""

    def __init__(self, text: str | Callable[[], str], parent: QWidget | None = None) -> None:
        """``text``: the paragraph, or what writes it afresh (``refresh``: the problem or the
        look changed)."""
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText("What am I looking at?")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolTip(TOGGLE_TIP)
        self._text = text if callable(text) else (lambda: text)
        self._stale = False  # the paragraph made is of another problem or look (refresh)
        self._body: QLabel | None = None  # made when first asked for (body)
        self._scroll: QScrollArea | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.toggle.toggled.connect(self.set_open)
        self._watched: QWidget | None = None  # the tab: its height caps the paragraph's
        # Its own height, never more: the view below takes the rest.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    @property
    def body(self) -> QLabel:
        """The paragraph, made when first unfolded (or asked for): the ten views' paragraphs
        in their scroll areas were a fifth of the CPU of making a window, for what a user
        opens one at a time, if at all."""
        if self._body is None:
            self._make_body()
        return self._body

    @property
    def scroll(self) -> QScrollArea:
        if self._scroll is None:
            self._make_body()
        return self._scroll

    def refresh(self) -> None:
        """The paragraph written again (the data, the network's output or the look changed):
        now if it is open, else when it is next unfolded."""
        if self._body is None:
            return  # (written when first made)
        if self.toggle.isChecked():
            self._write()
        else:
            self._stale = True

    def _write(self) -> None:
        self._stale = False
        text = self._text()
        if self._body.text() != text:
            self._body.setText(text)
            self.fit()

    def _make_body(self) -> None:
        self._body = body = QLabel(self._text())
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.setToolTip("What this view shows. Click \u201cWhat am I looking at?\u201d to "
                        "fold it away.")
        body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        body.setContentsMargins(18, 0, 6, 4)
        body.hide()
        # The paragraph scrolls beyond a share of the tab's height: in presentation mode at
        # 1024x768 it took the whole tab and left the plot a 60 px thumbnail.
        self._scroll = scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.hide()
        self.layout().addWidget(scroll)
        body.installEventFilter(self)  # a new font (presentation mode): fitted again

    def set_open(self, on: bool) -> None:
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)  # comes back here
            return
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        if on and self._stale:
            self._write()
        self.body.setVisible(on)
        self.scroll.setVisible(on)
        self.fit()

    def fit(self) -> None:
        """The paragraph's height: all of it, up to MAX_SHARE of the tab's (then it scrolls)."""
        if self._body is None or not self._body.isVisible() and not self.toggle.isChecked():
            return
        tab = self.parentWidget()
        if tab is not None and tab is not self._watched:
            tab.installEventFilter(self)
            self._watched = tab
        width = max(self.scroll.viewport().width(), self.width(), 100)
        need = self.body.heightForWidth(width)
        cap = int(MAX_SHARE * tab.height()) if tab is not None and tab.height() > 0 else need
        cap = max(cap, 3 * self.body.fontMetrics().height())
        self.scroll.setFixedHeight(max(0, min(need, cap)))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        self.fit()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange) and (obj is self._watched
                                                          or obj is self.body):
            if obj is not self.body or event.type() != QEvent.Type.Resize:
                self.fit()
        return False


def install(window) -> None:
    """A panel at the top of every view's tab, and the tooltips the panels' forms left out."""
    window.explain_panels = {}
    for name in window.view_names():
        tab = window._views[name]
        lay = tab.layout()
        if lay is None or not isinstance(lay, QVBoxLayout):
            continue
        index = window.tabs.indexOf(tab)
        if name in EXPLAINED:
            # Written for the problem and the look of the moment it is read (refresh_all)
            def text(name=name) -> str:
                return explanation(name, facts_of(window))
        else:
            text = window.tabs.tabToolTip(index) if index >= 0 else ""
            if not text:
                continue
        panel = ExplainPanel(text)
        lay.insertWidget(0, panel)
        window.explain_panels[name] = panel

    def refresh_all() -> None:
        for panel in window.explain_panels.values():
            panel.refresh()
    # A new problem (data, network, loss; a preset, an import, an opened session) and a new
    # look: "P(class 1)" over a 10-class import, "blue = class 1" in cividis' yellow, said
    # nothing of the problem on screen.
    if hasattr(window, "run_changed"):
        window.run_changed.connect(refresh_all)
    colors.follow(window, refresh_all)
    main = window.explain_panels.get("main")
    if main is not None:
        # Tab as the eye goes: the tabs, "All views" beside them, then the panel at the top of
        # the tab and the plot under it. Both joined the chain last: Tab went from the plot's
        # check boxes at the bottom back up to "All views", then "What am I looking at?".
        bar = window.tabs.tabBar()
        arrows = sorted(bar.findChildren(QToolButton), key=lambda b: b.x())  # its scroll arrows
        chain = [bar, *arrows, window.views_button, main.toggle, window.boundary]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
    fill_tooltips(window)


def fill_tooltips(root: QWidget) -> None:
    """A form's label explains what its field explains; a plot without a tooltip of its own
    takes its view's."""
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or field is None:
                let_go(label, field)
                continue
            lw, fw = label.widget(), field.widget()
            let_go(label, field)  # (their wrappers outlived the items: widgets.let_go)
            if isinstance(lw, QLabel) and fw is not None and not lw.toolTip() and fw.toolTip():
                lw.setToolTip(fw.toolTip())
    for view in root.findChildren(pg.GraphicsView):
        if view.toolTip():
            continue
        parent = view.parentWidget()
        while parent is not None and not parent.toolTip():
            parent = parent.parentWidget()
        if parent is not None:
            view.setToolTip(parent.toolTip())
