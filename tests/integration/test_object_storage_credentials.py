"""Credentials as users already have them, on real servers: per-stream --option keys in
Hadoop's spellings (one bucket's own key winning over the general one), an AWS CLI profile
(~/.aws/config and credentials, AWS_PROFILE) giving key, region and endpoint, and an Azure
connection string. A proxy in front of moto records which access key signed each request
(moto accepts any), so the tests see which credentials were used, and every secret is
looked for in everything inlet prints and writes."""
import os
import subprocess

import pytest

from fault_proxy import FaultProxy
from inlet_testlib import assert_rows_equal, expected_rows, gen_iot
from test_object_storage import bucket_name, deltars_rows, files_loaded, upload_landing

GENERAL_SECRET = "general-secret-Qm4Tz81LwP"
LANDING_SECRET = "landing-secret-Vx93kJq2Rd"
PROFILE_SECRET = "profile-secret-Hn5Wc7Yt0B"


@pytest.fixture
def proxy(s3):
    server = FaultProxy(s3.port)
    yield server
    server.stop()


def run_without_cloud_env(inlet_bin, *args, env):
    """inlet with none of the test process's AWS_/AZURE_/GOOGLE_ variables: only `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "AZURE_", "GOOGLE_"))}
    clean.update(env)
    return subprocess.run([str(inlet_bin), *map(str, args)], capture_output=True, text=True, env=clean,
                          timeout=300)


def grep_nowhere(secrets, *folders):
    for secret in secrets:
        found = subprocess.run(["grep", "-rl", secret, *map(str, folders)], capture_output=True, text=True)
        assert found.stdout == "", f"{secret} found in {found.stdout}"


def assert_in_no_object(s3, buckets, secrets):
    for bucket in buckets:
        for key in s3.keys(bucket):
            body = s3.read(bucket, key)
            for secret in secrets:
                assert secret.encode() not in body, (bucket, key)


def stream_args(landing, lake):
    return ["ingest", "--source", f"s3://{landing}/landing/*.json", "--table", f"s3://{lake}/bronze/iot",
            "--checkpoint", f"s3://{lake}/_checkpoints/iot",
            "--option", f"cloudFiles.schemaLocation=s3://{lake}/_checkpoints/iot",
            "--option", "cloudFiles.inferColumnTypes=true"]


def test_per_stream_options_sign_each_bucket_with_its_own_key(inlet_bin, s3, proxy, tmp_path):
    landing, lake = s3.create_bucket(bucket_name("landing")), s3.create_bucket(bucket_name("lake"))
    paths = gen_iot.generate(tmp_path / "local", 3, 100)
    upload_landing(s3, landing, paths)
    options = {"fs.s3a.endpoint": proxy.endpoint, "fs.s3a.connection.ssl.enabled": "false",
               "fs.s3a.path.style.access": "true", "fs.s3a.endpoint.region": "us-east-1",
               "fs.s3a.access.key": "AKIAGENERAL000000001", "fs.s3a.secret.key": GENERAL_SECRET,
               f"fs.s3a.bucket.{landing}.access.key": "AKIALANDING000000001",
               f"fs.s3a.bucket.{landing}.secret.key": LANDING_SECRET}
    args = stream_args(landing, lake)
    for key, value in options.items():
        args += ["--option", f"{key}={value}"]
    cache = tmp_path / "cache"
    run = run_without_cloud_env(inlet_bin, *args, env={"HOME": str(tmp_path), "INLET_CACHE_DIR": str(cache)})
    assert run.returncode == 0, run.stderr
    assert files_loaded(run) == 3
    assert_rows_equal(deltars_rows(s3, f"s3://{lake}/bronze/iot"), expected_rows(paths), "delta-rs")
    # The landing bucket was signed with its own key only, the lake with the general one.
    assert proxy.keys_used(f"^/{landing}") == {"AKIALANDING000000001"}
    assert proxy.keys_used(f"^/{lake}") == {"AKIAGENERAL000000001"}
    secrets = [GENERAL_SECRET, LANDING_SECRET]
    assert not any(secret in run.stdout + run.stderr for secret in secrets)
    assert_in_no_object(s3, [landing, lake], secrets)
    grep_nowhere(secrets, cache)


def test_a_wrong_store_option_is_a_usage_error_that_does_not_repeat_its_value(inlet_bin, tmp_path):
    run = run_without_cloud_env(inlet_bin, "ingest", "--source", "s3://b/landing", "--table", "s3://b/t",
                                "--checkpoint", tmp_path / "c", "--schema", "id BIGINT",
                                "--option", f"fs.s3a.secret.keys={GENERAL_SECRET}", env={"HOME": str(tmp_path)})
    assert run.returncode == 2, run.stderr
    assert "fs.s3a.secret.keys" in run.stderr and GENERAL_SECRET not in run.stderr, run.stderr


def write_profiles(home, endpoint):
    aws = home / ".aws"
    aws.mkdir(parents=True)
    (aws / "config").write_text(f"[default]\nregion = eu-north-1\n\n"
                                f"[profile dev]\nregion = us-east-1\nendpoint_url = {endpoint}\n")
    (aws / "credentials").write_text(f"[dev]\naws_access_key_id = AKIAPROFILEDEV000001\n"
                                     f"aws_secret_access_key = {PROFILE_SECRET}\n")


def test_an_aws_profile_gives_the_key_region_and_endpoint(inlet_bin, s3, proxy, tmp_path):
    home = tmp_path / "home"
    write_profiles(home, proxy.endpoint)
    landing, lake = s3.create_bucket(bucket_name("landing")), s3.create_bucket(bucket_name("lake"))
    paths = gen_iot.generate(tmp_path / "local", 2, 50)
    upload_landing(s3, landing, paths)
    cache = tmp_path / "cache"
    env = {"HOME": str(home), "AWS_PROFILE": "dev", "AWS_ALLOW_HTTP": "true", "INLET_CACHE_DIR": str(cache)}
    run = run_without_cloud_env(inlet_bin, *stream_args(landing, lake), env=env)
    assert run.returncode == 0, run.stderr
    assert files_loaded(run) == 2
    assert proxy.keys_used(f"^/({landing}|{lake})") == {"AKIAPROFILEDEV000001"}
    assert_rows_equal(deltars_rows(s3, f"s3://{lake}/bronze/iot"), expected_rows(paths), "delta-rs")
    assert PROFILE_SECRET not in run.stdout + run.stderr
    assert_in_no_object(s3, [landing, lake], [PROFILE_SECRET])
    grep_nowhere([PROFILE_SECRET], cache)

    show = run_without_cloud_env(inlet_bin, "show", f"s3://{lake}/bronze/iot", "--limit", "1", env=env)
    assert show.returncode == 0, show.stderr


def test_a_profile_that_does_not_exist_fails_naming_it(inlet_bin, s3, proxy, tmp_path):
    home = tmp_path / "home"
    write_profiles(home, proxy.endpoint)
    lake = s3.create_bucket(bucket_name("lake"))
    env = {"HOME": str(home), "AWS_PROFILE": "prod", "AWS_ALLOW_HTTP": "true",
           "AWS_ENDPOINT_URL": proxy.endpoint, "AWS_REGION": "us-east-1"}
    run = run_without_cloud_env(inlet_bin, "show", f"s3://{lake}/t", env=env)
    assert run.returncode != 0
    assert "prod" in run.stderr and "profile" in run.stderr, run.stderr
    assert not proxy.keys_used(f"^/{lake}") - {None}, "nothing may be signed without credentials"


def connection_string(azurite):
    return (f"DefaultEndpointsProtocol=http;AccountName={azurite.ACCOUNT};AccountKey={azurite.KEY};"
            f"BlobEndpoint={azurite.endpoint}/{azurite.ACCOUNT};")


@pytest.mark.parametrize("given_as", ["option", "environment"])
def test_an_azure_connection_string_opens_the_account_it_names(inlet_bin, azurite, tmp_path, given_as):
    container = azurite.create_container(bucket_name("conn"))
    paths = gen_iot.generate(tmp_path / "local", 2, 40)
    for path in paths:
        azurite.upload(container, f"landing/{path.name}", path)
    args = ["ingest", "--source", f"az://{container}/landing", "--table", f"az://{container}/bronze",
            "--checkpoint", f"az://{container}/_checkpoints", "--option",
            f"cloudFiles.schemaLocation=az://{container}/_checkpoints", "--option", "cloudFiles.inferColumnTypes=true"]
    env = {"HOME": str(tmp_path), "INLET_CACHE_DIR": str(tmp_path / "cache")}
    if given_as == "option":
        args += ["--option", f"cloudFiles.connectionString={connection_string(azurite)}"]
    else:
        env["AZURE_STORAGE_CONNECTION_STRING"] = connection_string(azurite)
    run = run_without_cloud_env(inlet_bin, *args, env=env)
    assert run.returncode == 0, run.stderr
    assert files_loaded(run) == 2
    names = azurite.names(container)
    assert "bronze/_delta_log/00000000000000000000.json" in names, names
    assert azurite.KEY not in run.stdout + run.stderr
    for name in names:
        assert azurite.KEY.encode() not in azurite.read(container, name), name
    grep_nowhere([azurite.KEY], tmp_path / "cache")
