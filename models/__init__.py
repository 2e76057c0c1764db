"""Learned components and their saved artifacts (one folder per trained model).

Importing this package registers the learned pipeline components by name.
"""

from models import count_filter, sentence_types

__all__ = ["count_filter", "sentence_types"]
