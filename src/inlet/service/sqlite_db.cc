// SQLite connection and statement wrappers: every failure becomes a Status naming the SQL
// statement and the database file.
#include "inlet/service/sqlite_db.h"

#include <fmt/format.h>

namespace inlet::service {

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), sql_(std::move(other.sql_)), bind_error_(std::move(other.bind_error_)) {
  other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

namespace {
Status BindStatus(sqlite3* db, int rc, const std::string& sql) {
  if (rc == SQLITE_OK) return Status::OK();
  return Status::IOError(fmt::format("sqlite bind in '{}': {}", sql, sqlite3_errmsg(db)));
}
}  // namespace

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  if (bind_error_.ok()) bind_error_ = BindStatus(db_, sqlite3_bind_int64(stmt_, index, value), sql_);
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view value) {
  if (bind_error_.ok()) {
    bind_error_ = BindStatus(
        db_, sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), sql_);
  }
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(int index, std::string_view bytes) {
  if (bind_error_.ok()) {
    bind_error_ = BindStatus(db_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT), sql_);
  }
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  if (bind_error_.ok()) bind_error_ = BindStatus(db_, sqlite3_bind_null(stmt_, index), sql_);
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Result<bool> SqliteStatement::Step() {
  INLET_RETURN_NOT_OK(bind_error_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Status::IOError(fmt::format("sqlite '{}': {}", sql_, sqlite3_errmsg(db_)));
}

Status SqliteStatement::Run() {
  while (true) {
    INLET_ASSIGN_OR_RAISE(bool row, Step());
    if (!row) return Status::OK();
  }
}

int64_t SqliteStatement::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteStatement::Text(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

bool SqliteStatement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (db) sqlite3_close(db);
    return Status::IOError(fmt::format("cannot open database '{}': {}", path, message));
  }
  std::unique_ptr<SqliteDb> result(new SqliteDb(db, path));
  sqlite3_busy_timeout(db, 10000);
  INLET_RETURN_NOT_OK(result->Exec("PRAGMA journal_mode=WAL"));
  INLET_RETURN_NOT_OK(result->Exec("PRAGMA synchronous=NORMAL"));
  INLET_RETURN_NOT_OK(result->Exec("PRAGMA foreign_keys=ON"));
  return result;
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

Status SqliteDb::Exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return Status::IOError(fmt::format("database '{}': '{}': {}", path_, sql.substr(0, 80), message));
  }
  return Status::OK();
}

Result<SqliteStatement> SqliteDb::Prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return Status::IOError(fmt::format("database '{}': cannot prepare '{}': {}", path_, sql, sqlite3_errmsg(db_)));
  }
  return SqliteStatement(db_, stmt, sql);
}

int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int SqliteDb::Changes() const { return sqlite3_changes(db_); }

SqliteTransaction::~SqliteTransaction() {
  if (open_) (void)db_->Exec("ROLLBACK");
}

Status SqliteTransaction::Begin() {
  INLET_RETURN_NOT_OK(db_->Exec("BEGIN IMMEDIATE"));
  open_ = true;
  return Status::OK();
}

Status SqliteTransaction::Commit() {
  INLET_RETURN_NOT_OK(db_->Exec("COMMIT"));
  open_ = false;
  return Status::OK();
}

}  // namespace inlet::service
