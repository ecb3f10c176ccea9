// cli/analyse_output.cc — the report file of `trellis analyse` (see analyse_output.h).
//
// Why the file handling is hand-written (rather than one std::ofstream): writing the 368 MiB
// report of the benchmark campaign is the largest single cost of `analyse`, and most of it is
// the kernel's, in ways an ordinary "open with O_TRUNC, write, close" makes worse on ext4 (the
// project machine's file system), measured with strace and perf:
// - An existing report is overwritten in place: opened without O_TRUNC, written at the same
//   offsets, and cut to the new length at the end. Truncating it at open freed its page cache
//   and blocks (and waited for pages still under writeback) before the first byte was written,
//   0.1–0.2 s with everyone waiting; writing a temporary file renamed over it at the end (the
//   design before) still paid for freeing the old report's ~94,000 pages and their buffers and
//   for allocating as many new ones: in place, the writes reuse both (A/B, three sets of 10–12
//   alternating runs replacing a report: 17–35 ms less wall time, 35–56 ms less CPU time).
//   The cost is that the report is not replaced atomically: a reader during the write (~0.2 s
//   for a national campaign) may see old and new lines mixed, as with `> FILE` it would see a
//   partial file. A failed write empties the file, so no such mix is left behind.
// - ext4 allocates blocks late (delayed allocation) and, for a file that was truncated to zero,
//   forces that allocation when it is closed ("auto_da_alloc"): the close started writeback of
//   the whole report, 0.07–0.25 s. Space beyond the old report is reserved with fallocate(2)
//   ahead of the writes, which leaves nothing to allocate late and skips the per-page
//   reservation; the file is never truncated to zero, and the unused tail is cut off at the
//   end. Best effort: a file system without fallocate is written as before.
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

// A block's text, written in place by formats::WriteReportLine: a buffer of at least the
// block's bound, left uninitialised (the bound is ~4 × the text, and its untouched pages are
// never faulted in), and the length written.
struct BlockText {
  std::unique_ptr<char[]> data;
  size_t capacity = 0;
  size_t size = 0;

  void Reserve(size_t bytes) {
    if (bytes <= capacity) return;
    data = std::make_unique_for_overwrite<char[]>(bytes);
    capacity = bytes;
  }
};

// The report file, written in place.
class ReportFile {
 public:
  ReportFile() = default;
  ReportFile(const ReportFile&) = delete;
  ReportFile& operator=(const ReportFile&) = delete;
  ~ReportFile() { Abort(); }

  Status Open(const std::string& path) {
    path_ = path;
    // Not O_TRUNC: an existing report is overwritten where it is (see the file comment).
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0)
      return Status::FailedPrecondition(path + ": cannot write (" + std::strerror(errno) + ")");
    struct stat st;
    seekable_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    // The old report's blocks are allocated already; only what lies beyond them is reserved.
    if (seekable_) reserved_ = static_cast<uint64_t>(st.st_size);
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

  // Cuts the file to the `size` bytes written (dropping the preallocated tail, or the rest of a
  // longer old report) and closes it.
  Status Commit(uint64_t size) {
    int error = 0;
    if (seekable_ && ::ftruncate(fd_, static_cast<off_t>(size)) != 0) error = errno;
    if (::close(fd_) != 0 && error == 0) error = errno;
    fd_ = -1;
    if (error != 0) {
      if (seekable_) EmptyAfterFailure();
      return Status::Unavailable(path_ + ": write failed (" + std::strerror(error) + ")");
    }
    return Status::Ok();
  }

  // After a failure: empties a regular file, so that no mix of old and new lines is left that
  // could pass for a report, and closes it.
  void Abort() {
    if (fd_ < 0) return;
    if (seekable_) (void)::ftruncate(fd_, 0);
    ::close(fd_);
    fd_ = -1;
  }

 private:
  void EmptyAfterFailure() {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::ftruncate(fd, 0);
    ::close(fd);
  }

  std::string path_;
  int fd_ = -1;
  bool seekable_ = false;
  bool no_fallocate_ = false;
  uint64_t reserved_ = 0;  // bytes allocated or preallocated
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
      size_t bound = 0;
      for (size_t s = first; s < end; ++s)
        bound += formats::ReportLineBound(analysis, subject_ids[s]);
      text.Reserve(bound);
      char* p = text.data.get();
      for (size_t s = first; s < end; ++s)
        p = formats::WriteReportLine(analysis, s, subject_ids[s], p, &caches);
      text.size = static_cast<size_t>(p - text.data.get());
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
