// Job tasks -> IngestOptions: both spellings, run-time overrides, and errors that name the
// task and field.
#include "inlet/service/ingest_task.h"

#include <gtest/gtest.h>

namespace inlet::service {
namespace {

using nlohmann::json;

json WheelTask(json named) {
  return json{{"task_key", "load"},
              {"python_wheel_task", {{"package_name", "inlet"}, {"entry_point", "ingest"}, {"named_parameters", named}}}};
}

TEST(IngestTask, PythonWheelNamedParametersBecomeIngestOptions) {
  json named{{"source", "/l/*.json"},         {"table", "/t"},
             {"checkpoint", "/c"},            {"trigger", "once"},
             {"cloudFiles.schemaLocation", "/c"}, {"cloudFiles.maxFilesPerTrigger", "7"}};
  auto options = IngestOptionsForTask(WheelTask(named)).ValueOrDie();
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->source_pattern, "/l/*.json");
  EXPECT_EQ(options->table_dir, "/t");
  EXPECT_EQ(options->trigger, Trigger::kOnce);
  EXPECT_EQ(options->max_files_per_trigger, 7);
  EXPECT_EQ(options->schema_location, "/c");
  auto overridden = IngestOptionsForTask(WheelTask(named), json{{"table", "/other"}}).ValueOrDie();
  EXPECT_EQ(overridden->table_dir, "/other");
}

TEST(IngestTask, NativeTaskTakesTypedOptionValues) {
  json task{{"task_key", "n"},
            {"inlet_ingest_task",
             {{"source", "/l/*.json"},
              {"table", "/t"},
              {"checkpoint", "/c"},
              {"schema", "id BIGINT"},
              {"options", {{"cloudFiles.maxFilesPerTrigger", 3}, {"multiLine", true}}}}}};
  auto options = IngestOptionsForTask(task).ValueOrDie();
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->schema_ddl, "id BIGINT");
  EXPECT_EQ(options->max_files_per_trigger, 3);
  EXPECT_EQ(options->format_options.at("multiLine"), "true");  // the JSON format's option
}

TEST(IngestTask, OtherTaskKindsAreNotIngestions) {
  json notebook{{"task_key", "nb"}, {"notebook_task", {{"notebook_path", "/x"}}}};
  EXPECT_FALSE(IngestOptionsForTask(notebook).ValueOrDie().has_value());
  EXPECT_EQ(TaskKind(notebook), "notebook_task");
  json other_wheel{{"task_key", "w"}, {"python_wheel_task", {{"package_name", "mylib"}, {"entry_point", "main"}}}};
  EXPECT_FALSE(IngestOptionsForTask(other_wheel).ValueOrDie().has_value());
}

TEST(IngestTask, ErrorsNameTheTaskAndField) {
  auto missing = IngestOptionsForTask(WheelTask(json{{"source", "/l"}, {"checkpoint", "/c"}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("task 'load': python_wheel_task.named_parameters.table is required"),
            std::string::npos)
      << missing.status().message();
  auto no_schema = IngestOptionsForTask(WheelTask(json{{"source", "/l"}, {"table", "/t"}, {"checkpoint", "/c"}}));
  ASSERT_FALSE(no_schema.ok());
  EXPECT_NE(no_schema.status().message().find("cloudFiles.schemaLocation"), std::string::npos);
  auto bad_option = IngestOptionsForTask(WheelTask(
      json{{"source", "/l"}, {"table", "/t"}, {"checkpoint", "/c"}, {"schema", "id INT"}, {"cloudFiles.nope", "1"}}));
  ASSERT_FALSE(bad_option.ok());
  EXPECT_NE(bad_option.status().message().find("cloudFiles.nope"), std::string::npos);
  auto relative = IngestOptionsForTask(WheelTask(json{{"source", "l/*.json"}, {"table", "/t"}, {"checkpoint", "/c"}}));
  ASSERT_FALSE(relative.ok());
  EXPECT_NE(relative.status().message().find("absolute"), std::string::npos);
}

}  // namespace
}  // namespace inlet::service
