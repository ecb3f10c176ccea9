// storage/postgres/scratch_schema.h — a uniquely named, empty schema on a PostgreSQL server,
// dropped with everything in it on destruction. For tests: each gets a fresh database without
// needing the privilege to create databases, and tests running in parallel never meet. url()
// is the server URL with search_path set to the schema, so a PostgresStore opened on it keeps
// all its tables there. Owned by one test; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace trellis::storage::postgres {

class Connection;

class ScratchSchema {
 public:
  // Creates schema "trellis_test_<random>" on the server at `server_url` (a postgres:// URL or
  // key=value string). kInvalidArgument if the URL cannot be parsed or already sets `options`
  // (which url() needs); kUnavailable if the server cannot be reached; kFailedPrecondition if
  // the role may not create schemas.
  static Result<std::unique_ptr<ScratchSchema>> Create(const std::string& server_url);

  // Drops the schema (best effort: a failure leaves a schema behind, nothing worse).
  ~ScratchSchema();
  ScratchSchema(const ScratchSchema&) = delete;
  ScratchSchema& operator=(const ScratchSchema&) = delete;

  const std::string& name() const { return name_; }
  // `server_url` with options=-csearch_path=<name>; contains the password if that did.
  const std::string& url() const { return url_; }

 private:
  ScratchSchema(std::unique_ptr<Connection> conn, std::string name, std::string url);

  std::unique_ptr<Connection> conn_;  // kept open to drop the schema with
  std::string name_;
  std::string url_;
};

}  // namespace trellis::storage::postgres
