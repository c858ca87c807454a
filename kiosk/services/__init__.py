"""Async orchestration without widgets: checkout, polling, recovery."""
