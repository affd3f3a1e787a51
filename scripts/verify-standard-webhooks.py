#!/usr/bin/env python3
"""Verifies recorded webhook posts with the reference Standard Webhooks library (PyPI `standardwebhooks`).

Usage: verify-standard-webhooks.py SECRET FILE.jsonl
Each line of FILE is {"headers": {"webhook-id": .., "webhook-timestamp": .., "webhook-signature": ..}, "body": "<utf-8 text>"}.
Prints "verified N" and exits 0 when every post verifies, else names the first failure and exits 1.
The timestamp tolerance of the library (5 minutes) applies: verify right after recording.
"""
import json
import sys

from standardwebhooks.webhooks import Webhook

secret, path = sys.argv[1], sys.argv[2]
webhook = Webhook(secret)
count = 0
with open(path, encoding="utf-8") as f:
    for number, line in enumerate(f, 1):
        if not line.strip():
            continue
        post = json.loads(line)
        try:
            webhook.verify(post["body"], post["headers"])
        except Exception as error:  # the library raises WebhookVerificationError
            print(f"line {number}: {type(error).__name__}: {error}")
            sys.exit(1)
        count += 1
print(f"verified {count}")
