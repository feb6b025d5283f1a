"""Pure functions that compute what the explorers draw; one module per lesson topic."""
