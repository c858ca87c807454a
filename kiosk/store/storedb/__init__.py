"""The store database (PostgreSQL): its schema and the one client (kiosk.store.storedb.client)."""
