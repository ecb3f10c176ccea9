// End-to-end tests of `trellis user add`, `trellis org add` and `trellis people import|list`:
// what an operator bootstrapping a partnership sees on stdout and stderr, and the exit codes.
// Passwords are piped (stdin is never a terminal here).
#include "cli/cli_fixture.h"

namespace trellis::cli {
namespace {

constexpr char kPeopleHeader[] = "name,email,organisation,level,function,line_manager_email\n";

class UserPeopleCliTest : public CliTest {
 protected:
  Outcome AddUser(const std::string& email, const std::string& role,
                  const std::string& password = "correct horse battery") {
    WriteFile("password.txt", password + "\n");
    return Trellis("user add --email " + email + " --name 'Ann Admin' --role " + role +
                   " --partnership 'Alpha ICP' --password-stdin <password.txt");
  }
};

TEST_F(UserPeopleCliTest, UserAddCreatesThePartnershipTheFirstTimeOnly) {
  Outcome first = AddUser("ann@example.org", "admin");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(first.out.starts_with("created partnership 'Alpha ICP' (ptn_")) << first.out;
  EXPECT_NE(first.out.find("\ncreated admin account ann@example.org (acc_"), std::string::npos)
      << first.out;
  EXPECT_TRUE(first.out.ends_with(") in 'Alpha ICP'\n")) << first.out;
  EXPECT_EQ(first.err, "");

  Outcome second = AddUser("bob@example.org", "board");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(second.out.starts_with("created board account bob@example.org (acc_")) << second.out;

  Outcome again = AddUser("ANN@example.org", "member");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err,
            "trellis: an account with the email 'ANN@example.org' already exists (an email signs "
            "in to one partnership)\n");
}

TEST_F(UserPeopleCliTest, UserAddRefusesAWeakPasswordAndCreatesNothing) {
  Outcome weak = AddUser("ann@example.org", "admin", "password");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_EQ(weak.err, "trellis: the password must be at least 12 characters long\n");
  Outcome same_as_email = AddUser("ann.longname@example.org", "admin", "ann.longname@example.org");
  EXPECT_EQ(same_as_email.exit_code, 1);
  EXPECT_EQ(same_as_email.err, "trellis: the password must not be the email address\n");
  Outcome list = Trellis("people list --partnership 'Alpha ICP'");
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_NE(list.err.find("no partnership named 'Alpha ICP'"), std::string::npos) << list.err;
}

TEST_F(UserPeopleCliTest, UserAddChecksItsArguments) {
  Outcome role = AddUser("ann@example.org", "owner");
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_EQ(role.err, "trellis: --role: unknown role 'owner' (expected admin, member or board)\n");
  Outcome email = AddUser("ann", "admin");
  EXPECT_EQ(email.exit_code, 1);
  EXPECT_EQ(email.err, "trellis: --email: 'ann' is not an email address\n");
  Outcome no_password =
      Trellis("user add --email a@example.org --name A --role admin --partnership P </dev/null");
  EXPECT_EQ(no_password.exit_code, 1);
  EXPECT_EQ(no_password.err,
            "trellis: no password: pipe it to standard input with --password-stdin, or run in a "
            "terminal\n");
  Outcome empty_stdin = Trellis(
      "user add --email a@example.org --name A --role admin --partnership P --password-stdin "
      "</dev/null");
  EXPECT_EQ(empty_stdin.exit_code, 1);
  EXPECT_EQ(empty_stdin.err, "trellis: no password on standard input\n");
}

TEST_F(UserPeopleCliTest, OrganisationsThenPeopleImportAndReimport) {
  ASSERT_EQ(AddUser("ann@example.org", "admin").exit_code, 0);
  Outcome org = Trellis("org add 'North Trust' --sector acute --partnership 'Alpha ICP'");
  ASSERT_EQ(org.exit_code, 0) << org.err;
  EXPECT_EQ(org.out, "added organisation 'North Trust' (acute) to 'Alpha ICP'\n");
  Outcome bad_sector = Trellis("org add Hospice --sector charity --partnership 'Alpha ICP'");
  EXPECT_EQ(bad_sector.exit_code, 1);
  EXPECT_NE(bad_sector.err.find("field 'sector': unknown sector 'charity'"), std::string::npos);

  const std::string rows =
      "Al Smith,al@example.org,North Trust,strategic,generalist,\n"
      "\"Jones, Bo\",bo@example.org,North Trust,operational,hr,al@example.org\n";
  WriteFile("people.csv", kPeopleHeader + rows);
  Outcome imported = Trellis("people import people.csv --partnership 'Alpha ICP'");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out, "people.csv: 2 added, 0 updated, 0 unchanged\n");

  WriteFile("people.csv", kPeopleHeader + rows +
                              "Cy,cy@example.org,North Trust,operational,data,bo@example.org\n");
  Outcome again = Trellis("people import people.csv --partnership 'Alpha ICP'");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "people.csv: 1 added, 0 updated, 2 unchanged\n");

  Outcome list = Trellis("people list --partnership 'Alpha ICP'");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, std::string(kPeopleHeader) +
                          "Al Smith,al@example.org,North Trust,strategic,generalist,\n"
                          "Cy,cy@example.org,North Trust,operational,data,bo@example.org\n"
                          "\"Jones, Bo\",bo@example.org,North Trust,operational,hr,"
                          "al@example.org\n");
}

TEST_F(UserPeopleCliTest, ABadPeopleFileListsEveryErrorAndImportsNothing) {
  ASSERT_EQ(AddUser("ann@example.org", "admin").exit_code, 0);
  ASSERT_EQ(Trellis("org add 'North Trust' --sector acute --partnership 'Alpha ICP'").exit_code, 0);
  WriteFile("people.csv", std::string(kPeopleHeader) +
                              "Al,al@example.org,North Trust,strategic,generalist,\n"
                              "Bo,bo,North Trust,operational,hr,\n"
                              "Cy,cy@example.org,South Trust,operational,hr,\n");
  Outcome bad = Trellis("people import people.csv --partnership 'Alpha ICP'");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err,
            "trellis: people.csv:3: field 'email': 'bo' is not an email address\n"
            "people.csv:4: field 'organisation': no organisation named 'South Trust' in this "
            "partnership\n"
            "people.csv: 2 errors; nothing was imported\n");
  Outcome list = Trellis("people list --partnership 'Alpha ICP'");
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_EQ(list.out, kPeopleHeader);
}

TEST_F(UserPeopleCliTest, ImportNeedsAnExistingPartnershipAndFile) {
  WriteFile("people.csv", kPeopleHeader);
  Outcome unknown = Trellis("people import people.csv --partnership Nowhere");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err,
            "trellis: no partnership named 'Nowhere' (create it with `trellis user add … "
            "--partnership 'Nowhere'`)\n");
  ASSERT_EQ(AddUser("ann@example.org", "admin").exit_code, 0);
  Outcome missing = Trellis("people import missing.csv --partnership 'Alpha ICP'");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("missing.csv"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace trellis::cli
