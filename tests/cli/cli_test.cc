// End-to-end tests of the `trellis` binary (built beside the tests, TRELLIS_BINARY_DIR): each
// runs commands in a fresh temporary directory and checks what a user sees — stdout, stderr
// and the exit code (0 ok, 1 bad input, 2 internal or I/O failure).
#include "cli/cli_fixture.h"
#include "storage/migrations.h"

namespace trellis::cli {
namespace {

TEST_F(CliTest, ImportListExportAndValidateTheExport) {
  const std::string source = BuiltInFramework("integrated-care.json");
  const std::string sizes = SizesOf(source);

  Outcome imported = Trellis("framework import '" + source + "'");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out, "imported integrated-care version 1 (" + sizes + ")\n");
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "trellis.db"));

  Outcome again = Trellis("framework import '" + source + "'");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "unchanged: integrated-care is still version 1 (" + sizes + ")\n");

  Outcome list = Trellis("framework list");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.rfind("CODE", 0), 0u) << list.out;
  EXPECT_NE(list.out.find("integrated-care  1       1  "), std::string::npos) << list.out;

  Outcome exported = Trellis("framework export integrated-care --format json --out exported.json");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(exported.out, "");
  Outcome to_stdout = Trellis("framework export integrated-care --version 1 --format json");
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_EQ(to_stdout.out, ReadAll(dir_.path() / "exported.json"));

  Outcome validated = Trellis("framework validate exported.json");
  ASSERT_EQ(validated.exit_code, 0) << validated.err;
  EXPECT_EQ(validated.out.rfind("exported.json: OK: integrated-care", 0), 0u) << validated.out;
  EXPECT_NE(validated.out.find(sizes), std::string::npos) << validated.out;

  // CASE exports are stamped with the stored time: repeating one gives the same bytes.
  Outcome case1 = Trellis("framework export integrated-care --format case");
  Outcome case2 = Trellis("framework export integrated-care --format case");
  ASSERT_EQ(case1.exit_code, 0) << case1.err;
  EXPECT_EQ(case1.out, case2.out);
  EXPECT_NE(case1.out.find("CFDocument"), std::string::npos);
}

TEST_F(CliTest, AChangedFileBecomesVersionTwo) {
  const std::string header = "domain_code,domain,competency_code,competency,item_code,item\n";
  WriteFile("team.csv", header + "D,Domain,C,Competency,I1,First\n");
  Outcome first = Trellis("framework import team.csv");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "imported team version 1 (1 domain, 1 competency, 1 item)\n");

  WriteFile("team.csv", header + "D,Domain,C,Competency,I1,First\nD,Domain,C,Competency,I2,Two\n");
  Outcome second = Trellis("framework import team.csv");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "imported team version 2 (1 domain, 1 competency, 2 items)\n");

  Outcome old = Trellis("framework export team --version 1 --format csv");
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_NE(old.out.find("I1"), std::string::npos);
  EXPECT_EQ(old.out.find("I2"), std::string::npos) << "version 1 must stay as it was";
}

TEST_F(CliTest, ShowPrintsTheOutlineScaleAndProfiles) {
  ASSERT_EQ(
      Trellis("framework import '" + BuiltInFramework("integrated-care.json") + "'").exit_code, 0);
  Outcome show = Trellis("framework show integrated-care");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.out.rfind("integrated-care version 1: ", 0), 0u) << show.out;
  EXPECT_NE(show.out.find("\nScale 1..5\n"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("\n  SYS  "), std::string::npos) << show.out;         // domain
  EXPECT_NE(show.out.find("\n    SYS1  "), std::string::npos) << show.out;      // competency
  EXPECT_NE(show.out.find("\n      SYS1.1  "), std::string::npos) << show.out;  // item
  EXPECT_NE(show.out.find("Role profiles"), std::string::npos) << show.out;

  Outcome missing = Trellis("framework show integrated-care --version 4");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            "trellis: framework 'integrated-care' has no version 4 (only version 1 is stored)\n");
}

TEST_F(CliTest, AMalformedFileExitsOneNamingFileLineAndField) {
  WriteFile("bad.csv",
            "domain_code,domain,competency_code,competency,item_code,item\n"
            "D,Domain,C,Competency,I1,First\n"
            "D,Domain,C,Competency,I1,Second\n");
  for (const std::string verb : {"validate", "import"}) {
    Outcome run = Trellis("framework " + verb + " bad.csv");
    EXPECT_EQ(run.exit_code, 1) << verb;
    EXPECT_EQ(run.err.rfind("trellis: bad.csv:3: field 'item_code': ", 0), 0u)
        << verb << ": " << run.err;
    EXPECT_EQ(run.out, "") << verb;
  }
  Outcome list = Trellis("framework list");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.rfind("no frameworks in trellis.db", 0), 0u) << list.out;

  Outcome missing = Trellis("framework validate nope.json");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.json"), std::string::npos) << missing.err;
}

TEST_F(CliTest, ExportingAnUnknownCodeExitsOne) {
  Outcome run = Trellis("framework export nope --format json");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "trellis: no framework 'nope' is stored\n");
  EXPECT_EQ(run.out, "");

  Outcome bad_format = Trellis("framework export nope --format xml");
  EXPECT_EQ(bad_format.exit_code, 1);
  EXPECT_NE(bad_format.err.find("--format"), std::string::npos) << bad_format.err;
}

TEST_F(CliTest, DbMigrateIsIdempotentAndDbWorksBeforeOrAfterTheVerb) {
  Outcome first = Trellis("db migrate --db first.db");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // One line per embedded migration, in order, then the version reached.
  std::string expected;
  for (const storage::Migration& m : storage::EmbeddedMigrations())
    expected += "first.db: applied " + m.name + "\n";
  const std::string latest = std::to_string(storage::EmbeddedMigrations().back().version);
  EXPECT_EQ(first.out, expected + "first.db: now at schema version " + latest + "\n");
  EXPECT_EQ(first.out.rfind("first.db: applied 0001_frameworks\n", 0), 0u) << first.out;
  Outcome second = Trellis("--db first.db db migrate");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "first.db: up to date (schema version " + latest + ")\n");
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "trellis.db"));

  const std::string source = BuiltInFramework("context-check.json");
  ASSERT_EQ(Trellis("--db first.db framework import '" + source + "'").exit_code, 0);
  Outcome listed = Trellis("framework list --db first.db");
  EXPECT_NE(listed.out.find("context-check"), std::string::npos) << listed.out;
  Outcome elsewhere = Trellis("framework list --db other.db");
  EXPECT_EQ(elsewhere.out.find("context-check"), std::string::npos) << elsewhere.out;
}

TEST_F(CliTest, AnUnopenableDatabaseExitsTwo) {
  Outcome run = Trellis("framework list --db no-such-dir/trellis.db");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.rfind("trellis: cannot open no-such-dir/trellis.db: ", 0), 0u) << run.err;
}

TEST_F(CliTest, DemoCreatesTheDemoPartnershipAndPrintsTheLogins) {
  Outcome demo = Trellis("demo --no-serve");
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("demo.db: created the demo partnership Riverside Integrated Care "
                          "Partnership\n"),
            std::string::npos)
      << demo.out;
  EXPECT_NE(demo.out.find("  6 organisations: "), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("Riverside University Hospitals NHS Trust (acute)"), std::string::npos);
  EXPECT_NE(demo.out.find("  40 people: 12 strategic, 28 operational\n"), std::string::npos);
  EXPECT_NE(demo.out.find("(open, "), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find(" on integrated-care version 1 with the context check: 20 subjects; "),
            std::string::npos)
      << demo.out;
  EXPECT_NE(demo.out.find("Open http://127.0.0.1:8080/ and sign in with the password "
                          "trellis-demo-2026 as:\n"),
            std::string::npos)
      << demo.out;
  EXPECT_NE(demo.out.find("  admin@riverside.example "), std::string::npos);
  EXPECT_NE(demo.out.find("  board@riverside.example "), std::string::npos);
  EXPECT_NE(demo.out.find("  siobhan.kelly@riverside-hospitals.example "), std::string::npos);
  EXPECT_NE(demo.out.find("  http://127.0.0.1:8080/r/"), std::string::npos) << demo.out;
  EXPECT_EQ(demo.err, "");
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "demo.db"));

  Outcome again = Trellis("demo --no-serve --listen 127.0.0.1:9090");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("demo.db: reusing the demo partnership Riverside Integrated Care "
                           "Partnership (nothing changed)\n"),
            std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("Open http://127.0.0.1:9090/ "), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("/r/"), std::string::npos) << "rater links are shown only once";
}

}  // namespace
}  // namespace trellis::cli
