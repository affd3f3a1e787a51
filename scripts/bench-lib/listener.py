"""LISTENs on the inspector_events channel and records when each hint arrived (its own process, so
the load driver never delays it). Usage: listener.py DATABASE_URL READY_FILE OUT_FILE; on SIGTERM
writes OUT_FILE: {"arrivals": [[epoch_seconds, event_id], ...]}."""
import json
import signal
import sys
import time

import psycopg

database_url, ready_file, out_file = sys.argv[1:4]
arrivals = []
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
with psycopg.connect(database_url, autocommit=True) as conn:
    conn.execute("LISTEN inspector_events")
    open(ready_file, "w").close()
    while running:
        for notify in conn.notifies(timeout=0.2):
            arrivals.append((time.time(), json.loads(notify.payload)["id"]))
with open(out_file, "w") as f:
    json.dump({"arrivals": arrivals}, f)
