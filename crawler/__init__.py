"""Scrapy crawlers and a clean, deduplicated SQLite corpus for Chinese 政法 news sites."""
