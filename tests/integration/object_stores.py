"""Local object-store servers for the tests, started and stopped by the test suite itself:
moto's S3 server (PyPI `moto[server]`), which implements conditional PUTs
(`If-None-Match: *`) as S3 does. Nothing here is a mock of inlet's client: inlet talks
HTTP to a real server process."""
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3

# A distinctive secret, so that tests can grep for it in everything inlet writes and prints.
SECRET_ACCESS_KEY = "inlet-test-secret-7Fq2Zr9KxW"
ACCESS_KEY_ID = "AKIAINLETTESTKEY0001"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoS3:
    """`moto_server` on a free loopback port. Its objects live in the server's memory, so it
    is never killed mid-session (SIGSTOP/SIGCONT freeze it instead)."""

    def __init__(self, log_dir):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        moto = Path(sys.executable).with_name("moto_server")
        self.log = open(Path(log_dir) / "moto.log", "w")
        self.proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1)
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start (see {self.log.name})")
                time.sleep(0.1)
        self.client = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                                   aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY)

    def env(self):
        """What a user of an S3-compatible store sets: the AWS SDKs' standard variables."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
                "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": self.endpoint, "AWS_ALLOW_HTTP": "true"}

    def storage_options(self):
        """The same for delta-rs (its S3 options)."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
                "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": self.endpoint, "AWS_ALLOW_HTTP": "true",
                "AWS_S3_ALLOW_UNSAFE_RENAME": "true"}

    def create_bucket(self, name):
        self.client.create_bucket(Bucket=name)
        return name

    def upload(self, bucket, key, path):
        self.client.upload_file(str(path), bucket, key)

    def keys(self, bucket, prefix=""):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def read(self, bucket, key):
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
