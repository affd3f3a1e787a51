"""Process and database plumbing shared by the measurements: the emulator, databases, config files,
and running the daemon with its CPU time and peak RSS taken from wait4()."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psycopg

ADMIN_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIDEMULATORADMIN",
    "AWS_SECRET_ACCESS_KEY": "emulator/admin/secret/key/0123456789abcd",
    "AWS_REGION": "us-east-1",
}
# Standard Webhooks test vector: fine for a local receiver that never checks it.
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
LIB = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "INSPECTOR_SYNC_")) or k == "INSPECTOR_SYNC_TEST_DATABASE_URL"}
    env.pop("INSPECTOR_SYNC_TEST_DATABASE_URL", None)
    env.update(ADMIN_ENV)
    return env


def log(message):
    print(f"  {message}", file=sys.stderr, flush=True)


class Emulator:
    def __init__(self, bin_dir, work, accounts, regions, findings):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.regions = regions
        self.log = open(os.path.join(work, f"emulator-{self.port}.log"), "w")
        self.proc = subprocess.Popen(
            [os.path.join(bin_dir, "inspector2-emulator"), "--port", str(self.port), "--seed", "42",
             "--accounts", str(accounts), "--regions", ",".join(regions), "--findings", str(findings),
             "--log-level", "warning"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 600
        while True:
            try:
                self.state()
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"emulator did not start (see {self.log.name})")
                time.sleep(0.2)

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def state(self):
        return self.control("GET", "/_emulator/state")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()


def create_database(base_url, name):
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


def write_config(path, database_url, emulator, sync=None, webhook=None):
    """The daemon's config for a measurement. The client-side rate limit is raised (AWS's own limits
    do not apply to the emulator) so the daemon, not the limiter, is measured."""
    lines = [
        "[database]", f'url = "{database_url}"', "",
        "[aws]", f"regions = {json.dumps(emulator.regions)}", f'endpoint_url = "{emulator.endpoint}"',
        "max_requests_per_second = 100000", "",
        "[discovery]", 'mode = "delegated-admin"', "",
        "[http]", 'listen = "off"', "",
        "[log]", 'level = "warning"', "",
    ]
    if sync:
        lines += ["[sync]"] + [f"{k} = {json.dumps(v)}" for k, v in sync.items()] + [""]
    if webhook:
        lines += ["[[webhooks]]", 'name = "bench"', f'url = "{webhook["url"]}"', f'secret = "{WEBHOOK_SECRET}"',
                  'format = "cloudevents"', 'events = ["*"]', "allow_private_networks = true",
                  f'max_concurrency = {webhook.get("max_concurrency", 4)}', ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


class Measured:
    """One finished child process: wall seconds, CPU seconds (user + system) and peak RSS."""

    def __init__(self, wall, usage, status, output):
        self.wall = wall
        self.cpu = usage.ru_utime + usage.ru_stime
        self.user = usage.ru_utime
        self.system = usage.ru_stime
        self.peak_rss_mb = usage.ru_maxrss / 1024  # Linux reports kilobytes
        self.status = status
        self.output = output


def measure(argv, env, log_path, timeout=3600):
    """Runs argv to completion; CPU and peak RSS come from wait4() of that very child."""
    with open(log_path, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    with open(log_path) as f:
        output = f.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} exited {proc.returncode}:\n{output[-4000:]}")
    return Measured(wall, usage, proc.returncode, output)


def stop_process(proc, timeout=60):
    """SIGTERM, wait; returns (exit code, rusage) of that child (rusage None when it was reaped already)."""
    if proc.returncode is not None:
        return proc.returncode, None
    proc.send_signal(signal.SIGTERM)
    deadline = time.time() + timeout
    while time.time() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage
        time.sleep(0.05)
    proc.kill()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
