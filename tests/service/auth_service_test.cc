// AuthService against a real SQLite database in a temporary directory, with time moved by
// hand: password policy and hashing parameters, sign-in, idle and absolute timeouts, the
// failed sign-in limit, CSRF, role checks, that session tokens are never stored, audit entries
// and isolation between partnerships. Hashing uses reduced argon2 costs (an explicit test
// option) except where the defaults themselves are checked.
#include "service/auth_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "service/directory_service.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/temp_dir.h"

namespace trellis::service {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr char kPassword[] = "correct horse battery";

AuthService::Options FastOptions() {
  AuthService::Options o;
  o.opslimit = 1;
  o.memlimit_bytes = 8192;
  o.weak_hashing_for_tests = true;
  return o;
}

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<storage::SqliteStore>> store =
        storage::SqliteStore::Open((dir_.path() / "trellis.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    directory_ = std::move(*storage::OpenDirectoryStore(*store_));
    DirectoryService directory(*directory_);
    alpha_ = directory.CreatePartnership("Alpha ICP", "cli")->id;
    beta_ = directory.CreatePartnership("Beta ICP", "cli")->id;
    AuthService::Options options = FastOptions();
    options.clock = [this] { return now_; };
    auth_ = std::make_unique<AuthService>(*directory_, options);
    Result<model::Account> admin = auth_->CreateAccount(
        {alpha_, "Ann@Example.org", "Ann Admin", model::Role::kAdmin, ""}, kPassword, "cli");
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    admin_ = *admin;
  }

  SignedIn SignIn(const std::string& email = "ann@example.org",
                  const std::string& password = kPassword) {
    Result<SignedIn> s = auth_->Login(email, password, now_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : SignedIn{};
  }

  testing::TempDir dir_;
  TimePoint now_ = *ParseUtcText("2026-03-01T09:00:00Z");
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::DirectoryStore> directory_;
  std::unique_ptr<AuthService> auth_;
  std::string alpha_, beta_;
  model::Account admin_;
};

TEST(AuthServiceHashing, DefaultsAreArgon2idWithSixtyFourMebibytesAndTwoPasses) {
  AuthService::Options defaults;
  EXPECT_GE(defaults.opslimit, AuthService::kMinOpsLimit);
  EXPECT_GE(defaults.memlimit_bytes, AuthService::kMinMemLimitBytes);
  EXPECT_EQ(defaults.max_concurrent_hashes, 2);
  testing::TempDir dir;
  auto store = storage::SqliteStore::Open((dir.path() / "t.db").string());
  ASSERT_TRUE(store.ok());
  auto directory = storage::OpenDirectoryStore(**store);
  ASSERT_TRUE(directory.ok());
  AuthService auth(**directory);
  Result<std::string> hash = auth.HashPassword(kPassword);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << *hash;
}

TEST(AuthServiceHashing, CostsBelowTheFloorAreRaisedUnlessATestAsks) {
  testing::TempDir dir;
  auto store = storage::SqliteStore::Open((dir.path() / "t.db").string());
  ASSERT_TRUE(store.ok());
  auto directory = storage::OpenDirectoryStore(**store);
  ASSERT_TRUE(directory.ok());
  AuthService::Options weak;
  weak.opslimit = 1;
  weak.memlimit_bytes = 8192;
  AuthService auth(**directory, weak);
  Result<std::string> hash = auth.HashPassword(kPassword);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
}

TEST_F(AuthServiceTest, PasswordPolicy) {
  EXPECT_EQ(AuthService::CheckPasswordPolicy("short pass", "a@b.org").message(),
            "the password must be at least 12 characters long");
  EXPECT_EQ(AuthService::CheckPasswordPolicy("ann.longname@example.org", "Ann.Longname@Example.org")
                .message(),
            "the password must not be the email address");
  EXPECT_EQ(AuthService::CheckPasswordPolicy("ann.longname", "ann.longname@example.org").message(),
            "the password must not be the email address");
  EXPECT_TRUE(AuthService::CheckPasswordPolicy("ünïcödé-pässwörd", "a@b.org").ok());
  EXPECT_EQ(AuthService::CheckPasswordPolicy("ääääääääääa", "a@b.org").code(),
            StatusCode::kInvalidArgument);  // 11 characters, 21 bytes
  Result<model::Account> weak = auth_->CreateAccount(
      {alpha_, "bob@example.org", "Bob", model::Role::kMember, ""}, "tooshort", "cli");
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AuthServiceTest, SignInGivesASessionThatAuthenticates) {
  SignedIn s = SignIn("ANN@example.org");
  EXPECT_EQ(s.token.size(), 43u);
  EXPECT_EQ(
      s.token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(s.principal.csrf_token.size(), 43u);
  EXPECT_NE(s.principal.csrf_token, s.token);
  EXPECT_EQ(s.expires_at, now_ + hours(12));
  Result<Principal> p = auth_->Authenticate(s.token, now_ + minutes(5));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->account_id, admin_.id);
  EXPECT_EQ(p->partnership_id, alpha_);
  EXPECT_EQ(p->role, model::Role::kAdmin);
  EXPECT_EQ(p->display_name, "Ann Admin");
  EXPECT_EQ(p->csrf_token, s.principal.csrf_token);
  // Two sign-ins are two sessions.
  EXPECT_NE(SignIn().token, s.token);
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownEmailGetTheSameAnswer) {
  Result<SignedIn> wrong = auth_->Login("ann@example.org", "not the password", now_);
  Result<SignedIn> unknown = auth_->Login("nobody@example.org", kPassword, now_);
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(wrong.status().ToString(), unknown.status().ToString());
  EXPECT_EQ(wrong.status().message(), "wrong email or password");
}

TEST_F(AuthServiceTest, GarbageAndUnknownTokensAreNotSignedIn) {
  for (const std::string& token : {std::string(), std::string("x"), std::string(43, 'A')}) {
    Result<Principal> p = auth_->Authenticate(token, now_);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(p.status().message(), "not signed in");
  }
}

TEST_F(AuthServiceTest, IdleSessionsExpireAfterThirtyMinutes) {
  SignedIn s = SignIn();
  ASSERT_TRUE(auth_->Authenticate(s.token, now_ + minutes(20)).ok());
  // Activity at +20 min moves the idle deadline to +50 min.
  ASSERT_TRUE(auth_->Authenticate(s.token, now_ + minutes(49)).ok());
  Result<Principal> late = auth_->Authenticate(s.token, now_ + minutes(49) + minutes(30));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(late.status().message(), "your session has expired; sign in again");
  // An expired session is gone, even if time went backwards.
  EXPECT_EQ(auth_->Authenticate(s.token, now_ + minutes(50)).status().message(), "not signed in");
}

TEST_F(AuthServiceTest, SessionsEndTwelveHoursAfterSignInHoweverActive) {
  SignedIn s = SignIn();
  TimePoint t = now_;
  for (; t < now_ + hours(12); t += minutes(20))  // the last at 11:40 after sign-in
    ASSERT_TRUE(auth_->Authenticate(s.token, t).ok());
  Result<Principal> end = auth_->Authenticate(s.token, now_ + hours(12));
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.status().message(), "your session has expired; sign in again");
}

TEST_F(AuthServiceTest, TheHundredAndFirstAttemptInAnHourIsRefusedEvenWithTheRightPassword) {
  for (int i = 0; i < 100; ++i) {
    Result<SignedIn> r = auth_->Login("ann@example.org", "wrong password " + std::to_string(i),
                                      now_ + std::chrono::seconds(i));
    ASSERT_EQ(r.status().message(), "wrong email or password") << i;
  }
  Result<SignedIn> locked = auth_->Login("ann@example.org", kPassword, now_ + minutes(10));
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(locked.status().message(), "too many failed sign-ins; try again later");
  // Other accounts are unaffected.
  ASSERT_TRUE(auth_
                  ->CreateAccount({alpha_, "bob@example.org", "Bob", model::Role::kMember, ""},
                                  kPassword, "cli")
                  .ok());
  EXPECT_TRUE(auth_->Login("bob@example.org", kPassword, now_ + minutes(10)).ok());
  // An hour after the failures, the right password works again and clears the count.
  Result<SignedIn> later = auth_->Login("ann@example.org", kPassword, now_ + minutes(61));
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ(*directory_->CountLoginFailuresSince(alpha_, admin_.id, "2000-01-01T00:00:00Z"), 0);
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
  SignedIn s = SignIn();
  ASSERT_TRUE(auth_->Logout(s.token).ok());
  EXPECT_EQ(auth_->Authenticate(s.token, now_).status().message(), "not signed in");
  EXPECT_TRUE(auth_->Logout(s.token).ok());
}

TEST_F(AuthServiceTest, CsrfTokensAreComparedExactly) {
  SignedIn s = SignIn();
  const std::string& csrf = s.principal.csrf_token;
  EXPECT_TRUE(AuthService::CheckCsrf(s.principal, csrf).ok());
  std::string flipped = csrf;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad : {flipped, csrf.substr(1), csrf + "x", std::string()}) {
    Status st = AuthService::CheckCsrf(s.principal, bad);
    EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << bad;
  }
  Principal no_token = s.principal;
  no_token.csrf_token.clear();
  EXPECT_FALSE(AuthService::CheckCsrf(no_token, "").ok());
}

TEST_F(AuthServiceTest, TheSessionTokenIsNeverStored) {
  SignedIn s = SignIn();
  EXPECT_EQ(directory_->GetSession(s.token).status().code(), StatusCode::kNotFound);
  const std::string id_hash = AuthService::SessionIdHash(s.token);
  EXPECT_NE(id_hash, s.token);
  EXPECT_EQ(id_hash.size(), 64u);
  Result<storage::SessionWithAccount> stored = directory_->GetSession(id_hash);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->session.id_hash, id_hash);
  EXPECT_EQ(stored->session.account_id, admin_.id);
  // Not in any file of the database either (main file and write-ahead log).
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(bytes.str().find(s.token), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.str().find(kPassword), std::string::npos) << entry.path();
  }
}

TEST_F(AuthServiceTest, RolesAreChecked) {
  Principal p;
  p.role = model::Role::kMember;
  EXPECT_TRUE(AuthService::Require(p, model::Role::kMember).ok());
  EXPECT_EQ(AuthService::Require(p, model::Role::kAdmin).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(AuthService::Require(p, {model::Role::kBoard}).message(),
            "your role (member) does not allow this");
  p.role = model::Role::kAdmin;
  EXPECT_TRUE(AuthService::Require(p, model::Role::kBoard).ok());
  EXPECT_FALSE(AuthService::Require(p, {model::Role::kBoard, model::Role::kMember}).ok());
  p.role = model::Role::kBoard;
  EXPECT_TRUE(AuthService::Require(p, {model::Role::kBoard, model::Role::kMember}).ok());
}

TEST_F(AuthServiceTest, RoleChangesApplyToOpenSessionsAndAreAudited) {
  SignedIn s = SignIn();
  ASSERT_TRUE(auth_->SetRole(alpha_, admin_.id, model::Role::kBoard, "acc_other").ok());
  EXPECT_EQ(auth_->Authenticate(s.token, now_)->role, model::Role::kBoard);
  Result<std::vector<storage::AuditEntry>> log = directory_->ListAudit(alpha_, 0, 2);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)[0].action, "account.role_changed");
  EXPECT_EQ((*log)[0].detail, "role=board");
  EXPECT_EQ((*log)[0].actor, "acc_other");
  EXPECT_EQ((*log)[1].action, "account.created");
  EXPECT_EQ((*log)[1].entity_id, admin_.id);
  EXPECT_EQ((*log)[1].detail, "role=admin");
  EXPECT_EQ((*log)[1].at, "2026-03-01T09:00:00Z");
  // Through another partnership the account is not there.
  EXPECT_EQ(auth_->SetRole(beta_, admin_.id, model::Role::kMember, "x").code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(directory_->ListAudit(beta_, 0, 10)->size() == 1u);  // its creation only
}

TEST_F(AuthServiceTest, ChangingThePasswordEndsSessions) {
  SignedIn s = SignIn();
  ASSERT_TRUE(auth_->SetPassword(alpha_, admin_.id, "a brand new passphrase", admin_.id).ok());
  EXPECT_EQ(auth_->Authenticate(s.token, now_).status().message(), "not signed in");
  EXPECT_FALSE(auth_->Login("ann@example.org", kPassword, now_).ok());
  EXPECT_TRUE(auth_->Login("ann@example.org", "a brand new passphrase", now_).ok());
  EXPECT_EQ(directory_->ListAudit(alpha_, 0, 1)->at(0).action, "account.password_changed");
}

TEST_F(AuthServiceTest, OneEmailSignsInToOnePartnership) {
  Result<model::Account> twin = auth_->CreateAccount(
      {beta_, "ann@EXAMPLE.org", "Ann Again", model::Role::kAdmin, ""}, kPassword, "cli");
  ASSERT_FALSE(twin.ok());
  EXPECT_EQ(twin.status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(auth_
                  ->CreateAccount({beta_, "bea@example.org", "Bea", model::Role::kMember, ""},
                                  kPassword, "cli")
                  .ok());
  Result<SignedIn> bea = auth_->Login("bea@example.org", kPassword, now_);
  ASSERT_TRUE(bea.ok());
  EXPECT_EQ(bea->principal.partnership_id, beta_);
  EXPECT_EQ(bea->principal.role, model::Role::kMember);
}

TEST_F(AuthServiceTest, WeakerStoredHashesAreUpgradedAtSignIn) {
  AuthService::Options stronger = FastOptions();
  stronger.opslimit = 2;
  AuthService upgraded(*directory_, stronger);
  ASSERT_TRUE(upgraded.Login("ann@example.org", kPassword, now_).ok());
  Result<storage::AccountCredentials> creds = directory_->FindAccountForSignIn("ann@example.org");
  ASSERT_TRUE(creds.ok());
  EXPECT_NE(creds->password_hash.find(",t=2,"), std::string::npos) << creds->password_hash;
  EXPECT_TRUE(upgraded.Login("ann@example.org", kPassword, now_).ok());
}

}  // namespace
}  // namespace trellis::service
