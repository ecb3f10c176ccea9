// tests/e2e/campaign_admin.test.mjs — running a 360 campaign in a real browser, with real
// email: a local SMTP server (Debian's python3-aiosmtpd, Mailbox handler writing a maildir) on
// a free port, `trellis serve --smtp-host …` over a database seeded with the CLI (an admin, an
// organisation, two people, the integrated-care framework). The admin creates a campaign (a
// refused attempt first), adds a subject, nominates a rater, opens the campaign and sends the
// invitations; the rater's message in the maildir carries a /r/ link. axe-core checks every
// page visited. Run: TRELLIS_BIN=build/trellis node --test tests/e2e/campaign_admin.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import {
  assertAccessible,
  freePort,
  launchBrowser,
  seedPartnership,
  startServer,
  startSmtp,
  stopProcess,
} from "./support.mjs";

const EMAIL = "olu.admin@e2e.example";
const PASSWORD = "a long enough e2e password";

let dir;
let smtp;
let waitForMessage;
let server;
let baseUrl;
let browser;

before(async () => {
  let db;
  ({ dir, db } = seedPartnership("trellis-e2e-campaign-", {
    partnership: "E2E Campaign Partnership",
    admin: { email: EMAIL, name: "Olu Admin" },
    password: PASSWORD,
    organisation: { name: "Riverside Community Trust", sector: "community_health" },
    people: [
      "Ada Okafor,ada@riverside.example,Riverside Community Trust,operational,generalist,",
      "Pat Lee,pat@riverside.example,Riverside Community Trust,operational,clinical,",
    ],
  }));
  let smtpArgs;
  ({ child: smtp, smtpArgs, waitForMessage } = await startSmtp(dir));
  ({ child: server, url: baseUrl } = await startServer([
    // A port chosen here, not 0, so that the default --base-url (http://LISTEN) is the address
    // the rater's link must carry.
    "--db", db, "--listen", `127.0.0.1:${await freePort()}`,
    "--access-log", path.join(dir, "access.log"), ...smtpArgs,
  ]));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  await stopProcess(server);
  await stopProcess(smtp);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("an admin runs a campaign and the rater gets an email with a link", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });

  await page.goto(baseUrl + "/login");
  await page.getByLabel("Email address").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(baseUrl + "/dashboard");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Campaigns" }).click();
  await page.waitForURL(baseUrl + "/campaigns");
  await assertAccessible(page, "campaigns (none)");
  await page.getByRole("link", { name: "New campaign" }).click();
  await assertAccessible(page, "new campaign");

  // A refused attempt: no name. The error is summarised and shown at the field.
  await page.getByLabel("Framework version").selectOption({ index: 1 });
  await page.getByLabel("Opens on").fill("2026-03-01");
  await page.getByLabel("Closes on").fill("2026-03-31");
  await page.getByLabel("No").check();
  await page.getByRole("button", { name: "Create campaign" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.locator("#name-error").innerText(), /needs a name/);
  await assertAccessible(page, "new campaign with errors");
  await page.getByLabel("Campaign name").fill("Spring 360");
  await page.getByRole("button", { name: "Create campaign" }).click();
  await page.getByRole("heading", { level: 1, name: "Spring 360" }).waitFor();
  await assertAccessible(page, "campaign (draft)");

  // A subject, then a rater for them.
  await page.getByLabel("Ada Okafor (ada@riverside.example)").check();
  await page.getByRole("button", { name: "Add subjects" }).click();
  await page.getByRole("heading", { level: 3, name: "Ada Okafor" }).waitFor();
  await page.getByLabel("Person in the partnership").selectOption({ label: "Pat Lee (pat@riverside.example)" });
  await page.getByLabel("Group").selectOption("peer");
  await page.getByRole("button", { name: "Add rater" }).click();
  await page.getByRole("cell", { name: "Pat Lee" }).waitFor();
  await assertAccessible(page, "campaign with a subject and a rater");

  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByRole("button", { name: "Send invitations by email" }).waitFor();
  await assertAccessible(page, "campaign (open)");
  await page.getByRole("button", { name: "Send invitations by email" }).click();
  await page.getByText("2 invitations sent by email.").waitFor();
  await assertAccessible(page, "invitations sent");

  await page.getByRole("link", { name: "Progress" }).click();
  await page.getByRole("heading", { name: "Not yet answered" }).waitFor();
  await assertAccessible(page, "progress");

  const message = await waitForMessage((t) => /^To:.*pat@riverside\.example/m.test(t));
  assert.match(message, /^Subject: Spring 360: feedback on Ada Okafor/m);
  const link = message.match(/http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{22}\b/);
  assert.ok(link, `no rater link in: ${message}`);
  assert.ok(link[0].startsWith(baseUrl + "/r/"), `${link[0]} is not on ${baseUrl}`);
  assert.deepEqual(errors, []);
  await context.close();
});
