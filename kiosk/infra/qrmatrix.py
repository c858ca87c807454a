"""The modules of a QR code, for every place that draws one (screen, receipt, PDF).

Error correction M: enough to survive a scuffed receipt or screen glare
without making the code denser than a phone at arm's length can read.
"""

from __future__ import annotations


def qr_modules(data: str, *, border: int) -> list[list[bool]]:
    """Rows of dark (True) / light modules, with a quiet zone of ``border`` modules."""
    import qrcode  # loaded on the first QR, not at start-up

    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=border, box_size=1
    )
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix
