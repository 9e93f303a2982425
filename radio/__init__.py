"""Commune Radio: broadcast scheduling and audio for Vietnamese commune radio."""

__version__ = "0.1.0"
