"""The explorers' shared plumbing: the :class:`Explorer` box, fast PNG frames (draw once,
then only what moves) and slider snapping.

A full matplotlib draw of a two-panel figure with constrained layout costs 100-250 ms on a
2-core machine; restoring a saved background and drawing a few bars and titles over it,
then encoding with light compression, costs 15-25 ms.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["BlitRenderer", "Explorer", "snap"]


class Explorer(widgets.VBox):
    """A lesson's explorer: a ``VBox`` that draws one view at a time.

    ``state`` is the view last drawn (``None`` before the first) and ``controls`` maps a
    name to each widget the learner sets; tests set ``controls[name].value`` and read
    ``state``.
    """

    def __init__(self, children=(), *, controls=None, **kwargs):
        super().__init__(list(children), **kwargs)
        self.state = None
        self.controls = dict(controls or {})


class BlitRenderer:
    """PNG frames of ``fig`` that redraw only the ``moving`` artists.

    The static parts (axes, ticks, legends) are drawn once and kept as a background.  Pass a
    ``key`` describing anything that changes them, such as the axis limits; a new key
    redraws the background once.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 2)); ax = fig.subplots(); (line,) = ax.plot([0, 1], [0, 1])
    >>> r = BlitRenderer(fig, [line]); line.set_ydata([1, 0]); r.png()[:4]
    b'\\x89PNG'
    """

    def __init__(self, fig: Figure, moving):
        self.fig = fig
        self.canvas = (fig.canvas if isinstance(fig.canvas, FigureCanvasAgg)
                       else FigureCanvasAgg(fig))
        self.moving = list(moving)
        for artist in self.moving:
            artist.set_animated(True)
        self._background = None
        self._key = None

    def png(self, key=None) -> bytes:
        if self._background is None or key != self._key:
            self.canvas.draw()
            if self.fig.get_layout_engine() is not None:
                self.fig.set_layout_engine("none")
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._key = key
        else:
            self.canvas.restore_region(self._background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        image = Image.frombuffer("RGBA", self.canvas.get_width_height(),
                                 self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=1)
        return buf.getvalue()


def snap(slider, value: float) -> float:
    """``value`` clipped to the slider's range and rounded to its grid of steps.

    The browser's slider keeps only values on its grid and sends back any value it had to
    round; setting on-grid values from Python avoids that echo.
    """
    v = float(np.clip(value, slider.min, slider.max))
    k = round((v - slider.min) / slider.step)
    return float(np.clip(round(slider.min + k * slider.step, 10), slider.min, slider.max))
