"""Built-in extraction components; importing this package registers them by name."""

from pipeline.extract import counts, cues, events, location, relevance, sentences, times

__all__ = ["counts", "cues", "events", "location", "relevance", "sentences", "times"]
