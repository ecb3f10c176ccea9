// tests/e2e/subject_access.test.mjs — a subject-access request in a real browser on the demo
// data: the demo subject (Siobhan Kelly) opens "My data" from the header, downloads her file,
// and the file holds her report with the figures her report page shows (two decimals, or
// "withheld"), her rater counts and her development plan, and none of the names, emails, person
// ids or nomination ids of her raters as the admin's campaign API lists them. The admin finds
// the same download on her page in the directory. axe-core checks the page.
// Run: TRELLIS_BIN=build/trellis node --test tests/e2e/subject_access.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import {
  assertAccessible,
  collectErrors,
  launchBrowser,
  serveDemo,
  signIn,
  stopProcess,
} from "./support.mjs";

const SUBJECT = "siobhan.kelly@riverside-hospitals.example";
const PASSWORD = "trellis-demo-2026";

let dir;
let server;
let baseUrl;
let browser;
let adminEmail;

before(async () => {
  let stdout;
  ({ dir, server, baseUrl, stdout } = await serveDemo("trellis-e2e-sar-"));
  adminEmail = stdout.match(/(\S+@\S+)\s+admin\s+/)[1];
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  await stopProcess(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A score as the report page prints it.
const shown = (x) => (x === null ? "withheld" : x.toFixed(2));

test("the subject downloads her data and it holds her report as the page shows it", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await signIn(page, baseUrl, SUBJECT, PASSWORD);
  await page.getByRole("link", { name: "My data" }).click();
  await page.getByRole("heading", { level: 1, name: "My data" }).waitFor();
  await assertAccessible(page, "my data");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download my data (JSON)" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^trellis-data-per_[a-z0-9]+\.json$/);
  const text = readFileSync(await download.path(), "utf8");
  const data = JSON.parse(text);
  assert.equal(data.format, "trellis-subject-access");
  assert.equal(data.person.name, "Siobhan Kelly");
  assert.equal(data.person.email, SUBJECT);
  const released = data.campaigns.filter((c) => c.report !== null);
  assert.equal(released.length, 1);
  const campaign = released[0];
  assert.ok(campaign.raters.total.submitted > 0);
  assert.ok(data.development_plans.length >= 1, "her seeded plan is in the file");

  // Her report page, row by row, against the file.
  await page.goto(`${baseUrl}/reports/${campaign.id}/${data.person.id}`);
  await page.getByRole("heading", { level: 1, name: "360 report: Siobhan Kelly" }).waitFor();
  const report = campaign.report;
  const sets = [...Object.entries(report.domains), ...Object.entries(report.competencies)];
  assert.ok(sets.length > 0);
  for (const [code, agg] of sets) {
    const row = page
      .locator("tr", { has: page.locator("th span.code", { hasText: new RegExp(`^${code}$`) }) })
      .first();
    const cells = await row.locator("td").allTextContents();
    const self = agg.self === null ? "not answered" : agg.self.toFixed(2);
    assert.equal(cells[0].trim(), self, `${code} self`);
    assert.ok(cells[1].trim().startsWith(shown(agg.others.mean)),
      `${code} others: page ${cells[1]}, file ${agg.others.mean}`);
  }
  // Every comment in the file is on the page.
  const body = await page.locator("main").textContent();
  assert.ok(report.comments.length > 0, "the demo report has comments");
  for (const c of report.comments) assert.ok(body.includes(c.text), `comment ${c.text}`);
  assert.deepEqual(errors, []);
  await context.close();

  // No rater of hers is named in the file: her raters as the admin's campaign API lists them
  // (name, email, person id, nomination id) appear nowhere in it. Her line manager, her manager
  // rater in the demo, is in the file as her line manager (her own record), so only the
  // nomination id is checked for that one.
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, baseUrl, adminEmail, PASSWORD);
  const raters = [];
  for (const c of data.campaigns) {
    const response = await adminPage.request.get(`${baseUrl}/api/v1/campaigns/${c.id}`);
    assert.equal(response.status(), 200);
    const { nominations } = await response.json();
    for (const n of nominations) {
      if (n.subject_id === data.person.id && n.group !== "self") raters.push(n);
    }
  }
  assert.ok(raters.length >= 3, `the demo names ${raters.length} raters of hers`);
  const lineManager = data.person.line_manager?.id;
  for (const n of raters) {
    const ownRecord = n.group === "manager" && lineManager && n.rater_person_id === lineManager;
    const secrets = ownRecord ? [n.id] : [n.rater_name, n.rater_email, n.rater_person_id, n.id];
    for (const secret of secrets) {
      if (secret) assert.ok(!text.includes(secret), `the file names her rater: ${secret}`);
    }
  }
  await admin.close();
});

test("the admin downloads a person's data from their page in the directory", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await signIn(page, baseUrl, adminEmail, PASSWORD);
  await page.goto(baseUrl + "/people?q=siobhan");
  await page.getByRole("link", { name: "Siobhan Kelly" }).first().click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download this person's data (JSON)" }).click(),
  ]);
  const data = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(data.requested_by.as, "admin");
  assert.equal(data.person.email, SUBJECT);
  await context.close();
});
