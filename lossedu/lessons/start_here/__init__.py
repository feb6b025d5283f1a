"""00 · Start here: the map and the routing quiz."""
