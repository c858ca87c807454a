"""The store database's second step: what the store-wide manager view and the store close need.

Appended to ``kiosk.store.storedb.schema.MIGRATIONS`` (a later schema version;
the first step is never edited).

- ``order_rows`` and ``counter_rows``: *projections* kept by a trigger as each
  event is inserted (``project_event``, SECURITY DEFINER: the kiosk role
  writes neither). The views ``orders`` and ``counters`` stay the truth (they
  are recomputed from ``events``), but they read every event of every day: on
  a store with a million orders a day's view would take seconds. The
  projections answer "one day of one store" from an index. The same event
  inserted again never reaches them (``check_event`` drops a replay).
- ``store_closes``: one row per issued store close (number unique per store,
  one close per business day), and ``store_close_items``: which counter Z
  report events each close counted (an event counts in one close only). Both
  append-only (the triggers of the first step refuse UPDATE, DELETE and
  TRUNCATE to everyone). A close is issued under a per-store advisory lock
  (kiosk.store.storedb.store_day); the unique keys are the backstop.
"""

from __future__ import annotations

STORE_DAY_MIGRATION = """
    CREATE TABLE kiosk_store.order_rows (
        install_id     text NOT NULL,
        kiosk_order_id text NOT NULL,
        store_id       text NOT NULL DEFAULT '',
        terminal_id    text NOT NULL DEFAULT '',
        business_day   text NOT NULL DEFAULT '',
        amount_satang  bigint NOT NULL DEFAULT 0,
        method         text NOT NULL DEFAULT '',
        state          text NOT NULL DEFAULT '',
        late           boolean NOT NULL DEFAULT false,
        created_at     timestamptz,
        paid_at        timestamptz,
        o              jsonb NOT NULL,
        generation     integer NOT NULL,
        seq            bigint NOT NULL,
        synced_at      timestamptz NOT NULL,
        PRIMARY KEY (install_id, kiosk_order_id)
    );
    CREATE INDEX order_rows_day ON kiosk_store.order_rows (store_id, business_day, terminal_id);

    CREATE TABLE kiosk_store.counter_rows (
        install_id       text PRIMARY KEY,
        store_id         text NOT NULL,
        terminal_id      text NOT NULL,
        generation       integer NOT NULL,
        head_seq         bigint NOT NULL,
        last_event_at    timestamptz,
        last_sync_at     timestamptz NOT NULL,
        events           bigint NOT NULL,
        journal_replaced boolean NOT NULL
    );
    CREATE INDEX counter_rows_store ON kiosk_store.counter_rows (store_id, terminal_id);
    CREATE INDEX events_z ON kiosk_store.events (store_id)
        WHERE kind = 'record' AND tbl = 'z_reports';

    -- Set one order's columns from its merged fields (the view's casts, once).
    CREATE FUNCTION kiosk_store.put_order_row(
        p_install text, p_order text, merged jsonb, p_generation integer, p_seq bigint,
        p_synced timestamptz
    ) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        INSERT INTO kiosk_store.order_rows AS r (install_id, kiosk_order_id, store_id,
            terminal_id, business_day, amount_satang, method, state, late, created_at,
            paid_at, o, generation, seq, synced_at)
        VALUES (p_install, p_order, COALESCE(merged ->> 'store_id', ''),
            COALESCE(merged ->> 'terminal_id', ''), COALESCE(merged ->> 'business_day', ''),
            COALESCE((merged ->> 'amount_satang')::bigint, 0), COALESCE(merged ->> 'method', ''),
            COALESCE(merged ->> 'state', ''), COALESCE((merged ->> 'late')::integer, 0) = 1,
            (merged ->> 'created_at')::timestamptz, (merged ->> 'paid_at')::timestamptz,
            merged, p_generation, p_seq, p_synced)
        ON CONFLICT (install_id, kiosk_order_id) DO UPDATE SET
            store_id = excluded.store_id, terminal_id = excluded.terminal_id,
            business_day = excluded.business_day, amount_satang = excluded.amount_satang,
            method = excluded.method, state = excluded.state, late = excluded.late,
            created_at = excluded.created_at, paid_at = excluded.paid_at, o = excluded.o,
            generation = GREATEST(r.generation, excluded.generation),
            seq = CASE WHEN (excluded.generation, excluded.seq) > (r.generation, r.seq)
                       THEN excluded.seq ELSE r.seq END,
            synced_at = GREATEST(r.synced_at, excluded.synced_at);
    $$;

    CREATE FUNCTION kiosk_store.project_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        order_id text;
        change jsonb;
        earlier kiosk_store.order_rows%ROWTYPE;
        merged jsonb;
    BEGIN
        -- check_event holds this install's advisory lock: one writer per counter.
        UPDATE kiosk_store.counter_rows SET
            events = events + 1,
            last_sync_at = GREATEST(last_sync_at, NEW.received_at),
            last_event_at = GREATEST(last_event_at, NEW.queued_at),
            journal_replaced = journal_replaced OR (NEW.kind = 'generation'
                                                     AND NEW.generation > 1),
            store_id = CASE WHEN (NEW.generation, NEW.seq) > (generation, head_seq)
                            THEN NEW.store_id ELSE store_id END,
            terminal_id = CASE WHEN (NEW.generation, NEW.seq) > (generation, head_seq)
                               THEN NEW.terminal_id ELSE terminal_id END,
            head_seq = CASE WHEN (NEW.generation, NEW.seq) > (generation, head_seq)
                            THEN NEW.seq ELSE head_seq END,
            generation = GREATEST(generation, NEW.generation)
        WHERE install_id = NEW.install_id;
        IF NOT FOUND THEN
            INSERT INTO kiosk_store.counter_rows VALUES (NEW.install_id, NEW.store_id,
                NEW.terminal_id, NEW.generation, NEW.seq, NEW.queued_at, NEW.received_at, 1,
                NEW.kind = 'generation' AND NEW.generation > 1);
        END IF;
        IF NEW.kind <> 'record' OR NEW.tbl <> 'status_changes' OR NEW.body IS NULL THEN
            RETURN NULL;
        END IF;
        BEGIN
            order_id := NEW.body -> 'row' ->> 'kiosk_order_id';
            change := (NEW.body -> 'row' ->> 'order_after')::jsonb;
            IF order_id IS NULL OR jsonb_typeof(change) IS DISTINCT FROM 'object' THEN
                RETURN NULL;
            END IF;
            SELECT * INTO earlier FROM kiosk_store.order_rows
            WHERE install_id = NEW.install_id AND kiosk_order_id = order_id;
            IF NOT FOUND THEN
                merged := change;
            ELSIF (NEW.generation, NEW.seq) > (earlier.generation, earlier.seq) THEN
                merged := earlier.o || change;
            ELSE  -- an older change arriving late: the newer values stay
                merged := change || earlier.o;
            END IF;
            PERFORM kiosk_store.put_order_row(NEW.install_id, order_id, merged,
                NEW.generation, NEW.seq, NEW.received_at);
        EXCEPTION WHEN data_exception THEN
            -- An unreadable value: the event is kept (and the view shows what it
            -- can); the projection must never refuse a counter's event.
            RAISE WARNING 'order row of % not projected: %', NEW.event_id, SQLERRM;
        END;
        RETURN NULL;
    END $$;
    CREATE TRIGGER events_project AFTER INSERT ON kiosk_store.events
        FOR EACH ROW EXECUTE FUNCTION kiosk_store.project_event();

    -- What was there before this step.
    INSERT INTO kiosk_store.counter_rows
    SELECT install_id, store_id, terminal_id, generation, head_seq, last_event_at,
           last_sync_at, events, journal_replaced
    FROM kiosk_store.counters;
    SELECT kiosk_store.put_order_row(install_id, kiosk_order_id, o, g, s, synced)
    FROM (
        SELECT install_id, kiosk_order_id,
               kiosk_store.jsonb_merge(order_after ORDER BY generation, seq) AS o,
               max(generation) AS g, max(seq) AS s, max(received_at) AS synced
        FROM kiosk_store.order_changes GROUP BY install_id, kiosk_order_id
    ) AS merged;

    CREATE TABLE kiosk_store.store_closes (
        store_id     text NOT NULL,
        number       integer NOT NULL CHECK (number >= 1),
        business_day text NOT NULL CHECK (business_day ~ '^[0-9]{8}$'),
        issued_at    timestamptz NOT NULL DEFAULT now(),
        issued_by    text NOT NULL,
        content      jsonb NOT NULL,
        PRIMARY KEY (store_id, number),
        UNIQUE (store_id, business_day)
    );
    CREATE TABLE kiosk_store.store_close_items (
        store_id     text NOT NULL,
        event_id     text NOT NULL,  -- an event's id (no foreign key: events refuse TRUNCATE
                                     -- by their own trigger, not by a reference)
        close_number integer NOT NULL,
        adjustment   boolean NOT NULL,
        PRIMARY KEY (store_id, event_id),
        FOREIGN KEY (store_id, close_number) REFERENCES kiosk_store.store_closes
    );
    CREATE TRIGGER store_closes_never_rewritten BEFORE UPDATE OR DELETE
        ON kiosk_store.store_closes FOR EACH ROW EXECUTE FUNCTION kiosk_store.refuse_change();
    CREATE TRIGGER store_closes_no_truncate BEFORE TRUNCATE ON kiosk_store.store_closes
        FOR EACH STATEMENT EXECUTE FUNCTION kiosk_store.refuse_change();
    CREATE TRIGGER store_close_items_never_rewritten BEFORE UPDATE OR DELETE
        ON kiosk_store.store_close_items FOR EACH ROW
        EXECUTE FUNCTION kiosk_store.refuse_change();
    CREATE TRIGGER store_close_items_no_truncate BEFORE TRUNCATE
        ON kiosk_store.store_close_items FOR EACH STATEMENT
        EXECUTE FUNCTION kiosk_store.refuse_change();
"""

# A manager closes the store from a counter, as the kiosk role: it may add a close, never
# change one (no UPDATE grant, and the triggers above refuse it to the owner too).
STORE_DAY_GRANTS = """
    GRANT INSERT ON kiosk_store.store_closes, kiosk_store.store_close_items TO {role};
"""

__all__ = ["STORE_DAY_GRANTS", "STORE_DAY_MIGRATION"]
