// DirectoryService against a real SQLite database in a temporary directory: validation of
// organisations and people, the people CSV import (per-row errors, all or nothing, re-import
// counts), the audit log, and isolation between partnerships.
#include "service/directory_service.h"

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_store.h"
#include "testing/temp_dir.h"

namespace trellis::service {
namespace {

constexpr char kHeader[] = "name,email,organisation,level,function,line_manager_email\n";

class DirectoryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<storage::SqliteStore>> store =
        storage::SqliteStore::Open((dir_.path() / "trellis.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    Result<std::unique_ptr<storage::DirectoryStore>> directory =
        storage::OpenDirectoryStore(*store_);
    ASSERT_TRUE(directory.ok()) << directory.status().ToString();
    directory_ = std::move(*directory);
    service_ = std::make_unique<DirectoryService>(
        *directory_, DirectoryService::Options{[this] { return now_; }});
    alpha_ = Partnership("Alpha ICP");
    beta_ = Partnership("Beta ICP");
    north_ = Org(alpha_, "North Trust", "acute");
    council_ = Org(alpha_, "City Council", "local_authority");
    beta_north_ = Org(beta_, "North Trust", "acute");
  }

  std::string Partnership(const std::string& name) {
    Result<model::Partnership> p = service_->CreatePartnership(name, "cli");
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->id : "";
  }

  std::string Org(const std::string& partnership, const std::string& name,
                  const std::string& sector) {
    Result<model::Organisation> o = service_->AddOrganisation(partnership, name, sector, "cli");
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? o->id : "";
  }

  Result<PeopleImportSummary> Import(const std::string& partnership, const std::string& body,
                                     const std::string& header = kHeader) {
    return service_->ImportPeopleCsv(partnership, header + body, "people.csv", "acc_admin");
  }

  size_t PeopleIn(const std::string& partnership) {
    return service_->ListPeople(partnership, {})->size();
  }

  testing::TempDir dir_;
  TimePoint now_ = *ParseUtcText("2026-03-01T09:00:00Z");
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::DirectoryStore> directory_;
  std::unique_ptr<DirectoryService> service_;
  std::string alpha_, beta_, north_, council_, beta_north_;
};

TEST(IsEmailAddress, AcceptsAddressesAndRefusesOtherText) {
  for (const char* ok : {"a@b.co", "first.last+tag@nhs.net", "X_Y@sub.example.org"})
    EXPECT_TRUE(IsEmailAddress(ok)) << ok;
  for (const char* bad : {"", "bob", "@example.org", "a@", "a@b", "a b@c.org", "a@@c.org",
                          "a@c..org", "a@-c.org", ".a@c.org", "a,b@c.org", "<a@c.org>"})
    EXPECT_FALSE(IsEmailAddress(bad)) << bad;
}

struct BadImport {
  std::string name;
  std::string body;      // rows after kHeader
  std::string messages;  // the error lines, without the summary line
};

class PeopleImportErrorTest : public DirectoryServiceTest,
                              public ::testing::WithParamInterface<BadImport> {};

TEST_P(PeopleImportErrorTest, NamesFileLineAndFieldAndStoresNothing) {
  const BadImport& c = GetParam();
  Result<PeopleImportSummary> r = Import(alpha_, c.body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  const size_t n = static_cast<size_t>(std::count(c.messages.begin(), c.messages.end(), '\n'));
  EXPECT_EQ(r.status().message(), c.messages + "people.csv: " + std::to_string(n) +
                                      (n == 1 ? " error" : " errors") + "; nothing was imported");
  EXPECT_EQ(PeopleIn(alpha_), 0u);
}

const char kGood[] = "Al Smith,al@example.org,North Trust,strategic,generalist,\n";

INSTANTIATE_TEST_SUITE_P(
    Rows, PeopleImportErrorTest,
    ::testing::Values(
        BadImport{"BadEmail", std::string(kGood) + "Bo,bob,North Trust,operational,hr,\n",
                  "people.csv:3: field 'email': 'bob' is not an email address\n"},
        BadImport{"EmptyName", " ,bo@example.org,North Trust,operational,hr,\n",
                  "people.csv:2: field 'name': empty\n"},
        BadImport{"UnknownOrganisation", "Bo,bo@example.org,Nowhere,operational,hr,\n",
                  "people.csv:2: field 'organisation': no organisation named 'Nowhere' in this "
                  "partnership\n"},
        BadImport{"UnknownLevel", "Bo,bo@example.org,north trust,senior,hr,\n",
                  "people.csv:2: field 'level': unknown level 'senior' (expected strategic or "
                  "operational)\n"},
        BadImport{"UnknownFunction", "Bo,bo@example.org,North Trust,operational,legal,\n",
                  "people.csv:2: field 'function': unknown function 'legal' (expected one of: "
                  "generalist, clinical, hr, finance, it, data, other)\n"},
        BadImport{"DuplicateEmail",
                  std::string(kGood) + "Al 2,AL@example.org,North Trust,"
                                       "strategic,generalist,\n",
                  "people.csv:3: field 'email': 'AL@example.org' is listed twice (first at line "
                  "2)\n"},
        BadImport{"OwnLineManager", "Bo,bo@example.org,North Trust,operational,hr,bo@example.org\n",
                  "people.csv:2: field 'line_manager_email': a person cannot be their own line "
                  "manager\n"},
        BadImport{"UnknownLineManager",
                  "Bo,bo@example.org,North Trust,operational,hr,zed@example.org\n",
                  "people.csv:2: field 'line_manager_email': 'zed@example.org' is neither in "
                  "this file nor a person of the partnership\n"},
        BadImport{"LineManagerCycle",
                  "Al,al@example.org,North Trust,strategic,hr,bo@example.org\n"
                  "Bo,bo@example.org,North Trust,operational,hr,al@example.org\n",
                  "people.csv:2: field 'line_manager_email': line managers would form a cycle\n"
                  "people.csv:3: field 'line_manager_email': line managers would form a "
                  "cycle\n"},
        BadImport{"FieldCount", "Bo,bo@example.org,North Trust\n",
                  "people.csv:2: expected 6 fields as in the header, found 3\n"},
        BadImport{"EveryErrorIsListed", std::string(kGood) + "Bo,bob,Nowhere,senior,hr,\n" + kGood,
                  "people.csv:3: field 'email': 'bob' is not an email address\n"
                  "people.csv:3: field 'organisation': no organisation named 'Nowhere' in this "
                  "partnership\n"
                  "people.csv:3: field 'level': unknown level 'senior' (expected strategic or "
                  "operational)\n"
                  "people.csv:4: field 'email': 'al@example.org' is listed twice (first at line "
                  "2)\n"}),
    [](const ::testing::TestParamInfo<BadImport>& info) { return info.param.name; });

TEST_F(DirectoryServiceTest, ListsTheFirstHundredErrorsAndCountsTheRest) {
  std::string body;
  for (int i = 0; i < 150; ++i)
    body += "P" + std::to_string(i) + ",bad,North Trust,strategic,hr,\n";
  Result<PeopleImportSummary> r = Import(alpha_, body);
  ASSERT_FALSE(r.ok());
  const std::string m = r.status().message();  // status() returns a copy
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 100);
  EXPECT_TRUE(m.ends_with("people.csv: 150 errors (the first 100 listed); nothing was imported"))
      << m.substr(m.size() - 200);
}

TEST_F(DirectoryServiceTest, AMissingColumnIsReported) {
  Result<PeopleImportSummary> r =
      Import(alpha_, "Al,al@example.org,North Trust\n", "name,email,organisation\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("people.csv:1: missing column 'level'"), std::string::npos)
      << r.status().message();
}

TEST_F(DirectoryServiceTest, ImportsThenReimportCountsAddedUpdatedUnchanged) {
  const std::string first =
      "Al Smith,al@example.org,North Trust,strategic,generalist,\n"
      "Bo Jones,bo@example.org,City Council,operational,hr,al@example.org\n"
      "Cy Patel,cy@example.org,north trust,operational,clinical,bo@example.org\n";
  Result<PeopleImportSummary> r = Import(alpha_, first);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 3u);
  EXPECT_EQ(r->updated, 0u);
  EXPECT_EQ(r->unchanged, 0u);

  Result<storage::StoredPerson> bo = directory_->FindPersonByEmail(alpha_, "bo@example.org");
  Result<storage::StoredPerson> al = directory_->FindPersonByEmail(alpha_, "al@example.org");
  ASSERT_TRUE(bo.ok() && al.ok());
  EXPECT_EQ(bo->person.line_manager_id, al->person.id);
  EXPECT_EQ(bo->person.organisation_id, council_);
  EXPECT_EQ(bo->person.function, model::Function::kHr);

  Result<PeopleImportSummary> same = Import(alpha_, first);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->added + same->updated, 0u);
  EXPECT_EQ(same->unchanged, 3u);

  Result<PeopleImportSummary> changed =
      Import(alpha_,
             "Al Smith,AL@example.org,North Trust,strategic,generalist,\n"  // email case changes
             "Bo Jones,bo@example.org,City Council,strategic,hr,al@example.org\n"  // level changes
             "Cy Patel,cy@example.org,North Trust,operational,clinical,bo@example.org\n"
             "Di Khan,di@example.org,City Council,operational,data,cy@example.org\n");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->added, 1u);
  EXPECT_EQ(changed->updated, 2u);
  EXPECT_EQ(changed->unchanged, 1u);
  EXPECT_EQ(directory_->GetPerson(alpha_, bo->person.id)->person.level, model::Level::kStrategic);
  EXPECT_EQ(PeopleIn(alpha_), 4u);
  // Ids are kept across imports.
  EXPECT_EQ(directory_->FindPersonByEmail(alpha_, "al@example.org")->person.id, al->person.id);
}

TEST_F(DirectoryServiceTest, WithoutTheLineManagerColumnStoredLineManagersAreKept) {
  ASSERT_TRUE(Import(alpha_,
                     "Al,al@example.org,North Trust,strategic,generalist,\n"
                     "Bo,bo@example.org,North Trust,operational,hr,al@example.org\n")
                  .ok());
  Result<PeopleImportSummary> r =
      Import(alpha_, "Bo,bo@example.org,North Trust,operational,finance\n",
             "name,email,organisation,level,function\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->updated, 1u);
  Result<storage::StoredPerson> bo = directory_->FindPersonByEmail(alpha_, "bo@example.org");
  EXPECT_EQ(bo->person.function, model::Function::kFinance);
  EXPECT_EQ(bo->person.line_manager_id,
            directory_->FindPersonByEmail(alpha_, "al@example.org")->person.id);
}

TEST_F(DirectoryServiceTest, ABadRowLeavesEarlierImportsUntouched) {
  ASSERT_TRUE(Import(alpha_, "Al,al@example.org,North Trust,strategic,generalist,\n").ok());
  Result<PeopleImportSummary> r =
      Import(alpha_,
             "Al Renamed,al@example.org,North Trust,strategic,generalist,\n"
             "Bo,bo@example.org,North Trust,operational,nope,\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(PeopleIn(alpha_), 1u);
  EXPECT_EQ(directory_->FindPersonByEmail(alpha_, "al@example.org")->person.name, "Al");
}

TEST_F(DirectoryServiceTest, ImportsAreAuditedWithoutPersonalValues) {
  ASSERT_TRUE(Import(alpha_,
                     "Al Smith,al@example.org,North Trust,strategic,generalist,\n"
                     "Bo Jones,bo@example.org,North Trust,operational,hr,\n")
                  .ok());
  Result<std::vector<storage::AuditEntry>> log = service_->AuditLog(alpha_, 0, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_GE(log->size(), 3u);
  EXPECT_EQ((*log)[0].action, "people.imported");
  EXPECT_EQ((*log)[0].detail, "2 added, 0 updated, 0 unchanged");
  EXPECT_EQ((*log)[0].actor, "acc_admin");
  EXPECT_EQ((*log)[0].at, "2026-03-01T09:00:00Z");
  EXPECT_EQ((*log)[1].action, "person.added");
  EXPECT_EQ((*log)[1].entity_type, "person");
  EXPECT_EQ((*log)[2].action, "person.added");
  for (const storage::AuditEntry& e : *log) {
    EXPECT_EQ(e.detail.find("Smith"), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find("al@example.org"), std::string::npos) << e.detail;
  }
}

TEST_F(DirectoryServiceTest, ImportResolvesOrganisationsOnlyInItsOwnPartnership) {
  ASSERT_TRUE(Import(alpha_, "Al,al@example.org,North Trust,strategic,generalist,\n").ok());
  // Beta has its own "North Trust" but no "City Council", and does not see Alpha's people.
  Result<PeopleImportSummary> r =
      Import(beta_, "Bo,bo@example.org,City Council,operational,hr,al@example.org\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "people.csv:2: field 'organisation': no organisation named 'City Council' in this "
            "partnership\n"
            "people.csv:2: field 'line_manager_email': 'al@example.org' is neither in this file "
            "nor a person of the partnership\n"
            "people.csv: 2 errors; nothing was imported");
  ASSERT_TRUE(Import(beta_, "Al,al@example.org,North Trust,operational,hr,\n").ok());
  EXPECT_EQ(directory_->FindPersonByEmail(beta_, "al@example.org")->person.organisation_id,
            beta_north_);
  EXPECT_EQ(PeopleIn(alpha_), 1u);
  EXPECT_EQ(PeopleIn(beta_), 1u);
}

TEST_F(DirectoryServiceTest, AddPersonValidatesEveryField) {
  PersonInput in{"Al", "al@example.org", north_, "strategic", "generalist", ""};
  Result<storage::StoredPerson> al = service_->AddPerson(alpha_, in, "cli");
  ASSERT_TRUE(al.ok()) << al.status().ToString();

  struct Case {
    PersonInput input;
    StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"Bo", "bo", north_, "strategic", "hr", ""},
       StatusCode::kInvalidArgument,
       "field 'email': 'bo' is not an email address"},
      {{"Bo", "bo@example.org", beta_north_, "strategic", "hr", ""},
       StatusCode::kInvalidArgument,
       "field 'organisation': no organisation '" + beta_north_ + "' in this partnership"},
      {{"Bo", "bo@example.org", north_, "middle", "hr", ""},
       StatusCode::kInvalidArgument,
       "field 'level': unknown level 'middle' (expected strategic or operational)"},
      {{"Bo", "bo@example.org", north_, "strategic", "hr", "per_nobody"},
       StatusCode::kInvalidArgument,
       "field 'line_manager': no person 'per_nobody' in this partnership"},
      {{"Bo", "AL@example.org", north_, "strategic", "hr", ""},
       StatusCode::kAlreadyExists,
       "field 'email': another person already has the email 'AL@example.org'"},
  };
  for (const Case& c : cases) {
    Result<storage::StoredPerson> r = service_->AddPerson(alpha_, c.input, "cli");
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.status().code(), c.code) << c.message;
    EXPECT_EQ(r.status().message(), c.message);
  }
  // A person of Alpha cannot be a line manager in Beta.
  Result<storage::StoredPerson> cross = service_->AddPerson(
      beta_, {"Bo", "bo@example.org", beta_north_, "strategic", "hr", al->person.id}, "cli");
  ASSERT_FALSE(cross.ok());
  EXPECT_EQ(cross.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DirectoryServiceTest, UpdatePersonRefusesCyclesAndAuditsChangedFields) {
  Result<storage::StoredPerson> al = service_->AddPerson(
      alpha_, {"Al", "al@example.org", north_, "strategic", "generalist", ""}, "cli");
  ASSERT_TRUE(al.ok());
  Result<storage::StoredPerson> bo = service_->AddPerson(
      alpha_, {"Bo", "bo@example.org", north_, "operational", "hr", al->person.id}, "cli");
  ASSERT_TRUE(bo.ok());
  Result<storage::StoredPerson> cycle = service_->UpdatePerson(
      alpha_, al->person.id,
      {"Al", "al@example.org", north_, "strategic", "generalist", bo->person.id}, "acc_1");
  ASSERT_FALSE(cycle.ok());
  EXPECT_EQ(cycle.status().message(), "field 'line_manager': line managers would form a cycle");

  Result<storage::StoredPerson> moved = service_->UpdatePerson(
      alpha_, bo->person.id, {"Bo", "bo@example.org", council_, "operational", "hr", al->person.id},
      "acc_1");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->person.organisation_id, council_);
  Result<std::vector<storage::AuditEntry>> log = service_->AuditLog(alpha_, 0, 1);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)[0].action, "person.updated");
  EXPECT_EQ((*log)[0].entity_id, bo->person.id);
  EXPECT_EQ((*log)[0].detail, "organisation");
  EXPECT_EQ((*log)[0].actor, "acc_1");
  // Through another partnership the person does not exist.
  EXPECT_EQ(
      service_
          ->UpdatePerson(beta_, bo->person.id,
                         {"Bo", "bo@example.org", beta_north_, "operational", "hr", ""}, "acc_1")
          .status()
          .code(),
      StatusCode::kNotFound);
}

TEST_F(DirectoryServiceTest, ErasureIsAuditedAndFreesTheEmail) {
  Result<storage::StoredPerson> al = service_->AddPerson(
      alpha_, {"Al", "al@example.org", north_, "strategic", "generalist", ""}, "cli");
  ASSERT_TRUE(al.ok());
  ASSERT_TRUE(service_->ErasePerson(alpha_, al->person.id, "acc_1").ok());
  EXPECT_EQ(service_->GetPerson(alpha_, al->person.id)->person.name, "");
  EXPECT_EQ(service_->AuditLog(alpha_, 0, 1)->at(0).action, "person.erased");
  EXPECT_EQ(service_->ErasePerson(beta_, al->person.id, "acc_1").code(), StatusCode::kNotFound);
  EXPECT_TRUE(Import(alpha_, "Al,al@example.org,North Trust,strategic,generalist,\n").ok());
}

TEST_F(DirectoryServiceTest, OrganisationsValidateSectorAndNames) {
  Result<model::Organisation> bad = service_->AddOrganisation(alpha_, "Hospice", "charity", "cli");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "field 'sector': unknown sector 'charity' (expected one of: acute, primary_care, "
            "community_health, mental_health, social_care, local_authority, voluntary, housing, "
            "other)");
  EXPECT_EQ(service_->AddOrganisation(alpha_, "north trust", "acute", "cli").status().code(),
            StatusCode::kAlreadyExists);
  Result<model::Organisation> renamed =
      service_->UpdateOrganisation(alpha_, north_, "North Trust FT", "community_health", "cli");
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(service_->AuditLog(alpha_, 0, 1)->at(0).detail, "name, sector");
  EXPECT_EQ(service_->UpdateOrganisation(beta_, north_, "X", "acute", "cli").status().code(),
            StatusCode::kNotFound);
}

TEST_F(DirectoryServiceTest, EnsurePartnershipCreatesOnce) {
  Result<EnsuredPartnership> first = service_->EnsurePartnership("Gamma ICP", "cli");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->created);
  Result<EnsuredPartnership> again = service_->EnsurePartnership("Gamma ICP", "cli");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->partnership.id, first->partnership.id);
}

}  // namespace
}  // namespace trellis::service
