"""vnsec: Vietnamese security and labour news into countable, traceable event records."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vnsec")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
