"""Narratives: stories and transcripts coded into themes, agreement between coders, REFI-QDA."""
