"""QR payment kiosk: a counter app that takes Thai QR and WeChat Pay payments."""

__version__ = "0.1.0"
