// Renders /docs (Swagger UI) and /redoc (ReDoc) of any running ferroapi
// app in Debian's headless Chromium: every operation listed by Swagger UI,
// every summary shown by ReDoc, no page error, nothing fetched from outside.
// Expects the server at $FERROAPI_URL; screenshots are named $SHOT_NAME-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const base = process.env.FERROAPI_URL ?? "http://127.0.0.1:8765";
const shots = process.env.SCREENSHOT_DIR ?? "../../target/screenshots";
const name = process.env.SHOT_NAME ?? "app";
mkdirSync(shots, { recursive: true });

async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

async function operations() {
  const doc = await (await fetch(`${base}/openapi.json`)).json();
  const ops = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) ops.push({ path, method, op: methods[method] });
  }
  return ops;
}

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
