"""02 · Softmax: views, explorer widgets and exercises."""
