// Opens /docs (Swagger UI) and /redoc (ReDoc) of a running ferroapi example in
// Debian's headless Chromium, driven by playwright-core (no browser download).
// Expects the server at $FERROAPI_URL (scripts/browser-test starts it).
// Screenshots go to $SCREENSHOT_DIR (default target/screenshots).
import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, operations, shots } from "./lib.mjs";

test("Swagger UI lists every operation and runs one through Try it out", async () => {
  const ops = await operations();
  const b = await browser();
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 1600 } });
    const offsite = [];
    page.on("request", (r) => { if (!r.url().startsWith(base)) offsite.push(r.url()); });
    await page.goto(`${base}/docs`);
    await page.waitForSelector(".opblock", { timeout: 20000 });
    const listed = await page.$$eval(".opblock", (els) =>
      els.map((e) => [
        e.querySelector(".opblock-summary-method")?.textContent?.trim().toLowerCase(),
        e.querySelector(".opblock-summary-path")?.getAttribute("data-path"),
      ]));
    for (const { path, method } of ops) {
      assert.ok(listed.some(([m, p]) => m === method && p === path), `${method} ${path} not listed`);
    }
    assert.equal(listed.length, ops.length);

    // Try it out: GET /items/ (the list).
    const block = page.locator(".opblock-get", { has: page.locator('[data-path="/items/"]') }).first();
    await block.locator(".opblock-summary").click();
    await block.locator("button.try-out__btn").click();
    await block.locator("button.execute").click();
    const status = block.locator(".live-responses-table tbody .response-col_status").first();
    await status.waitFor({ timeout: 20000 });
    assert.equal((await status.textContent()).trim(), "200");
    await page.screenshot({ path: `${shots}/docs.png`, fullPage: false });
    assert.deepEqual(offsite, [], "the page fetched something from outside the app");
  } finally {
    await b.close();
  }
});

test("Swagger UI's Authorize gets a token with the password flow; a protected call succeeds", async () => {
  const b = await browser();
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 1400 } });
    await page.goto(`${base}/docs`);
    await page.waitForSelector(".opblock", { timeout: 20000 });
    await page.locator("button.authorize").first().click();
    await page.locator("#oauth_username").fill("demo");
    await page.locator("#oauth_password").fill("demo");
    await page.locator(".auth-btn-wrapper button.authorize").click();
    // Authorized: the modal offers to log out.
    await page.locator(".auth-btn-wrapper button.authorize", { hasText: "Logout" }).waitFor({ timeout: 10000 });
    await page.locator(".auth-btn-wrapper button.btn-done").click();

    const block = page.locator(".opblock-get", { has: page.locator('[data-path="/users/me"]') }).first();
    await block.locator(".opblock-summary").click();
    await block.locator("button.try-out__btn").click();
    await block.locator("button.execute").click();
    const status = block.locator(".live-responses-table tbody .response-col_status").first();
    await status.waitFor({ timeout: 20000 });
    assert.equal((await status.textContent()).trim(), "200");
    const body = await block.locator(".live-responses-table tbody .response-col_description pre").first().textContent();
    assert.match(body, /"username": "demo"/);
    await page.screenshot({ path: `${shots}/docs-authorized.png`, fullPage: false });
  } finally {
    await b.close();
  }
});

test("ReDoc renders every operation", async () => {
  const ops = await operations();
  const b = await browser();
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 1200 } });
    const offsite = [];
    const local = (u) => u.startsWith(base) || u.startsWith(`blob:${base}`) || u.startsWith("data:");
    // ReDoc's bundle asks for its CDN logo; the page's CSP refuses it, so the
    // request fails without leaving the machine. Count what actually loaded.
    page.on("requestfinished", (r) => { if (!local(r.url())) offsite.push(r.url()); });
    await page.goto(`${base}/redoc`);
    await page.waitForSelector("h2", { timeout: 20000 });
    const text = await page.textContent("body");
    for (const { op } of ops) {
      assert.ok(text.includes(op.summary), `${op.summary} not rendered`);
    }
    await page.screenshot({ path: `${shots}/redoc.png`, fullPage: false });
    assert.deepEqual(offsite, [], "the page fetched something from outside the app");
  } finally {
    await b.close();
  }
});
