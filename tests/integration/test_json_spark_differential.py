"""Differential corpus (issue 12, Tests, first bullet): awkward NDJSON read by Spark 4.2's JSON
reader and by inlet with the same explicit schema, in PERMISSIVE mode with a corrupt record
column, must give the same rows: the same corrupt set (by _corrupt_record text) and the same
values for the rest (floats normalized so NaN == NaN).  A few cases also compare the inferred
schema.  Known, intended differences are listed in KNOWN_DIFFERENCES with the reason; apparent
inlet bugs are xfail(strict=True) with the reason.  The corpus is generated in code below."""
import json
import math
import subprocess
from pathlib import Path

import pytest

from inlet_testlib import find_inlet_bin, inlet_env

pytestmark = pytest.mark.spark

CORRUPT = "_corrupt_record"


def case(name, lines, schema, options=None):
    return {"name": name, "lines": lines, "schema": schema, "options": options or {}}


def gen_cases():
    c = []
    D = "id BIGINT, a DOUBLE"
    L = "id BIGINT, a BIGINT"
    S = "id BIGINT, a STRING"
    DEC = "id BIGINT, a DECIMAL(38,0)"
    big309 = "1" + "0" * 308
    for typ, sch in (("double", D), ("long", L), ("string", S)):
        for lit, tag in (("1e309", "1e309"), ("-1e309", "m1e309"), ("1e-400", "1em400"),
                         (big309, "int309"), ("9" * 19, "int19"), ("9" * 20, "int20"),
                         ("9" * 38, "int38"), ("9" * 39, "int39"), ("-0", "m0"),
                         ("1.0E+2", "1.0E+2")):
            c.append(case(f"num_{tag}_{typ}", [f'{{"id":1,"a":{lit}}}', '{"id":2,"a":3}'], sch))
    c.append(case("num_int38_decimal", ['{"id":1,"a":' + "9" * 38 + "}"], DEC))
    c.append(case("num_int39_decimal", ['{"id":1,"a":' + "9" * 39 + "}"], DEC))
    for lit in ("NaN", "Infinity", "-Infinity", "+INF", "+Infinity", "-INF"):
        for typ, sch in (("double", D), ("string", S)):
            c.append(case(f"nonnum_{lit}_{typ}", [f'{{"id":1,"a":{lit}}}'], sch))
        c.append(case(f"nonnum_{lit}_disallowed", [f'{{"id":1,"a":{lit}}}'], D,
                      {"allowNonNumericNumbers": "false"}))
    c.append(case("single_quotes", ["{'id':1,'a':'x y'}", "{\"id\":2,'a':\"q\"}"], S))
    c.append(case("single_quotes_disallowed", ["{'id':1,'a':'x'}", '{"id":2,"a":"y"}'], S,
                  {"allowSingleQuotes": "false"}))
    cm = ['{"id":1,/* c */"a":"x"}', '{"id":2,"a":"y"} // tail', '{"id":3,"a":"z"}']
    c.append(case("comments_default", cm, S))
    c.append(case("comments_allowed", cm, S, {"allowComments": "true"}))
    uq = ['{id:1,a:"x"}', '{"id":2,"a":"y"}']
    c.append(case("unquoted_names_default", uq, S))
    c.append(case("unquoted_names_allowed", uq, S, {"allowUnquotedFieldNames": "true"}))
    lz = ['{"id":1,"a":007}', '{"id":2,"a":0.5}', '{"id":3,"a":00.5}']
    c.append(case("leading_zeros_default", lz, D))
    c.append(case("leading_zeros_allowed", lz, D, {"allowNumericLeadingZeros": "true"}))
    be = ['{"id":1,"a":"\\q\\\'x"}', '{"id":2,"a":"ok"}']
    c.append(case("backslash_any_default", be, S))
    c.append(case("backslash_any_allowed", be, S, {"allowBackslashEscapingAnyCharacter": "true"}))
    cc = ['{"id":1,"a":"x\ty"}', '{"id":2,"a":"ok"}']
    c.append(case("control_chars_default", cc, S))
    c.append(case("control_chars_allowed", cc, S, {"allowUnquotedControlChars": "true"}))
    c.append(case("escapes", ['{"id":1,"a":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"}'], S))
    c.append(case("lone_surrogate", ['{"id":1,"a":"\\ud800"}', '{"id":2,"a":"x\\udc00y"}'], S))
    # syntax errors: known field, unknown field (not in schema)
    for tag, bad in (("array", "[1,,2]"), ("object", '{"x":1,}'), ("string", '"ab'),
                     ("literal", '{"x":tru}'), ("nested_array", "[[1],[2,]]")):
        c.append(case(f"syntax_known_{tag}_string", ['{"id":1,"a":%s}' % bad, '{"id":2,"a":"ok"}'], S))
        c.append(case(f"syntax_known_{tag}_long", ['{"id":1,"a":%s}' % bad, '{"id":2,"a":5}'], L))
        c.append(case(f"syntax_unknown_{tag}", ['{"id":1,"u":%s}' % bad, '{"id":2,"u":1}'], "id BIGINT"))
    c.append(case("duplicate_keys", ['{"id":1,"a":"x","a":"y"}'], S))
    c.append(case("trailing_content", ['{"id":1,"a":"x"} {"id":9}', '{"id":2,"a":"y"}x',
                                       '{"id":3,"a":"z"}'], S))
    c.append(case("non_object_lines", ['[1,2]', '42', '"s"', 'null', '[{"id":1,"a":"x"}]',
                                       '{"id":2,"a":"y"}'], S))
    c.append(case("array_of_objects", ['[{"id":1,"a":"x"},{"id":2,"a":"y"}]'], S))
    c.append(case("multiline_single_quotes", ['[', '{"id":1,"a":"x"},', "{'id':2,'a':'y'},", '{"id":3,"a":"z"}', ']'],
                  S, {"multiLine": "true"}))
    c.append(case("multiline_comments", ['{"id":1, /* c */', '"a":"x"} // end'], S,
                  {"multiLine": "true", "allowComments": "true"}))
    c.append(case("multiline_single_quotes_disallowed", ['[', '{"id":1,"a":"x"},', "{'id':2,'a':'y'}", ']'],
                  S, {"multiLine": "true", "allowSingleQuotes": "false"}))
    c.append(case("type_mismatch", ['{"id":"x","a":"y"}', '{"id":2,"a":{"k":1}}'], L))
    c.append(case("struct_field", ['{"id":1,"a":{"x":1,"y":[1,2]}}', '{"id":2,"a":[1]}'],
                  "id BIGINT, a STRUCT<x: BIGINT, y: ARRAY<BIGINT>>"))
    return c


CASES = gen_cases()
assert len(CASES) >= 60

INFER_CASES = [
    case("infer_numbers", ['{"a":1,"b":1.5,"c":"s","d":true,"e":null}', '{"a":2,"b":1e309}'], None),
    case("infer_nested", ['{"s":{"x":1,"y":[1,2]},"arr":[{"k":"v"}]}'], None),
    case("infer_widening", ['{"a":1}', '{"a":1.5}', '{"a":"x"}', '{"b":' + "9" * 20 + "}"], None),
    case("infer_nonnumeric", ['{"a":NaN}', '{"a":1}'], None),
    case("infer_prefers_decimal", ['{"a":1.5,"c":1.50,"d":0.001,"e":12345678901234567890.5,"f":1,"n":1.5e-3,'
                                   '"o":-0.0,"t":1E-40,"u":1.0e1,"v":[1.25]}',
                                   '{"a":22.25,"f":2.5,"p":1.5,"v":[100.125]}', '{"p":100000000000000000000}'],
         None, {"prefersDecimal": "true"}),
    case("infer_drop_null_fields", ['{"h":null,"i":[],"j":{"k":null},"l":[null],"m":{},"s":{"x":null,"y":1}}',
                                    '{"h":null,"q":[{"r":null}],"z":1}'],
         None, {"dropFieldIfAllNull": "true"}),
    case("infer_null_fields", ['{"h":null,"i":[],"j":{"k":null},"l":[null],"m":{},"s":{"x":null,"y":1}}'], None),
    case("infer_array_lines", ['[{"a":1},{"b":"x"}]', '[{"c":1},2]', '[]', '{"d":true}'], None),
]

# Known and intended differences: case name -> why.  Filled from what the runs show.
KNOWN_DIFFERENCES = {
    # A lone surrogate cannot be encoded in UTF-8: inlet writes U+FFFD (the Unicode
    # replacement character), Java's UTF-8 encoder in Spark writes '?'.  Seen in the run:
    # Spark gives '?' and 'x?y', inlet '\ufffd' and 'x\ufffdy'.
    "lone_surrogate": {"adjust": lambda rows: [
        {**r, "a": r["a"].replace("?", "\ufffd") if r["a"] else r["a"]} for r in rows]},
    # A value that does not fit its column (1e309 or a 20-digit integer for a BIGINT, a
    # string for a BIGINT, an array for a STRUCT, 39 digits for DECIMAL(38,0)) is a type
    # mismatch in inlet, as in Auto Loader: the column gets null, the record counts in
    # mismatched_values and goes to _rescued_data when there is one. Spark's plain JSON reader
    # marks such a record corrupt. Same rows otherwise: only the corrupt text differs.
    "num_1e309_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_m1e309_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_1em400_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_int309_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_int19_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_int20_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_int38_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_int39_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_1.0E+2_long": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "type_mismatch": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "struct_field": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
    "num_int39_decimal": {"adjust": lambda rows: sort_rows([{**r, "_corrupt_record": None} for r in rows])},
}

# Differences kept on purpose or not resolved yet: case name -> reason (xfail strict, so a
# change in either reader's behaviour shows up).  "intended:" ones are inlet's choice and
# documented; "open:" ones are still to be done.
INLET_DIFFERENCES = {
    'comments_default': "intended: content after the record's object ('// tail') makes the record malformed in "
                        "inlet; Spark (Jackson) reads the first value of the line and drops the rest unseen",
    'trailing_content': 'intended: content after the first object makes the line malformed in inlet; Spark '
                        'loads the first object and drops the rest unseen',
    'syntax_known_object_string': 'intended: a malformed record is a row of nulls with its text (README, Bad '
                                  'input); Spark keeps the fields parsed before the error (id=1)',
    'syntax_known_literal_string': 'intended: as syntax_known_object_string',
    'multiline_single_quotes_disallowed': 'intended: in a multiLine array inlet loads the elements before a '
                                          'syntax error and makes the rest one malformed record (README, Not '
                                          'supported yet); Spark makes the whole file one corrupt record',
}


def norm(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        return v
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if hasattr(v, "asDict"):  # a Spark Row (a tuple): before the tuple branch
        return norm(v.asDict(recursive=True))
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    try:
        import decimal
        if isinstance(v, decimal.Decimal):
            return str(v)
    except ImportError:
        pass
    return v


def sort_rows(rows):
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def write_case(root, cs):
    src = root / cs["name"] / "src"
    src.mkdir(parents=True)
    (src / "data.json").write_bytes(("\n".join(cs["lines"]) + "\n").encode("utf-8"))
    return src


def column_names(ddl):
    from pyspark.sql.types import StructType
    return [f.name for f in StructType.fromDDL(ddl).fields]


def run_inlet(cs, src):
    root = src.parent
    args = [str(find_inlet_bin()), "ingest", "--source", f"{src}/*.json", "--table", root / "t",
            "--checkpoint", root / "c", "--option", f"columnNameOfCorruptRecord={CORRUPT}"]
    if cs["schema"] is None:
        args += ["--option", f"cloudFiles.schemaLocation={root / 'c'}",
                 "--option", "cloudFiles.inferColumnTypes=true"]
    else:
        args += ["--schema", cs["schema"], "--option", "cloudFiles.schemaEvolutionMode=none"]
    for k, v in cs["options"].items():
        args += ["--option", f"{k}={v}"]
    return subprocess.Popen(list(map(str, args)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=inlet_env())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, spark):
    root = tmp_path_factory.mktemp("jsondiff")
    results = {}
    procs = {}
    for cs in CASES + INFER_CASES:
        src = write_case(root, cs)
        procs[cs["name"]] = (cs, src, run_inlet(cs, src))
    for name, (cs, src, p) in procs.items():
        out, err = p.communicate(timeout=120)
        results[name] = {"case": cs, "src": src, "rc": p.returncode, "stderr": err}
    return results


def spark_rows(spark, cs, src):
    reader = (spark.read.schema(cs["schema"] + f", {CORRUPT} STRING")
              .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT))
    for k, v in cs["options"].items():
        reader = reader.option(k, v)
    cols = column_names(cs["schema"]) + [CORRUPT]
    return sort_rows([{c: norm(r[c]) for c in cols} for r in reader.json(str(src)).collect()])


def inlet_rows(res):
    from deltalake import DeltaTable
    cs = res["case"]
    assert res["rc"] == 0, res["stderr"]
    cols = column_names(cs["schema"]) + [CORRUPT]
    t = DeltaTable(str(res["src"].parent / "t")).to_pyarrow_table()
    have = t.column_names
    rows = []
    for r in t.to_pylist():
        rows.append({c: norm(r.get(c)) if c in have else None for c in cols})
    return sort_rows(rows)


def params(cases):
    out = []
    for cs in cases:
        marks = []
        if cs["name"] in INLET_DIFFERENCES:
            marks.append(pytest.mark.xfail(strict=True, reason=INLET_DIFFERENCES[cs["name"]]))
        out.append(pytest.param(cs["name"], id=cs["name"], marks=marks))
    return out


@pytest.mark.parametrize("name", params(CASES))
def test_reads_as_spark(corpus, spark, name):
    res = corpus[name]
    cs = res["case"]
    expected = spark_rows(spark, cs, res["src"])
    got = inlet_rows(res)
    if name in KNOWN_DIFFERENCES:
        expected = KNOWN_DIFFERENCES[name]["adjust"](expected)
    assert got == expected, f"inlet {got!r}\nspark {expected!r}"


def spark_type_tree(dt):
    from pyspark.sql.types import StructType, ArrayType
    if isinstance(dt, StructType):
        return [(f.name, spark_type_tree(f.dataType)) for f in dt.fields]
    if isinstance(dt, ArrayType):
        return ("array", spark_type_tree(dt.elementType))
    return dt.simpleString()


def delta_type_tree(t):
    if isinstance(t, str):
        return {"integer": "int", "long": "bigint", "short": "smallint", "byte": "tinyint"}.get(t, t)
    if t["type"] == "struct":
        return [(f["name"], delta_type_tree(f["type"])) for f in t["fields"]]
    if t["type"] == "array":
        return ("array", delta_type_tree(t["elementType"]))
    return str(t)


@pytest.mark.parametrize("name", params(INFER_CASES))
def test_infers_as_spark(corpus, spark, name):
    res = corpus[name]
    assert res["rc"] == 0, res["stderr"]
    df = spark.read.options(**res["case"]["options"]).json(str(res["src"]))
    expected = spark_type_tree(df.schema)
    log = sorted((res["src"].parent / "t" / "_delta_log").glob("*.json"))[0]
    meta = next(json.loads(l)["metaData"] for l in log.read_text().splitlines() if "metaData" in l)
    got = delta_type_tree(json.loads(meta["schemaString"]))
    got = [f for f in got if f[0] not in ("_rescued_data", CORRUPT)]  # inlet's own columns
    # spark.read.json adds the corrupt-record column when its sample holds a malformed record;
    # Auto Loader's inference does not (it has the rescued column), nor does inlet's.
    expected = [f for f in expected if f[0] != CORRUPT]
    assert sorted(got) == sorted(expected), f"inlet {sorted(got)!r}\nspark {sorted(expected)!r}"
    # And the same values read with the schema each inferred.
    from deltalake import DeltaTable
    names = [f[0] for f in got]
    spark_values = sort_rows([{c: norm(r[c]) for c in names} for r in df.collect()])
    inlet_values = sort_rows([{c: norm(r[c]) for c in names}
                              for r in DeltaTable(str(res["src"].parent / "t")).to_pyarrow_table().to_pylist()])
    assert inlet_values == spark_values
