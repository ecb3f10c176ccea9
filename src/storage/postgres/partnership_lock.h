// storage/postgres/partnership_lock.h — the write lock of one partnership's data on PostgreSQL,
// shared by PostgresDirectoryStore and PostgresCampaignStore. SQLite serialises every write
// with its database write lock (BEGIN IMMEDIATE); on PostgreSQL, writes that read before they
// write (the next audit seq, "is this email taken", "is the campaign open") take a
// transaction-scoped advisory lock on their partnership instead, so they cannot race each other
// while different partnerships still write in parallel.
// Uniqueness across partnerships (partnership names, sign-in emails, link tokens) is left to
// the schema's UNIQUE constraints: a racing writer gets kAlreadyExists from the constraint.
#pragma once

#include <string_view>

#include "core/status.h"

namespace trellis::storage::postgres {

class Connection;

// Takes the write lock of `partnership_id` until the current transaction ends (the caller must
// be inside one). Two ids may hash to one key: that only makes their writers take turns.
// kUnavailable if the lock stays held past the connection's lock_timeout.
Status LockPartnership(Connection& conn, std::string_view partnership_id, std::string_view what);

}  // namespace trellis::storage::postgres
