"""Payment backends behind one Protocol (see base.py); vendor JSON stays in here."""
