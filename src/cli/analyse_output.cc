// cli/analyse_output.cc — the report file of `trellis analyse` (see analyse_output.h).
//
// Why the file handling is hand-written (rather than one std::ofstream): writing the 368 MiB
// report of the benchmark campaign is the largest single cost of `analyse`, and most of it is
// the kernel's, in ways an ordinary "open with O_TRUNC, write, close" makes worse on ext4 (the
// project machine's file system), measured with strace and perf:
// - Truncating an existing report at open frees its page cache and blocks (and waits for pages
//   still under writeback) before the first byte is written: 0.1–0.2 s with everyone waiting.
//   A report that replaces one is written to a temporary file instead, and the old one is
//   truncated by a helper thread meanwhile; the temporary file is renamed over it at the end.
// - ext4 allocates blocks late (delayed allocation) and, for a file that was truncated to zero,
//   forces that allocation when it is closed ("auto_da_alloc"): the close started writeback of
//   the whole report, 0.07–0.25 s. Space reserved with fallocate(2) ahead of the writes leaves
//   nothing to allocate late, so neither close nor rename does that work, and the writes skip
//   the per-page reservation. The unused tail is cut off at the end. Best effort: a file
//   system without fallocate is written as before.
#include "cli/analyse_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "formats/report_jsonl.h"

namespace trellis::cli {
namespace {

// A block's text, written in place by formats::WriteReportLine: a buffer left uninitialised,
// grown (geometrically, keeping what is written) so that the next line's bound always fits,
// and the length written. Reused from block to block, so it settles near a block's size.
struct BlockText {
  std::unique_ptr<char[]> data;
  size_t capacity = 0;
  size_t size = 0;

  // Room for `bytes` more after `size`.
  char* Room(size_t bytes) {
    if (size + bytes > capacity) {
      const size_t grown = std::max(size + bytes, capacity * 2);
      auto bigger = std::make_unique_for_overwrite<char[]>(grown);
      if (size > 0) std::memcpy(bigger.get(), data.get(), size);
      data = std::move(bigger);
      capacity = grown;
    }
    return data.get() + size;
  }
};

// The destination of the report: the file itself, or a temporary file renamed over it.
class ReportFile {
 public:
  ReportFile() = default;
  ReportFile(const ReportFile&) = delete;
  ReportFile& operator=(const ReportFile&) = delete;
  ~ReportFile() { Abort(); }

  Status Open(const std::string& path) {
    path_ = path;
    if (OpenReplacement()) return Status::Ok();
    // As fopen(path, "wb") did: same flags, same mode, same message.
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0)
      return Status::FailedPrecondition(path + ": cannot write (" + std::strerror(errno) + ")");
    struct stat st;
    seekable_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    return Status::Ok();
  }

  int fd() const { return fd_; }
  // A regular file: blocks may be written at their offsets, in any order.
  bool seekable() const { return seekable_; }

  // Preallocates space up to at least `end` (in steps, ahead of the writes). Not thread-safe.
  void Reserve(uint64_t end) {
    constexpr uint64_t kStep = 64ull << 20;
    if (!seekable_ || no_fallocate_ || end <= reserved_) return;
    const uint64_t to = end + kStep;
    if (::fallocate(fd_, 0, static_cast<off_t>(reserved_), static_cast<off_t>(to - reserved_)) !=
        0) {
      no_fallocate_ = true;  // unsupported (or no space: the writes will say so)
      return;
    }
    reserved_ = to;
  }

  // Cuts the file to `size` bytes (the preallocated tail), closes it and, for a replacement,
  // renames it over the report.
  Status Commit(uint64_t size) {
    int error = 0;
    if (reserved_ > size && ::ftruncate(fd_, static_cast<off_t>(size)) != 0) error = errno;
    if (::close(fd_) != 0 && error == 0) error = errno;
    fd_ = -1;
    if (release_.joinable()) release_.join();
    if (error == 0 && !temp_.empty() && ::rename(temp_.c_str(), path_.c_str()) != 0) error = errno;
    if (error != 0) {
      Abort();
      return Status::Unavailable(path_ + ": write failed (" + std::strerror(error) + ")");
    }
    temp_.clear();
    return Status::Ok();
  }

  // Closes the file and removes a temporary one (after a failure).
  void Abort() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (release_.joinable()) release_.join();
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
  }

 private:
  // For an existing regular file with one link, owned by us: creates the temporary file and
  // starts truncating the old report on a helper thread. False when the report is to be
  // written in place.
  bool OpenReplacement() {
    struct stat st;
    if (::lstat(path_.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
        st.st_uid != ::geteuid())
      return false;
    const int old = ::open(path_.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (old < 0) return false;
    struct stat ost;
    if (::fstat(old, &ost) != 0 || ost.st_dev != st.st_dev || ost.st_ino != st.st_ino ||
        ost.st_nlink != 1) {
      ::close(old);
      return false;
    }
    temp_ = path_ + ".tmp-" + std::to_string(::getpid());
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0 || ::fchmod(fd_, ost.st_mode & 07777) != 0) {
      if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(temp_.c_str());
      }
      fd_ = -1;
      temp_.clear();
      ::close(old);
      return false;
    }
    seekable_ = true;
    // The old report is replaced either way (as an in-place write would have truncated it);
    // freeing its pages and blocks now overlaps that work with formatting the new one.
    release_ = std::thread([old] {
      (void)::ftruncate(old, 0);
      ::close(old);
    });
    return true;
  }

  std::string path_;
  std::string temp_;  // non-empty: the file being written, renamed to path_ by Commit
  int fd_ = -1;
  bool seekable_ = false;
  bool no_fallocate_ = false;
  uint64_t reserved_ = 0;  // bytes preallocated
  std::thread release_;    // truncates the report being replaced
};

}  // namespace

// Formats blocks of subjects on `threads` workers, each of which also writes its own blocks
// with pwrite(2) at their final offsets. The offset of block b is known as soon as block b − 1
// has been formatted (not written), so a worker waits only for its predecessor's formatting;
// then one worker copies its block into the page cache while the other formats the next one.
// (An earlier design funnelled every block through one writer thread: on 2 cores three busy
// threads competed, and the kernel copy — the largest single cost of `analyse` — ran on one
// core with the formatting waiting behind a ring of buffers.) Each worker reuses its buffers,
// so memory stays bounded (at most kMaxPending blocks per worker, below) whatever the report's
// size. When the file is not a regular file (a pipe, /dev/stdout), blocks are written with
// write(2), strictly in order.
Status WriteReports(const std::string& path, const analytics::CampaignAnalysis& analysis,
                    const std::vector<std::string>& subject_ids, int threads,
                    std::atomic<uint64_t>* subjects_written) {
  ReportFile file;
  TRELLIS_RETURN_IF_ERROR(file.Open(path));
  const int fd = file.fd();
  const bool seekable = file.seekable();
  constexpr size_t kBlock = 128;
  const size_t blocks = (subject_ids.size() + kBlock - 1) / kBlock;
  std::mutex mu;
  std::condition_variable cv;
  size_t placed = 0;        // blocks whose offset is assigned (0 .. placed−1)
  uint64_t placed_end = 0;  // where block `placed` starts
  bool failed = false;
  int write_errno = 0;
  std::atomic<size_t> next{0};
  // Writes `text` at `at` (a regular file) or next (otherwise); false after recording a failure.
  auto write_all = [&](const BlockText& text, uint64_t at) {
    for (size_t done = 0; done < text.size;) {
      const ssize_t n = seekable ? ::pwrite(fd, text.data.get() + done, text.size - done,
                                            static_cast<off_t>(at + done))
                                 : ::write(fd, text.data.get() + done, text.size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        std::lock_guard<std::mutex> lock(mu);
        if (!failed) write_errno = n < 0 ? errno : EIO;
        failed = true;
        cv.notify_all();
        return false;
      }
      done += static_cast<size_t>(n);
    }
    return true;
  };
  // Regular file: the workers take turns at the file through `write_mu`. A worker that finds
  // it taken keeps its block and formats the next one rather than waiting (in the kernel, a
  // second pwrite spins on the inode lock: 4 % of the CPU time in a perf profile); it writes
  // what it holds when it next gets the lock, or waits for it once it holds kMaxPending blocks.
  constexpr size_t kMaxPending = 4;
  std::mutex write_mu;
  struct Pending {
    uint64_t at;
    BlockText text;
    size_t subjects;
  };
  auto work = [&] {
    formats::ReportLineCaches caches;
    BlockText text;
    std::vector<Pending> pending;
    std::vector<BlockText> spare;
    auto flush = [&] {  // with write_mu held
      for (Pending& p : pending) {
        if (!write_all(p.text, p.at)) return false;
        if (subjects_written) subjects_written->fetch_add(p.subjects);
        spare.push_back(std::move(p.text));
      }
      pending.clear();
      return true;
    };
    for (size_t b; (b = next.fetch_add(1)) < blocks;) {
      const size_t first = b * kBlock, end = std::min(subject_ids.size(), first + kBlock);
      text.size = 0;
      for (size_t s = first; s < end; ++s) {
        char* at = text.Room(formats::ReportLineBound(analysis, subject_ids[s]));
        text.size += static_cast<size_t>(
            formats::WriteReportLine(analysis, s, subject_ids[s], at, &caches) - at);
      }
      uint64_t at;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return failed || placed == b; });
        if (failed) return;
        at = placed_end;
        placed_end += text.size;
        file.Reserve(placed_end);
        if (seekable) placed = b + 1;  // else only once written (below), to keep the order
      }
      if (seekable) {
        cv.notify_all();
        pending.push_back({at, std::move(text), end - first});
        text = BlockText();
        if (!spare.empty()) {
          text = std::move(spare.back());
          spare.pop_back();
        }
        std::unique_lock<std::mutex> turn(write_mu, std::defer_lock);
        if (pending.size() >= kMaxPending)
          turn.lock();
        else if (!turn.try_lock())
          continue;
        if (!flush()) return;
        continue;
      }
      if (!write_all(text, at)) return;
      {
        std::lock_guard<std::mutex> lock(mu);
        placed = b + 1;
      }
      cv.notify_all();
      if (subjects_written) subjects_written->fetch_add(end - first);
    }
    if (!pending.empty()) {
      std::lock_guard<std::mutex> turn(write_mu);
      flush();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::max(1, threads); ++t) pool.emplace_back(work);
  work();  // this thread is a worker too
  for (std::thread& t : pool) t.join();
  if (failed) {
    file.Abort();
    return Status::Unavailable(path + ": write failed (" + std::strerror(write_errno) + ")");
  }
  return file.Commit(placed_end);
}

}  // namespace trellis::cli
