"""A unittest-style suite (``unittest.TestCase``, no pytest fixtures): runs under pytest and under
``python -m unittest discover -s tests/unittest_style -t .``."""
