"""The store manager's screen (behind the manager PIN): a day's sales and the day's close.

One widget per part, assembled by ``ManagerScreen`` (``screen``):

- ``bars``: the title row (the day, Settings, Back) and the bottom row
  (Reconcile, Export CSV, Close the day, the message line);
- ``table``: the day's transactions with their status/method/search filters,
  over ``model`` (the Qt table model and its filter proxy);
- ``totals`` and ``chart``: the day's figures and paid amounts per hour;
- ``detail``, ``reconcile``, ``zpage``: the side pages (the selected order
  with its history and reprint; a reconcile run; the end-of-day report);
- ``attention`` and ``clear_form``: the sales that need the manager's
  attention (a red bar while any flag is open, the list of open flags of
  every day, and the form that clears one with an outcome and the PIN);
- ``store_page``: with a store database, the "This counter / Whole store"
  switch and the whole store's day (through ``kiosk.services.store_view``).

The screen reads the journal only through ``kiosk.services.history.SalesHistory``
(and the open flags through ``kiosk.services.attention.AttentionDesk``, which
also clears them) and prints receipts through the ``kiosk.services.ports.OrderReceipts`` port.
"""

from __future__ import annotations

from kiosk.ui.manager.screen import ManagerScreen

__all__ = ["ManagerScreen"]
