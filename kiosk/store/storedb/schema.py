"""The store database's schema (PostgreSQL), as numbered migrations.

Everything lives in the schema ``kiosk_store``, owned by the role that runs
``kiosk store init`` (the *owner*). Counters connect as the *kiosk role*,
which owns nothing and may only INSERT into ``events`` and SELECT (grants in
``grants``); an insert goes through ``check_event``, a trigger function owned
by the owner (SECURITY DEFINER), which is what writes ``conflicts``.

- ``events``: append-only (triggers refuse UPDATE, DELETE and TRUNCATE to
  everyone, the owner included). One row per journal record of each counter,
  ``event_id`` = install id + journal generation + chain position; a
  generation's first row (``kind = 'generation'``) names the head of the
  previous generation (a replaced journal) and the hash the new one starts
  from.
- ``conflicts``: what the ingestion check refused to believe: an event id
  again with other content (``different_content``), a previous hash that is
  not the counter's head (``chain_break``), a record whose SHA-256 is not its
  hash (``hash_mismatch``: edited in the journal before it left), a record
  before its generation's opening (``no_generation_start``) or behind the
  head (``out_of_order``), a replaced journal naming another head
  (``replaced_head_mismatch``).
- Views (the manager's reading, issue 20 builds on them): ``order_changes``
  (each status change), ``orders`` (each order's current row, rebuilt from
  its changes), ``flags`` (manager flags), ``counters`` (each install: its
  terminal, generation, head, last event, last sync, flags).

Append only: a released migration is never edited. Index i brings the schema
to version i + 1 (table ``kiosk_store.meta``, key ``schema_version``).
"""

from __future__ import annotations

from kiosk.store.storedb.store_day_schema import STORE_DAY_GRANTS, STORE_DAY_MIGRATION

SCHEMA = "kiosk_store"
GENESIS = "0" * 64
LOCK_KEY = 0x6B696F736B5F7331  # pg_advisory_lock of `kiosk store init` ("kiosk_s1")

MIGRATIONS: list[str] = [
    f"""
    CREATE SCHEMA IF NOT EXISTS kiosk_store;
    CREATE TABLE kiosk_store.meta (
        key   text PRIMARY KEY,
        value text NOT NULL
    );
    CREATE TABLE kiosk_store.events (
        event_id    text PRIMARY KEY,
        install_id  text NOT NULL,
        generation  integer NOT NULL CHECK (generation >= 1),
        seq         bigint NOT NULL CHECK (seq >= 0),
        kind        text NOT NULL CHECK (kind IN ('record', 'withheld', 'generation')),
        tbl         text NOT NULL DEFAULT '',
        part        text NOT NULL DEFAULT '',
        ref         text NOT NULL DEFAULT '',
        prev_hash   text NOT NULL,
        hash        text NOT NULL,
        record      text,
        store_id    text NOT NULL,
        terminal_id text NOT NULL,
        queued_at   timestamptz,
        received_at timestamptz NOT NULL DEFAULT now(),
        body        jsonb
    );
    CREATE INDEX events_counter ON kiosk_store.events (install_id, generation, seq);
    CREATE INDEX events_order ON kiosk_store.events ((body -> 'row' ->> 'kiosk_order_id'))
        WHERE kind = 'record';
    CREATE TABLE kiosk_store.conflicts (
        id            bigserial PRIMARY KEY,
        detected_at   timestamptz NOT NULL DEFAULT now(),
        install_id    text NOT NULL,
        generation    integer NOT NULL,
        seq           bigint NOT NULL,
        event_id      text NOT NULL,
        reason        text NOT NULL,
        expected_hash text,
        prev_hash     text,
        hash          text,
        record        text,
        terminal_id   text NOT NULL
    );
    CREATE INDEX conflicts_counter ON kiosk_store.conflicts (install_id);

    CREATE FUNCTION kiosk_store.refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '%: rows are never changed or removed', TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON kiosk_store.events
        FOR EACH ROW EXECUTE FUNCTION kiosk_store.refuse_change();
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON kiosk_store.events
        FOR EACH STATEMENT EXECUTE FUNCTION kiosk_store.refuse_change();
    CREATE TRIGGER conflicts_append_only BEFORE UPDATE OR DELETE ON kiosk_store.conflicts
        FOR EACH ROW EXECUTE FUNCTION kiosk_store.refuse_change();
    CREATE TRIGGER conflicts_no_truncate BEFORE TRUNCATE ON kiosk_store.conflicts
        FOR EACH STATEMENT EXECUTE FUNCTION kiosk_store.refuse_change();

    -- The ingestion check: runs as the owner (the kiosk role cannot write
    -- conflicts itself), one counter at a time (advisory lock per install).
    CREATE FUNCTION kiosk_store.check_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        earlier kiosk_store.events%ROWTYPE;
        head_hash text;
        head_seq bigint;
        problem text;
        expected text;
    BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('kiosk_store:' || NEW.install_id, 0));
        NEW.received_at := now();
        SELECT * INTO earlier FROM kiosk_store.events WHERE event_id = NEW.event_id;
        IF FOUND THEN
            IF earlier.hash IS DISTINCT FROM NEW.hash
               OR earlier.prev_hash IS DISTINCT FROM NEW.prev_hash
               OR earlier.record IS DISTINCT FROM NEW.record THEN
                INSERT INTO kiosk_store.conflicts (install_id, generation, seq, event_id, reason,
                    expected_hash, prev_hash, hash, record, terminal_id)
                VALUES (NEW.install_id, NEW.generation, NEW.seq, NEW.event_id,
                    'different_content', earlier.hash, NEW.prev_hash, NEW.hash, NEW.record,
                    NEW.terminal_id);
            END IF;
            RETURN NULL;  -- the event is there already: a replay changes nothing
        END IF;
        IF NEW.record IS NOT NULL THEN
            BEGIN
                NEW.body := NEW.record::jsonb;
            EXCEPTION WHEN others THEN
                NEW.body := NULL;
                problem := 'unreadable_record';
            END;
        END IF;
        IF NEW.kind = 'generation' THEN
            SELECT hash INTO head_hash FROM kiosk_store.events
            WHERE install_id = NEW.install_id AND generation < NEW.generation
            ORDER BY generation DESC, seq DESC LIMIT 1;
            expected := COALESCE(head_hash, '{GENESIS}');
            IF NEW.prev_hash IS DISTINCT FROM expected THEN
                problem := 'replaced_head_mismatch';
            END IF;
        ELSE
            SELECT hash, seq INTO head_hash, head_seq FROM kiosk_store.events
            WHERE install_id = NEW.install_id AND generation = NEW.generation
            ORDER BY seq DESC LIMIT 1;
            expected := head_hash;
            IF NOT FOUND THEN
                problem := 'no_generation_start';
            ELSIF head_seq >= NEW.seq THEN
                problem := 'out_of_order';
            ELSIF head_hash IS DISTINCT FROM NEW.prev_hash THEN
                problem := 'chain_break';
            ELSIF NEW.kind = 'record' AND (NEW.record IS NULL OR
                    encode(sha256(convert_to(NEW.prev_hash || NEW.record, 'UTF8')), 'hex')
                    IS DISTINCT FROM NEW.hash) THEN
                problem := 'hash_mismatch';
                expected := NEW.hash;
            END IF;
        END IF;
        IF problem IS NOT NULL THEN
            INSERT INTO kiosk_store.conflicts (install_id, generation, seq, event_id, reason,
                expected_hash, prev_hash, hash, record, terminal_id)
            VALUES (NEW.install_id, NEW.generation, NEW.seq, NEW.event_id, problem, expected,
                NEW.prev_hash, NEW.hash, NEW.record, NEW.terminal_id);
        END IF;
        -- Kept even when flagged: it is what the counter says, and the next
        -- record links to it.
        RETURN NEW;
    END $$;
    CREATE TRIGGER events_check BEFORE INSERT ON kiosk_store.events
        FOR EACH ROW EXECUTE FUNCTION kiosk_store.check_event();

    -- An order's row is its creation's columns overwritten by each change's.
    CREATE AGGREGATE kiosk_store.jsonb_merge (jsonb) (
        SFUNC = jsonb_concat, STYPE = jsonb, INITCOND = '{{}}'
    );

    CREATE VIEW kiosk_store.order_changes AS
    SELECT e.install_id, e.generation, e.seq, e.event_id,
           e.body -> 'row' ->> 'kiosk_order_id' AS kiosk_order_id,
           (e.body -> 'row' ->> 'at')::timestamptz AS at,
           e.body -> 'row' ->> 'from_state' AS from_state,
           e.body -> 'row' ->> 'to_state' AS to_state,
           (e.body -> 'row' ->> 'order_after')::jsonb AS order_after,
           e.store_id AS counter_store_id, e.terminal_id AS counter_terminal_id,
           e.received_at
    FROM kiosk_store.events AS e
    WHERE e.kind = 'record' AND e.tbl = 'status_changes' AND e.body IS NOT NULL;

    CREATE VIEW kiosk_store.flags AS
    SELECT install_id, kiosk_order_id,
           max(reason) AS reason, max(raw) AS raw,
           max(raised_at) AS raised_at, max(cleared_at) AS cleared_at,
           max(outcome) AS outcome, max(note) AS note
    FROM (
        SELECT e.install_id, e.body -> 'row' ->> 'kiosk_order_id' AS kiosk_order_id,
               e.body -> 'row' ->> 'reason' AS reason, e.body -> 'row' ->> 'raw' AS raw,
               (e.body -> 'row' ->> 'raised_at')::timestamptz AS raised_at,
               (e.body -> 'row' ->> 'cleared_at')::timestamptz AS cleared_at,
               e.body -> 'row' ->> 'outcome' AS outcome, e.body -> 'row' ->> 'note' AS note
        FROM kiosk_store.events AS e
        WHERE e.kind = 'record' AND e.tbl = 'attention' AND e.body IS NOT NULL
    ) AS parts
    GROUP BY install_id, kiosk_order_id;

    CREATE VIEW kiosk_store.orders AS
    WITH merged AS (
        SELECT install_id, kiosk_order_id,
               kiosk_store.jsonb_merge(order_after ORDER BY generation, seq) AS o,
               max(received_at) AS synced_at
        FROM kiosk_store.order_changes
        GROUP BY install_id, kiosk_order_id
    )
    SELECT m.install_id, m.kiosk_order_id,
           o ->> 'store_id' AS store_id, o ->> 'terminal_id' AS terminal_id,
           o ->> 'business_day' AS business_day, (o ->> 'seq')::integer AS seq,
           (o ->> 'amount_satang')::bigint AS amount_satang, o ->> 'currency' AS currency,
           o ->> 'method' AS method, o ->> 'description' AS description,
           o ->> 'state' AS state, COALESCE((o ->> 'late')::integer, 0) = 1 AS late,
           (o ->> 'created_at')::timestamptz AS created_at,
           (o ->> 'updated_at')::timestamptz AS updated_at,
           (o ->> 'ttl_s')::integer AS ttl_s,
           (o ->> 'gateway_expires_at')::timestamptz AS gateway_expires_at,
           o ->> 'gateway_order_id' AS gateway_order_id,
           o ->> 'gateway_charge_id' AS gateway_charge_id,
           o ->> 'reference_order' AS reference_order,
           o ->> 'failure_code' AS failure_code, o ->> 'failure_message' AS failure_message,
           (o ->> 'paid_at')::timestamptz AS paid_at,
           f.reason AS attention_reason, f.raw AS attention_raw,
           f.raised_at AS attention_raised_at, f.cleared_at AS attention_cleared_at,
           f.outcome AS attention_outcome, f.note AS attention_note,
           m.synced_at
    FROM merged AS m
    LEFT JOIN kiosk_store.flags AS f USING (install_id, kiosk_order_id);

    CREATE VIEW kiosk_store.counters AS
    WITH latest AS (
        SELECT DISTINCT ON (install_id) install_id, generation, seq, hash, store_id,
               terminal_id
        FROM kiosk_store.events
        ORDER BY install_id, generation DESC, seq DESC
    ), totals AS (
        SELECT install_id, max(received_at) AS last_sync_at, max(queued_at) AS last_event_at,
               count(*) AS events,
               bool_or(kind = 'generation' AND generation > 1) AS journal_replaced
        FROM kiosk_store.events GROUP BY install_id
    ), flagged AS (
        SELECT install_id, count(*) AS conflicts FROM kiosk_store.conflicts GROUP BY install_id
    )
    SELECT l.install_id, l.store_id, l.terminal_id, l.generation, l.seq AS head_seq,
           l.hash AS head_hash, t.last_event_at, t.last_sync_at, t.events,
           t.journal_replaced, COALESCE(f.conflicts, 0) AS conflicts,
           EXISTS (SELECT 1 FROM latest AS other
                   WHERE other.store_id = l.store_id AND other.terminal_id = l.terminal_id
                     AND other.install_id <> l.install_id) AS terminal_shared,
           COALESCE(f.conflicts, 0) > 0
             OR EXISTS (SELECT 1 FROM latest AS other
                        WHERE other.store_id = l.store_id AND other.terminal_id = l.terminal_id
                          AND other.install_id <> l.install_id) AS flagged
    FROM latest AS l JOIN totals AS t USING (install_id)
    LEFT JOIN flagged AS f USING (install_id);
    """,
]
MIGRATIONS.append(STORE_DAY_MIGRATION)  # issue 20: the store view's projections, store closes
# A record whose JSON parses but whose fields are not what the views cast them to
# (a time that is no time, an amount that is text) would make every SELECT of
# kiosk_store.orders fail: one counter (a bug, or anyone with the kiosk
# password) could take the store report from all. Such a record is flagged as
# unreadable and kept without its body, as check_event does for JSON that does
# not parse. Runs after events_check (BEFORE triggers fire in name order).
MIGRATIONS.append(
    """
    CREATE FUNCTION kiosk_store.readable_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        r jsonb;
        o jsonb;
    BEGIN
        IF NEW.body IS NULL OR NEW.kind <> 'record' THEN
            RETURN NEW;
        END IF;
        BEGIN
            r := NEW.body -> 'row';
            IF NEW.tbl = 'status_changes' THEN
                o := (r ->> 'order_after')::jsonb;
                PERFORM (r ->> 'at')::timestamptz, (o ->> 'seq')::integer,
                    (o ->> 'amount_satang')::bigint, (o ->> 'late')::integer,
                    (o ->> 'ttl_s')::integer, (o ->> 'created_at')::timestamptz,
                    (o ->> 'updated_at')::timestamptz, (o ->> 'paid_at')::timestamptz,
                    (o ->> 'gateway_expires_at')::timestamptz;
            ELSIF NEW.tbl = 'attention' THEN
                PERFORM (r ->> 'raised_at')::timestamptz, (r ->> 'cleared_at')::timestamptz;
            END IF;
        EXCEPTION WHEN data_exception THEN
            INSERT INTO kiosk_store.conflicts (install_id, generation, seq, event_id, reason,
                expected_hash, prev_hash, hash, record, terminal_id)
            VALUES (NEW.install_id, NEW.generation, NEW.seq, NEW.event_id,
                'unreadable_record', NULL, NEW.prev_hash, NEW.hash, NEW.record,
                NEW.terminal_id);
            NEW.body := NULL;
        END;
        RETURN NEW;
    END $$;
    CREATE TRIGGER events_readable BEFORE INSERT ON kiosk_store.events
        FOR EACH ROW EXECUTE FUNCTION kiosk_store.readable_event();
    """
)
# The version this kiosk ships and needs: a counter refuses to sync with an older one.
SCHEMA_VERSION = len(MIGRATIONS)

# What the kiosk role may do: read everything, add events. Nothing else: it
# owns nothing, and the conflicts are written by check_event as the owner.
GRANTS = (
    """
    GRANT USAGE ON SCHEMA kiosk_store TO {role};
    GRANT SELECT ON ALL TABLES IN SCHEMA kiosk_store TO {role};
    GRANT INSERT ON kiosk_store.events TO {role};
"""
    + STORE_DAY_GRANTS
)
