// tests/e2e/admin_pages.test.mjs — the admin pages in a real browser: Debian's Chromium driven
// by playwright-core, with axe-core checking every page visited for accessibility violations.
// Starts `trellis serve` on a free port over a fresh database in a temp dir, bootstraps an
// admin with `trellis user add --password-stdin`, then signs in, adds an organisation and a
// person, imports people (with errors) and a framework by upload, views the outline, and does
// it again on a 360×740 phone viewport. Run: `node --test tests/e2e/` (CTest: e2e.browser),
// with TRELLIS_BIN naming the built binary (default: build/trellis).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  assertAccessible,
  assertFitsWidth,
  chromiumPath,
  launchBrowser,
  startServer,
  trellis,
} from "./support.mjs";


const EMAIL = "erin.admin@e2e.example";
const PASSWORD = "a long enough e2e password";

let dir;
let server;
let baseUrl;
let browser;

before(async () => {
  assert.ok(existsSync(trellis), `no trellis binary at ${trellis} (set TRELLIS_BIN)`);
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath}: apt-get install chromium`);
  dir = mkdtempSync(path.join(tmpdir(), "trellis-e2e-"));
  const db = path.join(dir, "trellis.db");
  const add = spawnSync(
    trellis,
    ["--db", db, "user", "add", "--email", EMAIL, "--name", "Erin Admin", "--role", "admin",
      "--partnership", "E2E Integrated Care Partnership", "--password-stdin"],
    { input: PASSWORD + "\n", encoding: "utf8" },
  );
  assert.equal(add.status, 0, `trellis user add failed: ${add.stderr}`);
  ({ child: server, url: baseUrl } = await startServer([
    "--db", db, "--listen", "127.0.0.1:0", "--access-log", path.join(dir, "access.log"),
  ]));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    const stopped = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await stopped;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("an admin sets up a partnership in the browser, accessibly, on desktop and phone", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Form errors are answered 400/409 on purpose (Chromium logs those as failed loads); what
  // must never appear is a script error or a CSP violation.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });

  // Landing and sign-in (a wrong password first: the page says so without naming the cause).
  await page.goto(baseUrl + "/");
  await assertAccessible(page, "landing");
  await page.getByRole("link", { name: "Sign in" }).first().click();
  await page.getByLabel("Email address").fill(EMAIL);
  await page.getByLabel("Password").fill("not the right password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("The email address or password is not right").first().waitFor();
  await assertAccessible(page, "sign-in with an error");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(baseUrl + "/dashboard");
  await assertAccessible(page, "dashboard");

  // An organisation.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organisations" }).click();
  await page.getByLabel("Name").fill("Northfield Hospitals NHS Trust");
  await page.getByLabel("Sector").selectOption("acute");
  await page.getByRole("button", { name: "Add organisation" }).click();
  await page.getByRole("cell", { name: "Northfield Hospitals NHS Trust" }).waitFor();
  await assertAccessible(page, "organisations");

  // A person, with a failed attempt first (errors summarised and linked to the field).
  await page.goto(baseUrl + "/people/new");
  await assertAccessible(page, "add a person");
  await page.getByLabel("Full name").fill("Priya Shah");
  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByRole("button", { name: "Add person" }).click();
  await page.getByRole("alert").waitFor();
  await assertAccessible(page, "add a person with errors");
  await page.getByLabel("Email address").fill("priya.shah@northfield.example");
  await page.getByLabel("Operational").check();
  await page.getByLabel("Function").selectOption("clinical");
  await page.getByRole("button", { name: "Add person" }).click();
  await page.waitForURL(baseUrl + "/people");
  await page.getByRole("cell", { name: "priya.shah@northfield.example" }).waitFor();
  await assertAccessible(page, "people");

  // People import by upload: one bad row stops the whole file.
  const peopleCsv = path.join(dir, "people.csv");
  writeFileSync(
    peopleCsv,
    "name,email,organisation,level,function\n" +
      "Tom Reed,tom.reed@northfield.example,Northfield Hospitals NHS Trust,strategic,generalist\n" +
      "Bad Row,bad-row,Nowhere,middle,generalist\n",
  );
  await page.goto(baseUrl + "/people/import");
  await page.getByLabel("People CSV file").setInputFiles(peopleCsv);
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByText("people.csv was not imported").waitFor();
  assert.ok((await page.content()).includes("people.csv:3"), "the bad row is named");
  await assertAccessible(page, "people import with errors");

  // A framework by upload, then its outline.
  const frameworkCsv = path.join(dir, "team-leadership.csv");
  writeFileSync(
    frameworkCsv,
    "domain_code,domain,competency_code,competency,item_code,item\n" +
      "SYS,Systems leadership,SYS.1,Shared purpose,SYS.1.a,Builds a shared purpose with partners\n" +
      "SYS,Systems leadership,SYS.1,Shared purpose,SYS.1.b,Explains how the team serves the population\n" +
      "DATA,Learning from data,DATA.1,Uses shared data,DATA.1.a,Uses run charts rather than RAG ratings\n",
  );
  await page.goto(baseUrl + "/frameworks");
  await page.getByLabel("Framework file").setInputFiles(frameworkCsv);
  await page.getByRole("button", { name: "Import framework" }).click();
  await page.waitForURL(/\/frameworks\/team-leadership\/versions\/1/);
  await page.getByText("Uses run charts rather than RAG ratings").waitFor();
  await assertAccessible(page, "framework outline");
  const outlineUrl = page.url().split("?")[0];
  await page.goto(baseUrl + "/frameworks");
  await assertAccessible(page, "frameworks");
  await page.goto(baseUrl + "/audit");
  await page.getByRole("cell", { name: "person.added" }).first().waitFor();
  await assertAccessible(page, "audit log");

  // The same pages on a phone (same session).
  const phone = await browser.newContext({
    viewport: { width: 360, height: 740 },
    storageState: await context.storageState(),
    isMobile: true,
    hasTouch: true,
  });
  const mobile = await phone.newPage();
  for (const [label, url] of [
    ["dashboard", "/dashboard"],
    ["organisations", "/organisations"],
    ["people", "/people"],
    ["add a person", "/people/new"],
    ["people import", "/people/import"],
    ["frameworks", "/frameworks"],
    ["framework outline", outlineUrl.slice(baseUrl.length)],
    ["audit log", "/audit"],
  ]) {
    await mobile.goto(baseUrl + url);
    await assertAccessible(mobile, `phone: ${label}`);
    if (label !== "audit log") await assertFitsWidth(mobile, `phone: ${label}`);
  }
  await phone.close();

  // Sign out; the dashboard then asks to sign in again.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(baseUrl + "/login");
  await page.goto(baseUrl + "/dashboard");
  await page.waitForURL(/\/login\?next=/);

  assert.deepEqual(errors, [], "no script or CSP errors in the console");
  await context.close();
});
