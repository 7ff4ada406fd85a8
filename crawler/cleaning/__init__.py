"""Turning the HTML of an article container into clean, searchable text and fields."""
