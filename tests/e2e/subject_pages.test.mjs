// tests/e2e/subject_pages.test.mjs — a subject's own campaign pages in a real browser. The
// server is started with `trellis serve --config trellis.toml` (the configuration file of
// docs/operations.md). The database is seeded with the CLI: an admin, a member account linked
// to the person Ada, an organisation, two people and the integrated-care framework. The admin
// creates a campaign with Ada as its subject; Ada signs in, finds it on her dashboard, sees her
// raters as counts by group (never the admin's rater by name), proposes a rater, and sees the
// proposal listed; the admin then sees it for approval, and the audit log names it. axe-core
// checks every page; Ada's page is also checked on a phone-sized viewport.
// Run: TRELLIS_BIN=build/trellis node --test tests/e2e/subject_pages.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  assertAccessible,
  assertFitsWidth,
  launchBrowser,
  seedPartnership,
  signIn as signInWith,
  startServer,
  stopProcess,
} from "./support.mjs";

const ADMIN = "kai.admin@e2e.example";
const ADA = "ada.account@e2e.example";
const PASSWORD = "a long enough e2e password";

let dir;
let server;
let baseUrl;
let browser;

before(async () => {
  let db;
  ({ dir, db } = seedPartnership("trellis-e2e-subject-", {
    partnership: "E2E Subject Partnership",
    admin: { email: ADMIN, name: "Kai Admin" },
    password: PASSWORD,
    organisation: { name: "Harbour Council", sector: "local_authority" },
    people: [
      "Ada Mensah,ada@harbour.example,Harbour Council,strategic,generalist,",
      "Rob Quist,rob@harbour.example,Harbour Council,operational,finance,",
    ],
    members: [{ email: ADA, name: "Ada Mensah", person: "ada@harbour.example" }],
  }));
  const config = path.join(dir, "trellis.toml");
  writeFileSync(config,
    `db = "${db}"\nlisten = "127.0.0.1:0"\naccess_log = "${path.join(dir, "access.log")}"\n` +
    "[session]\nidle_timeout_minutes = 15\n");
  ({ child: server, url: baseUrl } = await startServer(["--config", config]));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  await stopProcess(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const signIn = (page, email) => signInWith(page, baseUrl, email, PASSWORD);

test("a subject follows their campaign and proposes a rater", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  // The admin: a campaign with Ada as subject and an external rater for her.
  await signIn(page, ADMIN);
  await page.goto(baseUrl + "/campaigns/new");
  await page.getByLabel("Campaign name").fill("Harbour 360");
  await page.getByLabel("Framework version").selectOption({ index: 1 });
  await page.getByLabel("Opens on").fill("2026-03-01");
  await page.getByLabel("Closes on").fill("2026-03-31");
  await page.getByLabel("No").check();
  await page.getByRole("button", { name: "Create campaign" }).click();
  await page.getByRole("heading", { level: 1, name: "Harbour 360" }).waitFor();
  const campaignUrl = page.url().replace(/\?.*$/, "");
  await page.getByLabel("Ada Mensah (ada@harbour.example)").check();
  await page.getByRole("button", { name: "Add subjects" }).click();
  await page.getByRole("heading", { level: 3, name: "Ada Mensah" }).waitFor();
  await page.getByLabel("Or name").fill("Zoe Hidden");
  await page.getByLabel("and email").fill("zoe@partner.example");
  await page.getByLabel("Group").selectOption("partner");
  await page.getByRole("button", { name: "Add rater" }).click();
  await page.getByRole("cell", { name: "Zoe Hidden" }).waitFor();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);

  // Ada: her dashboard lists the campaign; her page shows counts, not Zoe's name.
  await signIn(page, ADA);
  await assertAccessible(page, "subject dashboard");
  await page.getByRole("link", { name: "Harbour 360" }).click();
  await page.getByRole("heading", { level: 1, name: "Harbour 360" }).waitFor();
  await assertAccessible(page, "subject campaign page");
  const body = await page.content();
  assert.ok(!body.includes("Zoe Hidden"), "an admin's rater is never named to the subject");
  assert.ok(!body.includes("zoe@partner.example"));
  assert.match(await page.getByRole("row", { name: /^partner/ }).innerText(), /partner\s+1\s+0\s+0\s+0%/);

  // A refused proposal (no email), then a good one.
  await page.getByLabel("Or name").fill("Sam Carer");
  await page.getByRole("button", { name: "Propose rater" }).click();
  await page.getByRole("alert").waitFor();
  await assertAccessible(page, "subject proposal with errors");
  await page.getByLabel("and email").fill("sam@carers.example");
  await page.getByLabel("Group", { exact: true }).selectOption("community");
  await page.getByRole("button", { name: "Propose rater" }).click();
  await page.getByText("Your proposal was sent").waitFor();
  await page.getByText("Sam Carer (sam@carers.example), community: awaiting approval").waitFor();
  await assertAccessible(page, "subject page with a pending proposal");

  // On a phone.
  await page.setViewportSize({ width: 360, height: 740 });
  await assertFitsWidth(page, "subject page on a phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // Another campaign id is not Ada's: 404.
  const missing = await page.goto(baseUrl + "/my/campaigns/cmp_not_hers");
  assert.equal(missing.status(), 404);
  await page.goto(baseUrl + "/dashboard");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);

  // The admin sees the proposal for approval, and the audit log has it.
  await signIn(page, ADMIN);
  await page.goto(campaignUrl);
  await page.getByRole("heading", { name: "Proposed raters awaiting approval" }).waitFor();
  await page.getByRole("button", { name: "Approve Sam Carer for Ada Mensah" }).click();
  await page.getByRole("cell", { name: "Sam Carer" }).waitFor();
  await page.goto(baseUrl + "/audit");
  await page.getByRole("cell", { name: "nomination.proposed" }).waitFor();
  await page.getByRole("cell", { name: "nomination.approved" }).waitFor();
  await assertAccessible(page, "audit log with campaign entries");
  assert.deepEqual(errors, []);
  await context.close();
});
