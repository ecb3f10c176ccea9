// tests/e2e/plans.test.mjs — development plans in a real browser, with real email: a local SMTP
// server (Debian's python3-aiosmtpd writing a maildir) and `trellis serve --smtp-host …` over a
// database seeded with the CLI (an admin, Ada and her line manager Pat with accounts linked to
// their people, the integrated-care framework) and an open campaign made through the API. Ada
// starts a plan from the campaign, adds an action that is already overdue and shares the plan
// with Pat; Pat reads it and comments; Ada sees the comment; the admin's overdue list shows the
// action (not the plan) and the reminder arrives in the maildir with a link to the plan.
// axe-core checks every page visited; the plan page fits a phone's width.
// Run: TRELLIS_BIN=build/trellis node --test tests/e2e/plans.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import {
  assertAccessible,
  assertFitsWidth,
  collectErrors,
  freePort,
  launchBrowser,
  seedPartnership,
  signIn as signInWith,
  startServer,
  startSmtp,
  stopProcess,
} from "./support.mjs";

const PASSWORD = "a long enough e2e password";
const ADMIN = "olu.admin@e2e.example";
const ADA = "ada.login@e2e.example";
const PAT = "pat.login@e2e.example";

let dir;
let smtp;
let waitForMessage;
let server;
let baseUrl;
let browser;

// An ISO date `days` from today (negative: in the past).
function isoDate(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

async function signIn(email, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await signInWith(page, baseUrl, email, PASSWORD);
  return { context, page, errors };
}

before(async () => {
  let db;
  ({ dir, db } = seedPartnership("trellis-e2e-plans-", {
    partnership: "E2E Plans Partnership",
    admin: { email: ADMIN, name: "Olu Admin" },
    password: PASSWORD,
    organisation: { name: "Riverside Community Trust", sector: "community_health" },
    people: [
      "Pat Lee,pat@riverside.example,Riverside Community Trust,strategic,generalist,",
      "Ada Okafor,ada@riverside.example,Riverside Community Trust,operational,generalist," +
        "pat@riverside.example",
    ],
    members: [
      { email: ADA, name: "Ada Okafor", person: "ada@riverside.example" },
      { email: PAT, name: "Pat Lee", person: "pat@riverside.example" },
    ],
  }));
  let smtpArgs;
  ({ child: smtp, smtpArgs, waitForMessage } = await startSmtp(dir));
  ({ child: server, url: baseUrl } = await startServer([
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

test("a subject plans, shares with their line manager, and the overdue action is reminded", async () => {
  // The admin opens a campaign with Ada as a subject, through the API.
  const admin = await signIn(ADMIN);
  const session = await (await admin.page.request.get(baseUrl + "/api/v1/session")).json();
  const headers = { "X-CSRF-Token": session.csrf_token };
  const people = await (await admin.page.request.get(baseUrl + "/api/v1/people")).json();
  const list = people.people || people;
  const ada = list.find((p) => p.email === "ada@riverside.example");
  assert.ok(ada, `Ada is not among ${JSON.stringify(people)}`);
  const created = await admin.page.request.post(baseUrl + "/api/v1/campaigns", {
    headers,
    data: {
      name: "Spring 360", framework_code: "integrated-care", opens_on: isoDate(-30),
      closes_on: isoDate(30), context_check: false, subject_ids: [ada.id],
    },
  });
  assert.equal(created.status(), 201, await created.text());
  const campaign = await created.json();
  const opened = await admin.page.request.post(`${baseUrl}/api/v1/campaigns/${campaign.id}/open`,
    { headers });
  assert.equal(opened.status(), 200, await opened.text());

  // Ada starts a plan on two priorities and adds an action that is already overdue.
  const a = await signIn(ADA);
  await a.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Development plans" }).click();
  await a.page.waitForURL(baseUrl + "/plans");
  await assertAccessible(a.page, "plans (none)");
  await a.page.getByRole("link", { name: "Start a development plan" }).click();
  await assertAccessible(a.page, "choose a campaign");
  await a.page.getByRole("link", { name: "Spring 360" }).click();
  await assertAccessible(a.page, "choose priorities");
  await a.page.getByLabel("Owning shared outcomes").check();
  await a.page.getByLabel("Understanding variation").check();
  await a.page.getByRole("button", { name: "Start plan" }).click();
  await a.page.getByRole("heading", { level: 1, name: "Development plan: Ada Okafor" }).waitFor();
  await a.page.getByText("Plan started.").waitFor();
  await assertAccessible(a.page, "new plan");
  const planUrl = a.page.url().replace(/[?#].*$/, "");

  await a.page.getByLabel("Goal for Owning shared outcomes").fill("Partners can name who answers for each shared commitment");
  await a.page.locator("#priority-1").getByRole("button", { name: "Save goal" }).click();
  await a.page.getByText("Partners can name who answers for each shared commitment").first().waitFor();
  await a.page.getByLabel("New action for Owning shared outcomes").fill("Map owners of the discharge commitments");
  await a.page.getByLabel("Due date for the action on Owning shared outcomes").fill(isoDate(-3));
  await a.page.locator("#priority-1").getByRole("button", { name: "Add action" }).click();
  const row = a.page.getByRole("row", { name: /Map owners of the discharge commitments/ });
  await row.waitFor();
  assert.match(await row.innerText(), /Overdue/);
  await assertAccessible(a.page, "plan with an overdue action");

  await a.page.getByLabel("Email of their Trellis account").fill(PAT);
  await a.page.getByLabel("They are your").selectOption("line_manager");
  await a.page.getByRole("button", { name: "Share plan" }).click();
  await a.page.getByText("Plan shared.").waitFor();
  await a.page.getByText("Pat Lee, your line manager").waitFor();

  // Pat reads it from "Shared with you" and comments.
  const p = await signIn(PAT);
  await p.page.goto(baseUrl + "/plans");
  await p.page.getByRole("link", { name: "Ada Okafor" }).click();
  await p.page.getByRole("heading", { level: 1, name: "Development plan: Ada Okafor" }).waitFor();
  await p.page.getByText("Map owners of the discharge commitments").waitFor();
  assert.equal(await p.page.getByRole("button", { name: "Save goal" }).count(), 0);
  await p.page.getByLabel("Your comment").fill("Good focus. Let's look at the map together on Monday.");
  await p.page.getByRole("button", { name: "Add comment" }).click();
  await p.page.getByText("Good focus. Let's look at the map together on Monday.").waitFor();
  await assertAccessible(p.page, "plan as the line manager");

  // Ada sees the comment, on a phone.
  const phone = await signIn(ADA, { width: 375, height: 740 });
  await phone.page.goto(planUrl);
  await phone.page.getByText("Good focus. Let's look at the map together on Monday.").waitFor();
  await assertFitsWidth(phone.page, "plan on a phone");

  // The admin cannot open the plan, sees the overdue action, and sends the reminder.
  const denied = await admin.page.goto(planUrl);
  assert.equal(denied.status(), 404);
  await admin.page.goto(baseUrl + "/plans/overdue");
  await admin.page.getByRole("cell", { name: "Map owners of the discharge commitments" }).waitFor();
  assert.equal(await admin.page.getByText("Partners can name who answers").count(), 0);
  await assertAccessible(admin.page, "overdue actions");
  await admin.page.getByRole("button", { name: "Send reminders now" }).click();
  await admin.page.getByText("1 reminder email sent.").waitFor();

  const message = await waitForMessage((t) => /^To:.*ada@riverside\.example/m.test(t));
  assert.match(message, /^Subject: Development plan: 1 overdue action/m);
  assert.match(message, /Map owners of the discharge commitments \(due \d{4}-\d{2}-\d{2}\)/);
  assert.ok(message.includes(planUrl), `no link to ${planUrl} in: ${message}`);

  for (const s of [admin, a, p, phone]) {
    assert.deepEqual(s.errors, []);
    await s.context.close();
  }
});
