"""Local object-store servers for the tests, started and stopped by the test suite itself:
moto's S3 server (PyPI `moto[server]`), which implements conditional PUTs
(`If-None-Match: *`) as S3 does, and Azurite (npm), Microsoft's Azure Storage emulator.
Nothing here is a mock of inlet's client: inlet talks HTTP to a real server process."""
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3

REPO = Path(__file__).resolve().parents[2]

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


class Azurite:
    """Azurite's blob service on a free loopback port, with its well-known development
    account (devstoreaccount1), data in `data_dir`."""

    ACCOUNT = "devstoreaccount1"
    KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

    def __init__(self, data_dir):
        from azure.storage.blob import BlobServiceClient
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(data_dir) / "azurite.log", "w")
        # --disableTelemetry: Azurite would otherwise try to reach Microsoft's servers.
        self.proc = subprocess.Popen(
            [str(REPO / "node_modules/.bin/azurite-blob"), "--blobHost", "127.0.0.1", "--blobPort", str(self.port),
             "--location", str(Path(data_dir) / "data"), "--silent", "--skipApiVersionCheck", "--disableTelemetry"],
            stdout=self.log, stderr=subprocess.STDOUT)
        connection = (f"DefaultEndpointsProtocol=http;AccountName={self.ACCOUNT};AccountKey={self.KEY};"
                      f"BlobEndpoint={self.endpoint}/{self.ACCOUNT};")
        self.client = BlobServiceClient.from_connection_string(connection)
        deadline = time.monotonic() + 30
        while True:
            try:
                list(self.client.list_containers())
                break
            except Exception:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Azurite did not start (see {self.log.name})")
                time.sleep(0.2)

    def env(self):
        """For inlet (and delta-rs): the emulator switch of Azure's clients, and where it is."""
        return {"AZURE_STORAGE_USE_EMULATOR": "true", "AZURITE_BLOB_STORAGE_URL": self.endpoint}

    def create_container(self, name):
        self.client.create_container(name)
        return name

    def upload(self, container, name, path):
        with open(path, "rb") as f:
            self.client.get_blob_client(container, name).upload_blob(f)

    def names(self, container, prefix=""):
        return sorted(b.name for b in self.client.get_container_client(container).list_blobs(name_starts_with=prefix))

    def read(self, container, name):
        return self.client.get_blob_client(container, name).download_blob().readall()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
