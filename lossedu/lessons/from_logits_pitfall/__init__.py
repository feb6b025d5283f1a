"""05 · The from_logits pitfall: views, explorer widgets and exercises."""
