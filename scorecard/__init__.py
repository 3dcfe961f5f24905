"""Social Scorecard's domain core: the workspace file, its tables and the scoring model."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("social-scorecard")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"
