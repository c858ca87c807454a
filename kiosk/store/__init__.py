"""Durable storage: the SQLite sales journal and its queries."""
