"""The report's QR code as a ReportLab flowable of vector squares."""

from __future__ import annotations

import numpy
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

# Printed size of one QR module: 0.7 mm (4.1 pixels at 150 dpi) keeps the code readable by zbar
# from a 150 dpi scan that is also blurred (sigma 1 px), noisy and skewed 3 degrees (0.5 and
# 0.6 mm fail there for 6-8 of 8 noise seeds, 0.7 mm passes all 8); a version 12-14 code with its
# quiet zone is then 51-57 mm wide.
QR_MODULE_MM = 0.7


class QrCode(Flowable):
    """The QR code drawn as vector squares at QR_MODULE_MM per module: sharp at any print or
    scan resolution. (A one-pixel-per-module image is smoothed into grey ramps by PDF
    renderers such as poppler, which zbar cannot read at 150-200 dpi.)"""

    def __init__(self, modules) -> None:
        super().__init__()
        self.modules = modules
        self.width = self.height = len(modules) * QR_MODULE_MM * mm

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.modules)
        # One rectangle per run of dark modules, in module units, filled as one path (no seams
        # between them). Written as PDF operators: ReportLab's path methods format each number
        # in Python, which for ~1,000 rectangles costs more than the rest of the page.
        rectangles = []
        for row, dark in enumerate(self.modules):
            edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], dark, [0]))))
            rectangles += [f"{start} {count - 1 - row} {end - start} 1 re"
                           for start, end in zip(edges[::2], edges[1::2], strict=True)]
        self.canv.saveState()
        self.canv.scale(QR_MODULE_MM * mm, QR_MODULE_MM * mm)
        self.canv.setFillColor(colors.black)
        self.canv.addLiteral("\n".join(rectangles) + "\nf")
        self.canv.restoreState()
