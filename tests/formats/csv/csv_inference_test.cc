// Schemas inferred from CSV files as Spark 4.2 infers them (expectations read back from
// Spark with header=true and inferSchema=true).
#include <gtest/gtest.h>

#include "../json/json_test_util.h"
#include "inlet/formats/csv/csv_format.h"
#include "inlet/schema/ddl.h"

namespace inlet::csv {
namespace {

using json::testing::TempDir;

std::string Infer(const std::vector<std::string>& paths, bool types = true, CsvOptions csv = {}) {
  csv.header = true;
  formats::SampleOptions options;
  options.infer_column_types = types;
  auto schema = InferCsvSchema(paths, csv, options);
  if (!schema.ok()) return schema.status().ToString();
  std::string out;
  for (const Field& field : schema->fields) out += (out.empty() ? "" : ", ") + field.name + " " + field.type->TypeName();
  return out;
}

TEST(CsvInference, TypesComeFromEveryValueAlongSparksChain) {
  TempDir dir;
  const std::string one = dir.Write(
      "1.csv",
      "i,l,d,b,s,dt,ts,e\n1,9223372036854775807,1.5,true,x,2024-01-05,2024-01-05T10:00:00,\n"
      "2,1,2,false,y,2024-01-06,2024-01-05 10:00:00,\n");
  EXPECT_EQ(Infer({one}), "i integer, l long, d double, b boolean, s string, dt date, ts timestamp, e string");
  const std::string two =
      dir.Write("2.csv", "a,b,c,d,e,f\n1,true,1,2024-01-05,1,NaN\n1.5,1,x,2024-01-05T10:00:00,9999999999,Inf\n");
  EXPECT_EQ(Infer({two}), "a double, b string, c string, d timestamp, e long, f double");
  EXPECT_EQ(Infer({two}, /*types=*/false), "a string, b string, c string, d string, e string, f string");
}

TEST(CsvInference, HeaderNamesAreMadeSafeAndLaterFilesAddTheirNewColumns) {
  TempDir dir;
  EXPECT_EQ(Infer({dir.Write("d.csv", "a,a,A,,b\n1,2,3,4,5\n")}),
            "a0 integer, a1 integer, A2 integer, _c3 integer, b integer");
  const std::string first = dir.Write("f.csv", "id,name\n1,x\n");
  const std::string second = dir.Write("g.csv", "id,score\n2,0.5\n");
  EXPECT_EQ(Infer({first, second}), "id integer, name string, score double");
  EXPECT_EQ(Infer({dir.Write("h.csv", "id,a\n")}), "id string, a string");  // a header alone: strings
}

}  // namespace
}  // namespace inlet::csv
