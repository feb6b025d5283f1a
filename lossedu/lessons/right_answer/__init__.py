"""07 · From the right loss to the right answer: views, explorer widgets and exercises."""
