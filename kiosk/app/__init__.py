"""Entry points: the one composition root, the GUI start-up, the CLI, the smoke test."""
