#!/usr/bin/env python3
"""Resilience drills for inspector-sync: run by scripts/drill, which builds the binaries and starts a
throwaway PostgreSQL first (see there). Starts the emulator (with a state file) and a webhook receiver,
runs `inspector-sync run`, and drills it: SIGKILLs during backfill, drift syncs and deliveries;
PostgreSQL restarted (fast and immediate) under load; the emulator failing 20 % of calls. After each
drill it checks the database against the emulator, the change feed against the drifts, and the
receiver against the feed, and prints one table at the end. Exit status 1 on any mismatch."""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from drill_db import Database

ADMIN_KEY = "AKIDEMULATORADMIN"
ADMIN_SECRET = "emulator/admin/secret/key/0123456789abcd"
# The Standard Webhooks test vector secret (also in config.example.toml): a throwaway value.
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
REGIONS = ["us-east-1", "eu-west-1"]

# Drift kinds (docs/inspector2-emulator.md) to the events they must produce (README "Event types").
FINDING_EVENTS = {
    "closed": "finding.closed",
    "reopened": "finding.reopened",
    "severityChanged": "finding.severity_changed",
    "scoreChanged": "finding.score_changed",
    "fixAvailable": "finding.fix_available_changed",
    "exploitAvailable": "finding.exploit_available_changed",
    "created": "finding.created",
    "suppressed": "finding.suppressed",
}  # observedOnly: lastObservedAt alone, no event
COVERAGE_EVENTS = {
    "coverageAdded": "coverage.added",
    "coverageRemoved": "coverage.removed",
    "scanStatusChanged": "coverage.scan_status_changed",
}


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """A webhook endpoint on loopback: records every post (webhook-id, event id, type) and checks
    its signature with the reference `standardwebhooks` package when installed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts = []  # (webhook_id, event_id, type)
        self.bad_signatures = 0
        try:
            from standardwebhooks.webhooks import Webhook
            self.verifier = Webhook(WEBHOOK_SECRET)
        except Exception:  # noqa: BLE001 - optional dependency
            self.verifier = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                valid = True
                if receiver.verifier is not None:
                    try:
                        receiver.verifier.verify(body, headers)
                    except Exception:  # noqa: BLE001
                        valid = False
                try:
                    event = json.loads(body)
                    record = (headers.get("webhook-id"), event.get("id"), event.get("type"))
                except ValueError:
                    record, valid = (headers.get("webhook-id"), None, None), False
                with receiver.lock:
                    receiver.posts.append(record)
                    if not valid:
                        receiver.bad_signatures += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def snapshot(self):
        with self.lock:
            return list(self.posts), self.bad_signatures


class Emulator:
    def __init__(self, binary, work, findings, accounts, seed):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(work, "emulator.log"), "ab")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--seed", str(seed), "--accounts", str(accounts),
             "--regions", ",".join(REGIONS), "--findings", str(findings), "--log-level", "warning",
             "--state-file", os.path.join(work, "emulator-state.json")],
            stdout=self.log, stderr=self.log)
        for _ in range(600):
            try:
                self.state()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("the emulator exited at start; see emulator.log")
                time.sleep(0.1)
        raise SystemExit("the emulator did not answer")

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def state(self):
        return self.control("GET", "/_emulator/state")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Daemon:
    """`inspector-sync run`, restarted at will; its output goes to one log file across runs."""

    def __init__(self, binary, config, work):
        self.binary, self.config = binary, config
        self.log = open(os.path.join(work, "daemon.log"), "ab")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("INSPECTOR_SYNC_", "AWS_"))}
        self.env.update(AWS_ACCESS_KEY_ID=ADMIN_KEY, AWS_SECRET_ACCESS_KEY=ADMIN_SECRET, AWS_REGION="us-east-1")
        self.process = None
        self.starts = 0
        self.unexpected_exits = []

    def start(self):
        self.log.write(f"---- start {self.starts + 1} at {time.strftime('%H:%M:%S')}\n".encode())
        self.log.flush()
        self.process = subprocess.Popen([self.binary, "run", "--config", self.config], env=self.env,
                                        stdout=self.log, stderr=self.log)
        self.starts += 1

    def migrate(self):
        subprocess.run([self.binary, "migrate", "--config", self.config], env=self.env, check=True,
                       stdout=self.log, stderr=self.log)

    def kill(self):
        self.process.kill()  # SIGKILL
        self.process.wait()

    def ensure_running(self, context):
        """Restarts the daemon if it exited by itself, recording it: it must never do that."""
        status = self.process.poll()
        if status is not None:
            self.unexpected_exits.append(f"exit status {status} {context}")
            log(f"!! the daemon exited by itself (status {status}) {context}; restarting it")
            self.start()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Expectations:
    """The events the drifts applied so far must have produced: finding events keyed by (arn, type,
    updatedAt in ms) — a finding closed and later reopened has two distinct keys — and coverage
    events counted per (resource, type) over all drifts."""

    def __init__(self):
        self.findings = Counter()
        self.coverage = Counter()
        self.drifts = 0

    def add_drift(self, response):
        now_ms = round(response["now"] * 1000)
        added_findings, added_coverage = [], []
        for kind, items in response["changes"].items():
            if kind in FINDING_EVENTS:
                for arn in items:
                    key = (arn, FINDING_EVENTS[kind], now_ms)
                    self.findings[key] += 1
                    added_findings.append(key)
            elif kind in COVERAGE_EVENTS:
                for resource in items:
                    key = (resource, COVERAGE_EVENTS[kind])
                    self.coverage[key] += 1
                    added_coverage.append(key)
        self.drifts += 1
        return added_findings, added_coverage

    @property
    def count(self):
        return sum(self.findings.values()) + sum(self.coverage.values())


class Drill:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.db = Database(args.database_url)
        self.random = random.Random(args.seed)
        self.expect = Expectations()
        self.kills = 0
        self.restarts = Counter()
        self.mismatches = []
        self.checked = Counter()
        self.calls, self.faults = 0, Counter()
        self.fuzz_lines = []
        self.stall_restarts = 0
        # About 30 changes per drift kind and region whatever the dataset's size: the drills are about
        # interruptions, and a debug build delivers a few dozen webhooks a second.
        self.fraction = round(30 / (args.findings * (args.accounts + 1)), 4)
        self.receiver = Receiver()
        log(f"webhook receiver on 127.0.0.1:{self.receiver.port}"
            + ("" if self.receiver.verifier else " (standardwebhooks not installed: signatures not verified)"))
        log(f"emulator: seed {args.seed}, {args.accounts} members + administrator, {len(REGIONS)} regions, "
            f"{args.findings} findings per account and region")
        self.emulator = Emulator(os.path.join(args.bin_dir, "inspector2-emulator"), self.work, args.findings,
                                 args.accounts, args.seed)
        self.jobs = (args.accounts + 1) * len(REGIONS) * 2
        self.daemon = Daemon(os.path.join(args.bin_dir, "inspector-sync"), self.write_config(), self.work)

    def write_config(self):
        path = os.path.join(self.work, "config.toml")
        with open(path, "w") as f:
            f.write(f"""# Written by scripts/drill: short intervals so a drill takes minutes.
[database]
url = "{self.args.database_url}"
auto_migrate = true
connect_timeout = "3s"

[aws]
regions = {json.dumps(REGIONS)}
endpoint_url = "{self.emulator.url}"
max_attempts = 4
request_timeout = "5s"
max_requests_per_second = 100

[discovery]
mode = "delegated-admin"

[sync]
interval = "2s"
page_size = 50
lease_duration = "3s"
max_backoff = "3s"

[[webhooks]]
name = "drill"
url = "http://127.0.0.1:{self.receiver.port}/hook"
secret = "{WEBHOOK_SECRET}"
format = "cloudevents"
allow_private_networks = true
timeout = "2s"
max_concurrency = 16
retry_schedule = ["0s", "1s", "2s", "3s", "5s", "5s", "10s", "10s", "30s", "30s", "60s", "60s"]

[http]
listen = "off"

[log]
level = "warning"

[shutdown]
grace_period = "5s"
""")
        return path

    # ---- waiting -------------------------------------------------------------------------------

    def backfilled(self):
        rows = self.db.query("SELECT count(*) FROM inspector.sync_state WHERE last_success_at IS NOT NULL")
        return rows is not None and rows[0][0] >= self.jobs

    def missing_events(self, finding_keys, coverage_keys):
        """How many of the given expected events are not in the feed yet."""
        rows = self.db.query("""SELECT finding_arn, event_type, round(extract(epoch FROM occurred_at) * 1000)::bigint
                                FROM inspector.finding_events WHERE event_type LIKE 'finding.%'""")
        cov = self.db.query("""SELECT resource_id, event_type, count(DISTINCT id) FROM inspector.finding_events
                               WHERE event_type LIKE 'coverage.%' GROUP BY 1, 2""")
        if rows is None or cov is None:
            return None
        have = {(a, t, int(ms)) for a, t, ms in rows}
        counts = {(r, t): n for r, t, n in cov}
        missing = sum(1 for key in finding_keys if key not in have)
        missing += sum(1 for key in set(coverage_keys) if counts.get(key, 0) == 0)
        return missing

    def wait_for(self, what, predicate, timeout, record=True):
        started = time.monotonic()
        while time.monotonic() < started + timeout:
            self.daemon.ensure_running(f"while waiting for {what}")
            if predicate():
                log(f"{what}: done after {time.monotonic() - started:.1f} s")
                return True
            time.sleep(0.5)
        if record:
            self.mismatch(f"timed out after {timeout:.0f} s waiting for {what}")
        return False

    def drift(self, fraction, seed):
        response = self.emulator.control("POST", "/_emulator/drift", {"fraction": fraction, "seed": seed})
        findings, coverage = self.expect.add_drift(response)
        kinds = ", ".join(f"{k} {len(v)}" for k, v in response["changes"].items() if v)
        log(f"drift {self.expect.drifts} (fraction {fraction}): {kinds}")
        return findings, coverage

    def wait_for_drift(self, keys, timeout=240, record=True):
        return self.wait_for("the drift's events", lambda: self.missing_events(*keys) == 0, timeout, record)

    def deliveries_settled(self):
        rows = self.db.query("""SELECT (SELECT count(*) FROM inspector.finding_events),
                                       (SELECT count(*) FROM inspector.webhook_deliveries WHERE state = 'succeeded'),
                                       (SELECT count(*) FROM inspector.webhook_deliveries WHERE state <> 'succeeded')""")
        return rows is not None and rows[0][0] == rows[0][1] and rows[0][2] == 0

    def mismatch(self, message):
        self.mismatches.append(message)
        log(f"MISMATCH: {message}")

    # ---- drills --------------------------------------------------------------------------------

    def kill_at_random(self, low=0.3, high=5.0):
        time.sleep(self.random.uniform(low, high))
        self.daemon.ensure_running("before a kill")
        self.daemon.kill()
        self.kills += 1
        self.daemon.start()

    def crash_drill(self, kills, drifts):
        log(f"== crash drill: {kills} SIGKILLs during the backfill, drift syncs and deliveries, each followed by a restart")
        self.daemon.migrate()
        self.daemon.start()
        backfill_kills = max(1, kills // 3)
        for _ in range(backfill_kills):
            if self.backfilled():
                break
            # A restarted daemon waits out the killed one's leases (3 s) before it resumes the backfill.
            self.kill_at_random(1.0, 4.5)
        log(f"{self.kills} kills during the backfill; waiting for it to finish")
        self.wait_for("the backfill", self.backfilled, 600)
        per_drift = max(1, (kills - self.kills) // drifts)
        for number in range(drifts):
            keys = self.drift(self.fraction, 100 + number)
            budget = kills - self.kills if number == drifts - 1 else per_drift
            for _ in range(budget):
                self.kill_at_random(0.2, 3.0)
            log(f"{self.kills} kills so far; waiting for the drift's events")
            self.wait_for_drift(keys)
        log("waiting for every delivery (a post in flight at a kill is retried once its lease lapses, ~32 s)")
        self.wait_for("every delivery", self.deliveries_settled, 600)
        self.check("crash drill")

    def pg_ctl(self, mode):
        command = [os.path.join(self.args.pg_bindir, "pg_ctl"), "-D", os.path.join(self.args.pg_dir, "data"),
                   "-l", os.path.join(self.args.pg_dir, "server.log"), "-m", mode, "-w", "-t", "60", "restart"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def diagnose_stall(self, mode):
        """The daemon stopped making progress after a restart: say what it looks like, then restart it
        (counted) so the drill can go on and check that nothing was lost."""
        connections = self.db.query("""SELECT count(*) FROM pg_stat_activity
                                       WHERE datname = current_database() AND pid <> pg_backend_pid()""")[0][0]
        stuck = self.db.query("""SELECT job || ' ' || account_id || '/' || region
                                  FROM inspector.sync_state WHERE last_success_at < now() - interval '60 seconds'
                                  ORDER BY 1""")
        self.mismatch(f"the daemon stalled after a {mode} restart: {connections} database connections open, "
                      f"{len(stuck)} of {self.jobs} jobs without a success for 60 s, nothing logged; restarting it")
        self.stall_restarts += 1
        self.daemon.stop()
        self.daemon.start()

    def postgres_drill(self, rounds):
        log(f"== PostgreSQL drill: {rounds} fast and {rounds} immediate restarts while the daemon syncs a drift and delivers")
        number = 0
        for mode in ["fast", "immediate"] * rounds:
            number += 1
            keys = self.drift(self.fraction * 1.5, 200 + number)
            time.sleep(self.random.uniform(0.2, 1.5))
            started = time.monotonic()
            self.pg_ctl(mode)
            self.restarts[mode] += 1
            log(f"PostgreSQL restarted ({mode} shutdown) in {time.monotonic() - started:.1f} s")
            if not self.wait_for_drift(keys, timeout=120, record=False):
                self.diagnose_stall(mode)
                self.wait_for_drift(keys)
        self.wait_for("every delivery", self.deliveries_settled, 600)
        self.check("PostgreSQL drill")

    def fault_drill(self, drifts, minimum_seconds):
        rates = {"throttleRate": 0.06, "errorRate": 0.05, "resetRate": 0.03, "slowRate": 0.03, "slowMillis": 1500,
                 "truncateRate": 0.03, "seed": self.args.seed}
        log("== fault drill: the emulator fails 20 % of calls (6 % throttle, 5 % 500, 3 % reset, 3 % slow, 3 % truncated)")
        before = self.emulator.state()
        self.emulator.control("POST", "/_emulator/faults", rates)
        started = time.monotonic()
        for number in range(drifts):
            keys = self.drift(self.fraction, 300 + number)
            self.wait_for_drift(keys, timeout=360)
        # Keep the faults on for a while: every job's cycles (each 2 s) run into them too.
        time.sleep(max(0.0, minimum_seconds - (time.monotonic() - started)))
        after = self.emulator.state()
        self.emulator.control("POST", "/_emulator/faults", {})
        self.calls = sum(after["calls"].values()) - sum(before["calls"].values())
        self.faults = Counter(after.get("faultsInjected", {})) - Counter(before.get("faultsInjected", {}))
        log(f"fault phase: {self.calls} calls, {sum(self.faults.values())} faults injected: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items())))
        self.wait_for("every delivery", self.deliveries_settled, 600)
        self.check("fault drill")

    def fuzz(self, scale):
        """The fuzz tests (Tests/FuzzTests) with `scale` times their default case counts."""
        log(f"== malformed input: the fuzz tests with INSPECTOR_SYNC_FUZZ_CASES={scale}")
        env = dict(os.environ, INSPECTOR_SYNC_FUZZ_CASES=str(scale), INSPECTOR_SYNC_TEST_DATABASE_URL=self.args.server_url)
        result = subprocess.run(["swift", "test", "--skip-build", "--filter", "FuzzTests"] + self.args.swift_test_flags,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("fuzz ")]
        for line in lines:
            log(line)
        if result.returncode != 0 or len(lines) < 4:
            print(result.stdout[-4000:])
            self.mismatch(f"the fuzz tests failed (exit status {result.returncode})")
        self.fuzz_lines = lines

    # ---- checks --------------------------------------------------------------------------------

    def check(self, phase):
        log(f"-- checks after the {phase}")
        before = len(self.mismatches)
        self.check_truth()
        self.check_feed()
        self.check_receiver()
        log(f"-- checks after the {phase}: {len(self.mismatches) - before} mismatches")

    def check_truth(self):
        """(1) The database equals the emulator: every finding's status, severity and updatedAt, and
        the counts per (account, region, status); coverage counts."""
        import boto3
        truth = {}
        for region in REGIONS:
            client = boto3.client("inspector2", region_name=region, endpoint_url=self.emulator.url,
                                  aws_access_key_id=ADMIN_KEY, aws_secret_access_key=ADMIN_SECRET)
            for page in client.get_paginator("list_findings").paginate(PaginationConfig={"PageSize": 100}):
                for f in page["findings"]:
                    truth[f["findingArn"]] = (f["status"], f["severity"], round(f["updatedAt"].timestamp() * 1000))
        stored = {arn: (status, severity, int(ms)) for arn, status, severity, ms in self.db.query(
            """SELECT finding_arn, status, severity, round(extract(epoch FROM updated_at) * 1000)::bigint
               FROM inspector.findings WHERE removed_at IS NULL""")}
        bad = [arn for arn in truth.keys() | stored.keys() if truth.get(arn) != stored.get(arn)]
        for arn in sorted(bad)[:5]:
            self.mismatch(f"finding {arn}: emulator {truth.get(arn)}, database {stored.get(arn)}")
        if len(bad) > 5:
            self.mismatch(f"... and {len(bad) - 5} more findings differ")
        state = self.emulator.state()
        expected_counts = {(a, r, s): n for a, regions in state["findings"].items()
                           for r, statuses in regions.items() for s, n in statuses.items()}
        stored_counts = {(a, r, s): n for a, r, s, n in self.db.query(
            """SELECT account_id, region, status, count(*) FROM inspector.findings WHERE removed_at IS NULL
               GROUP BY 1, 2, 3""")}
        if expected_counts != stored_counts:
            self.mismatch(f"counts per (account, region, status) differ: emulator {expected_counts}, database {stored_counts}")
        coverage = self.db.query("SELECT count(*) FROM inspector.coverage WHERE removed_at IS NULL")[0][0]
        if coverage != state["coverage"]:
            self.mismatch(f"coverage: emulator {state['coverage']} covered resources, database {coverage}")
        self.checked["findings"] = len(truth)
        log(f"(1) database = emulator: {len(truth)} findings (status, severity, updatedAt), "
            f"{len(expected_counts)} (account, region, status) counts, {coverage} coverage rows; {len(bad)} differ")

    def check_feed(self):
        """(2) Every expected event is in the feed exactly once, and nothing else is."""
        rows = self.db.query("""SELECT finding_arn, event_type, round(extract(epoch FROM occurred_at) * 1000)::bigint
                                FROM inspector.finding_events WHERE event_type LIKE 'finding.%'""")
        have = Counter((a, t, int(ms)) for a, t, ms in rows)
        missing = [k for k in self.expect.findings if have[k] < self.expect.findings[k]]
        extra = [k for k in have if have[k] > self.expect.findings.get(k, 0)]
        for key in missing[:5]:
            self.mismatch(f"missing event {key[1]} of {key[0]} at {key[2]} ms")
        for key in extra[:5]:
            self.mismatch(f"event {key[1]} of {key[0]} at {key[2]} ms recorded {have[key]} times, expected {self.expect.findings.get(key, 0)}")
        # Coverage events carry the sync time, not the service's: count them per resource over all drifts,
        # once per scan type the resource has (EC2: package and network, ...).
        cov = self.db.query("""SELECT e.resource_id, e.event_type, e.scan_type, count(*)
                               FROM inspector.finding_events e WHERE e.event_type LIKE 'coverage.%' GROUP BY 1, 2, 3""")
        scan_types = defaultdict(set)
        for resource, scan_type in self.db.query("SELECT resource_id, scan_type FROM inspector.coverage"):
            scan_types[resource].add(scan_type)
        seen = defaultdict(dict)
        for resource, event_type, scan_type, n in cov:
            seen[(resource, event_type)][scan_type] = n
        cov_bad = 0
        for key in self.expect.coverage.keys() | seen.keys():
            want = self.expect.coverage.get(key, 0)
            got = seen.get(key, {})
            if set(got) != (scan_types[key[0]] if want else set()) or any(n != want for n in got.values()):
                cov_bad += 1
                if cov_bad <= 5:
                    self.mismatch(f"coverage events {key[1]} of {key[0]}: {got} per scan type, expected {want} "
                                  f"for each of {sorted(scan_types[key[0]])}")
        duplicates = self.db.query("""SELECT count(*) FROM (SELECT 1 FROM inspector.finding_events
                                      WHERE event_type LIKE 'finding.%' GROUP BY finding_arn, event_type, occurred_at
                                      HAVING count(*) > 1) d""")[0][0]
        if duplicates:
            self.mismatch(f"{duplicates} finding events recorded twice (same finding, type and updatedAt)")
        checked = sum(self.expect.findings.values()) + sum(sum(v.values()) for v in seen.values())
        self.checked["events"] = checked
        log(f"(2) feed: {sum(self.expect.findings.values())} expected finding events and "
            f"{sum(self.expect.coverage.values())} coverage changes from {self.expect.drifts} drifts; "
            f"{len(missing)} missing, {len(extra)} extra or repeated, {cov_bad} coverage mismatches, {duplicates} duplicates")

    def check_receiver(self):
        """(3) The receiver has every event at least once, all posts of one event with one webhook-id
        (the one in the outbox), and different events with different ids."""
        events = {str(i): t for i, t in self.db.query("SELECT id, event_type FROM inspector.finding_events")}
        outbox = {str(e): w for e, w in self.db.query("SELECT event_id, webhook_id FROM inspector.webhook_deliveries")}
        posts, bad_signatures = self.receiver.snapshot()
        ids_per_event = defaultdict(set)
        events_per_id = defaultdict(set)
        for webhook_id, event_id, _ in posts:
            ids_per_event[event_id].add(webhook_id)
            events_per_id[webhook_id].add(event_id)
        never = [e for e in events if e not in ids_per_event]
        split = [e for e, ids in ids_per_event.items() if len(ids) != 1 or outbox.get(e) not in ids]
        shared = [w for w, es in events_per_id.items() if len(es) != 1]
        unknown = [e for e in ids_per_event if e not in events]
        for message, items in [("events never received", never), ("events with several or unexpected webhook-ids", split),
                               ("webhook-ids shared by several events", shared), ("posts of unknown events", unknown)]:
            if items:
                self.mismatch(f"{len(items)} {message}: {sorted(items)[:5]}")
        if bad_signatures:
            self.mismatch(f"{bad_signatures} posts failed the Standard Webhooks signature check")
        self.checked["posts"] = len(posts)
        self.checked["events_delivered"] = len(events) - len(never)
        log(f"(3) receiver: {len(posts)} posts for {len(events)} events ({len(posts) - len(ids_per_event)} redeliveries), "
            f"{len(never)} never received, {len(split)} with a second webhook-id, {len(shared)} ids shared, "
            f"{bad_signatures} bad signatures")

    # ---- main ----------------------------------------------------------------------------------

    def run(self):
        short = self.args.short
        started = time.monotonic()
        try:
            self.crash_drill(kills=5 if short else 30, drifts=2 if short else 4)
            self.postgres_drill(rounds=1 if short else 3)
            self.fault_drill(drifts=1 if short else 3, minimum_seconds=30 if short else 120)
        finally:
            self.daemon.stop()
            self.emulator.stop()
        if self.args.fuzz_cases:
            self.fuzz(self.args.fuzz_cases)
        for exit_note in self.daemon.unexpected_exits:
            self.mismatch(f"the daemon exited by itself: {exit_note}")
        self.print_table(time.monotonic() - started)
        return 1 if self.mismatches else 0

    def print_table(self, seconds):
        faults = sum(self.faults.values())
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
        rows = [
            ("daemon SIGKILLs survived (each followed by a restart)", f"{self.kills}"),
            ("PostgreSQL restarts under load", f"{sum(self.restarts.values())} ({self.restarts['fast']} fast, {self.restarts['immediate']} immediate)"),
            ("emulator faults injected (20 % of calls)", f"{faults} of {self.calls} calls ({kinds})"),
            ("drifts applied", f"{self.expect.drifts}"),
            ("findings compared with the emulator", f"{self.checked['findings']}"),
            ("events checked exactly once in the feed", f"{self.checked['events']}"),
            ("events received by the webhook receiver", f"{self.checked['events_delivered']} in {self.checked['posts']} posts"),
            ("unexpected daemon exits", f"{len(self.daemon.unexpected_exits)}"),
            ("daemon stalls after a PostgreSQL restart (restarted)", f"{self.stall_restarts}"),
        ] + [
            (f"fuzz: {line.split(':')[0][5:]}", re.sub(r" \([^)]*\)", "", line.split(": ", 1)[1])) for line in self.fuzz_lines
        ] + [
            ("mismatches", f"{len(self.mismatches)}"),
        ]
        width = max(len(r[0]) for r in rows)
        print()
        print(f"drill ({'short' if self.args.short else 'full'}, {seconds / 60:.1f} min)".ljust(width) + " | result")
        print("-" * width + "-|-" + "-" * 40)
        for name, value in rows:
            print(f"{name.ljust(width)} | {value}")
        for message in self.mismatches:
            print(f"  mismatch: {message}")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops the daemon and the emulator
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--short", action="store_true", help="the CI form: 5 kills, 2 restarts, a short fault phase")
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pg-dir", required=True, help="the throwaway cluster's directory (data/, server.log)")
    parser.add_argument("--pg-bindir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--findings", type=int, default=None, help="findings per account and region")
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--fuzz-cases", type=int, default=0, help="run the fuzz tests with this many times their cases")
    parser.add_argument("--server-url", default="", help="the cluster's URL for the fuzz tests' databases")
    parser.add_argument("--swift-test-flags", nargs="*", default=[])
    args = parser.parse_args()
    if args.findings is None:
        args.findings = 300 if args.short else 1500
    sys.exit(Drill(args).run())


if __name__ == "__main__":
    main()
