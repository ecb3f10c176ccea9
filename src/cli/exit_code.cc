// cli/exit_code.cc — the one place a StatusCode becomes a process exit code.
#include <iostream>

#include "cli/cli.h"

namespace trellis::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kPermissionDenied:
      return 1;
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
      return 2;
  }
  return 2;
}

int Report(const Status& status) {
  if (!status.ok()) std::cerr << "trellis: " << status.message() << "\n";
  return ExitCodeFor(status);
}

}  // namespace trellis::cli
