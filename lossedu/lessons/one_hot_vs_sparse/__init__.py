"""03 · One-hot vs sparse labels: views, explorer widgets and exercises."""
