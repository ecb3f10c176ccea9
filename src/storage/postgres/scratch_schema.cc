// storage/postgres/scratch_schema.cc — ScratchSchema: CREATE SCHEMA on construction, DROP
// SCHEMA … CASCADE on destruction.
#include "storage/postgres/scratch_schema.h"

#include <random>

#include "storage/postgres/postgres_db.h"

namespace trellis::storage::postgres {

namespace {

std::string RandomSuffix() {
  std::random_device rd;
  std::uniform_int_distribution<uint64_t> dist;
  const uint64_t bits = (static_cast<uint64_t>(rd()) << 32) ^ rd() ^ dist(rd);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) out += kHex[(bits >> (4 * i)) & 0xF];
  return out;
}

}  // namespace

ScratchSchema::ScratchSchema(std::unique_ptr<Connection> conn, std::string name, std::string url)
    : conn_(std::move(conn)), name_(std::move(name)), url_(std::move(url)) {}

Result<std::unique_ptr<ScratchSchema>> ScratchSchema::Create(const std::string& server_url) {
  Result<ServerAddress> address = ParseServerAddress(server_url);
  if (!address.ok()) return address.status();
  if (server_url.find("options") != std::string::npos) {
    return Status::InvalidArgument(address->display +
                                   ": the URL already sets `options`; a scratch schema sets "
                                   "options=-csearch_path=…, so remove them");
  }
  // Lower-case letters, digits and '_' only: needs no quoting in the search_path option.
  const std::string name = "trellis_test_" + RandomSuffix();
  std::string url = server_url;
  if (url.find("://") != std::string::npos) {
    url += url.find('?') == std::string::npos ? "?" : "&";
    url += "options=-csearch_path%3D" + name;
  } else {
    url += " options='-csearch_path=" + name + "'";
  }
  Result<std::unique_ptr<Connection>> conn = Connection::Open(server_url, *address, 5000);
  if (!conn.ok()) return conn.status();
  Result<std::string> quoted = (*conn)->QuoteIdentifier(name);
  if (!quoted.ok()) return quoted.status();
  // DDL takes no parameters; the name is generated above and quoted by libpq.
  TRELLIS_RETURN_IF_ERROR(
      (*conn)->ExecScript("CREATE SCHEMA " + *quoted, "creating scratch schema " + name));
  return std::unique_ptr<ScratchSchema>(new ScratchSchema(std::move(*conn), name, std::move(url)));
}

ScratchSchema::~ScratchSchema() {
  Result<std::string> quoted = conn_->QuoteIdentifier(name_);
  if (quoted.ok()) {
    (void)conn_->ExecScript("DROP SCHEMA IF EXISTS " + *quoted + " CASCADE",
                            "dropping scratch schema " + name_);
  }
}

}  // namespace trellis::storage::postgres
