"""Learned components and their saved artifacts (one folder per trained model)."""
