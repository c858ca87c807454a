"""The customer display's parts: placement on a screen, its QR worker, its view, its speech.

``kiosk.ui.customer_display.CustomerDisplay`` puts them together. Nothing
here imports the cashier's screens: the display is drawn from the order's
own values, heard on the bus.
"""
