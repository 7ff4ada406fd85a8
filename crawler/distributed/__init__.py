"""Crawling past one machine: spiders split by shard, or one site's queue shared in Redis."""
