// cli/cli_fixture.h — a test fixture that runs the built `trellis` binary (TRELLIS_BINARY_DIR)
// in a fresh temporary directory and captures what a user sees: stdout, stderr, exit code.
// Shared by the CLI end-to-end tests; header-only.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "formats/framework_io.h"
#include "service/framework_service.h"
#include "testing/temp_dir.h"

namespace trellis::cli {

struct Outcome {  // of one run of the binary
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string BuiltInFramework(const std::string& file) {
  return std::string(TRELLIS_SOURCE_DIR) + "/frameworks/" + file;
}

class CliTest : public ::testing::Test {
 protected:
  // Runs `trellis ARGS` in the test directory (arguments are passed to the shell as written).
  Outcome Trellis(const std::string& args) {
    const std::filesystem::path out = dir_.path() / "stdout.txt";
    const std::filesystem::path err = dir_.path() / "stderr.txt";
    const std::string command = "cd '" + dir_.path().string() + "' && '" +
                                std::string(TRELLIS_BINARY_DIR) + "/trellis' " + args + " >'" +
                                out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(command.c_str());
    Outcome run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = ReadAll(out);
    run.err = ReadAll(err);
    return run;
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_.path() / name, std::ios::binary) << text;
    return (dir_.path() / name).string();
  }

  // "8 domains, 25 competencies, 75 items" for a framework file, counted independently of the
  // binary.
  static std::string SizesOf(const std::string& path) {
    Result<model::Framework> f = formats::LoadFrameworkFile(path);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    if (!f.ok()) return "";
    service::FrameworkSize size = service::SizeOf(*f);
    return std::to_string(size.domains) + " domains, " + std::to_string(size.competencies) +
           " competencies, " + std::to_string(size.items) + " items";
  }

  testing::TempDir dir_;
};

}  // namespace trellis::cli
