#include "inlet/storage/fault_injecting_file_system.h"

namespace inlet::storage {

void FaultInjectingFileSystem::FailNext(Op op, std::string path_part, Status status, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  rules_.push_back(Rule{op, std::move(path_part), std::move(status), nullptr, times});
}

void FaultInjectingFileSystem::BeforeNext(Op op, std::string path_part, std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  rules_.push_back(Rule{op, std::move(path_part), Status::OK(), std::move(hook), 1});
}

int64_t FaultInjectingFileSystem::Count(Op op) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_[static_cast<size_t>(op)];
}

Status FaultInjectingFileSystem::Intercept(Op op, const std::string& path) {
  std::function<void()> hook;
  Status injected;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_[static_cast<size_t>(op)];
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
      if (it->op != op || path.find(it->path_part) == std::string::npos) continue;
      hook = std::move(it->hook);
      injected = it->status;
      if (--it->times <= 0) rules_.erase(it);
      break;
    }
  }
  if (hook) hook();  // outside the lock: a hook may use this file system
  return injected;
}

Result<std::string> FaultInjectingFileSystem::ReadFile(const std::string& path) {
  INLET_RETURN_NOT_OK(Intercept(Op::kRead, path));
  return base_->ReadFile(path);
}

Result<std::shared_ptr<arrow::io::RandomAccessFile>> FaultInjectingFileSystem::OpenForRead(const std::string& path) {
  INLET_RETURN_NOT_OK(Intercept(Op::kOpenForRead, path));
  return base_->OpenForRead(path);
}

Status FaultInjectingFileSystem::WriteFile(const std::string& path, std::string_view data, WriteMode mode) {
  INLET_RETURN_NOT_OK(Intercept(mode == WriteMode::kReplace ? Op::kReplace : Op::kCreateIfAbsent, path));
  return base_->WriteFile(path, data, mode);
}

Result<std::shared_ptr<OutputFile>> FaultInjectingFileSystem::OpenForWrite(const std::string& path) {
  INLET_RETURN_NOT_OK(Intercept(Op::kOpenForWrite, path));
  return base_->OpenForWrite(path);
}

Result<std::optional<FileInfo>> FaultInjectingFileSystem::Stat(const std::string& path) {
  INLET_RETURN_NOT_OK(Intercept(Op::kStat, path));
  return base_->Stat(path);
}

Result<std::vector<FileInfo>> FaultInjectingFileSystem::ListDir(const std::string& dir) {
  INLET_RETURN_NOT_OK(Intercept(Op::kList, dir));
  return base_->ListDir(dir);
}

Result<std::vector<FileInfo>> FaultInjectingFileSystem::ListFilesAfter(const std::string& dir,
                                                                       const std::string& after) {
  INLET_RETURN_NOT_OK(Intercept(Op::kList, dir));
  return base_->ListFilesAfter(dir, after);
}

Status FaultInjectingFileSystem::Delete(const std::string& path) {
  INLET_RETURN_NOT_OK(Intercept(Op::kDelete, path));
  return base_->Delete(path);
}

Status FaultInjectingFileSystem::DeleteTree(const std::string& dir) {
  INLET_RETURN_NOT_OK(Intercept(Op::kDelete, dir));
  return base_->DeleteTree(dir);
}

Status FaultInjectingFileSystem::CreateDirs(const std::string& dir) {
  INLET_RETURN_NOT_OK(Intercept(Op::kCreateDirs, dir));
  return base_->CreateDirs(dir);
}

Result<std::unique_ptr<Lease>> FaultInjectingFileSystem::AcquireLease(const std::string& path, std::string_view what) {
  INLET_RETURN_NOT_OK(Intercept(Op::kLease, path));
  return base_->AcquireLease(path, what);
}

}  // namespace inlet::storage
