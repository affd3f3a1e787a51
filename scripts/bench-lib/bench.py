"""Runs the measurements of scripts/bench against the release binaries, prints the table and writes
the JSON. Started by scripts/bench (which builds and starts PostgreSQL); see its --help."""
import argparse
import datetime
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import measurements  # noqa: E402
from harness import log  # noqa: E402

SECTIONS = ["backfill", "memory", "quiet", "latency", "webhooks"]


def parse():
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="small sizes, for trying it out (about a minute)")
    p.add_argument("--findings", type=int, help="backfill findings in total (default 100000; quick 10000)")
    p.add_argument("--memory-findings", type=int,
                   help="the larger memory run in total findings (default 400000; quick 40000)")
    p.add_argument("--targets", type=int, help="targets of the quiet cycle (default 50)")
    p.add_argument("--latency-seconds", type=float, help="how long the steady load runs (default 30; quick 10)")
    p.add_argument("--rate", type=float, default=100, help="events per second of the steady load (default 100)")
    p.add_argument("--deliveries", type=int, help="webhook deliveries of the throughput run (default 20000; quick 3000)")
    p.add_argument("--webhook-concurrency", default="4,32",
                   help="max_concurrency values of the throughput run (default 4 (the default),32)")
    p.add_argument("--no-naive", action="store_true", help="skip the naive Python baseline (the slowest part)")
    p.add_argument("--only", help=f"comma-separated subset of {','.join(SECTIONS)}")
    p.add_argument("--out", default="bench-results/latest.json")
    p.add_argument("--bin", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    quick = args.quick
    args.findings = args.findings or (10_000 if quick else 100_000)
    args.memory_findings = args.memory_findings or (40_000 if quick else 400_000)
    args.targets = args.targets or 50
    args.latency_seconds = args.latency_seconds or (10 if quick else 30)
    args.deliveries = args.deliveries or (3_000 if quick else 20_000)
    args.only = set(args.only.split(",")) if args.only else set(SECTIONS)
    return args


def verdict(ok):
    return "met" if ok else "MISSED"


def rows(r):
    """(figure, value, target, verdict) rows of the table."""
    out = []
    b = r.get("backfill")
    if b:
        out.append(("backfill: findings/s", f"{b['findings_per_second']:,} ({b['findings']:,} in {b['seconds']} s)", "", ""))
        out.append(("backfill: daemon CPU s / peak RSS", f"{b['cpu_seconds']} s / {b['peak_rss_mb']:.0f} MB", "", ""))
        out.append(("backfill / COPY load time", f"{b['ratio_to_copy']}x (COPY {b['copy_load']['seconds']} s)",
                    "<= 2x (1.5x moonshot)", verdict(b["ratio_to_copy"] <= 2)))
        if "speedup_over_naive" in b:
            n = b["naive_python"]
            out.append(("speed-up over boto3+psycopg script", f"{b['speedup_over_naive']}x ({n['findings_per_second']:,} findings/s)",
                        ">= 10x", verdict(b["speedup_over_naive"] >= 10)))
    m = r.get("memory")
    if m:
        small, large = m["small"], m["large"]
        growth = m["growth_percent"]
        out.append((f"peak RSS at {small['findings']:,} / {large['findings']:,}",
                    f"{small['peak_rss_mb']:.0f} MB / {large['peak_rss_mb']:.0f} MB (+{growth}%)",
                    "< 150 MB, < +20%", verdict(large["peak_rss_mb"] < 150 and small["peak_rss_mb"] < 150 and growth < 20)))
    q = r.get("quiet")
    if q:
        out.append((f"quiet cycle ({q['targets']} targets): API calls/target",
                    f"{q['api_calls_per_target']} ({q['list_findings_per_target']} ListFindings)",
                    "1 ListFindings + coverage pages", verdict(q["list_findings_per_target"] <= 1)))
        out.append(("quiet cycle: daemon CPU s", f"{q['cpu_seconds']} s ({q['seconds']} s wall)", "", ""))
    lat = r.get("latency")
    if lat:
        n, w = lat["notify"], lat["webhook"]
        out.append((f"commit -> NOTIFY p50/p99 @ {lat['achieved_events_per_second']} ev/s",
                    f"{n['p50_ms']} / {n['p99_ms']} ms", "p99 < 50 ms", verdict(n["p99_ms"] is not None and n["p99_ms"] < 50)))
        out.append(("commit -> webhook p50/p99", f"{w['p50_ms']} / {w['p99_ms']} ms", "p99 < 500 ms",
                    verdict(w["p99_ms"] is not None and w["p99_ms"] < 500)))
    for t in r.get("webhooks", []):
        out.append((f"webhook deliveries/s (max_concurrency {t['max_concurrency']})",
                    f"{t['per_second']:,} ({t['succeeded']:,} in {t['seconds']} s)", ">= 1,000/s",
                    verdict(t["per_second"] >= 1000)))
    return out


def table(r):
    data = [("figure", "measured", "target", "")] + rows(r)
    widths = [max(len(str(row[i])) for row in data) for i in range(4)]
    lines = []
    for index, row in enumerate(data):
        lines.append("| " + " | ".join(str(c).ljust(widths[i]) for i, c in enumerate(row)) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main():
    args = parse()
    ctx = measurements.Context(args.bin, args.work, os.environ["INSPECTOR_SYNC_TEST_DATABASE_URL"],
                               os.environ["PG_TMP_DIR"], sys.executable)
    results = {"started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
               "quick": args.quick}
    backfill_url = None
    if "backfill" in args.only or "memory" in args.only or "webhooks" in args.only:
        results["backfill"], backfill_url = measurements.backfill(
            ctx, args.findings, with_naive="backfill" in args.only and not args.no_naive)
    if "memory" in args.only:
        large = measurements.memory(ctx, args.memory_findings)
        small = {k: results["backfill"][k] for k in ("findings", "seconds", "cpu_seconds", "peak_rss_mb")}
        results["memory"] = {"small": small, "large": large,
                             "growth_percent": round((large["peak_rss_mb"] / small["peak_rss_mb"] - 1) * 100, 1)}
    if "quiet" in args.only:
        results["quiet"] = measurements.quiet_cycle(ctx, args.targets)
    if "latency" in args.only:
        results["latency"] = measurements.change_latency(ctx, args.latency_seconds, args.rate)
    if "webhooks" in args.only:
        results["webhooks"] = [measurements.webhook_throughput(ctx, backfill_url, min(args.deliveries, args.findings), int(c))
                               for c in args.webhook_concurrency.split(",")]
    if "backfill" not in args.only:
        results.pop("backfill", None)
    results["table"] = [list(r) for r in rows(results)]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print(table(results))
    log(f"results: {args.out}")


if __name__ == "__main__":
    main()
