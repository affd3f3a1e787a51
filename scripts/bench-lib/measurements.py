"""The measurements of scripts/bench. Each takes the run's context and returns a dict of figures."""
import glob
import json
import os
import subprocess
import sys
import threading
import time

import psycopg

from harness import (LIB, Emulator, clean_env, create_database, log, measure, percentile, stop_process,
                     write_config)

REGIONS = ["us-east-1", "eu-west-1"]


class Context:
    def __init__(self, bin_dir, work, base_url, pg_dir, python):
        self.bin_dir = bin_dir
        self.work = work
        self.base_url = base_url
        self.pg_dir = pg_dir
        self.python = python
        self.env = clean_env()

    def daemon(self, *args):
        return [os.path.join(self.bin_dir, "inspector-sync"), *args]

    def path(self, name):
        return os.path.join(self.work, name)


def count(database_url, sql):
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchone()[0]


def backfill_once(ctx, emulator, name):
    """A fresh database, migrate, then one measured `sync --once`."""
    url = create_database(ctx.base_url, name)
    config = write_config(ctx.path(f"{name}.toml"), url, emulator)
    measure(ctx.daemon("migrate", "--config", config), ctx.env, ctx.path(f"{name}-migrate.log"))
    run = measure(ctx.daemon("sync", "--once", "--config", config), ctx.env, ctx.path(f"{name}-sync.log"))
    stored = count(url, "SELECT count(*) FROM inspector.findings")
    return url, config, run, stored


def copy_load(ctx, url):
    """PostgreSQL's own floor: dump every table the sync filled, truncate, and time loading the files
    back with server-side COPY (same tables, same indexes and constraints, one transaction)."""
    dump_dir = os.path.join(ctx.pg_dir, "bench-dump")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"COPY (SELECT 1) TO PROGRAM 'mkdir -p {dump_dir}'")
        # Creation order (oid) is a valid load order for the schema's foreign keys.
        tables = [row[0] for row in conn.execute("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'inspector' AND c.relkind = 'r'
              AND c.relname NOT IN ('schema_migrations', 'webhook_endpoints')
            ORDER BY c.oid""")]
        rows = {}
        for table in tables:
            rows[table] = conn.execute(f"SELECT count(*) FROM inspector.{table}").fetchone()[0]
        tables = [t for t in tables if rows[t] > 0]
        for table in tables:
            conn.execute(f"COPY inspector.{table} TO '{dump_dir}/{table}.copy'")
        conn.execute("TRUNCATE " + ", ".join(f"inspector.{t}" for t in tables) + " CASCADE")
        conn.execute("CHECKPOINT")
        start = time.perf_counter()
        with conn.transaction():
            for table in tables:
                conn.execute(f"COPY inspector.{table} FROM '{dump_dir}/{table}.copy'")
        seconds = time.perf_counter() - start
        for table in tables:
            assert conn.execute(f"SELECT count(*) FROM inspector.{table}").fetchone()[0] == rows[table], table
        conn.execute(f"COPY (SELECT 1) TO PROGRAM 'rm -rf {dump_dir}'")
    return {"seconds": round(seconds, 3), "tables": {t: rows[t] for t in tables}}


def naive_sync(ctx, emulator):
    url = create_database(ctx.base_url, "bench_naive")
    start = time.perf_counter()
    out = subprocess.run([ctx.python, os.path.join(LIB, "naive_sync.py"), emulator.endpoint, url, *REGIONS],
                         env=ctx.env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    result = json.loads(out.stdout)
    return {"seconds": round(wall, 2), "findings": result["findings"],
            "findings_per_second": round(result["findings"] / wall)}


def backfill(ctx, findings_total, with_naive=True):
    per = findings_total // 8  # 4 accounts x 2 regions
    log(f"backfill: emulator with {per * 8:,} findings (4 accounts x 2 regions)")
    with Emulator(ctx.bin_dir, ctx.work, 3, REGIONS, per) as emulator:
        total = emulator.state()["findingsTotal"]
        url, _, run, stored = backfill_once(ctx, emulator, "bench_backfill")
        log(f"backfill: daemon {stored:,} findings in {run.wall:.1f} s")
        copy = copy_load(ctx, url)
        log(f"backfill: COPY load {copy['seconds']:.1f} s")
        naive = None
        if with_naive:
            naive = naive_sync(ctx, emulator)
            log(f"backfill: naive Python {naive['seconds']:.1f} s")
    result = {
        "findings": stored, "emulator_findings": total, "seconds": round(run.wall, 2),
        "findings_per_second": round(stored / run.wall), "cpu_seconds": round(run.cpu, 2),
        "peak_rss_mb": round(run.peak_rss_mb, 1), "copy_load": copy,
        "ratio_to_copy": round(run.wall / copy["seconds"], 2),
    }
    if naive:
        result["naive_python"] = naive
        result["speedup_over_naive"] = round(naive["seconds"] / run.wall, 1)
    return result, url


def memory(ctx, findings_total):
    per = findings_total // 8
    log(f"memory: emulator with {per * 8:,} findings")
    with Emulator(ctx.bin_dir, ctx.work, 3, REGIONS, per) as emulator:
        url, _, run, stored = backfill_once(ctx, emulator, f"bench_memory_{per * 8}")
    with psycopg.connect(ctx.base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "bench_memory_{per * 8}"')
    log(f"memory: {stored:,} findings, peak RSS {run.peak_rss_mb:.0f} MB")
    return {"findings": stored, "seconds": round(run.wall, 2), "cpu_seconds": round(run.cpu, 2),
            "peak_rss_mb": round(run.peak_rss_mb, 1)}


def quiet_cycle(ctx, targets):
    accounts = targets // 2 - 1  # members; the administrator is the last account
    log(f"quiet cycle: {targets} targets ({accounts} members + administrator, 2 regions)")
    with Emulator(ctx.bin_dir, ctx.work, accounts, REGIONS, 50) as emulator:
        url, config, first, _ = backfill_once(ctx, emulator, "bench_quiet")
        before = emulator.state()["calls"]
        second = measure(ctx.daemon("sync", "--once", "--config", config), ctx.env, ctx.path("quiet-2.log"))
        after = emulator.state()["calls"]
    calls = {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}
    synced = count(url, "SELECT count(DISTINCT (account_id, region)) FROM inspector.sync_state")
    return {"targets": synced, "api_calls": calls,
            "api_calls_per_target": round(sum(calls.values()) / targets, 2),
            "list_findings_per_target": round(calls.get("ListFindings", 0) / targets, 2),
            "cpu_seconds": round(second.cpu, 3), "seconds": round(second.wall, 2),
            "first_cycle_seconds": round(first.wall, 2)}


def start_receiver(ctx, name):
    port_file, out_file = ctx.path(f"{name}.port"), ctx.path(f"{name}.json")
    proc = subprocess.Popen([ctx.python, os.path.join(LIB, "receiver.py"), port_file, out_file])
    while not os.path.exists(port_file):
        if proc.poll() is not None:
            raise RuntimeError("webhook receiver did not start")
        time.sleep(0.05)
    return proc, int(open(port_file).read()), out_file


def finish_receiver(proc, out_file):
    stop_process(proc)
    with open(out_file) as f:
        return json.load(f)


def change_latency(ctx, seconds, rate):
    log(f"change latency: {rate} events/s for {seconds} s")
    receiver, port, receiver_out = start_receiver(ctx, "latency-receiver")
    try:
        return _change_latency(ctx, seconds, rate, port, receiver, receiver_out)
    finally:
        stop_process(receiver)


def _change_latency(ctx, seconds, rate, port, receiver, receiver_out):
    with Emulator(ctx.bin_dir, ctx.work, 3, REGIONS, 2000) as emulator:
        url = create_database(ctx.base_url, "bench_latency")
        config = write_config(ctx.path("latency.toml"), url, emulator, sync={"interval": "1s"},
                              webhook={"url": f"http://127.0.0.1:{port}/hook"})
        measure(ctx.daemon("migrate", "--config", config), ctx.env, ctx.path("latency-migrate.log"))
        total = emulator.state()["findingsTotal"]
        daemon_log = open(ctx.path("latency-daemon.log"), "w")
        daemon = subprocess.Popen(ctx.daemon("run", "--config", config), env=ctx.env, stdout=daemon_log,
                                  stderr=subprocess.STDOUT)
        listener = None
        try:
            deadline = time.time() + 300
            while count(url, "SELECT count(*) FROM inspector.findings") < total:
                if daemon.poll() is not None or time.time() > deadline:
                    raise RuntimeError("daemon did not finish its backfill:\n" + open(ctx.path("latency-daemon.log")).read()[-3000:])
                time.sleep(0.5)
            time.sleep(2)  # let every target finish its first cycle
            ready, listener_out = ctx.path("listener.ready"), ctx.path("listener.json")
            listener = subprocess.Popen([ctx.python, os.path.join(LIB, "listener.py"), url, ready, listener_out])
            while not os.path.exists(ready):
                time.sleep(0.05)
            first_id = count(url, "SELECT coalesce(max(id), 0) FROM inspector.finding_events")
            # Severity changes: each one is exactly one event. Calibrate how many one drift makes.
            # About 5 drifts a second: small enough to be steady, few enough for the emulator to keep up.
            per_region = max(1, round(rate / 5 / len(REGIONS)))
            fraction = per_region / (total / len(REGIONS))
            start = time.perf_counter()
            drifts = 0
            changes = 0
            next_at = start
            period = None
            while time.perf_counter() - start < seconds:
                result = emulator.control("POST", "/_emulator/drift",
                                          {"fraction": fraction, "seed": 1000 + drifts, "kinds": ["severityChanged"]})
                drifts += 1
                changes += len(result["changes"]["severityChanged"])
                if period is None:
                    period = changes / rate
                next_at += period
                time.sleep(max(0.0, next_at - time.perf_counter()))
            drive_seconds = time.perf_counter() - start
            # Wait for the daemon to pick up the last drifts and the webhooks to go out.
            settle = time.time() + 30
            while time.time() < settle:
                pending = count(url, "SELECT count(*) FROM inspector.webhook_deliveries WHERE state <> 'succeeded'")
                recorded = count(url, f"SELECT count(*) FROM inspector.finding_events WHERE id > {first_id}")
                if recorded >= changes and pending == 0:
                    break
                time.sleep(0.5)
            time.sleep(1)
        finally:
            if listener:
                stop_process(listener)
            code, usage = stop_process(daemon)
            daemon_log.close()
    posts = finish_receiver(receiver, receiver_out)
    notifies = json.load(open(listener_out))["arrivals"]
    with psycopg.connect(url) as conn:
        commits = dict(conn.execute(f"""
            SELECT id, extract(epoch FROM pg_xact_commit_timestamp(xmin))::float8
            FROM inspector.finding_events WHERE id > {first_id}""").fetchall())
        recorded_first, recorded_last = conn.execute(f"""
            SELECT extract(epoch FROM min(pg_xact_commit_timestamp(xmin)))::float8,
                   extract(epoch FROM max(pg_xact_commit_timestamp(xmin)))::float8
            FROM inspector.finding_events WHERE id > {first_id}""").fetchone()
    notify_ms = [(t - commits[i]) * 1000 for t, i in notifies if i in commits and commits[i]]
    webhook_ms = [(t - commits[int(i)]) * 1000 for t, i in posts["arrivals"]
                  if i.isdigit() and int(i) in commits and commits[int(i)]]

    def summary(values):
        return {"count": len(values), "p50_ms": round(percentile(values, 50), 1) if values else None,
                "p99_ms": round(percentile(values, 99), 1) if values else None,
                "max_ms": round(max(values), 1) if values else None}

    span = (recorded_last - recorded_first) if recorded_first and recorded_last else drive_seconds
    return {"target_rate": rate, "drive_seconds": round(drive_seconds, 1), "drifts": drifts,
            "emulator_changes": changes, "events": len(commits),
            "achieved_events_per_second": round(len(commits) / max(span, drive_seconds), 1),
            "notify": summary(notify_ms), "webhook": summary(webhook_ms),
            "daemon_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2) if usage else None, "daemon_exit": code}


def webhook_throughput(ctx, url, deliveries, max_concurrency):
    """Enqueues `deliveries` events with one delivery each (in SQL) and times
    `webhooks deliver --once` posting them to a local receiver."""
    log(f"webhook throughput: {deliveries:,} deliveries, max_concurrency {max_concurrency}")
    receiver, port, receiver_out = start_receiver(ctx, f"throughput-receiver-{max_concurrency}")
    try:
        return _webhook_throughput(ctx, url, deliveries, max_concurrency, port, receiver, receiver_out)
    finally:
        stop_process(receiver)


def _webhook_throughput(ctx, url, deliveries, max_concurrency, port, receiver, receiver_out):

    class NoEmulator:
        regions = REGIONS
        endpoint = "http://127.0.0.1:1"

    config = write_config(ctx.path(f"throughput-{max_concurrency}.toml"), url, NoEmulator(),
                          webhook={"url": f"http://127.0.0.1:{port}/hook", "max_concurrency": max_concurrency})
    measure(ctx.daemon("webhooks", "list", "--config", config), ctx.env, ctx.path("webhooks-list.log"))
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM inspector.webhook_deliveries")
        conn.execute(f"""
            WITH ev AS (
                INSERT INTO inspector.finding_events (event_type, finding_arn, resource_type, account_id, region,
                    old_status, new_status, old_severity, new_severity, changes, data, occurred_at)
                SELECT 'finding.severity_changed', f.finding_arn, 'AWS_EC2_INSTANCE', f.account_id, f.region,
                       f.status, f.status, 'LOW', f.severity,
                       jsonb_build_object('severity', jsonb_build_object('old', 'LOW', 'new', f.severity)),
                       f.raw, now()
                FROM (SELECT * FROM inspector.findings ORDER BY finding_arn LIMIT {deliveries}) f
                RETURNING id, finding_arn)
            INSERT INTO inspector.webhook_deliveries (event_id, endpoint, subject)
            SELECT id, 'bench', finding_arn FROM ev""")
        enqueued = conn.execute("SELECT count(*) FROM inspector.webhook_deliveries WHERE state = 'pending'").fetchone()[0]
    run = measure(ctx.daemon("webhooks", "deliver", "--once", "--config", config), ctx.env,
                  ctx.path(f"throughput-{max_concurrency}.log"))
    received = finish_receiver(receiver, receiver_out)
    succeeded = count(url, "SELECT count(*) FROM inspector.webhook_deliveries WHERE state = 'succeeded'")
    arrivals = sorted(t for t, _ in received["arrivals"])
    post_span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else run.wall
    return {"max_concurrency": max_concurrency, "deliveries": enqueued, "succeeded": succeeded,
            "received": len(arrivals), "seconds": round(run.wall, 2),
            "per_second": round(succeeded / run.wall), "per_second_while_posting": round(len(arrivals) / post_span),
            "daemon_cpu_seconds": round(run.cpu, 2), "receiver_cpu_seconds": round(received["cpu_seconds"], 2)}
