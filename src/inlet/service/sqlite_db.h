// A thin RAII layer over one SQLite connection (WAL mode, busy timeout) and its prepared
// statements, so the service's stores read as SQL plus Status instead of C error codes.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "inlet/util/status.h"

namespace inlet::service {

class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, std::string_view value);
  SqliteStatement& BindBlob(int index, std::string_view bytes);
  SqliteStatement& BindNull(int index);
  SqliteStatement& Bind(int index, const std::optional<int64_t>& value);

  // True while a row is available; false when done. A bind error surfaces here too.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();

  int64_t Int64(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  friend class SqliteDb;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string sql) : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  Status bind_error_;
};

class SqliteDb {
 public:
  // Opens (creating) the database file, with WAL journaling so readers in other processes
  // (`inlet tokens`) never block the server, and a busy timeout for their writes.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();

  Status Exec(const std::string& sql);
  Result<SqliteStatement> Prepare(const std::string& sql);
  int64_t LastInsertRowId() const;
  int Changes() const;
  const std::string& path() const { return path_; }

  // Callers hold this around multi-statement work: one connection serves every thread.
  std::mutex& mutex() { return mutex_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::mutex mutex_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when Commit() was not reached.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb* db) : db_(db) {}
  ~SqliteTransaction();
  Status Begin();
  Status Commit();

 private:
  SqliteDb* db_;
  bool open_ = false;
};

}  // namespace inlet::service
