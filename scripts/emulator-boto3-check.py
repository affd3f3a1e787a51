#!/usr/bin/env python3
"""Drive all 30 Inspector v2 actions of the seed (plus STS AssumeRole) through boto3 against a running
inspector2-emulator, using botocore's own paginators, then list findings with the aws CLI.

Usage: scripts/emulator-boto3-check.py http://127.0.0.1:4566 [--skip-cli]
Exit status 0 when every call parsed and every check held; prints one line per check.
"""
import json
import os
import subprocess
import sys
import urllib.request

import boto3
from botocore.config import Config

ACCESS_KEY = os.environ.get("EMULATOR_ACCESS_KEY", "AKIDEMULATORADMIN")
SECRET_KEY = os.environ.get("EMULATOR_SECRET_KEY", "emulator/admin/secret/key/0123456789abcd")
REGION = os.environ.get("EMULATOR_REGION", "us-east-1")


def main():
    endpoint = sys.argv[1]
    skip_cli = "--skip-cli" in sys.argv
    state = json.load(urllib.request.urlopen(endpoint + "/_emulator/state"))
    admin = state["adminAccountId"]
    members = state["memberAccountIds"]
    cfg = Config(retries={"max_attempts": 1})
    session = boto3.session.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION)
    c = session.client("inspector2", endpoint_url=endpoint, config=cfg)
    called = set()

    def call(_op, **kw):
        called.add(_op)
        method = getattr(c, "_".join(w.lower() for w in __import__("re").findall("[A-Z][a-z]*", _op)))
        return method(**kw)

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            global failed
            failed = True

    # Findings through botocore's paginator: every page parses, no duplicate ARN.
    arns = []
    active = []
    for page in c.get_paginator("list_findings").paginate(PaginationConfig={"PageSize": 100}):
        arns += [f["findingArn"] for f in page["findings"]]
        active += [f["findingArn"] for f in page["findings"] if f["status"] == "ACTIVE"]
    called.add("ListFindings")
    expected = sum(v.get("ACTIVE", 0) + v.get("CLOSED", 0) + v.get("SUPPRESSED", 0)
                   for acct in state["findings"].values() for r, v in acct.items() if r == REGION)
    check(len(arns) == len(set(arns)) == expected, f"ListFindings paginator: {len(arns)} findings, {expected} expected, unique")
    crit = list(c.get_paginator("list_findings").paginate(filterCriteria={"severity": [{"comparison": "EQUALS", "value": "CRITICAL"}]}, sortCriteria={"field": "INSPECTOR_SCORE", "sortOrder": "DESC"}))
    scores = [f.get("inspectorScore", 0) for p in crit for f in p["findings"]]
    check(scores == sorted(scores, reverse=True) and all(f["severity"] == "CRITICAL" for p in crit for f in p["findings"]), "ListFindings filter+sort")
    cov = [r for p in c.get_paginator("list_coverage").paginate() for r in p["coveredResources"]]
    called.add("ListCoverage")
    check(len(cov) > 0, f"ListCoverage paginator: {len(cov)} covered resources")
    stats = [p for p in c.get_paginator("list_coverage_statistics").paginate(groupBy="RESOURCE_TYPE")]
    called.add("ListCoverageStatistics")
    check(stats[0]["totalCounts"] == len(cov), "ListCoverageStatistics totalCounts equals ListCoverage")
    for t in ["ACCOUNT", "AMI", "AWS_EC2_INSTANCE", "AWS_ECR_CONTAINER", "FINDING_TYPE", "IMAGE_LAYER", "PACKAGE", "REPOSITORY", "TITLE", "AWS_LAMBDA_FUNCTION", "LAMBDA_LAYER", "CODE_REPOSITORY"]:
        pages = list(c.get_paginator("list_finding_aggregations").paginate(aggregationType=t))
        check(all(p["aggregationType"] == t for p in pages), f"ListFindingAggregations {t}: {sum(len(p['responses']) for p in pages)} groups")
    called.add("ListFindingAggregations")
    ms = [m for p in c.get_paginator("list_members").paginate() for m in p["members"]]
    called.add("ListMembers")
    check(sorted(m["accountId"] for m in ms) == sorted(members), "ListMembers lists the generated members")
    check(call("GetMember", accountId=members[0])["member"]["accountId"] == members[0], "GetMember")
    st = call("BatchGetAccountStatus", accountIds=[admin] + members)
    check(len(st["accounts"]) == len(members) + 1, "BatchGetAccountStatus")
    perms = [p for page in c.get_paginator("list_account_permissions").paginate() for p in page["permissions"]]
    called.add("ListAccountPermissions")
    check(len(perms) > 0, "ListAccountPermissions")
    check(call("Disable", accountIds=[members[0]], resourceTypes=["LAMBDA"])["accounts"][0]["resourceStatus"]["lambda"] == "DISABLED", "Disable")
    check(call("Enable", accountIds=[members[0]], resourceTypes=["LAMBDA"])["accounts"][0]["resourceStatus"]["lambda"] == "ENABLED", "Enable")
    check(call("DisassociateMember", accountId=members[-1])["accountId"] == members[-1], "DisassociateMember")
    check(call("AssociateMember", accountId=members[-1])["accountId"] == members[-1], "AssociateMember")
    check(call("EnableDelegatedAdminAccount", delegatedAdminAccountId=admin)["delegatedAdminAccountId"] == admin, "EnableDelegatedAdminAccount")
    check(call("GetDelegatedAdminAccount")["delegatedAdmin"]["accountId"] == admin, "GetDelegatedAdminAccount")
    das = [d for p in c.get_paginator("list_delegated_admin_accounts").paginate() for d in p["delegatedAdminAccounts"]]
    called.add("ListDelegatedAdminAccounts")
    check(das[0]["accountId"] == admin, "ListDelegatedAdminAccounts")
    check(call("DisableDelegatedAdminAccount", delegatedAdminAccountId=admin)["delegatedAdminAccountId"] == admin, "DisableDelegatedAdminAccount")
    call("EnableDelegatedAdminAccount", delegatedAdminAccountId=admin)
    check("ec2" in call("DescribeOrganizationConfiguration")["autoEnable"], "DescribeOrganizationConfiguration")
    check(call("UpdateOrganizationConfiguration", autoEnable={"ec2": True, "ecr": True, "lambda": True})["autoEnable"]["lambda"] is True, "UpdateOrganizationConfiguration")
    check(len(call("BatchGetFreeTrialInfo", accountIds=[admin])["accounts"]) == 1, "BatchGetFreeTrialInfo")
    totals = [t for p in c.get_paginator("list_usage_totals").paginate() for t in p["totals"]]
    called.add("ListUsageTotals")
    check(len(totals) > 0, "ListUsageTotals")
    # A SUPPRESS filter really suppresses, and un-suppresses when deleted.
    target = active[0]
    farn = call("CreateFilter", name="boto3-check", action="SUPPRESS", filterCriteria={"findingArn": [{"comparison": "EQUALS", "value": target}]}, tags={"owner": "check"})["arn"]
    f = c.list_findings(filterCriteria={"findingArn": [{"comparison": "EQUALS", "value": target}]})["findings"][0]
    check(f["status"] == "SUPPRESSED", "CreateFilter SUPPRESS suppresses the matching finding")
    check(call("UpdateFilter", filterArn=farn, description="updated")["arn"] == farn, "UpdateFilter")
    fl = [x for p in c.get_paginator("list_filters").paginate() for x in p["filters"]]
    called.add("ListFilters")
    check(any(x["arn"] == farn for x in fl), "ListFilters")
    check(call("TagResource", resourceArn=farn, tags={"team": "sec"}) is not None, "TagResource")
    check(call("ListTagsForResource", resourceArn=farn)["tags"].get("team") == "sec", "ListTagsForResource")
    call("UntagResource", resourceArn=farn, tagKeys=["team", "owner"])
    check(call("ListTagsForResource", resourceArn=farn)["tags"] == {}, "UntagResource")
    check(call("DeleteFilter", arn=farn)["arn"] == farn, "DeleteFilter")
    f = c.list_findings(filterCriteria={"findingArn": [{"comparison": "EQUALS", "value": target}]})["findings"][0]
    check(f["status"] == "ACTIVE", "DeleteFilter un-suppresses")
    rid = call("CreateFindingsReport", reportFormat="JSON", s3Destination={"bucketName": "reports", "keyPrefix": "boto3", "kmsKeyArn": "arn:aws:kms:us-east-1:111122223333:key/x"}, filterCriteria={"severity": [{"comparison": "EQUALS", "value": "HIGH"}]})["reportId"]
    check(call("GetFindingsReportStatus", reportId=rid)["status"] in ("IN_PROGRESS", "SUCCEEDED"), "CreateFindingsReport / GetFindingsReportStatus")
    check(call("CancelFindingsReport", reportId=rid)["reportId"] == rid, "CancelFindingsReport")
    # Errors come back as botocore's modeled exceptions.
    try:
        c.list_findings(maxResults=101)
        check(False, "maxResults 101 rejected")
    except c.exceptions.ValidationException as e:
        check(e.response["Error"]["Code"] == "ValidationException", "maxResults 101 -> ValidationException")
    # STS AssumeRole into a member; that member sees only its own findings.
    sts = session.client("sts", endpoint_url=endpoint, config=cfg)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{members[0]}:role/InspectorSync", RoleSessionName="check")["Credentials"]
    mc = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], region_name=REGION).client("inspector2", endpoint_url=endpoint, config=cfg)
    accts = {f["awsAccountId"] for p in mc.get_paginator("list_findings").paginate() for f in p["findings"]}
    check(accts == {members[0]}, "AssumeRole: member sees only its own findings")
    missing = {"AssociateMember", "BatchGetAccountStatus", "BatchGetFreeTrialInfo", "CancelFindingsReport", "CreateFilter", "CreateFindingsReport", "DeleteFilter", "DescribeOrganizationConfiguration", "Disable", "DisableDelegatedAdminAccount", "DisassociateMember", "Enable", "EnableDelegatedAdminAccount", "GetDelegatedAdminAccount", "GetFindingsReportStatus", "GetMember", "ListAccountPermissions", "ListCoverage", "ListCoverageStatistics", "ListDelegatedAdminAccounts", "ListFilters", "ListFindingAggregations", "ListFindings", "ListMembers", "ListTagsForResource", "ListUsageTotals", "TagResource", "UntagResource", "UpdateFilter", "UpdateOrganizationConfiguration"} - called
    check(not missing, f"all 30 actions called (missing: {sorted(missing)})")
    if not skip_cli:
        env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_DEFAULT_REGION=REGION, AWS_PAGER="")
        out = subprocess.run(["aws", "inspector2", "list-findings", "--endpoint-url", endpoint, "--max-items", "5", "--output", "json"], env=env, capture_output=True, text=True, timeout=120)
        ok = out.returncode == 0 and len(json.loads(out.stdout)["findings"]) == 5
        check(ok, "aws inspector2 list-findings --endpoint-url (CLI)" + ("" if ok else f": {out.stderr[-500:]}"))


failed = False
if __name__ == "__main__":
    main()
    sys.exit(1 if failed else 0)
