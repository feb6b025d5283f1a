"""Build tools for the lessons: executing, cleaning and checking notebooks, the static site.

None of this is part of the ``lossedu`` package: ``import lossedu`` never needs nbclient,
nbconvert or BeautifulSoup. Run the tools from the repository root, e.g.
``python -m tools.nbrun notebooks/01_logits.ipynb`` or ``python tools/nbrun.py ...``.
"""
