#!/usr/bin/env python3
"""Generates Tests/Inspector2ClientTests/ActionFixtures.swift: for each of the 30 seed actions a
request (JSON, decoded into the typed request by the test), the HTTP method/path/query/body keys
the client must send, and a canned response with every member (from botocore's model).
Run: python3 scripts/generate-client-fixtures.py"""
import gzip, json, os, urllib.parse
import botocore

model_path = os.path.join(os.path.dirname(botocore.__file__), "data/inspector2/2020-06-08/service-2.json.gz")
m = json.load(gzip.open(model_path))
shapes = m["shapes"]
ACCOUNT = "111122223333"
FILTER_ARN = "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/filter/f00d"
REPORT = "0b9b5a36-1234-4c1e-9a6b-7f1e2a3b4c5d"

INPUTS = {
    "AssociateMember": {"accountId": ACCOUNT},
    "BatchGetAccountStatus": {"accountIds": [ACCOUNT]},
    "BatchGetFreeTrialInfo": {"accountIds": [ACCOUNT]},
    "CancelFindingsReport": {"reportId": REPORT},
    "CreateFilter": {"action": "SUPPRESS", "name": "low-sev",
                     "filterCriteria": {"severity": [{"comparison": "EQUALS", "value": "LOW"}]}},
    "CreateFindingsReport": {"reportFormat": "JSON",
                             "s3Destination": {"bucketName": "reports", "kmsKeyArn": "arn:aws:kms:us-east-1:111122223333:key/k"}},
    "DeleteFilter": {"arn": FILTER_ARN},
    "DescribeOrganizationConfiguration": {},
    "Disable": {"accountIds": [ACCOUNT], "resourceTypes": ["EC2"]},
    "DisableDelegatedAdminAccount": {"delegatedAdminAccountId": ACCOUNT},
    "DisassociateMember": {"accountId": ACCOUNT},
    "Enable": {"accountIds": [ACCOUNT], "resourceTypes": ["EC2", "ECR"]},
    "EnableDelegatedAdminAccount": {"delegatedAdminAccountId": ACCOUNT},
    "GetDelegatedAdminAccount": {},
    "GetFindingsReportStatus": {"reportId": REPORT},
    "GetMember": {"accountId": ACCOUNT},
    "ListAccountPermissions": {"maxResults": 10, "service": "EC2"},
    "ListCoverage": {"maxResults": 50},
    "ListCoverageStatistics": {"groupBy": "RESOURCE_TYPE"},
    "ListDelegatedAdminAccounts": {"maxResults": 5},
    "ListFilters": {"action": "SUPPRESS"},
    "ListFindingAggregations": {"aggregationType": "ACCOUNT"},
    "ListFindings": {"maxResults": 100,
                     "filterCriteria": {"updatedAt": [{"startInclusive": 1700000000, "endInclusive": 1700003600}]},
                     "sortCriteria": {"field": "SEVERITY", "sortOrder": "DESC"}},
    "ListMembers": {"onlyAssociated": True},
    "ListTagsForResource": {"resourceArn": FILTER_ARN},
    "ListUsageTotals": {"accountIds": [ACCOUNT]},
    "TagResource": {"resourceArn": FILTER_ARN, "tags": {"team": "sec"}},
    "UntagResource": {"resourceArn": FILTER_ARN, "tagKeys": ["team", "env"]},
    "UpdateFilter": {"filterArn": FILTER_ARN, "name": "renamed"},
    "UpdateOrganizationConfiguration": {"autoEnable": {"ec2": True, "ecr": False}},
}

def sample(shape_name, member_name="", depth=0):
    s = shapes[shape_name]
    t = s["type"]
    if t == "structure":
        out = {}
        members = s["members"]
        # Every member, so the canned answers exercise the whole output model (unions: one member).
        names = list(members) if depth < 12 else s.get("required", [])
        if s.get("union"):
            names = [next(iter(members))]
        for n in names:
            if members[n].get("location") in ("header", "statusCode"):
                continue
            out[n] = sample(members[n]["shape"], n, depth + 1)
        return out
    if t == "list":
        return [sample(s["member"]["shape"], member_name, depth + 1)]
    if t == "map":
        return {"k": sample(s["value"]["shape"], member_name, depth + 1)}
    if t == "string":
        if "enum" in s:
            return s["enum"][0]
        low = (shape_name + member_name).lower()
        if "account" in low and "id" in low:
            return ACCOUNT
        if low.endswith("arn") or "arn" in member_name.lower():
            return FILTER_ARN
        return "x"
    if t in ("integer", "long"):
        return 1
    if t in ("double", "float"):
        return 1.5
    if t == "boolean":
        return True
    if t == "timestamp":
        return 1700000000
    raise SystemExit(f"unhandled {shape_name} {t}")

def swift_string(s):
    return '#"' + s + '"#'

entries = []
for op, inp in INPUTS.items():
    o = m["operations"][op]
    ishape = shapes[o["input"]["shape"]] if "input" in o else {"members": {}, "required": []}
    missing = [r for r in ishape.get("required", []) if r not in inp]
    assert not missing, (op, missing)
    method = o["http"]["method"]
    path = o["http"]["requestUri"]
    query = []
    body_keys = []
    for name, mem in ishape["members"].items():
        if name not in inp:
            continue
        loc = mem.get("location")
        if loc == "uri":
            path = path.replace("{" + mem["locationName"] + "}", urllib.parse.quote(inp[name], safe="-._~"))
        elif loc == "querystring":
            vals = inp[name] if isinstance(inp[name], list) else [inp[name]]
            query += [(mem["locationName"], str(v)) for v in vals]
        elif loc is None:
            body_keys.append(name)
    has_body = method not in ("GET", "DELETE")
    # The client fills idempotency tokens in, as the SDKs do.
    body_keys += [n for n, mem in ishape["members"].items() if mem.get("idempotencyToken") and n not in body_keys]
    response = sample(o["output"]["shape"]) if "output" in o else {}
    response.pop("nextToken", None)
    entries.append(
        f'        ActionFixture(\n'
        f'            name: "{op}", method: "{method}", path: {swift_string(path)},\n'
        f'            query: {json.dumps(query).replace("[", "[").replace("]", "]") if query else "[]"},\n'
        f'            bodyKeys: {json.dumps(sorted(body_keys)) if has_body else "nil"},\n'
        f'            input: {swift_string(json.dumps(inp, sort_keys=True))},\n'
        f'            response: {swift_string(json.dumps(response, sort_keys=True))}\n'
        f'        ),'
    )

header = '''// Generated by scripts/generate-client-fixtures.py from botocore's inspector2 model. Do not edit.

/// One action: a request, the HTTP form the client must produce, and a canned answer.
struct ActionFixture: Sendable {
    var name: String
    var method: String
    /// The percent-encoded path.
    var path: String
    var query: [(String, String)]
    /// Top-level JSON members of the body; nil when no body may be sent.
    var bodyKeys: [String]?
    var input: String
    var response: String

    init(name: String, method: String, path: String, query: [[String]], bodyKeys: [String]?, input: String, response: String) {
        self.name = name
        self.method = method
        self.path = path
        self.query = query.map { ($0[0], $0[1]) }
        self.bodyKeys = bodyKeys
        self.input = input
        self.response = response
    }
}

enum ActionFixtures {
    static let all: [ActionFixture] = [
'''
out = header + "\n".join(entries) + "\n    ]\n}\n"
here = os.path.dirname(os.path.abspath(__file__))
dest = os.path.join(here, "..", "Tests", "Inspector2ClientTests", "ActionFixtures.swift")
open(dest, "w").write(out)
print("wrote", len(entries), "fixtures")
