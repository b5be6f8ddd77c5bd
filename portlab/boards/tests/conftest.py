"""Board fixtures: the quality manager of quality's fixtures."""

from portlab.quality.tests.conftest import quality_manager  # noqa: F401 (fixture)
