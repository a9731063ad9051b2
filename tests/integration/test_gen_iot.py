# The IoT generator and the bundled examples/iot sample: deterministic, and Spark's own JSON
# inference (what Auto Loader does with inferColumnTypes=true) gives the article's schema.
import filecmp

import pytest

from inlet_testlib import EXPECTED_IOT_TREE, IOT_SCHEMA, REPO, expected_rows, gen_iot, tree_of

EXAMPLES = REPO / "examples" / "iot"
EXAMPLE_FILES = [EXAMPLES / gen_iot.file_name(i) for i in range(1, 5)]


def test_tree_helper_prints_the_expected_schema():
    assert tree_of(IOT_SCHEMA) == EXPECTED_IOT_TREE


def test_examples_are_what_the_generator_makes(tmp_path):
    made = gen_iot.generate(tmp_path, 4, 50, seed=42)
    for ours, bundled in zip(made, EXAMPLE_FILES):
        assert filecmp.cmp(ours, bundled, shallow=False), f"{bundled} differs from generator"


def test_drift_example_is_what_the_generator_makes_with_shape_2(tmp_path):
    [made] = gen_iot.generate(tmp_path, 1, 20, seed=42, start_id=201, first_file=101, shape=2)
    bundled = REPO / "examples" / "iot-drift" / made.name
    assert filecmp.cmp(made, bundled, shallow=False), f"{bundled} differs from generator"


@pytest.mark.spark
def test_spark_infers_the_drifted_shape(spark):
    """Shape 2 drops coordinates/cca*/cn/serial/type columns and adds the seed's new ones."""
    schema = spark.read.json(str(REPO / "examples" / "iot-drift" / "*.json")).schema
    names = [f.name for f in schema.fields]
    for added in ("device_serial_number_device_type", "latitude", "location", "longitude"):
        assert added in names
    assert "coordinates" not in names
    assert schema["humidity"].dataType.simpleString() == "double"
    assert schema["location"].dataType.simpleString() == "struct<cca2:string,cca3:string,cn:string>"


def test_generator_ids_are_contiguous_across_files(tmp_path):
    paths = gen_iot.generate(tmp_path, 3, 10, start_id=101, first_file=7)
    assert [p.name for p in paths] == ["iot-0007.json", "iot-0008.json", "iot-0009.json"]
    assert [r["device_id"] for r in expected_rows(paths)] == list(range(101, 131))


@pytest.mark.spark
def test_spark_infers_the_article_schema_from_every_example_file(spark):
    for path in EXAMPLE_FILES:
        tree = spark.read.json(str(path)).schema.treeString()
        assert tree == EXPECTED_IOT_TREE, f"{path.name} infers\n{tree}"
    assert spark.read.json(str(EXAMPLES / "*.json")).schema.treeString() == EXPECTED_IOT_TREE


@pytest.mark.spark
def test_spark_reads_the_values_python_expects(spark):
    rows = [r.asDict(recursive=True)
            for r in spark.read.json(str(EXAMPLES / "*.json")).orderBy("device_id").collect()]
    assert rows == expected_rows(EXAMPLE_FILES, IOT_SCHEMA)
