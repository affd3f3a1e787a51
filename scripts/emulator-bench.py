#!/usr/bin/env python3
"""Pages through ListFindings (maxResults 100) on a running emulator with N keep-alive connections
and prints pages/s and findings/s. Usage: scripts/emulator-bench.py http://127.0.0.1:4566 [connections] [region]"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url = urllib.parse.urlparse(sys.argv[1])
connections = int(sys.argv[2]) if len(sys.argv) > 2 else 2
region = sys.argv[3] if len(sys.argv) > 3 else "us-east-1"
auth = f"AWS4-HMAC-SHA256 Credential=AKIDEMULATORADMIN/20260101/{region}/inspector2/aws4_request, SignedHeaders=host, Signature=0"
totals = {"pages": 0, "findings": 0, "bytes": 0}
lock = threading.Lock()


def worker(index):
    conn = http.client.HTTPConnection(url.hostname, url.port)
    # Each worker pages a different query (its own filter) so the work is not one shared cursor.
    body = {"maxResults": 100, "filterCriteria": {"findingType": [{"comparison": "NOT_EQUALS", "value": f"NONE{index}"}]}}
    pages = findings = size = 0
    while True:
        conn.request("POST", "/findings/list", json.dumps(body), {"Authorization": auth, "Content-Type": "application/json"})
        data = conn.getresponse().read()
        # Light client-side work (no full JSON parse) so the emulator, not the client, is measured.
        pages += 1
        findings += data.count(b'"findingArn"')
        size += len(data)
        mark = data.rfind(b'"nextToken":"')
        if mark < 0:
            break
        body["nextToken"] = data[mark + 13:data.index(b'"', mark + 13)].decode()
    with lock:
        totals["pages"] += pages
        totals["findings"] += findings
        totals["bytes"] += size


start = time.perf_counter()
threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
print(json.dumps({"connections": connections, "seconds": round(elapsed, 2), "pages": totals["pages"], "findings": totals["findings"],
                  "pages_per_s": round(totals["pages"] / elapsed, 1), "findings_per_s": round(totals["findings"] / elapsed),
                  "MB_per_s": round(totals["bytes"] / elapsed / 1e6, 1)}))
