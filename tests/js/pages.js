#!/usr/bin/env node
// The pages of a built site on a phone: opens every kind of page (home, year, month, day, article,
// companies, company, topic, tags, tag, archive, search) in chromium at 390 px wide and prints each
// one's height; the tallest pages of a kind by size are the ones measured. Checks, when a limit is
// given, that no page is taller, that no request of any page load ends in a 404 (a missing favicon),
// and that the phone menu shows it scrolls: a shade at the edge where sections are hidden, gone at
// the end, and the last section reachable.
//   node tests/js/pages.js <output dir> [max height px]
// Exit 0: all good ("ok: heights, menu, no 404"); 1: a check failed; 3: chromium is not available.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { serve } = require('./server.js');
const browser = require('./browser.js');

const WIDTH = 390;

// Output files by kind: [kind, regex over the path relative to the output, how many to measure].
const KINDS = [
  ['home', /^index\.html$/, 1],
  ['home page 2', /^page\/2\/index\.html$/, 1],
  ['archive', /^archive\/index\.html$/, 1],
  ['year', /^\d{4}\/index\.html$/, 3],
  ['month', /^\d{4}\/\d{2}\/index\.html$/, 3],
  ['day', /^\d{4}\/\d{2}\/\d{2}\/index\.html$/, 3],
  ['day page 2', /^\d{4}\/\d{2}\/\d{2}\/page\/\d+\/index\.html$/, 2],
  ['article', /^\d{4}\/\d{2}\/\d{2}\/(?!page\/)[^/]+\/index\.html$/, 3],
  ['companies', /^companies\/index\.html$/, 1],
  ['company', /^companies\/[^/]+\/index\.html$/, 3],
  ['topic', /^topics\/[^/]+\/index\.html$/, 3],
  ['tags', /^tags\/index\.html$/, 1],
  ['tag', /^tags\/[^/]+\/index\.html$/, 3],
];

function* walk(dir, rel = '') {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? rel + '/' + e.name : e.name;
    if (e.isDirectory()) yield* walk(dir, r);
    else yield r;
  }
}

// The pixel at (x, y) of a PNG screenshot, as [r, g, b] (8-bit RGB or RGBA, not interlaced).
function pixel(png, x, y) {
  let at = 8;
  let width = 0;
  let type = 0;
  const idat = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const name = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (name === 'IHDR') {
      width = data.readUInt32BE(0);
      type = data[9];
      if (data[8] !== 8 || data[12] !== 0) throw new Error('unexpected PNG format');
    } else if (name === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const bpp = type === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  let prev = Buffer.alloc(stride);
  let row = null;
  for (let r = 0; r <= y; r++) {
    const filter = raw[r * (stride + 1)];
    const line = raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1));
    row = Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const add = [0, a, b, (a + b) >> 1, paeth][filter];
      row[i] = (line[i] + add) & 0xff;
    }
    prev = row;
  }
  return [row[x * bpp], row[x * bpp + 1], row[x * bpp + 2]];
}

async function main() {
  const [output, limitArg] = process.argv.slice(2);
  if (!output) throw new Error('usage: pages.js <output dir> [max height px]');
  const why = browser.missing();
  if (why) {
    console.error(why);
    process.exit(3);
  }
  const limit = limitArg ? Number(limitArg) : Infinity;
  const manifest = JSON.parse(fs.readFileSync(path.join(output, 'search', 'manifest.json'), 'utf8'));
  const base = manifest.base_path;
  const files = Array.from(walk(output)).map((rel) => ({ rel, size: fs.statSync(path.join(output, rel)).size }));
  const pages = [];
  for (const [kind, re, n] of KINDS) {
    const of = files.filter((f) => re.test(f.rel)).sort((a, b) => b.size - a.size || (a.rel < b.rel ? -1 : 1));
    for (const f of of.slice(0, n)) pages.push([kind, f.rel.replace(/index\.html$/, ''), f.size]);
  }
  // A search with many results (the first word of the newest title), its filter panel open.
  const home = fs.readFileSync(path.join(output, 'index.html'), 'utf8');
  const title = (/class="card-title"><a href="[^"]*">([^<]+)/.exec(home) || [])[1] || '';
  const word = (/[\p{L}\p{N}]{2,}/u.exec(title.replace(/&[^;]*;/g, ' ')) || ['AI'])[0];
  pages.push(['search', 'search/?q=' + encodeURIComponent(word), 0]);

  const failures = [];
  const server = await serve(output, base);
  const chromium = await browser.launch();
  try {
    const context = await chromium.newContext({ viewport: { width: WIDTH, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const missing = [];
    page.on('response', (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
    page.on('pageerror', (e) => failures.push('script error: ' + e));
    for (const [kind, rel, size] of pages) {
      await page.goto(server.url + rel, { waitUntil: 'load' });
      if (kind === 'search') {
        await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
        const more = page.locator('#search-more');
        if (await more.isVisible()) await more.click();
        await page.click('#search-facets summary');
        await page.waitForSelector('#search-facets select');
      }
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      console.log(`${kind.padEnd(12)} ${String(height).padStart(6)} px ${String(Math.round(size / 1024)).padStart(4)} KB  /${rel}`);
      if (height > limit) failures.push(`/${rel} (${kind}) is ${height} px tall at ${WIDTH} px, more than ${limit}`);
      if (wide > WIDTH) failures.push(`/${rel} (${kind}) is ${wide} px wide at ${WIDTH} px: it scrolls sideways`);
    }
    // Browsers ask for /favicon.ico when a page names none; wait for such late requests.
    await page.waitForTimeout(300);
    if (missing.length) failures.push('404 during page loads: ' + [...new Set(missing)].join(', '));

    // The phone menu: when its sections do not fit, a shade at the right edge until the end is
    // reached (then at the left) and the last section reachable; when they fit, no shade.
    await page.goto(server.url, { waitUntil: 'load' });
    const nav = page.locator('.site-nav ul');
    const box = await nav.boundingBox();
    const sizes = await nav.evaluate((ul) => ({ scroll: ul.scrollWidth, client: ul.clientWidth, top: parseFloat(getComputedStyle(ul).paddingTop) }));
    // Pixels in the menu's top padding (no text there) at both edges and in the middle.
    const edges = async () => {
      const shot = await page.screenshot({ clip: { x: 0, y: box.y, width: WIDTH, height: Math.max(2, Math.floor(sizes.top)) } });
      return { left: pixel(shot, 1, 1), middle: pixel(shot, Math.floor(WIDTH / 2), 1), right: pixel(shot, WIDTH - 2, 1) };
    };
    const same = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 2);
    const scrolls = sizes.scroll > sizes.client;
    const start = await edges();
    await nav.evaluate((ul) => {
      ul.scrollLeft = ul.scrollWidth;
    });
    const end = await edges();
    if (!scrolls) {
      if (!same(start.right, start.middle) || !same(start.left, start.middle)) failures.push(`a shade on a menu that fits: ${JSON.stringify(start)}`);
    } else {
      if (same(start.right, start.middle)) failures.push(`no shade at the right edge of the menu: ${JSON.stringify(start)}`);
      if (!same(start.left, start.middle)) failures.push(`a shade at the left edge before scrolling: ${JSON.stringify(start)}`);
      if (!same(end.right, end.middle)) failures.push(`a shade at the right edge at the end of the menu: ${JSON.stringify(end)}`);
      if (same(end.left, end.middle)) failures.push(`no shade at the left edge after scrolling: ${JSON.stringify(end)}`);
    }
    const last = await page.locator('.site-nav li:last-child a').boundingBox();
    if (!(last && last.x >= 0 && last.x + last.width <= WIDTH)) failures.push(`the last section is not reachable: ${JSON.stringify(last)}`);
    const items = await page.$$eval('.site-nav li', (l) => l.length);
    console.log(`menu: ${scrolls ? 'scrolls' : 'fits'}, ${items} sections in ${sizes.client} px (${sizes.scroll} px wide); edges at start ${JSON.stringify(start)}, at end ${JSON.stringify(end)}`);
  } finally {
    await chromium.close();
    await server.close();
  }
  if (failures.length) {
    for (const f of failures) console.log('FAIL: ' + f);
    process.exit(1);
  }
  console.log('ok: heights, menu, no 404');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
