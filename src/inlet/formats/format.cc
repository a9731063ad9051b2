// What every format shares: totting up counts of files read by different threads.
#include "inlet/formats/format.h"

namespace inlet::formats {

void MergeReadCounts(const ReadCounts& from, ReadCounts* into) {
  into->records += from.records;
  into->bytes += from.bytes;
  into->type_mismatches += from.type_mismatches;
  into->rescued_records += from.rescued_records;
  into->bad_records += from.bad_records;
  into->rows += from.rows;
  for (const TypeWidening& widening : from.widenings) MergeWidening(widening.path, widening.to, &into->widenings);
}

}  // namespace inlet::formats
