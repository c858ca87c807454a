"""The modules of a QR code, for every place that draws one (screen, receipt, PDF).

Error correction M: enough to survive a scuffed receipt or screen glare
without making the code denser than a phone at arm's length can read.

The checkout refuses a text too long to draw before it gets here
(``kiosk.domain.thaiqr.check_shown``: 512 characters); this module refuses
one too, as a second line of defence, with the same cashier reason rather
than qrcode's "Invalid version" traceback.

The mask is fixed (MASK) rather than chosen: qrcode would build the code
eight times and score each mask's penalty, ~90% of its time (7-8 ms of
8 on an idle machine, 13-25 ms loaded), all of it holding the GIL and so
stalling the GUI thread even from a worker. Every mask is valid ISO 18004;
the penalty only nudges readability, and the format information in the
code tells a scanner which mask to undo.
"""

from __future__ import annotations

from kiosk.domain import thaiqr

MASK = 0  # the checkerboard pattern, (row + column) mod 2


def qr_modules(data: str, *, border: int) -> list[list[bool]]:
    """Rows of dark (True) / light modules, with a quiet zone of ``border`` modules.

    Raises QrRejected("undrawable") when ``data`` does not fit a version-40
    QR code (about 2 300 bytes) or cannot be encoded at all (a lone surrogate).
    """
    import qrcode  # loaded on the first QR, not at start-up
    from qrcode.exceptions import DataOverflowError

    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=border,
        box_size=1,
        mask_pattern=MASK,
    )
    try:
        code.add_data(data)
        code.make(fit=True)
    except (ValueError, DataOverflowError) as exc:  # "Invalid version", UnicodeEncodeError
        raise thaiqr.reject("undrawable", f"{len(data)} characters: {exc}") from None
    matrix: list[list[bool]] = code.get_matrix()
    return matrix
