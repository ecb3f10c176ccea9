// service/auth_service.h — staff accounts and sign-in: argon2id password hashes (libsodium
// crypto_pwhash_str), sessions identified by a 256-bit random token of which only a SHA-256
// hash is stored, idle and absolute timeouts, CSRF tokens compared in constant time, a limit
// on failed sign-ins per account, and role checks. Used by `trellis user add` and the web
// server's sign-in, session and CSRF middleware.
// Memory: each hash takes `memlimit_bytes`; at most `max_concurrent_hashes` run at once (a
// counting semaphore), so a sign-in flood cannot exhaust memory — excess callers wait up to
// `hash_wait`, then get kUnavailable.
// Thread-safe: the semaphore and the lazily made dummy hash are the only shared state.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <string_view>

#include "core/status.h"
#include "model/partnership.h"
#include "service/utc_time.h"
#include "storage/directory_store.h"

namespace trellis::service {

// Who is signed in, as every request handler sees it.
struct Principal {
  std::string account_id;
  std::string partnership_id;
  model::Role role = model::Role::kMember;
  std::string email;
  std::string display_name;
  std::string person_id;   // the Person this account is, or ""
  std::string csrf_token;  // to embed in forms and compare with CheckCsrf
};

// What a successful sign-in hands the web layer: the session cookie value (`token`, shown
// once, never stored) and who signed in.
struct SignedIn {
  std::string token;  // base64url (no padding) of 32 random bytes: 43 characters
  Principal principal;
  TimePoint expires_at;  // absolute end of the session
};

struct NewAccount {
  std::string partnership_id;
  std::string email;
  std::string display_name;
  model::Role role = model::Role::kMember;
  std::string person_id;  // or ""
};

// How AuthService hashes, limits and times out (see AuthService).
struct AuthServiceOptions {
  uint64_t opslimit = 2;                     // crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t memlimit_bytes = size_t{64} << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
  // Tests only: allow opslimit / memlimit below the floor (otherwise they are raised to it).
  bool weak_hashing_for_tests = false;
  int max_concurrent_hashes = 2;
  std::chrono::milliseconds hash_wait = std::chrono::seconds(10);
  std::chrono::seconds idle_timeout = std::chrono::minutes(30);
  std::chrono::seconds absolute_timeout = std::chrono::hours(12);
  // Failed sign-ins allowed per account in any hour; the next attempt is refused.
  int max_failures_per_hour = 100;
  // For account changes (CreateAccount, SetRole, SetPassword); nullptr → the system clock.
  // Login and Authenticate take the time as an argument instead.
  Clock clock;
};

class AuthService {
 public:
  // Argon2id cost floor (OWASP: m = 19 MiB, t = 2). The defaults are libsodium's INTERACTIVE
  // limits, above the floor: t = 2, m = 64 MiB, p = 1.
  static constexpr uint64_t kMinOpsLimit = 2;
  static constexpr size_t kMinMemLimitBytes = size_t{19} << 20;
  static constexpr size_t kMinPasswordLength = 12;  // in characters (UTF-8 code points)
  static constexpr size_t kMaxPasswordBytes = 1024;

  using Options = AuthServiceOptions;

  // `store` must outlive the service.
  explicit AuthService(storage::DirectoryStore& store, Options options = {});
  ~AuthService();
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // The password policy: at least 12 characters, at most 1024 bytes, not the email address
  // (nor its part before the @), ignoring case. kInvalidArgument with a message that says so.
  static Status CheckPasswordPolicy(std::string_view password, std::string_view email);

  // Creates an account with `password` hashed (audited as "account.created" by `actor`).
  // kInvalidArgument for a malformed email, empty display name or a password breaking the
  // policy; kAlreadyExists if an account has the email (in any partnership: an email signs in
  // to one partnership); kNotFound for an unknown partnership; kUnavailable when hashing
  // cannot get memory or a slot in time.
  Result<model::Account> CreateAccount(const NewAccount& account, std::string_view password,
                                       std::string_view actor);

  // Signs in. kPermissionDenied "wrong email or password" for an unknown email or a wrong
  // password (an unknown email costs the same hash as a known one); kPermissionDenied "too
  // many failed sign-ins; try again later" once the account has max_failures_per_hour failed
  // attempts in the hour before `now`, even with the right password; kUnavailable when too
  // many sign-ins are hashing at once. A success clears the account's failures, re-hashes a
  // password stored with weaker parameters, and removes expired sessions.
  Result<SignedIn> Login(std::string_view email, std::string_view password, TimePoint now);

  // The principal of the session whose token is `token`, refreshing its last activity.
  // kPermissionDenied "not signed in" for an unknown or malformed token;
  // kPermissionDenied "your session has expired; sign in again" after idle_timeout without
  // activity or absolute_timeout after sign-in (the session is then removed).
  Result<Principal> Authenticate(std::string_view token, TimePoint now);

  // Ends the session of `token` (OK if there is none).
  Status Logout(std::string_view token);

  // OK when `presented` equals the session's CSRF token (constant-time compare);
  // kPermissionDenied otherwise.
  static Status CheckCsrf(const Principal& principal, std::string_view presented);

  // OK when the principal's role is in `allowed`; kPermissionDenied otherwise.
  static Status Require(const Principal& principal, std::initializer_list<model::Role> allowed);
  // OK for `role` or admin (an admin may do anything in their partnership).
  static Status Require(const Principal& principal, model::Role role);

  // Changes an account's role, audited "account.role_changed". kNotFound if the partnership
  // has no such account.
  Status SetRole(std::string_view partnership_id, std::string_view account_id, model::Role role,
                 std::string_view actor);
  // Sets a new password (policy-checked), audited "account.password_changed", and ends every
  // session of the account. kNotFound as SetRole; kInvalidArgument for the policy.
  Status SetPassword(std::string_view partnership_id, std::string_view account_id,
                     std::string_view password, std::string_view actor);

  // The stored form of a session token: lower-case hex SHA-256 of its bytes (exposed so tests
  // can check that the token itself is never stored).
  static std::string SessionIdHash(std::string_view token);

  // Hashes `password` with this service's parameters (crypto_pwhash_str output).
  // kUnavailable when out of memory or no hashing slot frees up within hash_wait.
  Result<std::string> HashPassword(std::string_view password);

 private:
  class HashSlot;
  // Waits for a hashing slot; kUnavailable after hash_wait.
  Result<std::unique_ptr<HashSlot>> AcquireSlot();
  std::string Now() const;
  const std::string& DummyHash();

  storage::DirectoryStore& store_;
  Options options_;
  std::counting_semaphore<1024> hash_slots_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  bool sodium_ready_ = false;
};

}  // namespace trellis::service
