// Schemas and types for schema tests, written as Spark DDL so a test reads like the schema.
#pragma once

#include <string_view>

#include <gtest/gtest.h>

#include "inlet/schema/ddl.h"

namespace inlet {

inline Schema Ddl(std::string_view ddl) {
  auto schema = ParseDdlSchema(ddl);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ValueOrDie();
}

inline DataTypePtr Type(std::string_view ddl) {
  auto type = ParseDdlType(ddl);
  EXPECT_TRUE(type.ok()) << type.status().ToString();
  return type.ValueOrDie();
}

}  // namespace inlet
