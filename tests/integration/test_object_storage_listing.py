"""Listing a landing zone on S3 (moto's server, behind a proxy that counts the LIST
requests): cloudFiles.useIncrementalListing lists only the keys after the stream's
cursor (S3 StartAfter) when files arrive in lexical order, and auto falls back to full
listings when they do not, finding a file that arrived out of order within 10 runs."""
import re
import urllib.parse

import pytest

from fault_proxy import FaultProxy
from inlet_testlib import assert_rows_equal, expected_rows, gen_iot, run_inlet_binary
from test_object_storage import bucket_name, deltars_rows, files_loaded


@pytest.fixture
def proxy(s3):
    server = FaultProxy(s3.port)
    yield server
    server.stop()


def upload_day(s3, bucket, paths, day):
    """Files named as writers name them: by date, then a sequence number."""
    for path in paths:
        s3.upload(bucket, f"landing/2026-12-{day:02d}/{path.name}", path)


def lists(proxy, bucket, since=0):
    """The LIST requests of the landing zone in `bucket` from request number `since` on, as
    query dicts (the table and checkpoint in the same bucket are listed too)."""
    found = []
    for method, target, _ in proxy.requests[since:]:
        path, _, query = target.partition("?")
        if method == "GET" and path.rstrip("/") == f"/{bucket}" and "list-type=2" in query:
            fields = dict(urllib.parse.parse_qsl(query))
            if fields.get("prefix", "").startswith("landing"):
                found.append(fields)
    return found


def run(inlet_bin, s3, proxy, bucket, tmp_path, mode):
    args = ["ingest", "--source", f"s3://{bucket}/landing/*/*.json", "--table", f"s3://{bucket}/t",
            "--checkpoint", f"s3://{bucket}/checkpoint", "--option", "cloudFiles.inferColumnTypes=true",
            "--option", f"cloudFiles.schemaLocation=s3://{bucket}/checkpoint",
            "--option", f"cloudFiles.useIncrementalListing={mode}"]
    env = {**s3.env(), "AWS_ENDPOINT_URL": proxy.endpoint, "INLET_CACHE_DIR": str(tmp_path / "cache")}
    since = len(proxy.requests)
    result = run_inlet_binary(inlet_bin, *args, env=env)
    assert result.rc == 0, result.stderr
    return result, lists(proxy, bucket, since)


def test_incremental_listing_lists_only_the_keys_after_the_last_file_taken(inlet_bin, s3, proxy, tmp_path):
    bucket = s3.create_bucket(bucket_name("incr"))
    day1 = gen_iot.generate(tmp_path / "d1", 6, 20)
    upload_day(s3, bucket, day1, 1)
    first, first_lists = run(inlet_bin, s3, proxy, bucket, tmp_path, "true")
    assert files_loaded(first) == 6
    # The first listing walks the prefix: a delimited LIST of landing/, one per day folder.
    assert first_lists and all("start-after" not in q for q in first_lists), first_lists
    assert "files after" not in first.stderr

    day2 = gen_iot.generate(tmp_path / "d2", 3, 20, start_id=10_000, first_file=7)
    upload_day(s3, bucket, day2, 2)
    second, second_lists = run(inlet_bin, s3, proxy, bucket, tmp_path, "true")
    assert files_loaded(second) == 3
    assert re.search(r"listing: 3 files after 's3://[^']+/landing/2026-12-01/iot-0006.json'", second.stderr), \
        second.stderr
    # One flat LIST from the last key taken, instead of one per folder.
    assert len(second_lists) == 1, second_lists
    assert second_lists[0]["start-after"] == "landing/2026-12-01/iot-0006.json", second_lists
    assert "delimiter" not in second_lists[0]
    assert_rows_equal(deltars_rows(s3, f"s3://{bucket}/t"), expected_rows(day1 + day2), "delta-rs on S3")

    third, _ = run(inlet_bin, s3, proxy, bucket, tmp_path, "true")
    assert files_loaded(third) == 0
    assert "listing: 0 files after" in third.stderr and "iot-0009.json" in third.stderr, third.stderr

    # false: always the whole prefix.
    full, full_lists = run(inlet_bin, s3, proxy, bucket, tmp_path, "false")
    assert files_loaded(full) == 0 and "files after" not in full.stderr
    assert len(full_lists) == 3 and all("start-after" not in q for q in full_lists), full_lists


def test_auto_lists_incrementally_only_while_files_arrive_in_order_and_still_finds_a_late_one(
        inlet_bin, s3, proxy, tmp_path):
    bucket = s3.create_bucket(bucket_name("auto"))
    day3 = gen_iot.generate(tmp_path / "d3", 2, 10)
    upload_day(s3, bucket, day3, 3)
    first, _ = run(inlet_bin, s3, proxy, bucket, tmp_path, "auto")
    assert files_loaded(first) == 2 and "files after" not in first.stderr  # nothing to judge the order by
    day4 = gen_iot.generate(tmp_path / "d4", 2, 10, start_id=1_000, first_file=3)
    upload_day(s3, bucket, day4, 4)
    second, _ = run(inlet_bin, s3, proxy, bucket, tmp_path, "auto")
    assert files_loaded(second) == 2 and "files after" not in second.stderr  # a full listing, in order
    third, third_lists = run(inlet_bin, s3, proxy, bucket, tmp_path, "auto")
    assert "listing: 0 files after" in third.stderr and len(third_lists) == 1, third.stderr

    # A late file for an earlier day sorts before the cursor: an incremental listing cannot
    # see it; the full listing auto makes every 10th run does, once, and auto stops listing
    # from the cursor.
    late = gen_iot.generate(tmp_path / "late", 1, 10, start_id=5_000, first_file=9)
    upload_day(s3, bucket, late, 2)
    runs = 0
    while True:
        runs += 1
        result, _ = run(inlet_bin, s3, proxy, bucket, tmp_path, "auto")
        if files_loaded(result) == 1:
            assert "files after" not in result.stderr
            break
        assert "files after" in result.stderr and runs < 10, result.stderr
    assert runs <= 9, runs
    after, _ = run(inlet_bin, s3, proxy, bucket, tmp_path, "auto")
    assert files_loaded(after) == 0 and "files after" not in after.stderr, "no longer ordered: full listings"
    assert_rows_equal(deltars_rows(s3, f"s3://{bucket}/t"), expected_rows(day3 + day4 + late), "delta-rs on S3")
