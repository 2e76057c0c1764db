"""Polite, resumable crawlers of news sites into WARC archives."""
