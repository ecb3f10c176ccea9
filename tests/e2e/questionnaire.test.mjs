// tests/e2e/questionnaire.test.mjs — the rater questionnaire (/r/{token}) in a real browser on a
// 360×740 phone viewport: Debian's Chromium driven by playwright-core, axe-core on every page.
// Seeds the demo partnership with `trellis demo --no-serve` (which prints the links of raters
// who have not answered), starts `trellis serve` on a free port over that database, opens one
// link, answers every item by keyboard and taps, saves a draft, reloads, submits, and sees the
// thank-you page. Run: `node --test tests/e2e/` with TRELLIS_BIN naming the built binary.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  assertAccessible,
  assertFitsWidth,
  chromiumPath,
  launchBrowser,
  root,
  startServer,
  trellis,
} from "./support.mjs";


let dir;
let server;
let baseUrl;
let browser;
let tokens = [];

before(async () => {
  assert.ok(existsSync(trellis), `no trellis binary at ${trellis} (set TRELLIS_BIN)`);
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath}: apt-get install chromium`);
  dir = mkdtempSync(path.join(tmpdir(), "trellis-e2e-q-"));
  const db = path.join(dir, "trellis.db");
  const demo = spawnSync(trellis, ["demo", "--db", db, "--no-serve"], {
    encoding: "utf8",
    cwd: root,
    timeout: 120000,
  });
  assert.equal(demo.status, 0, `trellis demo failed: ${demo.stderr}`);
  tokens = [...demo.stdout.matchAll(/https?:\/\/\S+\/r\/([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
  assert.ok(tokens.length >= 2, `no rater links in the demo's output:\n${demo.stdout}`);
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

test("a rater answers the questionnaire on a phone, by keyboard and taps, accessibly", async () => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });

  const link = `${baseUrl}/r/${tokens[0]}`;
  await page.goto(link);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await page.getByText("Who will see your answers").waitFor();
  await assertAccessible(page, "questionnaire");
  await assertFitsWidth(page, "questionnaire");

  // Every item is a radio group (a fieldset with a legend).
  const groups = page.locator("fieldset.q-item");
  const count = await groups.count();
  assert.ok(count > 5, `expected the framework's items, found ${count}`);

  // The first item by keyboard only: focus its first radio, arrow keys move the choice.
  const firstRadio = groups.nth(0).locator("input[type=radio]").first();
  await firstRadio.focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const firstChecked = await groups.nth(0).locator("input[type=radio]:checked").getAttribute("value");
  assert.equal(firstChecked, "3", "arrow keys choose the third answer");
  const focusVisible = await page.evaluate(() => {
    const el = document.activeElement;
    return el && getComputedStyle(el).outlineStyle !== "none";
  });
  assert.ok(focusVisible, "the focused radio shows a focus outline");

  // The rest by tapping labels: a score for most, "Not observed" for every fifth.
  for (let i = 1; i < count; i++) {
    const group = groups.nth(i);
    if (i % 5 === 0) {
      await group.getByLabel("Not observed").check();
    } else {
      const radios = group.locator("input[type=radio]");
      const n = await radios.count();
      await group.locator("label").nth((i % (n - 1))).click();
    }
  }
  const comment = page.locator("textarea").first();
  await comment.fill("Works well with partners; could share data sooner.");
  await assertFitsWidth(page, "questionnaire answered");

  // Save a draft without JavaScript's help (the button), then the answers come back.
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.getByText("Your draft was saved").waitFor();
  assert.equal(await groups.nth(0).locator("input[type=radio]:checked").getAttribute("value"), "3");
  assert.equal(await page.locator("textarea").first().inputValue(),
    "Works well with partners; could share data sooner.");
  assert.equal(await page.locator("fieldset.q-item input[type=radio]:checked").count(), count);
  await assertAccessible(page, "questionnaire after saving");

  // Submit: the thank-you page, and the link now shows it (no editing).
  await page.getByRole("button", { name: "Submit" }).click();
  await page.getByText("Your answers have been received").waitFor();
  await assertAccessible(page, "thank you");
  await assertFitsWidth(page, "thank you");
  await page.goto(link);
  await page.getByText("can no longer be changed").waitFor();
  assert.equal(await page.locator("input[type=radio]").count(), 0);

  // A made-up link gets the neutral answer.
  const unknown = await page.goto(`${baseUrl}/r/AAAAAAAAAAAAAAAAAAAAAA`);
  assert.equal(unknown.status(), 404);
  await page.getByRole("heading", { name: "This link is not valid" }).waitFor();
  await assertAccessible(page, "unknown link");

  assert.deepEqual(errors, [], "no script or CSP errors in the console");
  await context.close();
});

test("autosave posts the draft in the background and announces it", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const link = `${baseUrl}/r/${tokens[1]}`;
  await page.goto(link);
  await page.locator("fieldset.q-item").first().locator("label").nth(1).click();
  // Hiding the page saves at once (the 20 s timer would too, later).
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await page.getByText(/Draft saved at \d\d:\d\d/).waitFor();
  await page.reload();
  assert.equal(
    await page.locator("fieldset.q-item").first().locator("input[type=radio]:checked").getAttribute("value"),
    "2",
  );
  await context.close();
});
