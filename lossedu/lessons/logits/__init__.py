"""01 · Logits: views, explorer widgets and exercises."""
