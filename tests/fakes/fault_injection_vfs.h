// A SQLite VFS for tests that injects I/O faults, as LevelDB's fault-injection
// Env does for its Env: it wraps the default "unix" VFS, and while armed every
// read of a main database file at or beyond a byte offset either fails with
// SQLITE_IOERR_READ or returns zeros (a wiped or torn page, which SQLite reports
// as SQLITE_CORRUPT), and/or every write of any file fails with a chosen code
// (SQLITE_FULL: a full disk, so commits fail). Open a store through it with
// SqliteOptions::vfs = name(). Safe for concurrent use (SQLite calls it from
// every connection's thread; the armed faults and the counts are atomics).
// Destroy it only after every connection opened through it is closed.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace connectplane::testing {

class FaultInjectionVfs {
 public:
  // Registers the VFS under `name`, which must be unique in the process; the
  // default VFS stays the default.
  explicit FaultInjectionVfs(std::string name) : name_(std::move(name)) {
    base_ = sqlite3_vfs_find("unix");
    vfs_ = *base_;
    vfs_.pNext = nullptr;
    vfs_.zName = name_.c_str();
    vfs_.pAppData = this;
    // Each open file is our header followed by the wrapped VFS's own file.
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + base_->szOsFile;
    vfs_.xOpen = &Open;
    // The wrapped VFS gets its own sqlite3_vfs back (its xOpen reads pAppData).
    vfs_.xDelete = [](sqlite3_vfs* vfs, const char* path, int sync_dir) {
      return Base(vfs)->xDelete(Base(vfs), path, sync_dir);
    };
    vfs_.xAccess = [](sqlite3_vfs* vfs, const char* path, int flags, int* result) {
      return Base(vfs)->xAccess(Base(vfs), path, flags, result);
    };
    vfs_.xFullPathname = [](sqlite3_vfs* vfs, const char* path, int size, char* out) {
      return Base(vfs)->xFullPathname(Base(vfs), path, size, out);
    };
    vfs_.xRandomness = [](sqlite3_vfs* vfs, int size, char* out) {
      return Base(vfs)->xRandomness(Base(vfs), size, out);
    };
    vfs_.xSleep = [](sqlite3_vfs* vfs, int micros) { return Base(vfs)->xSleep(Base(vfs), micros); };
    vfs_.xCurrentTime = [](sqlite3_vfs* vfs, double* now) {
      return Base(vfs)->xCurrentTime(Base(vfs), now);
    };
    vfs_.xGetLastError = [](sqlite3_vfs* vfs, int size, char* out) {
      return Base(vfs)->xGetLastError(Base(vfs), size, out);
    };
    vfs_.xCurrentTimeInt64 = [](sqlite3_vfs* vfs, sqlite3_int64* now) {
      return Base(vfs)->xCurrentTimeInt64(Base(vfs), now);
    };
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/0);
  }
  ~FaultInjectionVfs() { sqlite3_vfs_unregister(&vfs_); }
  FaultInjectionVfs(const FaultInjectionVfs&) = delete;
  FaultInjectionVfs& operator=(const FaultInjectionVfs&) = delete;

  const std::string& name() const { return name_; }

  // From now on, reads of a main database file that start at `offset` or
  // beyond fail with SQLITE_IOERR_READ (journal, WAL and temp files are spared).
  void FailReadsFrom(int64_t offset) { Arm(Fault::kIoError, offset); }
  // From now on, the same reads succeed but return zeros.
  void ZeroReadsFrom(int64_t offset) { Arm(Fault::kZeroes, offset); }
  // From now on, every write (main database file, WAL, journals) fails with
  // `rc`, e.g. SQLITE_FULL (the disk is full) or SQLITE_IOERR_WRITE. Reads
  // are unaffected; a write transaction fails at the latest at its COMMIT.
  void FailWritesWith(int rc) { write_fault_.store(rc); }
  // Lets every read and write through again.
  void Disarm() {
    fault_.store(Fault::kNone);
    write_fault_.store(SQLITE_OK);
  }
  // Reads failed or zeroed, and writes failed, so far.
  int64_t injected_failures() const { return injected_failures_.load(); }

 private:
  enum class Fault { kNone, kIoError, kZeroes };

  void Arm(Fault fault, int64_t offset) {
    from_offset_.store(offset);
    fault_.store(fault);
  }

  // What SQLite allocates per open file (vfs_.szOsFile bytes): this header,
  // then the wrapped VFS's file, suitably aligned right after it.
  struct File {
    sqlite3_file base;  // first: SQLite sees only this
    FaultInjectionVfs* owner;
    bool main_db;
    sqlite3_io_methods methods;  // forwarders, at the wrapped file's iVersion
    sqlite3_file* inner() { return reinterpret_cast<sqlite3_file*>(this + 1); }
  };

  static sqlite3_vfs* Base(sqlite3_vfs* vfs) {
    return static_cast<FaultInjectionVfs*>(vfs->pAppData)->base_;
  }
  static File* Wrapper(sqlite3_file* file) { return reinterpret_cast<File*>(file); }
  static sqlite3_file* Inner(sqlite3_file* file) { return Wrapper(file)->inner(); }

  // The fault armed for a read of `file` at `offset`.
  Fault Armed(const File& file, int64_t offset) const {
    Fault fault = fault_.load();
    if (!file.main_db || offset < from_offset_.load()) {
      return Fault::kNone;
    }
    return fault;
  }

  static int Open(sqlite3_vfs* vfs, const char* path, sqlite3_file* file, int flags,
                  int* out_flags) {
    auto* owner = static_cast<FaultInjectionVfs*>(vfs->pAppData);
    File* wrapper = Wrapper(file);
    wrapper->base.pMethods = nullptr;
    sqlite3_file* inner = wrapper->inner();
    inner->pMethods = nullptr;
    int rc = owner->base_->xOpen(owner->base_, path, inner, flags, out_flags);
    if (rc != SQLITE_OK) {
      // SQLite closes only what carries methods; ours stay null, so close the
      // wrapped file here if it kept some.
      if (inner->pMethods != nullptr) {
        inner->pMethods->xClose(inner);
      }
      return rc;
    }
    wrapper->owner = owner;
    wrapper->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    wrapper->methods = kForwarding;
    wrapper->methods.iVersion = inner->pMethods->iVersion;
    wrapper->base.pMethods = &wrapper->methods;
    return SQLITE_OK;
  }

  static int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
    FaultInjectionVfs* owner = Wrapper(file)->owner;
    switch (owner->Armed(*Wrapper(file), offset)) {
      case Fault::kIoError:
        owner->injected_failures_.fetch_add(1);
        return SQLITE_IOERR_READ;
      case Fault::kZeroes:
        owner->injected_failures_.fetch_add(1);
        std::memset(buffer, 0, static_cast<size_t>(amount));
        return SQLITE_OK;
      case Fault::kNone:
        break;
    }
    return Inner(file)->pMethods->xRead(Inner(file), buffer, amount, offset);
  }

  static int Write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
    FaultInjectionVfs* owner = Wrapper(file)->owner;
    if (int rc = owner->write_fault_.load(); rc != SQLITE_OK) {
      owner->injected_failures_.fetch_add(1);
      return rc;
    }
    return Inner(file)->pMethods->xWrite(Inner(file), buffer, amount, offset);
  }

  static int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** page) {
    if (Wrapper(file)->owner->Armed(*Wrapper(file), offset) != Fault::kNone) {
      // No memory-mapped page: SQLite falls back to xRead, which injects the fault.
      *page = nullptr;
      return SQLITE_OK;
    }
    return Inner(file)->pMethods->xFetch(Inner(file), offset, amount, page);
  }

  static constexpr sqlite3_io_methods kForwarding = {
      3,
      [](sqlite3_file* file) { return Inner(file)->pMethods->xClose(Inner(file)); },
      &Read,
      &Write,
      [](sqlite3_file* file, sqlite3_int64 size) {
        return Inner(file)->pMethods->xTruncate(Inner(file), size);
      },
      [](sqlite3_file* file, int flags) {
        return Inner(file)->pMethods->xSync(Inner(file), flags);
      },
      [](sqlite3_file* file, sqlite3_int64* size) {
        return Inner(file)->pMethods->xFileSize(Inner(file), size);
      },
      [](sqlite3_file* file, int lock) { return Inner(file)->pMethods->xLock(Inner(file), lock); },
      [](sqlite3_file* file, int lock) {
        return Inner(file)->pMethods->xUnlock(Inner(file), lock);
      },
      [](sqlite3_file* file, int* reserved) {
        return Inner(file)->pMethods->xCheckReservedLock(Inner(file), reserved);
      },
      [](sqlite3_file* file, int op, void* arg) {
        return Inner(file)->pMethods->xFileControl(Inner(file), op, arg);
      },
      [](sqlite3_file* file) { return Inner(file)->pMethods->xSectorSize(Inner(file)); },
      [](sqlite3_file* file) { return Inner(file)->pMethods->xDeviceCharacteristics(Inner(file)); },
      [](sqlite3_file* file, int region, int size, int extend, void volatile** memory) {
        return Inner(file)->pMethods->xShmMap(Inner(file), region, size, extend, memory);
      },
      [](sqlite3_file* file, int offset, int count, int flags) {
        return Inner(file)->pMethods->xShmLock(Inner(file), offset, count, flags);
      },
      [](sqlite3_file* file) { Inner(file)->pMethods->xShmBarrier(Inner(file)); },
      [](sqlite3_file* file, int delete_flag) {
        return Inner(file)->pMethods->xShmUnmap(Inner(file), delete_flag);
      },
      &Fetch,
      [](sqlite3_file* file, sqlite3_int64 offset, void* page) {
        return Inner(file)->pMethods->xUnfetch(Inner(file), offset, page);
      },
  };

  const std::string name_;
  sqlite3_vfs* base_ = nullptr;
  sqlite3_vfs vfs_{};
  std::atomic<Fault> fault_{Fault::kNone};
  std::atomic<int64_t> from_offset_{0};
  std::atomic<int> write_fault_{SQLITE_OK};
  std::atomic<int64_t> injected_failures_{0};
};

}  // namespace connectplane::testing
