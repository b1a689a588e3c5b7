#!/usr/bin/env node
// An article's reader tools in chromium at 390 px wide: the table of contents (present on an
// article with three headings or more, absent with fewer; a click on an entry targets its heading
// and brings it to the top), the 링크 복사 button (a click writes the page's canonical address to
// the clipboard and says so, with share.js alone: no framework, no script from elsewhere; without
// JavaScript it is a plain link to that address), and a page that opts in to search found on the
// search page. With SOSIK_SHOTS=<dir> it saves screenshots of the long article, light and dark,
// whole (article-light.png, article-dark.png) and its first screen (article-light-top.png …).
//   node tests/js/article_tools.js <output dir> <base path> <long article> <short article> <word> <page url>
// (site paths with the base path, e.g. /news/2025/07/28/a-lead/). Exit 0: all good ("ok: toc,
// copy link, page search"); 1: a check failed; 3: chromium is not available.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { serve } = require('./server.js');
const browser = require('./browser.js');

const WIDTH = 390;

// Replaces navigator.clipboard with a recorder, so the copied text can be read back in any browser.
function stubClipboard() {
  window.__copied = [];
  const stub = {
    writeText: (text) => {
      window.__copied.push(text);
      return Promise.resolve();
    },
  };
  Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => stub, configurable: true });
}

async function main() {
  const [output, base, long, short, word, pageUrl] = process.argv.slice(2);
  if (!pageUrl) {
    console.error('usage: node tests/js/article_tools.js <output dir> <base path> <long article> <short article> <word> <page url>');
    process.exit(2);
  }
  const why = browser.missing();
  if (why) {
    console.error(why);
    process.exit(3);
  }
  const failures = [];
  const check = (ok, what) => {
    if (!ok) failures.push(what);
  };
  const server = await serve(output, base);
  const origin = server.origin;
  const chromium = await browser.launch();
  try {
    // --- The long article, with a recording clipboard. ---------------------------------------
    const context = await chromium.newContext({ viewport: { width: WIDTH, height: 800 }, deviceScaleFactor: 1 });
    await context.addInitScript(stubClipboard);
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => failures.push('script error: ' + e));
    await page.goto(origin + long, { waitUntil: 'load' });
    const entries = await page.$$eval('nav.toc a', (as) => as.map((a) => a.getAttribute('href')));
    check(entries.length >= 3, `the long article has a table of contents of 3 entries or more: ${JSON.stringify(entries)}`);
    const ids = await page.$$eval('.content :is(h2, h3, h4, h5, h6)[id]', (hs) => hs.map((h) => '#' + h.id));
    check(JSON.stringify(entries) === JSON.stringify(ids), `toc entries ${JSON.stringify(entries)} are the headings ${JSON.stringify(ids)}`);
    if (entries.length >= 3) {
      const target = entries[entries.length - 1];
      await page.click(`nav.toc a[href="${target}"]`);
      await page.waitForFunction((t) => decodeURIComponent(location.hash) === t, target);
      // The heading is the :target and comes to the top of the window (smooth scrolling or not).
      const targeted = await page.evaluate(() => (document.querySelector(':target') || {}).id || null);
      check('#' + targeted === target, `clicking ${target} targets that heading, not ${targeted}`);
      await page
        .waitForFunction((t) => Math.abs(document.getElementById(t.slice(1)).getBoundingClientRect().top) < 40, target, { timeout: 5000 })
        .catch(() => {});
      const top = await page.evaluate((t) => document.getElementById(t.slice(1)).getBoundingClientRect().top, target);
      check(Math.abs(top) < 40, `after the click the heading ${target} is at ${top} px from the top of the window`);
      console.log(`toc: ${entries.length} entries; ${target} clicked, its heading at ${Math.round(top)} px`);
    }

    // The copy link: the canonical address into the clipboard, a confirmation, no navigation.
    const canonical = await page.$eval('link[rel="canonical"]', (l) => l.href);
    const href = await page.$eval('.copy-link', (a) => a.href);
    check(href === canonical, `the copy link points at the canonical address ${canonical}, not ${href}`);
    const before = page.url();
    await page.click('.copy-link');
    await page.waitForFunction(() => window.__copied.length > 0);
    const copied = await page.evaluate(() => window.__copied);
    check(JSON.stringify(copied) === JSON.stringify([canonical]), `copied ${JSON.stringify(copied)}, expected [${canonical}]`);
    const status = await page.$eval('.copy-status', (s) => s.textContent.trim());
    check(status === '복사했습니다', `the status says "${status}", expected 복사했습니다`);
    check(page.url() === before, `the click navigated to ${page.url()}`);
    console.log(`copy link: copied ${copied[0]}; status "${status}"`);

    // No framework: the page's scripts are share.js and JSON-LD data, all from the site itself.
    const scripts = await page.$$eval('script', (ss) => ss.map((s) => s.src || s.type || 'inline'));
    const external = requests.filter((u) => !u.startsWith(origin));
    check(external.length === 0, `requests to other hosts: ${external.join(', ')}`);
    const code = scripts.filter((s) => s !== 'application/ld+json');
    check(code.length === 1 && /\/share\.js(\?|$)/.test(code[0]), `scripts other than share.js: ${JSON.stringify(scripts)}`);
    const globals = await page.evaluate(() => ['jQuery', '$', 'React', 'Vue', 'angular', 'Alpine', 'htmx'].filter((g) => g in window));
    check(globals.length === 0, `framework globals: ${globals.join(', ')}`);
    console.log(`scripts: ${JSON.stringify(scripts)}`);

    // --- The short article: no table of contents, the same button. -----------------------------
    await page.goto(origin + short, { waitUntil: 'load' });
    check((await page.$$('nav.toc')).length === 0, 'an article with fewer than three headings has no table of contents');
    check((await page.$$('.copy-link')).length === 1, 'the short article has the copy link too');

    // --- The real clipboard, with permission, and the button without JavaScript. --------------
    const granted = await chromium.newContext({ viewport: { width: WIDTH, height: 800 } });
    await granted.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const real = await granted.newPage();
    await real.goto(origin + long, { waitUntil: 'load' });
    await real.click('.copy-link');
    await real.waitForFunction(() => document.querySelector('.copy-status').textContent.trim() !== '');
    const read = await real.evaluate(() => navigator.clipboard.readText());
    check(read === canonical, `the system clipboard holds "${read}", expected ${canonical}`);
    await granted.close();
    // A browser that refuses the clipboard: the status says so and points at the address bar,
    // and the click still does not navigate.
    const refused = await chromium.newContext({ viewport: { width: WIDTH, height: 800 } });
    await refused.addInitScript(() => {
      const stub = { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) };
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => stub, configurable: true });
    });
    const denied = await refused.newPage();
    await denied.goto(origin + long, { waitUntil: 'load' });
    await denied.click('.copy-link');
    await denied.waitForFunction(() => document.querySelector('.copy-status').textContent.trim() !== '');
    const deniedStatus = (await denied.$eval('.copy-status', (e) => e.textContent)).trim();
    check(deniedStatus.startsWith('복사하지 못했습니다'), `a refused clipboard says so: "${deniedStatus}"`);
    check(denied.url() === origin + long, `a refused copy does not navigate: ${denied.url()}`);
    await refused.close();
    const plain = await chromium.newContext({ viewport: { width: WIDTH, height: 800 }, javaScriptEnabled: false });
    const noscript = await plain.newPage();
    await noscript.goto(origin + long, { waitUntil: 'load' });
    const plainHref = await noscript.$eval('.copy-link', (a) => a.href);
    check(plainHref === canonical, `without JavaScript the copy link is a plain link to ${canonical}, not ${plainHref}`);
    await plain.close();

    // --- A page that opts in to search, on the search page. ------------------------------------
    await page.goto(server.url + 'search/?q=' + encodeURIComponent(word), { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
    const results = await page.$$eval('#search-results a.result', (as) =>
      as.map((a) => ({ href: a.getAttribute('href'), meta: a.querySelector('.r-meta').textContent, time: !!a.querySelector('time') })),
    );
    const hit = results.find((r) => r.href === pageUrl);
    check(hit && hit.meta.trim() === '페이지' && !hit.time, `searching ${word} lists ${pageUrl} as a page: ${JSON.stringify(results)}`);
    console.log(`search ${word}: ${JSON.stringify(results)}`);
    await context.close();

    // --- Screenshots for a person to look at. ---------------------------------------------------
    const shots = process.env.SOSIK_SHOTS;
    if (shots) {
      fs.mkdirSync(shots, { recursive: true });
      for (const scheme of ['light', 'dark']) {
        const c = await chromium.newContext({ viewport: { width: WIDTH, height: 800 }, deviceScaleFactor: 1, colorScheme: scheme });
        await c.addInitScript(stubClipboard);
        const p = await c.newPage();
        await p.goto(origin + long, { waitUntil: 'load' });
        await p.click('.copy-link');
        await p.waitForFunction(() => window.__copied.length > 0);
        const file = path.join(shots, `article-${scheme}.png`);
        await p.screenshot({ path: file, fullPage: true });
        // The first screen alone, at full size: byline, copy link and table of contents.
        const top = path.join(shots, `article-${scheme}-top.png`);
        await p.screenshot({ path: top });
        console.log(`screenshots: ${file}, ${top}`);
        await c.close();
      }
    }
  } finally {
    await chromium.close();
    await server.close();
  }
  if (failures.length) {
    for (const f of failures) console.log('FAIL: ' + f);
    process.exit(1);
  }
  console.log('ok: toc, copy link, page search');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
