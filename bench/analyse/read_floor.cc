// bench/analyse/read_floor.cc — the floor of the analyse benchmark: the time to merely read
// the ratings file once. Reads FILE with read(2) in 1 MiB blocks on one thread and counts its
// lines (so every byte is touched), then prints "bytes lines seconds". Any analysis of the
// file must at least do this. Standard library and POSIX only.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bench_read_floor FILE\n");
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  int fd = ::open(argv[1], O_RDONLY);
  if (fd < 0) {
    std::fprintf(stderr, "bench_read_floor: %s: %s\n", argv[1], std::strerror(errno));
    return 1;
  }
  std::vector<char> buf(1 << 20);
  unsigned long long bytes = 0, lines = 0;
  for (;;) {
    ssize_t got = ::read(fd, buf.data(), buf.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "bench_read_floor: %s: %s\n", argv[1], std::strerror(errno));
      return 1;
    }
    if (got == 0) break;
    bytes += static_cast<unsigned long long>(got);
    lines += static_cast<unsigned long long>(std::count(buf.data(), buf.data() + got, '\n'));
  }
  ::close(fd);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%llu %llu %.6f\n", bytes, lines, seconds);
  return 0;
}
