"""Everything on the screen explained: a "What am I looking at?" panel at the top of each view (a
paragraph in plain words, in the notebook's terms, folded away until asked for), and tooltips
where a control's or a plot's own module gave none (a form's label says what its field says).

TensorFlow Playground's lesson (issues #126, #168): a help text is not complete unless
absolutely everything on the screen is explained.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QFormLayout, QFrame, QLabel, QScrollArea, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

#: One paragraph per view, by its show_view name. A view without one gets its tab's tooltip.
EXPLANATIONS: dict[str, str] = {
    "main": (
        "The dots are the data: each is a point (x1, x2) with its class, shown by its shape and "
        "colour (the key below the plot names them). Filled shapes are the training points the "
        "network learns from; hollow ones are test points it never trains on, so they show "
        "whether what it learned holds for new data. The background is the network's answer for "
        "every point of the plane: the forward pass (w.T @ X + b and the activation, layer after "
        "layer) gives P(class 1), read on the colour bar, paler where the network is unsure. "
        "Where the colour turns from one class to the other is the decision boundary. Each "
        "epoch, gradient descent moves the weights a step down the loss (the curve on the left), "
        "and the boundary moves with them. Discretize shows the rounded prediction, as the "
        "notebook's last figure does."),
    "network": (
        "The network itself, from the inputs (left) to the output (right). Each square is a "
        "neuron, drawn as a small map of its activation over the input plane. Each line is a "
        "weight w: its colour gives its sign, its thickness its size; the small square at a "
        "neuron's corner is its bias b. A neuron computes w.T @ X + b from the layer before and "
        "applies its activation (sigmoid, relu, ...). Hover a line or a bias to read its value, "
        "click it to type a new one; click a neuron to see its map large on the right."),
    "neurons": (
        "Every neuron's activation over the input plane, one tile each, layer by layer. A neuron "
        "of the first hidden layer can only draw a straight line (w.T @ X + b, then its "
        "activation); each later layer mixes the tiles of the layer before, which is how the "
        "network builds a curved decision boundary out of straight pieces. The output's tile is "
        "the main plot's background. Click a tile to see it large with the data over it."),
    "hidden-space": (
        "The data as one hidden layer sees it: every point moved to the activations that layer "
        "gives it, either two of its units or the two directions in which the points spread "
        "most (principal components). The grey lines are the input plane's grid, bent the same "
        "way. The output layer can only draw a straight line in this space, so training bends "
        "it until a line splits the classes."),
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
        "how steep the valley's walls are; a learning rate lr stays stable only while it is "
        "below 2/lr."),
    "lessons": (
        "The notebook's demonstrations, computed with its own code: linear regression, a deep "
        "linear model whose values grow layer after layer, sigmoid at the output or between "
        "layers, five activations, and the moons trained for 1,000 epochs. The baseline puts "
        "the network of the main window beside logistic regression, the best straight "
        "boundary. \"Try it live\" loads the same problem into the main window."),
    "backprop": (
        "One training step, taken apart for one training point. Next and Back walk through it: "
        "the forward pass (z = w.T @ x + b, then a = f(z), unit by unit), the loss of this "
        "point, the error delta of each unit going backwards (the chain rule, from the output "
        "to the input), dL/dw of each link (its input activation times the delta it feeds), "
        "the gradient the run really applies (the mean over the batch, plus any penalty) and "
        "the step the optimiser takes with it. Every number is computed by hand here and "
        "checked against jax.grad, the function the training itself uses. Colours: blue "
        "(class 1's colour) is positive, orange (class 0's) negative; a link's thickness is "
        "its size, a node's fill is its value with the largest of its layer at full colour, "
        "and the output's probability is coloured as on the decision boundary: class 0's "
        "colour at 0, pale at 0.5, class 1's at 1 (a softmax output: from pale to its "
        "class's colour). Click a point on the plot to follow another one; 'size points by their "
        "pull' shows which points pull hardest on the weights now."),
    "regions": (
        "A ReLU network is a patchwork of straight pieces: wherever no unit switches on or off, "
        "the network is one linear function of x1 and x2. The plane is split into those linear "
        "regions (dark lines: where a unit switches), each shaded by how steeply the output "
        "changes there. More regions means a more bendy boundary; the curve below counts them "
        "over the run. With one hidden layer, n units can cut the plane into at most "
        "1 + n + n(n-1)/2 regions (Zaslavsky's bound). Smooth activations such as sigmoid bend "
        "everywhere, so they have no regions to count."),
    "compare": (
        "Many runs at once. A sweep trains variants of one network together, each a full run: "
        "other learning rates, other initial weights, other widths or activations. Each tile is "
        "one member's answer over the plane (the main plot's background, small), labelled with "
        "its values; the loss plot has every member's training loss, coloured along the values "
        "swept; the table and the plot beside it give each member's loss and accuracy now, the "
        "best (lowest test loss) starred. A member whose loss blows up is greyed and marked "
        "diverged. While this tab is shown, Play and Step train the whole sweep. Double-click a "
        "tile or a row to make that member the main window's run, with its history."),
}

MAX_SHARE = 0.3  # of the tab's height, at most, for the open paragraph
TOGGLE_TIP = "A short paragraph on what this view shows and how to read it."


class ExplainPanel(QWidget):
    """A "What am I looking at?" button that unfolds a paragraph."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText("What am I looking at?")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolTip(TOGGLE_TIP)
        self._text = text
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

    def _make_body(self) -> None:
        self._body = body = QLabel(self._text)
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
        text = EXPLANATIONS.get(name) or (window.tabs.tabToolTip(index) if index >= 0 else "")
        if not text:
            continue
        panel = ExplainPanel(text)
        lay.insertWidget(0, panel)
        window.explain_panels[name] = panel
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
                continue
            lw, fw = label.widget(), field.widget()
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
