// Renders /docs (Swagger UI) and /redoc (ReDoc) of any running ferroapi
// app in Debian's headless Chromium: every operation listed by Swagger UI,
// every operation opened, every summary shown by ReDoc, no page error.
// Expects the server at $FERROAPI_URL; screenshots are named $SHOT_NAME-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, operations, shots } from "./lib.mjs";

const name = process.env.SHOT_NAME ?? "app";

test(`${name}: Swagger UI lists every operation`, async () => {
  const ops = await operations();
  const b = await browser();
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 1600 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
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
    // Open every operation: each one's responses must render.
    for (const summary of await page.locator(".opblock-summary").all()) await summary.click();
    await page.waitForTimeout(500);
    assert.equal(await page.locator(".responses-wrapper").count(), ops.length);
    await page.screenshot({ path: `${shots}/${name}-docs.png`, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test(`${name}: ReDoc renders every operation`, async () => {
  const ops = await operations();
  const b = await browser();
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 1200 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${base}/redoc`);
    await page.waitForSelector("h2", { timeout: 20000 });
    const text = await page.textContent("body");
    for (const { op } of ops) {
      assert.ok(text.includes(op.summary), `${op.summary} not rendered`);
    }
    await page.screenshot({ path: `${shots}/${name}-redoc.png`, fullPage: false });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});
