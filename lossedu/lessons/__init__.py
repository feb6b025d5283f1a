"""The lessons, one package per notebook, named after it."""
