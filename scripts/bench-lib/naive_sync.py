"""What a user would write instead of inspector-sync: boto3's ListFindings paginator per region, each
page upserted into one table with psycopg. The baseline of the backfill figure.

Usage: naive_sync.py ENDPOINT DATABASE_URL REGION... (credentials from the environment).
Prints {"findings": n, "seconds": s} on stdout."""
import json
import sys
import time

import boto3
import psycopg

endpoint, database_url, regions = sys.argv[1], sys.argv[2], sys.argv[3:]

start = time.perf_counter()
total = 0
with psycopg.connect(database_url) as conn:
    conn.execute("""
        CREATE TABLE IF NOT EXISTS naive_findings (
            arn text PRIMARY KEY, account_id text, region text, severity text, status text,
            title text, updated_at timestamptz, raw jsonb)""")
    conn.commit()
    for region in regions:
        client = boto3.client("inspector2", region_name=region, endpoint_url=endpoint)
        for page in client.get_paginator("list_findings").paginate(maxResults=100):
            rows = [(f["findingArn"], f["awsAccountId"], region, f["severity"], f["status"], f.get("title"),
                     f["updatedAt"], json.dumps(f, default=str)) for f in page["findings"]]
            with conn.cursor() as cur:
                cur.executemany("""
                    INSERT INTO naive_findings (arn, account_id, region, severity, status, title, updated_at, raw)
                    VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
                    ON CONFLICT (arn) DO UPDATE SET severity = excluded.severity, status = excluded.status,
                        title = excluded.title, updated_at = excluded.updated_at, raw = excluded.raw""", rows)
            conn.commit()
            total += len(rows)
print(json.dumps({"findings": total, "seconds": time.perf_counter() - start}))
