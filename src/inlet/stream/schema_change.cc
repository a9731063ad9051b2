// A StatusDetail marks schema-change stops, so no caller has to match message text.
#include "inlet/stream/schema_change.h"

#include <memory>

namespace inlet::stream {
namespace {

class SchemaChangeDetail : public arrow::StatusDetail {
 public:
  static constexpr const char* kTypeId = "inlet::SchemaChange";
  const char* type_id() const override { return kTypeId; }
  std::string ToString() const override { return "schema change"; }
};

}  // namespace

Status SchemaChangeError(const std::string& message) {
  return Status(arrow::StatusCode::Invalid, "UnknownFieldException: " + message,
                std::make_shared<SchemaChangeDetail>());
}

bool IsSchemaChange(const Status& status) {
  const auto& detail = status.detail();
  return detail != nullptr && std::string(detail->type_id()) == SchemaChangeDetail::kTypeId;
}

}  // namespace inlet::stream
