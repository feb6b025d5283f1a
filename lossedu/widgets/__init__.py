"""ipywidgets explorers wired to the pure functions in lossedu.views."""
