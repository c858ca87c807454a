"""Shared infrastructure: settings, secrets, logging, the QR matrix. No business rules."""
