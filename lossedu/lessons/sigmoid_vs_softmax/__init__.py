"""04 · Sigmoid vs softmax: views, explorer widgets and exercises."""
