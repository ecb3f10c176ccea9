// tests/e2e/partnership.test.mjs — the partnership view and the role-profile editor in a real
// browser on the demo partnership (`trellis demo --no-serve`, whose pilot campaign is released):
// the board member sees the heatmap by level with figures and, by organisation, blank cells that
// say why (no organisation has 5 subjects); the CSV export withholds the same cells; an admin
// edits a role profile and it is saved as a new framework version. axe-core on every page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import {
  assertAccessible,
  assertFitsWidth,
  launchBrowser,
  serveDemo,
  signIn as signInWith,
  stopProcess,
} from "./support.mjs";

const PASSWORD = "trellis-demo-2026";
let dir;
let server;
let baseUrl;
let browser;

before(async () => {
  ({ dir, server, baseUrl } = await serveDemo("trellis-e2e-pv-"));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  await stopProcess(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const signIn = (page, email) => signInWith(page, baseUrl, email, PASSWORD);

// The text of every cell of the heatmap's body, row by row.
async function heatmapRows(page) {
  return page.locator("table.heatmap").first().locator("tbody tr").evaluateAll((rows) =>
    rows.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())));
}

test("the board sees the heatmap with small cells withheld and the reason given", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "board@riverside.example");
  await page.getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Partnership view" }).click();
  await page.waitForURL(/\/partnership$/);
  await assertAccessible(page, "partnership view");

  // By organisation: every cell is a figure resting on at least 5 subjects, or blank with the
  // reason; the demo's smaller organisations make some blank.
  let rows = await heatmapRows(page);
  assert.ok(rows.length >= 3, `too few rows: ${JSON.stringify(rows)}`);
  let withheld = 0;
  for (const row of rows.slice(0, -1)) {
    for (const cell of row.slice(1)) {
      const figure = cell.match(/^\d\.\d\dn=(\d+)$/);
      if (figure) {
        assert.ok(Number(figure[1]) >= 5, `${row[0]}: a figure on ${figure[1]} subjects`);
      } else {
        assert.match(cell, /^(fewer than 5 subjects|withheld so that a smaller group cannot be worked out|no subject with a shown score)$/);
        ++withheld;
      }
    }
  }
  assert.ok(withheld > 0, "no organisation cell is withheld in the demo");
  const whole = rows.at(-1);
  assert.equal(whole[0], "Whole partnership");
  assert.match(whole[1], /^\d\.\d\dn=\d+$/, `whole partnership cell: ${whole[1]}`);

  // By level: strategic and operational each have enough subjects for most competencies.
  await page.getByLabel("By", { exact: true }).selectOption("level");
  await page.getByRole("button", { name: "Show" }).click();
  await page.waitForURL(/by=level/);
  rows = await heatmapRows(page);
  const labels = rows.map((r) => r[0]);
  assert.deepEqual(labels.slice(0, -1).sort(), ["Operational", "Strategic"]);
  const shown = rows.slice(0, -1).flatMap((r) => r.slice(1)).filter((c) => /^\d\.\d\d/.test(c));
  assert.ok(shown.length > 0, `no figure shown by level: ${JSON.stringify(rows)}`);
  await assertAccessible(page, "partnership view by level");

  // The CSV export withholds the same cells: no number where the page gives a reason.
  const csvHref = await page.getByRole("link", { name: "Download this table as CSV" })
    .getAttribute("href");
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref);
  const lines = csv.trim().split("\n");
  assert.equal(lines[0], "breakdown,row,set,value,subjects,withheld");
  for (const line of lines.slice(1)) {
    const withheld = /fewer than|withheld so that|no subject/.test(line);
    assert.ok(withheld ? /^level,[^,]+,[^,]+,,,/.test(line) : /^level,[^,]+,[^,]+,\d\.\d{4},\d+,$/.test(line),
      `CSV line: ${line}`);
  }

  // The xlsx export answers a workbook (a zip: "PK").
  const xlsxHref = await page.getByRole("link", { name: "as Excel (xlsx)" }).getAttribute("href");
  const magic = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return [r.status, new TextDecoder().decode((await r.arrayBuffer()).slice(0, 2))];
  }, xlsxHref);
  assert.deepEqual(magic, [200, "PK"]);

  // Strongest and weakest, and competence vs context by organisation.
  await assert.doesNotReject(page.getByRole("heading", { name: "Strongest" }).waitFor());
  await assert.doesNotReject(
    page.getByRole("heading", { name: "Competence and context by organisation" }).waitFor());

  // On a phone, the page fits (tables scroll inside their region).
  await page.setViewportSize({ width: 360, height: 740 });
  await assertFitsWidth(page, "partnership view on a phone");
  await context.close();
});

test("an admin edits a role profile and it becomes a new framework version", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "admin@riverside.example");
  await page.goto(baseUrl + "/frameworks/integrated-care/profiles?level=operational&function=hr");
  await assertAccessible(page, "role profile editor");
  const heading = await page.getByRole("heading", { level: 1 }).textContent();
  const version = Number(heading.match(/version (\d+)/)[1]);
  const first = page.locator("select[id^=expected_]").first();
  const id = await first.getAttribute("id");
  await first.selectOption("4");
  await page.locator(`#importance_${id.slice("expected_".length)}`).selectOption("3");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await page.waitForURL(/saved=new/);
  await assert.doesNotReject(page.getByText(`Saved as version ${version + 1}`).waitFor());
  assert.equal(await page.locator(`#${id}`).inputValue(), "4");
  await assertAccessible(page, "role profile saved");

  // The board may look but not edit.
  const board = await browser.newContext();
  const boardPage = await board.newPage();
  await signIn(boardPage, "board@riverside.example");
  await boardPage.goto(baseUrl + "/frameworks/integrated-care/profiles?level=operational&function=hr");
  assert.equal(await boardPage.locator("select[id^=expected_]").count(), 0);
  await board.close();
  await context.close();
});
