"""Receipts: the per-day receipt log now; printers and PDF later."""
