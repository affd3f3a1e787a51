#!/usr/bin/env python3
"""Writes Tests/AWSSigningTests/Resources/botocore-vectors.json: SigV4 reference signatures made by
botocore's own SigV4Auth (the signer every AWS CLI/boto3 call uses), for the Swift signer tests.

Requests come from two places:
  * the real boto3 inspector2 client (its serializer decides paths, query strings and bodies),
    captured just before sending, then re-signed here with a fixed clock (and checked against the
    signature the client itself produced);
  * hand-built AWSRequests for edge cases (unicode, dot segments, repeated keys, odd whitespace).

Run: python3 scripts/gen-sigv4-vectors.py   (needs boto3/botocore; no network)
"""
import base64
import copy
import datetime
import json
import os
import sys

import boto3
import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

FIXED = datetime.datetime(2026, 11, 25, 12, 34, 56, tzinfo=datetime.timezone.utc)
botocore.auth.get_current_datetime = lambda *a, **k: FIXED

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+test/token=="
ARN = "arn:aws:inspector2:us-east-1:123456789012:finding/0123456789abcdef0123456789abcdef"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AWSSigningTests", "Resources", "botocore-vectors.json")

STRIP = {"authorization", "x-amz-date", "x-amz-security-token"}


def vector(name, request, credentials, region, service):
    """Signs a copy of `request` with SigV4Auth and records input and every intermediate string."""
    unsigned = copy.deepcopy(request)
    for key in list(unsigned.headers.keys()):
        if key.lower() in STRIP:
            del unsigned.headers[key]
    signed = copy.deepcopy(unsigned)
    auth = botocore.auth.SigV4Auth(credentials, service, region)
    auth.add_auth(signed)
    # Recompute the intermediate strings on the signed request (add_auth set the context timestamp).
    without_auth = copy.deepcopy(signed)
    del without_auth.headers["Authorization"]
    canonical = auth.canonical_request(without_auth)
    sts = auth.string_to_sign(without_auth, canonical)
    assert signed.headers["Authorization"].endswith("Signature=" + auth.signature(sts, without_auth)), name
    body = unsigned.body if unsigned.body is not None else (unsigned.data or b"")
    if isinstance(body, str):
        body = body.encode("utf-8")
    return {
        "name": name,
        "service": service,
        "region": region,
        "accessKeyId": credentials.access_key,
        "secretAccessKey": credentials.secret_key,
        "sessionToken": credentials.token,
        "date": FIXED.strftime("%Y%m%dT%H%M%SZ"),
        "method": unsigned.method,
        "url": unsigned.url,
        "headers": [[k, v] for k, v in unsigned.headers.items()],
        "bodyBase64": base64.b64encode(body).decode("ascii"),
        "expected": {
            "canonicalRequest": canonical,
            "stringToSign": sts,
            "authorization": signed.headers["Authorization"],
            "amzDate": signed.headers["X-Amz-Date"],
            "securityToken": signed.headers.get("X-Amz-Security-Token"),
        },
    }


def client_vectors():
    captured = []

    def capture(request, **kwargs):
        captured.append(request)
        return AWSResponse(request.url, 200, {"Content-Type": "application/json"}, RawBody(b"{}"))

    class RawBody:
        def __init__(self, data):
            self.data = data

        def stream(self, **kwargs):
            yield self.data

    out = []
    cases = [
        ("inspector2-list-findings", "us-east-1", None, "list_findings", dict(
            maxResults=100,
            filterCriteria={"findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}],
                            "title": [{"comparison": "PREFIX", "value": "CVE-2024 – ünïcode ✓"}]},
            sortCriteria={"field": "LAST_OBSERVED_AT", "sortOrder": "DESC"})),
        ("inspector2-list-findings-session-token", "eu-west-1", SESSION_TOKEN, "list_findings", dict(
            maxResults=50, nextToken="abc/def+ghi==")),
        ("inspector2-list-tags-arn-path", "us-east-1", None, "list_tags_for_resource", dict(resourceArn=ARN)),
        ("inspector2-untag-repeated-query", "us-east-1", None, "untag_resource", dict(
            resourceArn=ARN, tagKeys=["zeta", "alpha", "with space", "ünï", "a=b&c"])),
        ("inspector2-untag-session-token", "ap-southeast-2", SESSION_TOKEN, "untag_resource", dict(
            resourceArn="arn:aws:inspector2:ap-southeast-2:123456789012:filter/a b", tagKeys=["k1", "k1"])),
        ("inspector2-tag-resource-unicode", "us-east-1", None, "tag_resource", dict(
            resourceArn=ARN, tags={"Owner": "Zoë", "emoji": "🚀", "quote": "\"x\""})),
        ("inspector2-batch-get-finding-details", "us-west-2", None, "batch_get_finding_details", dict(findingArns=[ARN])),
        ("inspector2-list-coverage", "us-east-1", SESSION_TOKEN, "list_coverage", dict(
            filterCriteria={"resourceType": [{"comparison": "EQUALS", "value": "AWS_ECR_CONTAINER_IMAGE"}]})),
        ("inspector2-batch-get-account-status", "us-east-1", None, "batch_get_account_status", dict(accountIds=["123456789012"])),
        ("inspector2-list-members", "us-east-1", None, "list_members", dict(onlyAssociated=True, maxResults=10)),
        ("inspector2-get-findings-report-status", "us-east-1", None, "get_findings_report_status", dict(reportId="r-1")),
        ("inspector2-list-account-permissions", "il-central-1", None, "list_account_permissions", dict(service="ECR")),
    ]
    for name, region, token, op, params in cases:
        credentials = Credentials(ACCESS_KEY, SECRET_KEY, token)
        client = boto3.client("inspector2", region_name=region, aws_access_key_id=ACCESS_KEY,
                              aws_secret_access_key=SECRET_KEY, aws_session_token=token)
        client.meta.events.register("before-send", capture)
        captured.clear()
        getattr(client, op)(**params)
        request = captured[-1]
        sent = request.headers["Authorization"]
        sent = sent.decode() if isinstance(sent, bytes) else sent
        # Headers botocore adds after signing (amz-sdk-*, Content-Length) are dropped; User-Agent,
        # which the signer must skip, stays.
        signed_names = set(sent.split("SignedHeaders=")[1].split(",")[0].split(";")) | {"user-agent"}
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()
                   if k.lower() in signed_names}
        as_aws = AWSRequest(method=request.method, url=request.url, headers=headers, data=request.body)
        v = vector(name, as_aws, credentials, region, "inspector2")
        if v["expected"]["authorization"] != sent:
            sys.exit(f"{name}: re-signed request differs from what the client sent:\n{sent}\n{v['expected']['authorization']}")
        out.append(v)
    return out


def manual_vectors():
    cred = Credentials(ACCESS_KEY, SECRET_KEY)
    cred_token = Credentials("ASIAEXAMPLE", SECRET_KEY, SESSION_TOKEN)
    host = "inspector2.us-east-1.amazonaws.com"
    cases = [
        ("manual-dot-segments-and-slashes", "GET", f"https://{host}//a/./b/../c//d/", {}, b"", cred),
        ("manual-encoded-path-double-encoded", "GET", f"https://{host}/tags/arn%3Aaws%3Ainspector2%3Aus-east-1%3A1%3Afilter%2Fx%20y", {}, b"", cred),
        ("manual-unicode-path-encoded", "GET", f"https://{host}/%E2%9C%93/%C3%BC", {}, b"", cred),
        ("manual-repeated-query-unsorted", "GET", f"https://{host}/x?b=2&a=3&a=1&a=2&c=&%E2%9C%93=%20", {}, b"", cred),
        ("manual-header-whitespace", "POST", f"https://{host}/findings/list",
         {"Content-Type": "application/json", "X-Custom": "  a   b \t c  ", "X-Empty": "", "User-Agent": "ignored/1.0"},
         b'{"maxResults": 1}', cred_token),
        ("manual-content-sha256-header", "POST", f"https://{host}/findings/list",
         {"Content-Type": "application/json", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}, b'{"a":1}', cred),
        ("manual-sts-assume-role", "POST", "https://sts.eu-central-1.amazonaws.com/",
         {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
         b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fsync&RoleSessionName=s&ExternalId=ext",
         cred),
        ("manual-port-in-host", "POST", "http://127.0.0.1:4566/findings/list", {"Content-Type": "application/json"}, b"{}", cred),
    ]
    out = []
    for name, method, url, headers, body, credentials in cases:
        region = "eu-central-1" if "sts." in url else "us-east-1"
        service = "sts" if "sts." in url else "inspector2"
        request = AWSRequest(method=method, url=url, headers=headers, data=body)
        # botocore takes the Host header from the URL at signing time; record it so the input is explicit.
        request.headers["Host"] = botocore.auth._host_from_url(url)
        out.append(vector(name, request, credentials, region, service))
    return out


def main():
    vectors = client_vectors() + manual_vectors()
    doc = {
        "generator": "scripts/gen-sigv4-vectors.py",
        "botocore": botocore.__version__,
        "vectors": vectors,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    print(f"wrote {len(vectors)} vectors to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
