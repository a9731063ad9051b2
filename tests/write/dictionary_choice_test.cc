// Dictionary or plain per column, chosen from the first batch, and what a written file holds.
#include "inlet/write/dictionary_choice.h"

#include <stdlib.h>

#include <filesystem>

#include <arrow/api.h>
#include <gtest/gtest.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>

#include "inlet/write/data_file_writer.h"

namespace inlet::write {
namespace {

namespace fs = std::filesystem;

// `rows` rows: a unique id, a unique serial, a country out of 3, a measured double, a
// struct with a unique and a repeated leaf, and a list of unique strings.
std::shared_ptr<arrow::RecordBatch> DeviceBatch(int64_t rows) {
  auto place = arrow::struct_({arrow::field("zip", arrow::utf8()), arrow::field("floor", arrow::int64())});
  auto schema = arrow::schema({arrow::field("id", arrow::int64()), arrow::field("serial", arrow::utf8()),
                               arrow::field("country", arrow::utf8()), arrow::field("temp", arrow::float64()),
                               arrow::field("place", place), arrow::field("tags", arrow::list(arrow::utf8()))});
  arrow::Int64Builder ids, floors;
  arrow::StringBuilder serials, countries, zips;
  arrow::DoubleBuilder temps;
  arrow::ListBuilder tags(arrow::default_memory_pool(), std::make_shared<arrow::StringBuilder>());
  auto* tag_values = static_cast<arrow::StringBuilder*>(tags.value_builder());
  const char* names[] = {"CY", "GB", "US"};
  for (int64_t i = 0; i < rows; ++i) {
    EXPECT_TRUE(ids.Append(i).ok());
    EXPECT_TRUE(serials.Append("SN" + std::to_string(i * 7919)).ok());
    EXPECT_TRUE(countries.Append(names[i % 3]).ok());
    EXPECT_TRUE(temps.Append(20.0 + static_cast<double>(i % 7)).ok());
    EXPECT_TRUE(zips.Append("Z" + std::to_string(i)).ok());
    EXPECT_TRUE(floors.Append(i % 4).ok());
    EXPECT_TRUE(tags.Append().ok());
    EXPECT_TRUE(tag_values->Append("t" + std::to_string(i)).ok());
  }
  auto place_array = arrow::StructArray::Make({*zips.Finish(), *floors.Finish()}, place->fields()).ValueOrDie();
  return arrow::RecordBatch::Make(schema, rows,
                                  {*ids.Finish(), *serials.Finish(), *countries.Finish(), *temps.Finish(),
                                   place_array, *tags.Finish()});
}

TEST(DictionaryChoice, UniqueAndFloatingLeavesArePlainRepeatedOnesKeepTheDictionary) {
  EXPECT_EQ(PlainEncodedColumnPaths(*DeviceBatch(1000)),
            (std::vector<std::string>{"id", "serial", "temp", "place.zip"}));
}

TEST(DictionaryChoice, TooFewValuesToJudgeKeepTheDictionary) {
  // Below the minimum sample only floating-point leaves are written plain.
  EXPECT_EQ(PlainEncodedColumnPaths(*DeviceBatch(kDictionaryMinSample - 1)), (std::vector<std::string>{"temp"}));
}

TEST(DictionaryChoice, WrittenFileHasDictionaryPagesOnlyForRepeatedColumns) {
  std::string pattern = (fs::temp_directory_path() / "inlet_dict_XXXXXX").string();
  const std::string dir = ::mkdtemp(pattern.data());
  auto batch = DeviceBatch(5000);
  DataFileWriter writer(dir, batch->schema(), DataFileWriterOptions{});
  ASSERT_TRUE(writer.Write(batch).ok());
  auto files = writer.Finish();
  ASSERT_TRUE(files.ok() && files->size() == 1);
  auto reader = parquet::ParquetFileReader::OpenFile(dir + "/" + (*files)[0].relative_path);
  auto row_group = reader->metadata()->RowGroup(0);
  std::map<std::string, bool> has_dictionary;
  for (int i = 0; i < row_group->num_columns(); ++i) {
    auto column = row_group->ColumnChunk(i);
    has_dictionary[column->path_in_schema()->ToDotString()] = column->has_dictionary_page();
  }
  EXPECT_EQ(has_dictionary, (std::map<std::string, bool>{{"id", false},
                                                          {"serial", false},
                                                          {"country", true},
                                                          {"temp", false},
                                                          {"place.zip", false},
                                                          {"place.floor", true},
                                                          {"tags.list.element", true}}));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inlet::write
