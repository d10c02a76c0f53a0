import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

def sizes(page):
    out = []
    for i in page.glw.ci.items:
        if isinstance(i, pg.PlotItem):
            f = i.getAxis("bottom").style.get("tickFont")
            out.append((f.pointSizeF() if f is not None else None, i.titleLabel.opts.get("size"), round(i.width())))
    return out

def test_probe(main_window, qtbot):
    w = main_window
    w.resize(1024, 768)
    QApplication.processEvents()
    w.show_view("lesson-3")
    lv = w._inspection_views["lessons"]
    page = lv.pages["sigmoid"]
    qtbot.waitUntil(lambda: page.filled, timeout=60000)
    qtbot.wait(300)
    print("normal", sizes(page))
    w.presentation.action.trigger(); qtbot.wait(500)
    print("F11", sizes(page))
    page.titles.fit(); print("refit", sizes(page))
    w.presentation.action.trigger(); qtbot.wait(500)
    print("off", sizes(page))
    lv.list.setCurrentRow(3); qtbot.wait(300)
    w.presentation.action.trigger(); qtbot.wait(500)
    print("on l4", sizes(lv.pages["activations"]))
    lv.list.setCurrentRow(2); qtbot.wait(300)
    print("on l3", sizes(page))
