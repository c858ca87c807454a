"""A hostile Villa gateway and the attacks of issue 12, played against the public surface.

``server.HostileGateway`` is a stdlib HTTP server on 127.0.0.1 speaking the
villa contract (create, QR, status, cancel) and Cognito's InitiateAuth, with
one *mode* per attack (``modes.MODES``). Every mode answers like an honest
gateway except for the one thing it attacks, so a kiosk that falls for it
falls for that thing alone. The tests here drive ``python -m kiosk`` as a
subprocess and the real window against it, and assert what the issue's
"Must show" asks: a defined end, never PAID for money that is not this
sale's, no traceback, one gateway order per sale, no secret in any output.

Run the server by hand: ``python -m tests.hostile --mode qr-two-tag54``.
"""
