// The DirectoryStore contract: every backend in Backends() (contract/store_backends.h), opened
// through OpenDirectoryStore on the backend's Store, must pass these. They state what the
// services rely on: round trips, atomic batches, erasure tombstones, sessions and failed
// sign-ins, the audit log's order — and that no method reaches into another partnership.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "contract/store_backends.h"
#include "storage/directory_store.h"

namespace trellis::testing {
namespace {

using storage::AuditEntry;
using storage::DirectoryStore;
using storage::PeopleChanges;
using storage::PersonFilter;
using storage::SessionRecord;
using storage::StoredPerson;

class DirectoryStoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    instance_ = GetParam().create();
    if (instance_ == nullptr) GTEST_SKIP() << GetParam().name << " is not configured here";
    Reopen();
    if (HasFatalFailure()) return;
    CreatePartnership("ptn_a", "Alpha ICP");
    CreatePartnership("ptn_b", "Beta ICP");
    AddOrg("ptn_a", "org_a1", "North Trust");
    AddOrg("ptn_a", "org_a2", "City Council");
    AddOrg("ptn_b", "org_b1", "North Trust");
  }

  void Reopen() {
    directory_.reset();
    Result<std::unique_ptr<storage::Store>> store = instance_->Open();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    Result<std::unique_ptr<DirectoryStore>> directory = storage::OpenDirectoryStore(*store_);
    ASSERT_TRUE(directory.ok()) << directory.status().ToString();
    directory_ = std::move(*directory);
  }

  static AuditEntry Audit(const std::string& partnership, const std::string& action,
                          const std::string& entity = "x") {
    return {"", partnership, 0, "2026-01-01T09:00:00Z", "cli", action, "test", entity, ""};
  }

  void CreatePartnership(const std::string& id, const std::string& name) {
    Status s = directory_->CreatePartnership({id, name, ""}, Audit(id, "partnership.created"));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void AddOrg(const std::string& partnership, const std::string& id, const std::string& name) {
    Status s = directory_->AddOrganisation({id, partnership, name, model::Sector::kAcute},
                                           Audit(partnership, "organisation.added"));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  static model::Person Person(const std::string& partnership, const std::string& id,
                              const std::string& org, const std::string& email,
                              const std::string& manager = "") {
    model::Person p;
    p.id = id;
    p.partnership_id = partnership;
    p.organisation_id = org;
    p.name = "Name of " + id;
    p.email = email;
    p.level = model::Level::kStrategic;
    p.function = model::Function::kClinical;
    p.line_manager_id = manager;
    return p;
  }

  Status Add(const std::string& partnership, std::vector<model::Person> people) {
    PeopleChanges changes;
    changes.added = std::move(people);
    return directory_->SavePeople(partnership, changes, {Audit(partnership, "person.added")});
  }

  void AddAccount(const std::string& partnership, const std::string& id, const std::string& email) {
    model::Account a{id, partnership, email, "Display " + id, model::Role::kAdmin, ""};
    Status s =
        directory_->CreateAccount(a, "$argon2id$hash-" + id, Audit(partnership, "account.created"));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::unique_ptr<BackendInstance> instance_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<DirectoryStore> directory_;
};

TEST_P(DirectoryStoreContractTest, PartnershipsRoundTripAndNamesAreUnique) {
  Result<model::Partnership> a = directory_->GetPartnership("ptn_a");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->name, "Alpha ICP");
  EXPECT_EQ(a->created_at, "2026-01-01T09:00:00Z");
  Result<model::Partnership> by_name = directory_->FindPartnershipByName("Beta ICP");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->id, "ptn_b");
  EXPECT_EQ(directory_->FindPartnershipByName("Gamma").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(directory_->GetPartnership("ptn_z").status().code(), StatusCode::kNotFound);
  Status dup = directory_->CreatePartnership({"ptn_c", "Alpha ICP", ""},
                                             Audit("ptn_c", "partnership.created"));
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  Result<std::vector<model::Partnership>> all = directory_->ListPartnerships();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Alpha ICP");
  EXPECT_EQ((*all)[1].name, "Beta ICP");
}

TEST_P(DirectoryStoreContractTest, OrganisationsAreScopedToTheirPartnership) {
  Result<std::vector<model::Organisation>> a = directory_->ListOrganisations("ptn_a");
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].name, "City Council");  // by name
  EXPECT_EQ((*a)[1].sector, model::Sector::kAcute);
  // The same name in another partnership is another organisation.
  EXPECT_EQ(directory_->ListOrganisations("ptn_b")->size(), 1u);
  EXPECT_EQ(directory_->GetOrganisation("ptn_b", "org_a1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(directory_
                ->AddOrganisation({"org_x", "ptn_a", "North Trust", model::Sector::kOther},
                                  Audit("ptn_a", "organisation.added"))
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(directory_
                ->AddOrganisation({"org_y", "ptn_z", "Nowhere", model::Sector::kOther},
                                  Audit("ptn_z", "organisation.added"))
                .code(),
            StatusCode::kNotFound);
  // Updating through the wrong partnership finds nothing and changes nothing.
  EXPECT_EQ(directory_
                ->UpdateOrganisation({"org_a1", "ptn_b", "Renamed", model::Sector::kHousing},
                                     Audit("ptn_b", "organisation.updated"))
                .code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(
      directory_
          ->UpdateOrganisation({"org_a1", "ptn_a", "North Trust FT", model::Sector::kHousing},
                               Audit("ptn_a", "organisation.updated"))
          .ok());
  Result<model::Organisation> got = directory_->GetOrganisation("ptn_a", "org_a1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "North Trust FT");
  EXPECT_EQ(got->sector, model::Sector::kHousing);
  EXPECT_EQ(directory_->GetOrganisation("ptn_b", "org_b1")->name, "North Trust");
}

TEST_P(DirectoryStoreContractTest, PeopleRoundTripWithLineManagersInTheSameBatch) {
  // The report comes before the manager: the batch is stored as a whole.
  ASSERT_TRUE(Add("ptn_a", {Person("ptn_a", "per_2", "org_a1", "Bo@Example.org", "per_1"),
                            Person("ptn_a", "per_1", "org_a2", "al@example.org")})
                  .ok());
  Result<StoredPerson> bo = directory_->GetPerson("ptn_a", "per_2");
  ASSERT_TRUE(bo.ok()) << bo.status().ToString();
  EXPECT_EQ(bo->person.name, "Name of per_2");
  EXPECT_EQ(bo->person.email, "Bo@Example.org");
  EXPECT_EQ(bo->person.line_manager_id, "per_1");
  EXPECT_EQ(bo->person.level, model::Level::kStrategic);
  EXPECT_EQ(bo->person.function, model::Function::kClinical);
  EXPECT_EQ(bo->created_at, "2026-01-01T09:00:00Z");
  EXPECT_FALSE(bo->erased());
  Result<StoredPerson> by_email = directory_->FindPersonByEmail("ptn_a", "bo@EXAMPLE.org");
  ASSERT_TRUE(by_email.ok());
  EXPECT_EQ(by_email->person.id, "per_2");
  Result<std::vector<StoredPerson>> in_org =
      directory_->ListPeople("ptn_a", PersonFilter{"org_a2", false});
  ASSERT_TRUE(in_org.ok());
  ASSERT_EQ(in_org->size(), 1u);
  EXPECT_EQ((*in_org)[0].person.id, "per_1");
  EXPECT_EQ(directory_->ListPeople("ptn_a", {})->size(), 2u);

  PeopleChanges update;
  model::Person changed = bo->person;
  changed.name = "Bo Renamed";
  changed.line_manager_id = "";
  update.updated.push_back(changed);
  ASSERT_TRUE(directory_->SavePeople("ptn_a", update, {Audit("ptn_a", "person.updated")}).ok());
  EXPECT_EQ(directory_->GetPerson("ptn_a", "per_2")->person.name, "Bo Renamed");
  EXPECT_EQ(directory_->GetPerson("ptn_a", "per_2")->person.line_manager_id, "");
}

TEST_P(DirectoryStoreContractTest, EmailsAreUniqueWithinAPartnershipIgnoringCase) {
  ASSERT_TRUE(Add("ptn_a", {Person("ptn_a", "per_1", "org_a1", "al@example.org")}).ok());
  EXPECT_EQ(Add("ptn_a", {Person("ptn_a", "per_2", "org_a1", "AL@example.org")}).code(),
            StatusCode::kAlreadyExists);
  // Another partnership may know the same person.
  EXPECT_TRUE(Add("ptn_b", {Person("ptn_b", "per_3", "org_b1", "al@example.org")}).ok());
}

TEST_P(DirectoryStoreContractTest, ABatchWithABadPersonStoresNothing) {
  // per_2's organisation belongs to partnership B.
  Status s = Add("ptn_a", {Person("ptn_a", "per_1", "org_a1", "al@example.org"),
                           Person("ptn_a", "per_2", "org_b1", "bo@example.org")});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(directory_->ListPeople("ptn_a", {})->size(), 0u);
  // A line manager of another partnership is refused too.
  ASSERT_TRUE(Add("ptn_b", {Person("ptn_b", "per_b", "org_b1", "b@example.org")}).ok());
  EXPECT_FALSE(Add("ptn_a", {Person("ptn_a", "per_3", "org_a1", "c@example.org", "per_b")}).ok());
  EXPECT_EQ(directory_->ListPeople("ptn_a", {})->size(), 0u);
  // The audit log did not record the failed batches.
  EXPECT_EQ(directory_->ListAudit("ptn_a", 0, 100)->size(), 3u);  // partnership + 2 orgs
}

TEST_P(DirectoryStoreContractTest, APersonOfOnePartnershipIsNotFoundThroughAnother) {
  ASSERT_TRUE(Add("ptn_a", {Person("ptn_a", "per_1", "org_a1", "al@example.org")}).ok());
  EXPECT_EQ(directory_->GetPerson("ptn_b", "per_1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(directory_->FindPersonByEmail("ptn_b", "al@example.org").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(directory_->ListPeople("ptn_b", {})->empty());
  EXPECT_TRUE(directory_->ListPeople("ptn_b", PersonFilter{"org_a1", true})->empty());
  EXPECT_EQ(directory_->ErasePerson("ptn_b", "per_1", Audit("ptn_b", "person.erased")).code(),
            StatusCode::kNotFound);
  PeopleChanges hijack;
  model::Person p = Person("ptn_b", "per_1", "org_b1", "al@example.org");
  hijack.updated.push_back(p);
  EXPECT_EQ(directory_->SavePeople("ptn_b", hijack, {Audit("ptn_b", "person.updated")}).code(),
            StatusCode::kNotFound);
  // A batch for B naming A's people as A's is refused outright.
  EXPECT_EQ(Add("ptn_b", {Person("ptn_a", "per_9", "org_a1", "z@example.org")}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(directory_->GetPerson("ptn_a", "per_1")->person.name, "Name of per_1");
}

TEST_P(DirectoryStoreContractTest, ErasureLeavesAnAnonymousTombstone) {
  ASSERT_TRUE(Add("ptn_a", {Person("ptn_a", "per_1", "org_a1", "al@example.org"),
                            Person("ptn_a", "per_2", "org_a1", "bo@example.org", "per_1")})
                  .ok());
  AuditEntry erase = Audit("ptn_a", "person.erased", "per_2");
  erase.at = "2026-02-01T10:00:00Z";
  ASSERT_TRUE(directory_->ErasePerson("ptn_a", "per_2", erase).ok());
  Result<StoredPerson> tomb = directory_->GetPerson("ptn_a", "per_2");
  ASSERT_TRUE(tomb.ok());
  EXPECT_TRUE(tomb->erased());
  EXPECT_EQ(tomb->erased_at, "2026-02-01T10:00:00Z");
  EXPECT_EQ(tomb->person.name, "");
  EXPECT_EQ(tomb->person.email, "");
  EXPECT_EQ(tomb->person.line_manager_id, "");
  EXPECT_EQ(tomb->person.organisation_id, "org_a1");
  EXPECT_EQ(directory_->FindPersonByEmail("ptn_a", "bo@example.org").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(directory_->ListPeople("ptn_a", {})->size(), 1u);
  EXPECT_EQ(directory_->ListPeople("ptn_a", PersonFilter{"", true})->size(), 2u);
  // Erasing again changes nothing and logs nothing; the email is free for someone new.
  const size_t entries = directory_->ListAudit("ptn_a", 0, 100)->size();
  EXPECT_TRUE(directory_->ErasePerson("ptn_a", "per_2", erase).ok());
  EXPECT_EQ(directory_->ListAudit("ptn_a", 0, 100)->size(), entries);
  EXPECT_TRUE(Add("ptn_a", {Person("ptn_a", "per_3", "org_a1", "bo@example.org")}).ok());
  // A tombstone cannot be updated back to life.
  PeopleChanges revive;
  revive.updated.push_back(Person("ptn_a", "per_2", "org_a1", "new@example.org"));
  EXPECT_EQ(directory_->SavePeople("ptn_a", revive, {Audit("ptn_a", "person.updated")}).code(),
            StatusCode::kNotFound);
}

TEST_P(DirectoryStoreContractTest, AccountsAreFoundBySignInEmailAndScopedOtherwise) {
  AddAccount("ptn_a", "acc_1", "Admin@Example.org");
  Result<storage::AccountCredentials> creds = directory_->FindAccountForSignIn("admin@example.ORG");
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->account.id, "acc_1");
  EXPECT_EQ(creds->account.partnership_id, "ptn_a");
  EXPECT_EQ(creds->password_hash, "$argon2id$hash-acc_1");
  EXPECT_EQ(directory_->FindAccountForSignIn("nobody@example.org").status().code(),
            StatusCode::kNotFound);
  // One email signs in to one partnership.
  model::Account twin{"acc_2", "ptn_b", "admin@example.org", "Twin", model::Role::kMember, ""};
  EXPECT_EQ(directory_->CreateAccount(twin, "h", Audit("ptn_b", "account.created")).code(),
            StatusCode::kAlreadyExists);

  Result<storage::StoredAccount> got = directory_->GetAccount("ptn_a", "acc_1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->account.display_name, "Display acc_1");
  EXPECT_EQ(got->account.role, model::Role::kAdmin);
  EXPECT_EQ(directory_->GetAccount("ptn_b", "acc_1").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(directory_->ListAccounts("ptn_b")->empty());
  EXPECT_EQ(directory_->ListAccounts("ptn_a")->size(), 1u);

  EXPECT_EQ(directory_
                ->SetAccountRole("ptn_b", "acc_1", model::Role::kBoard,
                                 Audit("ptn_b", "account.role_changed"))
                .code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(directory_
                  ->SetAccountRole("ptn_a", "acc_1", model::Role::kBoard,
                                   Audit("ptn_a", "account.role_changed"))
                  .ok());
  EXPECT_EQ(directory_->GetAccount("ptn_a", "acc_1")->account.role, model::Role::kBoard);
  EXPECT_EQ(directory_->SetAccountPasswordHash("ptn_b", "acc_1", "evil", {}).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(directory_->SetAccountPasswordHash("ptn_a", "acc_1", "new-hash", {}).ok());
  EXPECT_EQ(directory_->FindAccountForSignIn("admin@example.org")->password_hash, "new-hash");
}

TEST_P(DirectoryStoreContractTest, AnAccountLinksOnlyToAPersonOfItsPartnership) {
  ASSERT_TRUE(Add("ptn_b", {Person("ptn_b", "per_b", "org_b1", "b@example.org")}).ok());
  model::Account a{"acc_1", "ptn_a", "a@example.org", "A", model::Role::kMember, "per_b"};
  EXPECT_EQ(directory_->CreateAccount(a, "h", Audit("ptn_a", "account.created")).code(),
            StatusCode::kInvalidArgument);
}

TEST_P(DirectoryStoreContractTest, SessionsAreFoundByHashTouchedAndRemoved) {
  AddAccount("ptn_a", "acc_1", "a@example.org");
  SessionRecord s{"hash1",
                  "acc_1",
                  "csrf1",
                  "2026-01-01T09:00:00Z",
                  "2026-01-01T09:00:00Z",
                  "2026-01-01T21:00:00Z"};
  ASSERT_TRUE(directory_->CreateSession(s).ok());
  EXPECT_EQ(directory_->CreateSession(s).code(), StatusCode::kAlreadyExists);
  Result<storage::SessionWithAccount> got = directory_->GetSession("hash1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->session.csrf_token, "csrf1");
  EXPECT_EQ(got->session.expires_at, "2026-01-01T21:00:00Z");
  EXPECT_EQ(got->account.partnership_id, "ptn_a");
  EXPECT_EQ(got->account.email, "a@example.org");
  ASSERT_TRUE(directory_->TouchSession("hash1", "2026-01-01T09:10:00Z").ok());
  EXPECT_EQ(directory_->GetSession("hash1")->session.last_seen_at, "2026-01-01T09:10:00Z");
  EXPECT_EQ(directory_->TouchSession("nope", "2026-01-01T09:10:00Z").code(), StatusCode::kNotFound);

  SessionRecord idle{"hash2",
                     "acc_1",
                     "csrf2",
                     "2026-01-01T08:00:00Z",
                     "2026-01-01T08:00:00Z",
                     "2026-01-01T20:00:00Z"};
  ASSERT_TRUE(directory_->CreateSession(idle).ok());
  Result<size_t> removed =
      directory_->DeleteExpiredSessions("2026-01-01T09:20:00Z", "2026-01-01T08:50:00Z");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1u);
  EXPECT_EQ(directory_->GetSession("hash2").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(directory_->GetSession("hash1").ok());

  EXPECT_EQ(*directory_->DeleteAccountSessions("ptn_b", "acc_1"), 0u);
  EXPECT_TRUE(directory_->GetSession("hash1").ok());
  ASSERT_TRUE(directory_->DeleteSession("hash1").ok());
  EXPECT_TRUE(directory_->DeleteSession("hash1").ok());  // twice is fine
  EXPECT_EQ(directory_->GetSession("hash1").status().code(), StatusCode::kNotFound);
}

TEST_P(DirectoryStoreContractTest, LoginFailuresCountSinceATimeAndClear) {
  AddAccount("ptn_a", "acc_1", "a@example.org");
  for (const char* at : {"2026-01-01T08:00:00Z", "2026-01-01T09:00:00Z", "2026-01-01T09:30:00Z"})
    ASSERT_TRUE(directory_->RecordLoginFailure("ptn_a", "acc_1", at).ok());
  EXPECT_EQ(*directory_->CountLoginFailuresSince("ptn_a", "acc_1", "2026-01-01T09:00:00Z"), 2);
  EXPECT_EQ(*directory_->CountLoginFailuresSince("ptn_b", "acc_1", "2026-01-01T00:00:00Z"), 0);
  EXPECT_EQ(directory_->RecordLoginFailure("ptn_b", "acc_1", "2026-01-01T09:00:00Z").code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(directory_->ClearLoginFailures("ptn_b", "acc_1").ok());
  EXPECT_EQ(*directory_->CountLoginFailuresSince("ptn_a", "acc_1", "2026-01-01T00:00:00Z"), 3);
  ASSERT_TRUE(directory_->ClearLoginFailures("ptn_a", "acc_1").ok());
  EXPECT_EQ(*directory_->CountLoginFailuresSince("ptn_a", "acc_1", "2026-01-01T00:00:00Z"), 0);
}

TEST_P(DirectoryStoreContractTest, TheAuditLogIsOrderedPagedAndPerPartnership) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(directory_->AppendAudit(Audit("ptn_a", "event." + std::to_string(i))).ok());
  Result<std::vector<AuditEntry>> page = directory_->ListAudit("ptn_a", 0, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].action, "event.4");  // newest first, same second: by sequence
  EXPECT_EQ((*page)[1].action, "event.3");
  EXPECT_EQ((*page)[0].seq, 8);  // after partnership + 2 organisations
  EXPECT_EQ((*page)[0].actor, "cli");
  Result<std::vector<AuditEntry>> next = directory_->ListAudit("ptn_a", 2, 2);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)[0].action, "event.2");
  Result<std::vector<AuditEntry>> b = directory_->ListAudit("ptn_b", 0, 100);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 2u);  // partnership + 1 organisation
  for (const AuditEntry& e : *b) EXPECT_EQ(e.partnership_id, "ptn_b");
  EXPECT_EQ(directory_->AppendAudit(Audit("ptn_z", "event")).code(), StatusCode::kNotFound);
}

TEST_P(DirectoryStoreContractTest, TheAuditLogIsPagedByKeyWithoutRepeatsWhenEntriesArrive) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(directory_->AppendAudit(Audit("ptn_a", "event." + std::to_string(i))).ok());
  // seq 1..3: partnership + 2 organisations; 4..8: event.0..4.
  Result<std::vector<AuditEntry>> page = directory_->ListAuditBefore("ptn_a", 0, 3);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].seq, 8);
  EXPECT_EQ((*page)[0].action, "event.4");
  EXPECT_EQ((*page)[2].seq, 6);
  // An entry written between two pages does not push an entry of the first onto the second.
  ASSERT_TRUE(directory_->AppendAudit(Audit("ptn_a", "event.late")).ok());
  Result<std::vector<AuditEntry>> next = directory_->ListAuditBefore("ptn_a", (*page)[2].seq, 3);
  ASSERT_TRUE(next.ok());
  std::vector<int64_t> seqs;
  for (const AuditEntry& e : *next) seqs.push_back(e.seq);
  EXPECT_EQ(seqs, (std::vector<int64_t>{5, 4, 3}));
  EXPECT_EQ((*next)[0].action, "event.1");
  next = directory_->ListAuditBefore("ptn_a", 3, 1000);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 2u);
  EXPECT_EQ((*next)[1].seq, 1);
  EXPECT_TRUE(directory_->ListAuditBefore("ptn_a", 1, 10)->empty());
  // The newest page now starts with the late entry; another partnership's log is its own.
  EXPECT_EQ(directory_->ListAuditBefore("ptn_a", 0, 1)->at(0).action, "event.late");
  Result<std::vector<AuditEntry>> b = directory_->ListAuditBefore("ptn_b", 0, 100);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 2u);
  for (const AuditEntry& e : *b) EXPECT_EQ(e.partnership_id, "ptn_b");
}

TEST_P(DirectoryStoreContractTest, AppendAuditsStoresABatchInOrderAcrossPartnerships) {
  std::vector<AuditEntry> batch = {Audit("ptn_a", "report.viewed", "c/1"),
                                   Audit("ptn_b", "report.viewed", "c/2"),
                                   Audit("ptn_a", "report.exported", "c")};
  batch[0].id = "aud_given";
  ASSERT_TRUE(directory_->AppendAudits(batch).ok());
  Result<std::vector<AuditEntry>> a = directory_->ListAudit("ptn_a", 0, 2);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].action, "report.exported");  // newest first
  EXPECT_EQ((*a)[0].seq, 5);                     // after partnership + 2 organisations
  EXPECT_EQ((*a)[1].action, "report.viewed");
  EXPECT_EQ((*a)[1].entity_id, "c/1");
  EXPECT_EQ((*a)[1].id, "aud_given");
  EXPECT_EQ((*a)[1].seq, 4);
  EXPECT_FALSE((*a)[0].id.empty());  // made by the store
  Result<std::vector<AuditEntry>> b = directory_->ListAudit("ptn_b", 0, 1);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)[0].entity_id, "c/2");
  EXPECT_EQ((*b)[0].seq, 3);  // after partnership + 1 organisation
  EXPECT_TRUE(directory_->AppendAudits({}).ok());
  EXPECT_EQ(directory_->ListAudit("ptn_a", 0, 100)->size(), 5u);
}

TEST_P(DirectoryStoreContractTest, AppendAuditsStoresAllOrNothing) {
  const std::vector<AuditEntry> unknown = {Audit("ptn_a", "report.viewed"),
                                           Audit("ptn_z", "report.viewed")};
  EXPECT_EQ(directory_->AppendAudits(unknown).code(), StatusCode::kNotFound);
  AuditEntry no_action = Audit("ptn_a", "");
  const std::vector<AuditEntry> invalid = {Audit("ptn_a", "report.viewed"), no_action};
  EXPECT_FALSE(directory_->AppendAudits(invalid).ok());
  EXPECT_EQ(directory_->ListAudit("ptn_a", 0, 100)->size(), 3u);  // partnership + 2 orgs only
}

TEST_P(DirectoryStoreContractTest, ConcurrentAppendAuditsKeepOneSequence) {
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::vector<AuditEntry> batch = {
            Audit("ptn_a", "event", std::to_string(t) + "." + std::to_string(i) + ".a"),
            Audit("ptn_b", "event", std::to_string(t) + "." + std::to_string(i) + ".b")};
        if (!directory_->AppendAudits(batch).ok()) ++failed;
      }
    });
  }
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(failed.load(), 0);
  for (const char* p : {"ptn_a", "ptn_b"}) {
    Result<std::vector<AuditEntry>> log = directory_->ListAudit(p, 0, 1000);
    ASSERT_TRUE(log.ok());
    const int64_t before = std::string(p) == "ptn_a" ? 3 : 2;
    ASSERT_EQ(log->size(), static_cast<size_t>(before + 20));
    // Newest first: seq is dense, 1 … n, no two entries share one.
    for (size_t i = 0; i < log->size(); ++i)
      EXPECT_EQ((*log)[i].seq, static_cast<int64_t>(log->size() - i));
  }
}

TEST_P(DirectoryStoreContractTest, DataSurvivesReopening) {
  ASSERT_TRUE(Add("ptn_a", {Person("ptn_a", "per_1", "org_a1", "al@example.org")}).ok());
  AddAccount("ptn_a", "acc_1", "a@example.org");
  Reopen();
  EXPECT_TRUE(directory_->GetPerson("ptn_a", "per_1").ok());
  EXPECT_TRUE(directory_->FindAccountForSignIn("a@example.org").ok());
  EXPECT_EQ(directory_->ListOrganisations("ptn_a")->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectoryStoreContractTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace trellis::testing
