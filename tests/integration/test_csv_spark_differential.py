"""Differential corpus for the CSV source: awkward CSV read by Spark 4.2's CSV reader and by
`inlet ingest --option cloudFiles.format=csv` with the same explicit schema, in PERMISSIVE mode
with a corrupt record column, must give the same rows: the same corrupt set (by
_corrupt_record text) and the same values for the rest (NaN normalized, floats otherwise
compared exactly, timestamps as UTC microseconds, decimals by their text).  A second set of
cases compares the schema inferred with cloudFiles.inferColumnTypes=true with Spark's
inferSchema=true, and the values each reads with its own inferred schema.

Spark: spark.read.options(header=true, mode=PERMISSIVE, columnNameOfCorruptRecord=..., case
options).schema("<ddl>, _corrupt_record STRING").csv(dir).  inlet: `inlet ingest --source
'dir/*.csv' --schema '<ddl>' --option cloudFiles.format=csv --option header=true --option
columnNameOfCorruptRecord=_corrupt_record --option K=V ...` (the corrupt column is not in
--schema: inlet refuses a schema that holds it; inlet.fileSettleTime=0, since some case files
end without a newline), its table read with delta-rs.

Every case is its own test id (`pytest -k <case name>`); only the selected cases are
generated and read.  The corpus is generated in code below: all case files are written first,
then Spark (one session: the `spark` fixture) reads each case and inlet runs once per case.

Without a rescued data column inlet reads CSV as Spark does, so a value that does not convert
makes its record corrupt in both.  Known, intended differences are KNOWN_DIFFERENCES (xfail
strict, with the reason); anything else that differs fails."""
import math
import random
import subprocess
import time
from decimal import Decimal

import pytest

from inlet_testlib import find_inlet_bin, inlet_env

pytestmark = pytest.mark.spark

CORRUPT = "_corrupt_record"
RESCUED = "_rescued_data"


# ---- the corpus ----

def case(name, files, schema, options=None):
    """files: the text of one file data.csv, or a list of texts (part-0.csv, part-1.csv, ...);
    str is written as UTF-8, bytes as they are.  schema: DDL of the data columns (the corrupt
    record column is added for Spark and asked for with columnNameOfCorruptRecord from inlet),
    None for an inference case.  options: CSV options given to both readers (header=true
    unless the case says otherwise)."""
    if isinstance(files, (str, bytes)):
        files = [files]
    return {"name": name, "files": files, "schema": schema, "options": dict(options or {})}


def text(*rows, end="\n"):
    """Rows joined by `end`, with `end` after the last row too."""
    return "".join(r + end for r in rows)


def wide_file(columns, rows, seed, ragged=False):
    rng = random.Random(seed)
    header = ",".join(f"c{i}" for i in range(columns))
    out = [header]
    for r in range(rows):
        vals = []
        for i in range(columns):
            kind = i % 4
            if kind == 0:
                vals.append(str(r * 1000 + i) if rng.random() > 0.05 else "")
            elif kind == 1:
                choice = rng.random()
                if choice < 0.1:
                    vals.append('"x,%d"' % i)
                elif choice < 0.15:
                    vals.append('"q""%d"' % i)
                elif choice < 0.2:
                    vals.append("")
                else:
                    vals.append("s%d_%d" % (r, i))
            elif kind == 2:
                vals.append(repr(round(rng.uniform(-1e6, 1e6), rng.randint(0, 6))))
            else:
                vals.append(rng.choice(["true", "false", ""]))
        if ragged and r == 3:
            vals = vals[: columns // 2]
        if ragged and r == 5:
            vals = vals + ["extra1", "extra2"]
        out.append(",".join(vals))
    return text(*out)


def wide_ddl(columns):
    types = ["INT", "STRING", "DOUBLE", "BOOLEAN"]
    return ", ".join(f"c{i} {types[i % 4]}" for i in range(columns))


def gen_cases():
    c = []
    S = "id INT, a STRING"
    S3 = "id INT, a STRING, b STRING"
    ML = {"multiLine": "true"}

    # -- quoting --
    c.append(case("quoted_basic", text("id,a", '1,"x,y"', '2,"plain"', "3,plain", '4,"a ""b"" c"'), S))
    nl = text("id,a", '1,"line1', 'line2"', "2,z", '3,"a', "", 'b"')
    c.append(case("quoted_newline_singleline", nl, S))
    c.append(case("quoted_newline_multiline", nl, S, ML))
    nl3 = text("id,a,b", '1,"x', 'y",after', '2,"p,', 'q","r', 's"', "3,end,end")
    c.append(case("quoted_newline3_singleline", nl3, S3))
    c.append(case("quoted_newline3_multiline", nl3, S3, ML))
    crlf_nl = text("id,a", '1,"l1', 'l2"', "2,z", end="\r\n")
    c.append(case("quoted_crlf_newline_singleline", crlf_nl, S))
    c.append(case("quoted_crlf_newline_multiline", crlf_nl, S, ML))
    dq = text("id,a", '1,"say ""hi"""', '2,""""', '3,""', '4,"a""""b"', '5,x""y', '6,"""x"""')
    c.append(case("doubled_quotes", dq, S))
    c.append(case("doubled_quotes_multiline", dq, S, ML))
    be = text("id,a", r'1,"a\"b"', r'2,"c\\d"', r'3,"e\\"', r'4,"\"q\""', r'5,"x\ny"', r'6,"t\tz"')
    c.append(case("backslash_escape", be, S))
    c.append(case("backslash_escape_multiline", be, S, ML))
    c.append(case("backslash_unquoted", text("id,a", r"1,a\"b", r"2,a\\b", "3,a\\", r'4,\"x'), S))
    c.append(case("backslash_escape_before_sep", text("id,a,b", r'1,"x\",y', r'2,"p\\",q'), S3))
    c.append(case("escape_quote_rfc", text("id,a", '1,"a""b"', r'2,"c\"d"', '3,""""', '4,"x\\\\"'),
                  S, {"escape": '"'}))
    c.append(case("escape_other_char", text("id,a", '1,"a~"b"', '2,"c~~d"', '3,"e""f"'), S,
                  {"escape": "~"}))
    c.append(case("quote_single", text("id,a", "1,'x,y'", "2,'it''s'", '3,"z,w"', "4,'a\\'b'"),
                  S, {"quote": "'"}))
    c.append(case("quote_off", text("id,a,b", '1,"x,y"', '2,"z"', "3,p,q"), S3, {"quote": ""}))
    c.append(case("quote_in_unquoted", text("id,a", '1,ab"c', '2,x"', '3,"', '4,a"b"c'), S))
    c.append(case("text_after_closing_quote", text("id,a,b", '1,"ab"c,d', '2,"x" ,y', '3, "z",w',
                                                   '4,"p"q"r",s'), S3))
    for handling in ("STOP_AT_CLOSING_QUOTE", "BACK_TO_DELIMITER", "SKIP_VALUE", "RAISE_ERROR"):
        c.append(case(f"unescaped_quote_{handling.lower()}",
                      text("id,a,b", '1,"ab"c,d', '2,a"b,c', '3,ok,ok'), S3,
                      {"unescapedQuoteHandling": handling}))
    # unbalanced / unterminated quotes
    c.append(case("unterminated_quote_last_line", text("id,a", "1,x", '2,"abc'), S))
    c.append(case("unterminated_quote_last_line_multiline", text("id,a", "1,x", '2,"abc'), S, ML))
    c.append(case("unterminated_quote_no_newline", "id,a\n1,x\n2,\"abc", S))
    c.append(case("unterminated_quote_no_newline_multiline", "id,a\n1,x\n2,\"abc", S, ML))
    mid = text("id,a", '1,"abc', "2,x", "3,y")
    c.append(case("unterminated_quote_middle", mid, S))
    c.append(case("unterminated_quote_middle_multiline", mid, S, ML))
    c.append(case("unterminated_quote_first_field", text("id,a", '"1,x', "2,y"), S))

    # -- BOM and line ends --
    bom = "\ufeff" + text("id,a", "1,x", "2,y")
    c.append(case("bom_header", bom, S))
    c.append(case("bom_header_multiline", bom, S, ML))
    bom_nh = "\ufeff" + text("1,x", "2,y")
    c.append(case("bom_no_header", bom_nh, S, {"header": "false"}))
    c.append(case("bom_no_header_multiline", bom_nh, S, {"header": "false", "multiLine": "true"}))
    c.append(case("bom_no_header_string", "\ufeff" + text("x,y", "z,w"), "a STRING, b STRING",
                  {"header": "false"}))
    c.append(case("bom_quoted_first_field", "\ufeff" + text('"x",y'), "a STRING, b STRING",
                  {"header": "false"}))
    c.append(case("bom_second_file", ["\ufeff" + text("id,a", "1,x"), text("id,a", "2,y")], S))
    c.append(case("crlf", text("id,a", "1,x", "2,y", '3,"q"', end="\r\n"), S))
    c.append(case("crlf_multiline", text("id,a", "1,x", "2,y", '3,"q"', end="\r\n"), S, ML))
    c.append(case("cr_only", text("id,a", "1,x", "2,y", end="\r"), S))
    c.append(case("cr_only_multiline", text("id,a", "1,x", "2,y", end="\r"), S, ML))
    c.append(case("mixed_line_ends", "id,a\r\n1,x\n2,y\r\n3,z\n", S))
    c.append(case("mixed_line_ends_multiline", "id,a\r\n1,x\n2,y\r\n3,z\n", S, ML))
    c.append(case("cr_before_sep", "id,a,b\n1,x\r,y\n2,p,q\n", S3))
    c.append(case("no_trailing_newline", "id,a\n1,x\n2,y", S))
    c.append(case("no_trailing_newline_multiline", "id,a\n1,x\n2,y", S, ML))

    # -- ragged rows --
    rag = text("id,a,b", "1,x", "2", "3,y,z", "4,p,q,r", "5,,", "6,s,t,u,v")
    c.append(case("ragged", rag, S3))
    c.append(case("ragged_multiline", rag, S3, ML))
    c.append(case("ragged_more_columns", text("id,a", "1,x,extra", "2,y", "3,z,", '4,"w",'), S))
    c.append(case("ragged_fewer_than_header", text("id,a,b", "1,x,y", "2,x"), S3))
    c.append(case("single_empty_token", text("id,a", ",", "1,x"), S))
    c.append(case("header_wider_than_schema", text("id,a,b", "1,x,y", "2,z"), S))

    # -- empty files, header only, blank lines --
    c.append(case("empty_file", "", S))
    c.append(case("empty_file_with_data", ["", text("id,a", "1,x")], S))
    c.append(case("header_only", text("id,a"), S))
    c.append(case("header_only_no_newline", "id,a", S))
    c.append(case("header_only_multiline", text("id,a"), S, ML))
    c.append(case("newline_only", "\n", S))
    bl = text("id,a", "", "1,x", "", "", "2,y", "   ", "\t", "3,z", "")
    c.append(case("blank_lines", bl, S))
    c.append(case("blank_lines_multiline", bl, S, ML))
    c.append(case("blank_lines_crlf", text("id,a", "", "1,x", "", "2,y", end="\r\n"), S))
    c.append(case("blank_line_before_header", text("", "id,a", "1,x"), S))
    c.append(case("blank_line_before_header_multiline", text("", "id,a", "1,x"), S, ML))
    c.append(case("whitespace_line_one_column", text("a", "x", " ", "y"), "a STRING"))

    # -- wide --
    c.append(case("wide_300", wide_file(300, 40, 1), wide_ddl(300)))
    c.append(case("wide_300_multiline", wide_file(300, 40, 2), wide_ddl(300), ML))
    c.append(case("wide_300_ragged", wide_file(300, 10, 3, ragged=True), wide_ddl(300)))

    # -- nulls and empty strings --
    nulls = text("id,a,b", '1,,x', '2,"",x', '3, ,x', ',x,y', '"",x,y', '4,NA,"NA"', '5,x,')
    c.append(case("nulls_default", nulls, S3))
    c.append(case("nulls_nullvalue_na", nulls, S3, {"nullValue": "NA"}))
    c.append(case("nulls_emptyvalue", nulls, S3, {"emptyValue": "EMPTY"}))
    c.append(case("nulls_nullvalue_and_emptyvalue", nulls, S3, {"nullValue": "NA", "emptyValue": "EMPTY"}))
    c.append(case("nulls_nullvalue_int", text("id,n", "1,NULL", "NULL,2", '3,"NULL"', "4,", "5,null"),
                  "id INT, n INT", {"nullValue": "NULL"}))
    c.append(case("nulls_nullvalue_multiline", nulls, S3, {"nullValue": "NA", "multiLine": "true"}))
    c.append(case("nulls_typed_columns", text("i,d,b,dt,ts", ",,,,", '"","","","",""', " , , , , "),
                  "i INT, d DOUBLE, b BOOLEAN, dt DATE, ts TIMESTAMP"))

    # -- nan / infinity --
    nan = text("id,x", "1,NaN", "2,Inf", "3,-Inf", "4,Infinity", "5,-Infinity", "6,+Inf", "7,nan",
               "8,inf", "9,INF", "10,+Infinity", "11,-NaN", "12,1.5")
    c.append(case("nan_inf_default_double", nan, "id INT, x DOUBLE"))
    c.append(case("nan_inf_default_float", nan, "id INT, x FLOAT"))
    c.append(case("nan_inf_default_string", nan, "id INT, x STRING"))
    c.append(case("nan_inf_custom", nan, "id INT, x DOUBLE",
                  {"nanValue": "nan", "positiveInf": "inf", "negativeInf": "-inf"}))
    c.append(case("nan_inf_custom_words", text("id,x", "1,missing", "2,big", "3,small", "4,NaN", "5,Inf"),
                  "id INT, x DOUBLE", {"nanValue": "missing", "positiveInf": "big", "negativeInf": "small"}))

    # -- separators, quote, escape, comment --
    for tag, sep in (("semicolon", ";"), ("tab", "\t"), ("pipe", "|")):
        body = text(f"id{sep}a{sep}b", f'1{sep}"x{sep}y"{sep}z', f"2{sep}p,q{sep}r", f"3{sep}{sep}")
        c.append(case(f"sep_{tag}", body, S3, {"sep": sep}))
    c.append(case("sep_tab_escaped", text("id\ta", "1\tx", "2\ty"), S, {"sep": "\\t"}))
    c.append(case("sep_delimiter_alias", text("id;a", "1;x"), S, {"delimiter": ";"}))
    c.append(case("sep_multichar", text("id||a", "1||x|y", '2||"p||q"'), S, {"sep": "||"}))
    c.append(case("sep_comma_in_semicolon_file", text("id;a", "1,x;y"), S, {"sep": ";"}))
    cm = text("id,a", "#c1", "1,x", " #not", '2,"#x"', "3,#y", "# c2,z", "4,w")
    c.append(case("comment_hash", cm, S, {"comment": "#"}))
    c.append(case("comment_default", cm, S))
    c.append(case("comment_before_header", text("# generated", "id,a", "1,x"), S, {"comment": "#"}))
    c.append(case("comment_multiline", text("id,a", "#c1", '1,"x', '#y"', "2,z"), S,
                  {"comment": "#", "multiLine": "true"}))
    c.append(case("comment_semicolon_sep", text("id;a", "!skip", "1;x"), S, {"comment": "!", "sep": ";"}))

    # -- whitespace --
    ws = text("id,a,b", "1, x ,y", " 2 ,y , z", '3," q ", r ', "4,\tt\t,u")
    for tag, opts in (("default", {}), ("leading", {"ignoreLeadingWhiteSpace": "true"}),
                      ("trailing", {"ignoreTrailingWhiteSpace": "true"}),
                      ("both", {"ignoreLeadingWhiteSpace": "true", "ignoreTrailingWhiteSpace": "true"})):
        c.append(case(f"whitespace_{tag}", ws, S3, opts))
        c.append(case(f"whitespace_{tag}_multiline", ws, S3, {**opts, "multiLine": "true"}))

    # -- dates and timestamps --
    dates = text("id,d", "1,2024-01-02", "2,2024-1-2", "3,2024-01-02T10:00:00", "4,02/01/2024",
                 "5,20240102", "6,2024-02-30", "7,bad", "8, 2024-01-02", "9,2024-01-02 ",
                 "10,+2024-01-02", "11,0001-01-01", "12,9999-12-31", "13,2024")
    c.append(case("date_default", dates, "id INT, d DATE"))
    c.append(case("date_format_custom", dates + text("20,31/12/2023"), "id INT, d DATE",
                  {"dateFormat": "dd/MM/yyyy"}))
    c.append(case("date_format_compact", dates, "id INT, d DATE", {"dateFormat": "yyyyMMdd"}))
    ts = text("id,t", "1,2024-01-02T03:04:05", "2,2024-01-02 03:04:05", "3,2024-01-02T03:04:05.123Z",
              "4,2024-01-02T03:04:05+02:00", "5,2024-01-02", "6,2024-01-02T03:04:05.123456",
              "7,2024-01-02T03:04:05.1234567", "8,2024-01-02T03:04", "9,2024-01-02 03:04:05 UTC",
              "10,1704164645", "11,bad", "12,2024-13-01T00:00:00", "13,2024-01-02T03:04:05-0800",
              "14,2024-01-02T03:04:05[Europe/Paris]")
    c.append(case("timestamp_default", ts, "id INT, t TIMESTAMP"))
    c.append(case("timestamp_format_custom", ts + text("20,02.01.2024 03:04"), "id INT, t TIMESTAMP",
                  {"timestampFormat": "dd.MM.yyyy HH:mm"}))
    c.append(case("timestamp_format_space", ts, "id INT, t TIMESTAMP",
                  {"timestampFormat": "yyyy-MM-dd HH:mm:ss"}))
    c.append(case("timestamp_format_offset", ts, "id INT, t TIMESTAMP",
                  {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ssXXX"}))
    c.append(case("timestamp_ntz_default", ts, "id INT, t TIMESTAMP_NTZ"))
    c.append(case("date_and_timestamp_formats", text("d,t", "2024/01/02,2024/01/02 03:04:05"),
                  "d DATE, t TIMESTAMP",
                  {"dateFormat": "yyyy/MM/dd", "timestampFormat": "yyyy/MM/dd HH:mm:ss"}))

    # -- numbers --
    forms = ["1", "1.0", "1e3", "+5", " 7 ", "007", "-0", "0x10", "1_000", '"1,000"', "-12", "", "1.5",
             "1d", "1L", "１"]
    nums = text("id,v", *(f"{i},{f}" for i, f in enumerate(forms)))
    for typ in ("INT", "BIGINT", "SMALLINT", "TINYINT", "DOUBLE", "FLOAT", "DECIMAL(10,2)", "STRING"):
        tag = typ.lower().replace("(", "").replace(")", "").replace(",", "_")
        c.append(case(f"number_forms_{tag}", nums, f"id INT, v {typ}"))
    c.append(case("int_overflow", text("id,v", "1,2147483647", "2,2147483648", "3,-2147483648",
                                       "4,-2147483649", "5,99999999999999999999"), "id INT, v INT"))
    c.append(case("long_overflow", text("id,v", "1,9223372036854775807", "2,9223372036854775808",
                                        "3,-9223372036854775808", "4,-9223372036854775809",
                                        "5," + "9" * 40), "id INT, v BIGINT"))
    c.append(case("small_int_overflow", text("id,s,t", "1,32767,127", "2,32768,128", "3,-32769,-129"),
                  "id INT, s SMALLINT, t TINYINT"))
    dbl = text("id,v", "1,.5", "2,5.", "3,1e309", "4,-1e309", "5,1e-400", "6,0x1p3", "7,1f",
               "8,4.9e-324", "9,1.7976931348623157e308", "10,0.1", "11,-0.0", "12,1E+2",
               "13,123456789012345678901234567890", "14,1.000000000000000000001", "15,3.4e39")
    c.append(case("double_edge", dbl, "id INT, v DOUBLE"))
    c.append(case("float_edge", dbl, "id INT, v FLOAT"))
    c.append(case("decimal_edge", text("id,v", "1,1.005", "2,12345678.9", "3,123456789.1", "4,1e2",
                                       "5,+1.5", "6,-0.50", "7,.25", "8,99999999.995", "9,1E-2"),
                  "id INT, v DECIMAL(10,2)"))
    c.append(case("decimal_38", text("id,v", "1," + "9" * 38, "2," + "9" * 39, "3,-" + "1" * 38),
                  "id INT, v DECIMAL(38,0)"))
    c.append(case("booleans", text("id,b", "1,true", "2,TRUE", "3,True", "4,false", "5,FALSE", "6,yes",
                                   "7,no", "8,1", "9,0", "10,t", "11,f", "12, true", "13,y"),
                  "id INT, b BOOLEAN"))

    # -- header handling, several files, text --
    c.append(case("header_reordered", text("a,id", "x,1", "y,2"), S))
    c.append(case("header_names_differ", text("p,q", "1,x"), S))
    c.append(case("header_case_differs", text("ID,A", "1,x"), S))
    c.append(case("header_false", text("id,a", "1,x"), S, {"header": "false"}))
    c.append(case("header_quoted", text('"id","a"', "1,x"), S))
    c.append(case("several_files", [text("id,a", "1,x", "2,y"), text("id,a", "3,z"), text("id,a")], S))
    c.append(case("several_files_multiline", [text("id,a", '1,"x', 'y"'), text("id,a", "2,z")], S, ML))
    c.append(case("unicode", text("id,a", "1,héllo", "2,日本語", '3,"emoji 😀, ok"', "4,\u00a0nbsp"), S))
    c.append(case("invalid_utf8", b"id,a\n1,ok\n2,\xff\xfe\n3,a\xc3(b\n", S))
    c.append(case("long_field", text("id,a", "1," + "x" * 200_000, '2,"' + "y," * 50_000 + '"'), S))
    c.append(case("many_rows", text("id,a", *(f"{i},v{i}" for i in range(5000))), S))
    c.append(case("nul_byte", "id,a\n1,a\x00b\n2,c\n", S))
    return c


def gen_infer_cases():
    c = []
    c.append(case("infer_basic", text("i,l,d,b,s,dt,ts", "1,3000000000,1.5,true,x,2024-01-02,2024-01-02T03:04:05",
                                      "2,4,2.0,false,y,2024-02-03,2024-02-03T04:05:06"), None))
    c.append(case("infer_widening", text("a,b,c,d,e,f", "1,1,1,true,1,2024-01-02",
                                         "3000000000,1.5,x,1,2024-01-02,2024-01-02T03:04:05"), None))
    c.append(case("infer_big_integer", text("a,b,c,d", "1,%s,%s,%s" % ("9" * 20, "9" * 38, "9" * 39),
                                            "2,%s,%s,1" % ("1" * 20, "1" * 38)), None))
    c.append(case("infer_nulls", text("a,b,c", "1,,", "2,,x", ",,"), None))
    c.append(case("infer_null_value", text("a,b", "1,NA", "NA,2.5"), None, {"nullValue": "NA"}))
    c.append(case("infer_prefers_decimal", text("a,b,c", "1.5,1,1e3", "22.25,2,2.5"), None,
                  {"prefersDecimal": "true"}))
    c.append(case("infer_forms", text("plus,spaced,one_dot_zero,exp,lead_zero,hexish,bools,yes",
                                      "+5, 7 ,1.0,1e3,007,0x10,TRUE,yes",
                                      "+6, 8 ,2.0,2e3,008,0x11,false,no"), None))
    c.append(case("infer_nan_inf", text("a,b,c", "NaN,Inf,1", "1.5,-Inf,NaN"), None))
    c.append(case("infer_dates", text("d,d2,dt", "2024-01-02,2024-01-02,2024-01-02", "2024-02-03,2024-02-03T04:05:06,x"),
                  None))
    c.append(case("infer_date_format", text("d,t", "02/01/2024,02/01/2024 03:04", "03/02/2024,03/02/2024 05:06"),
                  None, {"dateFormat": "dd/MM/yyyy", "timestampFormat": "dd/MM/yyyy HH:mm"}))
    c.append(case("infer_timestamps", text("a,b,c", "2024-01-02 03:04:05,2024-01-02T03:04:05Z,2024-01-02T03:04:05.123+01:00",
                                           "2024-01-02 03:04:06,2024-01-02T03:04:06Z,2024-01-02T03:04:05.5+01:00"), None))
    c.append(case("infer_bom", "\ufeff" + text("id,a", "1,x"), None))
    c.append(case("infer_bom_multiline", "\ufeff" + text("id,a", "1,x"), None, {"multiLine": "true"}))
    c.append(case("infer_duplicate_header", text("a,a,b,A", "1,2,3,4"), None))
    c.append(case("infer_empty_header_name", text('id,,b,""', "1,2,3,4"), None))
    c.append(case("infer_header_with_spaces", text(" id ,a b,c.d", "1,2,3"), None))
    c.append(case("infer_ragged", text("a,b,c", "1,2", "3,4,5,6", "7,x,8"), None))
    c.append(case("infer_sep_semicolon", text("a;b", "1,5;x", "2;y"), None, {"sep": ";"}))
    c.append(case("infer_quoted_numbers", text("a,b", '"1","2.5"', '"3","4"'), None))
    c.append(case("infer_multiline", text("a,b", '1,"x', 'y"', "2,z"), None, {"multiLine": "true"}))
    c.append(case("infer_empty_strings", text("a,b", '"",1', '"",2'), None))
    c.append(case("infer_several_files", [text("a,b", "1,x"), text("a,b", "1.5,2")], None))
    c.append(case("infer_wide", wide_file(300, 20, 4), None))
    c.append(case("infer_header_only", text("a,b"), None))
    return c


CASES = gen_cases()
INFER_CASES = gen_infer_cases()
assert len({cs["name"] for cs in CASES + INFER_CASES}) == len(CASES) + len(INFER_CASES)


# What Spark 4.2 gives on this corpus (seen when the corpus was written; the tests compare
# against Spark live, so this is a reading aid for triage, not an expectation):
# - Ragged rows, fewer or more tokens than the schema (also a trailing comma, "3,z,"), are
#   corrupt records that keep their values: missing columns null, extra tokens dropped, and
#   _corrupt_record the line.  "5,," (three empty tokens) is not corrupt.
# - Doubled quotes are not an escape with the default escape '\': '1,"say ""hi"""' reads
#   '"say ""hi"""' whole, quotes and all (unescapedQuoteHandling=STOP_AT_DELIMITER); only
#   escape='"' gives 'say "hi"'.  In quotes '\"' is a quote and '\\' one backslash, a backslash
#   before any other character stays; outside quotes backslashes are plain text.  '"x" ,y'
#   drops the space after the closing quote; '"ab"c' reads '"ab"c'.
# - Unterminated quotes are never corrupt: one line, the value runs to the end of the line
#   ('2,"abc' -> 'abc'); multiLine, it runs to the end of the file ('abc\n2,x\n3,y\n', one
#   row).  unescapedQuoteHandling=RAISE_ERROR fails the whole read (FAILED_READ_FILE), even in
#   PERMISSIVE mode.
# - A UTF-8 BOM is dropped in every mode, with and without a header (bom_no_header reads id 1).
# - Line mode splits lines at \n, \r\n and a lone \r ("1,x\r,y" is two records).  multiLine
#   detects the line separator from the first line: in a file whose header ends in \r\n, a lone
#   \n does not end a record (mixed_line_ends_multiline: '1,x\n2,y' one corrupt record).
#   Embedded \r\n in a quoted value reads as \n in multiLine.
# - Blank and whitespace-only lines are skipped in line mode; in multiLine a whitespace-only
#   line is a (corrupt) record.  A blank line before the header is skipped in both modes.
# - Nulls: an unquoted empty field is null; '""' is null too unless nullValue or emptyValue is
#   set ('""' into INT with nullValue=NA is corrupt).  '"NA"' quoted matches nullValue=NA.
#   ' ' stays ' '.  nullValue is case-sensitive.
# - Numbers: INT/BIGINT accept '+5', '007', '-0' and full-width digits ('１' -> 1), reject
#   '1.0', '1e3', ' 7 ', '0x10', '1_000', '1,000'.  DOUBLE is Java's parseDouble: ' 7 ', '1d',
#   '1f', '0x1p3' (8.0), 'Infinity', '+Infinity', '-NaN' (NaN) parse, 'inf', '+Inf', 'nan'
#   do not; nanValue/positiveInf/negativeInf add a spelling, Java's stay.  FLOAT '3.4e39' is
#   Infinity, not corrupt.  DECIMAL rounds half-up ('1.005' -> 1.01), accepts '1,000' (grouping)
#   and '１', and a value that rounds past the precision is corrupt.
# - Dates/timestamps without a format are lenient: '2024-1-2', '2024', ' 2024-01-02',
#   '2024-01-02T10:00:00' are dates; '2024-01-02 03:04:05 UTC', '...-0800', '...T03:04' and 7
#   fractional digits (truncated) are timestamps; epoch seconds and '[Europe/Paris]' are not.
#   An explicit dateFormat/timestampFormat is strict.
# - With a header and a schema, columns are by position (enforceSchema=true): header names and
#   order are ignored (header_reordered puts 'x' into id: corrupt).
# - Inference: a 20-38 digit integer infers decimal(p,0), more digits double; prefersDecimal=true
#   does not make '1.5' a decimal in CSV (double); ' 7 ' infers double (not int); duplicate
#   header names become a0, a1, A3 (case-insensitive, index appended); an empty name _c<i>.

# ---- known differences ----

# Case name -> reason: intended differences (or not resolved yet).  xfail(strict=True), so a
# change in either reader shows up.
KNOWN_DIFFERENCES = {
    "mixed_line_ends_multiline": "with multiLine Spark ends records only at the line break its first line has "
                                 "(\\r\\n here), so a bare \\n inside a record is data; inlet ends a record at "
                                 "\\n, \\r\\n or \\r wherever it is outside quotes",
    "blank_lines_multiline": "with multiLine Spark loads a line of spaces or tabs as a corrupt record; inlet skips "
                             "it as it does (and Spark does) without multiLine",
    "timestamp_ntz_default": "inlet has no TIMESTAMP_NTZ type (README: types); the schema is refused",
}


# ---- reading ----

def write_cases(root, cases):
    """Writes every case's files under root/<name>/src; returns {name: src folder}."""
    out = {}
    for cs in cases:
        src = root / cs["name"] / "src"
        src.mkdir(parents=True)
        for i, body in enumerate(cs["files"]):
            name = "data.csv" if len(cs["files"]) == 1 else f"part-{i}.csv"
            (src / name).write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
        out[cs["name"]] = src
    return out


def case_options(cs):
    return {"header": "true", **cs["options"]}


def norm(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if v == 0.0 and math.copysign(1.0, v) < 0:
            return "-0.0"
        return v
    if isinstance(v, Decimal):
        return str(v)
    return v


def sort_rows(rows):
    return sorted(rows, key=lambda r: repr([(k, r[k]) for k in sorted(r)]))


def spark_select(df):
    """The columns of df, timestamps as UTC microseconds (collect() would give naive local
    datetimes).  df itself when it has no timestamp (a projection costs ~50 ms a case)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampNTZType, TimestampType
    if not any(isinstance(f.dataType, (TimestampType, TimestampNTZType)) for f in df.schema.fields):
        return df
    cols = []
    for f in df.schema.fields:
        col = F.col(f"`{f.name}`")
        if isinstance(f.dataType, TimestampType):
            col = F.unix_micros(col)
        elif isinstance(f.dataType, TimestampNTZType):
            col = F.unix_micros(col.cast("timestamp"))  # the session time zone is UTC
        cols.append(col.alias(f.name))
    return df.select(*cols)


def spark_collect(df):
    names = df.columns
    return sort_rows([{n: norm(v) for n, v in zip(names, r)} for r in spark_select(df).collect()])


def spark_read(spark, cs, src):
    """Spark's rows for a schema case: PERMISSIVE with the corrupt record column."""
    reader = (spark.read.options(**case_options(cs)).option("mode", "PERMISSIVE")
              .option("columnNameOfCorruptRecord", CORRUPT)
              .schema(f"{cs['schema']}, {CORRUPT} STRING"))
    return spark_collect(reader.csv(str(src)))


def spark_infer(spark, cs, src):
    """Spark's inferred schema and the values read with it."""
    df = (spark.read.option("header", "true").option("inferSchema", "true")
          .options(**case_options(cs)).csv(str(src)))
    return {"schema": [(f.name, f.dataType.simpleString()) for f in df.schema.fields],
            "rows": spark_collect(df)}


def spark_results(spark, cases, srcs):
    """{name: {"rows"/"schema": ...} or {"error": text}} for every case, one after the other in
    the one session."""
    out = {}
    for cs in cases:
        started = time.monotonic()
        try:
            if cs["schema"] is None:
                res = spark_infer(spark, cs, srcs[cs["name"]])
            else:
                res = {"rows": spark_read(spark, cs, srcs[cs["name"]])}
        except Exception as e:  # noqa: BLE001 (Py4J and analysis errors alike)
            res = {"error": f"{type(e).__name__}: {spark_error_text(e)}"}
        res["seconds"] = time.monotonic() - started
        out[cs["name"]] = res
    return out


def spark_error_text(e):
    """The first line of a Spark error and of its root cause (Py4J errors carry the Java stack)."""
    lines = [l.strip() for l in str(e).splitlines() if l.strip()]
    causes = [l for l in lines if l.startswith("Caused by:")]
    return " | ".join(([lines[0][:300]] if lines else []) + ([causes[-1][:300]] if causes else []))


def inlet_args(cs, src):
    root = src.parent
    args = ["ingest", "--source", f"{src}/*.csv", "--table", root / "t", "--checkpoint", root / "c",
            "--option", "cloudFiles.format=csv",
            # A file with no final newline (several cases) is otherwise left for a later run
            # as still being written.
            "--option", "inlet.fileSettleTime=0"]
    if cs["schema"] is None:
        args += ["--option", "cloudFiles.inferColumnTypes=true",
                 "--option", f"cloudFiles.schemaLocation={root / 'c'}"]
    else:
        args += ["--schema", cs["schema"], "--option", "mode=PERMISSIVE",
                 "--option", f"columnNameOfCorruptRecord={CORRUPT}"]
    for k, v in case_options(cs).items():
        args += ["--option", f"{k}={v}"]
    return [str(a) for a in args]


def inlet_results(cases, srcs, parallel=2):
    """{name: (rc, stderr)}: inlet once per case, `parallel` at a time."""
    inlet = str(find_inlet_bin())
    out, running, todo = {}, [], list(cases)
    while todo or running:
        while todo and len(running) < parallel:
            cs = todo.pop(0)
            p = subprocess.Popen([inlet, *inlet_args(cs, srcs[cs["name"]])], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True, env=inlet_env())
            running.append((cs["name"], p))
        name, p = running.pop(0)
        _, err = p.communicate(timeout=120)
        out[name] = (p.returncode, err)
    return out


def arrow_rows(table):
    """Row dicts of a pyarrow table, normalized as Spark's are (timestamps as UTC micros)."""
    import pyarrow as pa
    cols = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.timestamp("us", col.type.tz)).cast(pa.int64())
        cols[name] = [norm(v) for v in col.to_pylist()]
    names = table.column_names
    return sort_rows([dict(zip(names, vals)) for vals in zip(*(cols[n] for n in names))]
                     if names and table.num_rows else [])


def inlet_table(src):
    """The table inlet wrote, or None when it wrote none."""
    from deltalake import DeltaTable
    t = src.parent / "t"
    if not (t / "_delta_log").is_dir():
        return None
    return DeltaTable(str(t)).to_pyarrow_table()


# ---- fixtures: only the selected cases are written and read ----

def selected(request, cases):
    names = {item.callspec.params.get("name") for item in request.session.items
             if getattr(item, "module", None) is request.module and hasattr(item, "callspec")}
    return [cs for cs in cases if cs["name"] in names]


@pytest.fixture(scope="module")
def run(request, tmp_path_factory, spark):
    cases = selected(request, CASES + INFER_CASES)
    root = tmp_path_factory.mktemp("csvdiff")
    srcs = write_cases(root, cases)
    started = time.monotonic()
    spark_out = spark_results(spark, cases, srcs)
    spark_s = time.monotonic() - started
    try:
        started = time.monotonic()
        inlet_out = inlet_results(cases, srcs)
        inlet_s = time.monotonic() - started
    except FileNotFoundError as e:
        inlet_out, inlet_s = {cs["name"]: (None, str(e)) for cs in cases}, 0.0
    print(f"csv differential: {len(cases)} cases, spark {spark_s:.1f}s, inlet {inlet_s:.1f}s")
    return {"srcs": srcs, "spark": spark_out, "inlet": inlet_out}


def params(cases):
    out = []
    for cs in cases:
        marks = []
        if cs["name"] in KNOWN_DIFFERENCES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[cs["name"]]))
        out.append(pytest.param(cs["name"], id=cs["name"], marks=marks))
    return out


CASE_BY_NAME = {cs["name"]: cs for cs in CASES + INFER_CASES}


def check_inlet_ran(run, name):
    rc, err = run["inlet"][name]
    if rc is None:
        pytest.fail(err)
    spark = run["spark"][name]
    if "error" in spark:
        # Spark refuses the case (an option or its value): inlet must refuse it too.
        assert rc != 0, f"Spark refuses this case ({spark['error']}) but inlet loaded it"
        return False
    assert rc == 0, f"inlet failed (rc {rc}); Spark read it:\n{err}"
    return True


def column_names(ddl):
    from pyspark.sql.types import StructType
    return [f.name for f in StructType.fromDDL(ddl).fields]


@pytest.mark.parametrize("name", params(CASES))
def test_reads_as_spark(run, name):
    cs = CASE_BY_NAME[name]
    if not check_inlet_ran(run, name):
        return
    expected = run["spark"][name]["rows"]
    table = inlet_table(run["srcs"][name])
    want_cols = column_names(cs["schema"]) + [CORRUPT]
    if table is None:  # no table written: only right when Spark reads no row
        assert expected == [], f"inlet wrote no table; spark {expected!r}"
        return
    assert table.column_names == want_cols, "inlet's columns differ from the schema + corrupt column"
    got = arrow_rows(table)
    assert got == expected, f"inlet {got!r}\nspark {expected!r}"


# Spark's simpleString types -> the pyarrow type of inlet's Delta table (as delta-rs reads it).
def spark_to_arrow(simple):
    import pyarrow as pa
    fixed = {"int": pa.int32(), "bigint": pa.int64(), "smallint": pa.int16(), "tinyint": pa.int8(),
             "double": pa.float64(), "float": pa.float32(), "boolean": pa.bool_(),
             "date": pa.date32(), "string": pa.string(), "timestamp_ntz": pa.timestamp("us")}
    if simple in fixed:
        return str(fixed[simple])
    if simple == "timestamp":
        return "timestamp[us, tz=UTC]"
    if simple.startswith("decimal("):
        p, s = simple[len("decimal("):-1].split(",")
        return str(pa.decimal128(int(p), int(s)))
    return simple


def arrow_type_name(t):
    import pyarrow as pa
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    if pa.types.is_timestamp(t) and t.tz is not None:
        tz = "UTC" if t.tz in ("UTC", "+00:00", "Etc/UTC", "Z") else t.tz
        return f"timestamp[{t.unit}, tz={tz}]"
    return str(t)


def inlet_inferred(run, name):
    if not check_inlet_ran(run, name):
        return None
    table = inlet_table(run["srcs"][name])
    assert table is not None, "inlet wrote no table"
    assert table.column_names[-1:] == [RESCUED], f"no {RESCUED} column last: {table.column_names}"
    return table.drop_columns([RESCUED])


@pytest.mark.parametrize("name", params(INFER_CASES))
def test_infers_as_spark(run, name):
    table = inlet_inferred(run, name)
    if table is None:
        return
    got = [(f.name, arrow_type_name(f.type)) for f in table.schema]
    expected = [(n, spark_to_arrow(t)) for n, t in run["spark"][name]["schema"]]
    assert got == expected, f"inlet {got!r}\nspark {expected!r}"


@pytest.mark.parametrize("name", params(INFER_CASES))
def test_infers_values_as_spark(run, name):
    """Values read with each reader's own inferred schema (the same when the schemas are)."""
    table = inlet_inferred(run, name)
    if table is None:
        return
    got = arrow_rows(table)
    expected = run["spark"][name]["rows"]
    assert got == expected, f"inlet {got!r}\nspark {expected!r}"
