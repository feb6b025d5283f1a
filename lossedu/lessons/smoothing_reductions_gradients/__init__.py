"""03b · Smoothing, reductions and gradients: views, explorer widgets and exercises."""
