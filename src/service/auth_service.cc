// service/auth_service.cc — argon2id hashing under a concurrency cap, sign-in with a failure
// limit, sessions stored as token hashes, CSRF and role checks. libsodium stays in this file.
#include "service/auth_service.h"

#include <sodium.h>

#include <algorithm>
#include <utility>

#include "core/ids.h"
#include "service/directory_service.h"

namespace trellis::service {
namespace {

static_assert(crypto_pwhash_OPSLIMIT_INTERACTIVE == 2);
static_assert(crypto_pwhash_MEMLIMIT_INTERACTIVE == size_t{64} << 20);

constexpr size_t kTokenBytes = 32;  // 256 bits
// Last activity is written at most this often, so each page view need not write the database;
// the idle timeout is therefore enforced to within this interval.
constexpr std::chrono::seconds kTouchInterval{60};

const char kWrongCredentials[] = "wrong email or password";
const char kTooManyFailures[] = "too many failed sign-ins; try again later";
const char kNotSignedIn[] = "not signed in";
const char kExpired[] = "your session has expired; sign in again";

std::string RandomToken() {
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return text;
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

Principal PrincipalOf(const model::Account& account, std::string csrf) {
  return {account.id,           account.partnership_id, account.role,   account.email,
          account.display_name, account.person_id,      std::move(csrf)};
}

}  // namespace

// One of the max_concurrent_hashes hashing slots; released on destruction.
class AuthService::HashSlot {
 public:
  explicit HashSlot(std::counting_semaphore<1024>& slots) : slots_(slots) {}
  ~HashSlot() { slots_.release(); }
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;

 private:
  std::counting_semaphore<1024>& slots_;
};

AuthService::AuthService(storage::DirectoryStore& store, Options options)
    : store_(store),
      options_(std::move(options)),
      hash_slots_(std::clamp(options_.max_concurrent_hashes, 1, 1024)) {
  if (!options_.weak_hashing_for_tests) {
    options_.opslimit = std::max<uint64_t>(options_.opslimit, kMinOpsLimit);
    options_.memlimit_bytes = std::max(options_.memlimit_bytes, kMinMemLimitBytes);
  }
  options_.opslimit = std::max<uint64_t>(options_.opslimit, crypto_pwhash_OPSLIMIT_MIN);
  options_.memlimit_bytes = std::max<size_t>(options_.memlimit_bytes, crypto_pwhash_MEMLIMIT_MIN);
  sodium_ready_ = sodium_init() >= 0;
}

AuthService::~AuthService() = default;

std::string AuthService::Now() const {
  return UtcText(options_.clock ? options_.clock() : SystemNow());
}

Result<std::unique_ptr<AuthService::HashSlot>> AuthService::AcquireSlot() {
  if (!hash_slots_.try_acquire_for(options_.hash_wait))
    return Status::Unavailable("too many sign-ins at once; try again in a moment");
  return std::make_unique<HashSlot>(hash_slots_);
}

Result<std::string> AuthService::HashPassword(std::string_view password) {
  if (!sodium_ready_) return Status::Internal("libsodium could not be initialised");
  Result<std::unique_ptr<HashSlot>> slot = AcquireSlot();
  if (!slot.ok()) return slot.status();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), options_.opslimit,
                            options_.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status::Unavailable("not enough memory to hash a password; try again later");
  return std::string(hash);
}

const std::string& AuthService::DummyHash() {
  // A hash with the current parameters of a password nobody knows: verifying against it costs
  // what verifying a real account costs, so an unknown email is not faster to reject.
  std::call_once(dummy_once_, [this] {
    const std::string secret = RandomToken();
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, secret.data(), secret.size(), options_.opslimit,
                              options_.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13) == 0)
      dummy_hash_ = hash;
  });
  return dummy_hash_;
}

Status AuthService::CheckPasswordPolicy(std::string_view password, std::string_view email) {
  if (CodePoints(password) < kMinPasswordLength)
    return Status::InvalidArgument("the password must be at least " +
                                   std::to_string(kMinPasswordLength) + " characters long");
  if (password.size() > kMaxPasswordBytes)
    return Status::InvalidArgument("the password must be at most " +
                                   std::to_string(kMaxPasswordBytes) + " bytes long");
  const std::string p = storage::EmailKey(password), e = storage::EmailKey(email);
  const std::string local = e.substr(0, e.find('@'));
  if (p == e || p == local)
    return Status::InvalidArgument("the password must not be the email address");
  return Status::Ok();
}

Result<model::Account> AuthService::CreateAccount(const NewAccount& input,
                                                  std::string_view password,
                                                  std::string_view actor) {
  model::Account account;
  account.id = NewId("acc");
  account.partnership_id = input.partnership_id;
  account.email = input.email;
  account.display_name = input.display_name;
  account.role = input.role;
  account.person_id = input.person_id;
  if (!IsEmailAddress(account.email))
    return Status::InvalidArgument("field 'email': '" + account.email +
                                   "' is not an email address");
  if (account.display_name.empty()) return Status::InvalidArgument("field 'name': empty");
  TRELLIS_RETURN_IF_ERROR(CheckPasswordPolicy(password, account.email));
  // Cheap checks before the expensive hash.
  Result<storage::AccountCredentials> existing = store_.FindAccountForSignIn(account.email);
  if (existing.ok())
    return Status::AlreadyExists("an account with the email '" + account.email +
                                 "' already exists (an email signs in to one partnership)");
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  TRELLIS_RETURN_IF_ERROR(store_.GetPartnership(account.partnership_id).status());
  Result<std::string> hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  storage::AuditEntry audit{NewId("aud"),
                            account.partnership_id,
                            0,
                            Now(),
                            std::string(actor),
                            "account.created",
                            "account",
                            account.id,
                            "role=" + std::string(model::RoleName(account.role))};
  TRELLIS_RETURN_IF_ERROR(store_.CreateAccount(account, *hash, audit));
  return account;
}

Result<SignedIn> AuthService::Login(std::string_view email, std::string_view password,
                                    TimePoint now) {
  if (!sodium_ready_) return Status::Internal("libsodium could not be initialised");
  // Oversized input is refused before hashing (the policy caps passwords at this size).
  if (password.size() > kMaxPasswordBytes) return Status::PermissionDenied(kWrongCredentials);
  Result<storage::AccountCredentials> found = store_.FindAccountForSignIn(email);
  if (!found.ok() && found.status().code() != StatusCode::kNotFound) return found.status();
  Result<std::unique_ptr<HashSlot>> slot = AcquireSlot();
  if (!slot.ok()) return slot.status();
  if (!found.ok()) {
    const std::string& dummy = DummyHash();
    if (!dummy.empty() &&
        crypto_pwhash_str_verify(dummy.c_str(), password.data(), password.size()) == 0) {
      // Cannot happen (nobody knows the dummy password); refused all the same.
    }
    return Status::PermissionDenied(kWrongCredentials);
  }
  const model::Account& account = found->account;
  // Counted while holding a hashing slot, so concurrent attempts overshoot the limit by at
  // most max_concurrent_hashes − 1.
  Result<int> failures = store_.CountLoginFailuresSince(account.partnership_id, account.id,
                                                        UtcText(now - std::chrono::hours(1)));
  if (!failures.ok()) return failures.status();
  if (*failures >= options_.max_failures_per_hour)
    return Status::PermissionDenied(kTooManyFailures);
  if (crypto_pwhash_str_verify(found->password_hash.c_str(), password.data(), password.size()) !=
      0) {
    TRELLIS_RETURN_IF_ERROR(
        store_.RecordLoginFailure(account.partnership_id, account.id, UtcText(now)));
    return Status::PermissionDenied(kWrongCredentials);
  }
  if (crypto_pwhash_str_needs_rehash(found->password_hash.c_str(), options_.opslimit,
                                     options_.memlimit_bytes) != 0) {
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, password.data(), password.size(), options_.opslimit,
                              options_.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13) == 0) {
      // Best effort: the old hash still works if this fails.
      (void)store_.SetAccountPasswordHash(account.partnership_id, account.id, hash, {});
    }
  }
  slot->reset();
  TRELLIS_RETURN_IF_ERROR(store_.ClearLoginFailures(account.partnership_id, account.id));
  (void)store_.DeleteExpiredSessions(UtcText(now), UtcText(now - options_.idle_timeout));

  SignedIn out;
  out.token = RandomToken();
  out.expires_at = now + options_.absolute_timeout;
  out.principal = PrincipalOf(account, RandomToken());
  storage::SessionRecord session{
      SessionIdHash(out.token), account.id, out.principal.csrf_token, UtcText(now), UtcText(now),
      UtcText(out.expires_at)};
  TRELLIS_RETURN_IF_ERROR(store_.CreateSession(session));
  return out;
}

Result<Principal> AuthService::Authenticate(std::string_view token, TimePoint now) {
  const size_t expected =
      sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1;
  if (token.size() != expected) return Status::PermissionDenied(kNotSignedIn);
  const std::string id_hash = SessionIdHash(token);
  Result<storage::SessionWithAccount> found = store_.GetSession(id_hash);
  if (!found.ok() && found.status().code() == StatusCode::kNotFound)
    return Status::PermissionDenied(kNotSignedIn);
  if (!found.ok()) return found.status();
  const std::optional<TimePoint> expires = ParseUtcText(found->session.expires_at);
  const std::optional<TimePoint> last_seen = ParseUtcText(found->session.last_seen_at);
  if (!expires || !last_seen || now >= *expires || now - *last_seen >= options_.idle_timeout) {
    (void)store_.DeleteSession(id_hash);
    return Status::PermissionDenied(kExpired);
  }
  if (now - *last_seen >= kTouchInterval) {
    Status touched = store_.TouchSession(id_hash, UtcText(now));
    if (touched.code() == StatusCode::kNotFound) return Status::PermissionDenied(kNotSignedIn);
    TRELLIS_RETURN_IF_ERROR(touched);
  }
  return PrincipalOf(found->account, found->session.csrf_token);
}

Status AuthService::Logout(std::string_view token) {
  return store_.DeleteSession(SessionIdHash(token));
}

Status AuthService::CheckCsrf(const Principal& principal, std::string_view presented) {
  const std::string& expected = principal.csrf_token;
  if (expected.empty() || presented.size() != expected.size() ||
      sodium_memcmp(presented.data(), expected.data(), expected.size()) != 0)
    return Status::PermissionDenied(
        "the form has expired or did not come from Trellis; reload the page and try again");
  return Status::Ok();
}

Status AuthService::Require(const Principal& principal,
                            std::initializer_list<model::Role> allowed) {
  for (model::Role role : allowed)
    if (principal.role == role) return Status::Ok();
  return Status::PermissionDenied("your role (" + std::string(model::RoleName(principal.role)) +
                                  ") does not allow this");
}

Status AuthService::Require(const Principal& principal, model::Role role) {
  return Require(principal, {role, model::Role::kAdmin});
}

Status AuthService::SetRole(std::string_view partnership_id, std::string_view account_id,
                            model::Role role, std::string_view actor) {
  storage::AuditEntry audit{
      NewId("aud"), std::string(partnership_id), 0,
      Now(),        std::string(actor),          "account.role_changed",
      "account",    std::string(account_id),     "role=" + std::string(model::RoleName(role))};
  return store_.SetAccountRole(partnership_id, account_id, role, audit);
}

Status AuthService::SetPassword(std::string_view partnership_id, std::string_view account_id,
                                std::string_view password, std::string_view actor) {
  Result<storage::StoredAccount> account = store_.GetAccount(partnership_id, account_id);
  if (!account.ok()) return account.status();
  TRELLIS_RETURN_IF_ERROR(CheckPasswordPolicy(password, account->account.email));
  Result<std::string> hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  storage::AuditEntry audit{NewId("aud"), std::string(partnership_id), 0,
                            Now(),        std::string(actor),          "account.password_changed",
                            "account",    std::string(account_id),     ""};
  TRELLIS_RETURN_IF_ERROR(store_.SetAccountPasswordHash(partnership_id, account_id, *hash, audit));
  return store_.DeleteAccountSessions(partnership_id, account_id).status();
}

std::string AuthService::SessionIdHash(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace trellis::service
