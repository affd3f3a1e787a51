"""The drill's PostgreSQL access: psycopg 3 or psycopg2, whichever is installed (scripts/drill installs
psycopg2-binary when neither is), reconnecting across the server restarts the drill causes."""

import time

try:
    import psycopg as driver
except ImportError:  # pragma: no cover - depends on the machine
    import psycopg2 as driver


class Database:
    def __init__(self, url):
        self.url = url
        self.connection = None

    def query(self, sql, params=None, retry_for=90.0):
        """Rows of one autocommit statement; reconnects and retries while the server is away."""
        deadline = time.monotonic() + retry_for
        while True:
            try:
                if self.connection is None:
                    self.connection = driver.connect(self.url, connect_timeout=3)
                    self.connection.autocommit = True
                with self.connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    return cursor.fetchall()
            except driver.OperationalError:
                self.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
            except driver.InterfaceError:
                self.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - a broken connection may fail to close
                pass
            self.connection = None
