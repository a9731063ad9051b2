"""Landing zone, table and schema repository on Azure Blob Storage (Azurite, started by the
`azurite` fixture), through both URI spellings users have: abfss:// and az://."""
import json
import subprocess
import threading
import uuid

import pytest

from inlet_testlib import assert_rows_equal, expected_rows, gen_iot, inlet_env, run_inlet_binary


def container_name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def abfss(azurite, container, path):
    return f"abfss://{container}@{azurite.ACCOUNT}.dfs.core.windows.net/{path}"


def deltars_rows(azurite, table_uri, monkeypatch):
    from deltalake import DeltaTable
    for key, value in azurite.env().items():  # delta-rs's client reads the emulator's address from the environment
        monkeypatch.setenv(key, value)
    rows = DeltaTable(table_uri, storage_options={"AZURE_STORAGE_USE_EMULATOR": "true"}).to_pyarrow_table().to_pylist()
    return sorted(rows, key=lambda r: r["device_id"])


def ingest_args(source, table, checkpoint, schema_location):
    return ["ingest", "--source", source, "--table", table, "--checkpoint", checkpoint,
            "--option", "cloudFiles.inferColumnTypes=true", "--option", f"cloudFiles.schemaLocation={schema_location}"]


@pytest.mark.parametrize("spelling", ["abfss", "az"])
def test_a_stream_on_azure_blob_storage_loads_every_record_once(inlet_bin, azurite, tmp_path, monkeypatch, spelling):
    container = azurite.create_container(container_name("lake"))
    paths = gen_iot.generate(tmp_path / "local", 3, 100)
    for p in paths:
        azurite.upload(container, f"landing/{p.name}", p)
    uri = (lambda path: abfss(azurite, container, path)) if spelling == "abfss" else \
        (lambda path: f"az://{container}/{path}")
    args = ingest_args(uri("landing/*.json"), uri("bronze/iot"), tmp_path / "c", uri("schemas/iot"))
    run = run_inlet_binary(inlet_bin, *args, env=azurite.env())
    assert run.rc == 0, run.stderr
    assert "schemas/iot/_schemas/0" in azurite.names(container)
    again = run_inlet_binary(inlet_bin, *args, env=azurite.env())
    assert again.rc == 0 and "done: 0 batches" in again.stderr, again.stderr
    assert_rows_equal(deltars_rows(azurite, uri("bronze/iot"), monkeypatch), expected_rows(paths), "delta-rs on Azure")
    schema = run_inlet_binary(inlet_bin, "schema", uri("bronze/iot"), env=azurite.env())
    assert schema.rc == 0 and "device_id: long" in schema.stdout, schema.stdout + schema.stderr


def test_a_commit_that_loses_its_version_on_azure_goes_to_the_next(inlet_bin, azurite, tmp_path, monkeypatch):
    """Azure's create-only PUT (If-None-Match: *) answers 409 BlobAlreadyExists to the loser."""
    container = azurite.create_container(container_name("lost"))
    seed = gen_iot.generate(tmp_path / "seed", 1, 1, start_id=900_000)
    paths = gen_iot.generate(tmp_path / "local", 1, 10)
    azurite.upload(container, f"landing-seed/{seed[0].name}", seed[0])
    azurite.upload(container, f"landing/{paths[0].name}", paths[0])
    table = f"az://{container}/t"
    first = run_inlet_binary(inlet_bin, *ingest_args(f"az://{container}/landing-seed", table, tmp_path / "c-seed",
                                                     tmp_path / "c-seed"), env=azurite.env())
    assert first.rc == 0, first.stderr
    release = tmp_path / "release"
    proc = subprocess.Popen([str(inlet_bin), *map(str, ingest_args(f"az://{container}/landing", table, tmp_path / "c",
                                                                   tmp_path / "c"))],
                            env=inlet_env({**azurite.env(), "INLET_TEST_PAUSE_AT": f"after_parquet:{release}"}),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(3000):
        if (tmp_path / "release.reached").exists() or proc.poll() is not None:
            break
        threading.Event().wait(0.01)
    assert (tmp_path / "release.reached").exists(), proc.communicate()
    other = '{"commitInfo":{"operation":"WRITE"}}\n{"txn":{"appId":"another-writer","version":0}}\n'
    azurite.client.get_blob_client(container, "t/_delta_log/00000000000000000001.json").upload_blob(other.encode())
    release.touch()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "table_version=2" in err, err
    assert azurite.read(container, "t/_delta_log/00000000000000000001.json").decode() == other
    log = [n for n in azurite.names(container, "t/_delta_log/") if n.endswith(".json")]
    assert len(log) == 3, log
    assert [json.loads(line)["txn"]["appId"] for line in azurite.read(container, log[2]).decode().splitlines()
            if "txn" in line] != ["another-writer"]
    assert_rows_equal(deltars_rows(azurite, table, monkeypatch), expected_rows(seed + paths), "delta-rs on Azure")
