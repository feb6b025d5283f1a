"""A public benchmark for ``lossedu doctor``: real users' loss, output and label mistakes.

Every case comes from a public report (a GitHub issue or pull request, a Q&A thread, or one of
NeuraLint's published buggy scripts), rebuilt as a tiny Keras 3 model with generated data of
the report's label format.  :mod:`.cases` holds the data (source, root cause as the report's
answer states it, expected verdict), :mod:`.build` turns a case into a model, and
:mod:`.runner` runs the doctor on every case and scores recall and precision.  ``make bench``
prints the score per backend; ``tests/doctor/test_benchmark.py`` runs every case as a test.
"""
