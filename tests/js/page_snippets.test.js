// Snippets taken from a result's own page (issue 10, point 4), in chromium over the sample site:
// the document store keeps about 480 characters of an article, and 감속기 occurs in one of the
// sample's articles only beyond them. The page fetches that article's page when the result comes
// near the screen and shows the snippet `sosik search --json` prints, with the word marked.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { CI, site, openIndex, rustSearch, client } = require('./helpers.js');
const { serve } = require('./server.js');
const browser = require('./browser.js');

const why = browser.missing();
const skip = why && !CI ? why : false;
const QUERY = '감속기';
const ARTICLE = '2025/08/01/korean-robot-makers-humanoid/';

test('snippets from pages in chromium', { skip }, async (t) => {
  if (why) throw new Error(why);
  const sample = site(t, 'sample');
  const index = await openIndex(sample.output);
  const base = index.manifest.base_path;
  // The premise: the store holds no 감속기 for that article, so the mark can only come from its page.
  const r = await index.rank(QUERY);
  const terms = r.plan.terms.map((x) => x[0]);
  const docs = await Promise.all(r.hits.slice(0, 10).map((h) => index.doc(h.doc)));
  const deep = docs.find((d) => d[1] === ARTICLE);
  assert.ok(deep, 'the article is among the results');
  assert.ok(!client.snippet(deep[5], terms, client.SNIPPET_CHARS).some((s) => s[1]), 'the store already marks it');

  const server = await serve(sample.output, base);
  const chromium = await browser.launch();
  try {
    const page = await chromium.newPage();
    const fetched = [];
    page.on('request', (req) => fetched.push(new URL(req.url()).pathname));
    await page.goto(server.url + 'search/?q=' + encodeURIComponent(QUERY));
    await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
    for (const a of await page.$$('#search-results > a')) await a.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => !document.querySelector('.r-snippet[data-from-page="waiting"], .r-snippet[data-from-page="pending"]'));
    const shown = await page.$$eval('#search-results > a', (as) => as.map((a) => [a.getAttribute('href'), a.querySelector('.r-snippet').innerHTML]));
    const rust = rustSearch(sample.output, QUERY, 10);
    assert.deepEqual(shown.map((s) => s[1]), rust.map((x) => x.snippet));
    const mine = shown.find(([href]) => href === base + ARTICLE);
    assert.match(mine[1], /<mark>감속기[^<]*<\/mark>/);
    // Only the pages of results whose stored text has no match were fetched.
    const pages = fetched.filter((p) => !p.startsWith(base + 'search/') && !/\.(js|css|svg|ico|png)$/.test(p));
    assert.ok(pages.includes(base + ARTICLE), JSON.stringify(pages));
    const unmarkedInStore = docs.filter((d) => !client.snippet(d[5], terms, client.SNIPPET_CHARS).some((s) => s[1])).length;
    assert.equal(pages.length, unmarkedInStore, JSON.stringify(pages));
  } finally {
    await chromium.close();
    await server.close();
  }
});
