// The object-store backend: S3 (and S3-compatible stores), Azure Blob Storage / ADLS Gen2
// and Google Cloud Storage, all through Rust's object_store crate (the client delta-rs and
// DataFusion use) behind the small C ABI in ffi/. It gives what the FileSystem contract
// needs: create-if-absent is a conditional PUT (S3 `If-None-Match: *`, Azure
// `If-None-Match: *`, GCS `ifGenerationMatch=0`), publication is a single PUT or a
// multipart upload completed at Close(), and listing is by '/'-delimited prefix.
//
// Paths are the URIs themselves ("s3://bucket/landing/a.json"): one store is opened per
// bucket or container (scheme://authority) and shared by the process. Credentials and
// endpoints come from the environment as the clouds' own tools read them (AWS_*, AZURE_*,
// GOOGLE_*; README "Object storage").
#pragma once

#include <memory>

#include "inlet/storage/file_system.h"
#include "inlet/storage/location.h"

namespace inlet::storage {

// The store holding `location` (an object-store URI), opened on first use.
Result<std::shared_ptr<FileSystem>> OpenObjectStore(const Location& location);

}  // namespace inlet::storage
