// The search page in a real browser (Debian's chromium, headless): deep links, typing, facets,
// the no-results state, and safety: markup in titles and queries stays text, no dialog opens, and
// result links are relative or http(s) only.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { CI, site, openIndex, urls, rustSearch } = require('./helpers.js');
const { serve } = require('./server.js');
const browser = require('./browser.js');

const why = browser.missing();
const skip = why && !CI ? why : false;

test('search page in chromium', { skip }, async (t) => {
  if (why) throw new Error(why);
  const korean = site(t, 'korean');
  const index = await openIndex(korean.output);
  const base = index.manifest.base_path;
  const server = await serve(korean.output, base);
  const chromium = await browser.launch();
  const dialogs = [];
  const foreign = [];
  const errors = [];
  const page = await chromium.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(server.origin)) foreign.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const results = () => page.$$eval('#search-results > a', (as) => as.map((a) => a.getAttribute('href')));
  // Drawn; and, once every result has been on screen, every snippet taken from a result's page
  // in place (the page fetches those only for results near the screen).
  const settle = async () => {
    await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
    for (const a of await page.$$('#search-results > a')) await a.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => !document.querySelector('#search-results .r-snippet[data-from-page="waiting"], #search-results .r-snippet[data-from-page="pending"]'));
  };
  const open = async (q) => {
    await page.goto(server.url + 'search/?q=' + encodeURIComponent(q));
    await settle();
    return results();
  };

  try {
    await t.test('deep links show the same results as the client in node, in rank order', async () => {
      for (const q of ['딥시크', '딥시크를', '반도체', '로봇', 'gpu', 'HBM 공급', '딥시']) {
        const got = await open(q);
        assert.ok(got.length > 0, q);
        assert.deepEqual(got, await urls(index, q), q);
      }
    });

    await t.test('each result shows title, date, companies and a snippet', async () => {
      await open('HBM 공급');
      const first = await page.$eval('#search-results > a', (a) => ({
        title: a.querySelector('.r-title').textContent,
        date: a.querySelector('time').getAttribute('datetime'),
        meta: a.querySelector('.r-meta').textContent,
        marks: Array.from(a.querySelectorAll('.r-snippet mark')).map((m) => m.textContent),
      }));
      assert.equal(first.title, 'SK하이닉스, HBM 공급 확대');
      assert.equal(first.date, '2025-08-05');
      assert.equal(await page.$eval('#search-results > a time', (t) => t.textContent), '2025년 8월 5일 (화)');
      assert.match(await page.title(), /^‘HBM 공급’ 검색 — /);
      assert.match(first.meta, /SK하이닉스/);
      assert.ok(first.marks.includes('HBM') && first.marks.includes('공급을'), JSON.stringify(first.marks));
    });

    await t.test('snippets are the HTML `sosik search --json` prints, untrusted text escaped', async () => {
      for (const q of ['HBM 공급', '보안점검']) {
        await open(q);
        const shown = await page.$$eval('#search-results .r-snippet', (s) => s.map((e) => e.innerHTML));
        assert.deepEqual(shown, rustSearch(korean.output, q, 10).map((r) => r.snippet), q);
      }
      assert.match(await page.$eval('#search-results .r-snippet', (e) => e.innerHTML), /&lt;svg onload=alert\(1\)&gt;/);
    });

    await t.test('typing updates the results and the address', async () => {
      await page.goto(server.url + 'search/');
      await page.fill('#search-input', '휴머노');
      await page.waitForFunction(() => document.querySelectorAll('#search-results > a').length > 0);
      await settle();
      assert.deepEqual(await results(), await urls(index, '휴머노'));
      assert.match(decodeURIComponent(await page.evaluate(() => location.search)), /q=휴머노/);
      await page.fill('#search-input', 'gpu');
      await page.waitForFunction(() => decodeURIComponent(location.search).includes('q=gpu'));
      await settle();
      assert.deepEqual(await results(), await urls(index, 'gpu'));
    });

    await t.test('typing Korean through an IME searches committed syllables only, never flashing "no results"', async () => {
      await page.goto(server.url + 'search/');
      await page.evaluate(() => {
        // Everything the page shows while the word is typed, in order.
        window.__seen = [];
        const note = () => {
          const status = document.getElementById('search-status').textContent;
          const empty = document.querySelector('#search-results .search-empty');
          window.__seen.push(status + (empty ? ' | ' + empty.textContent : ''));
        };
        new MutationObserver(note).observe(document.getElementById('search-results'), { childList: true, subtree: true, characterData: true });
        new MutationObserver(note).observe(document.getElementById('search-status'), { childList: true, subtree: true, characterData: true });
      });
      await page.focus('#search-input');
      const cdp = await page.context().newCDPSession(page);
      const compose = (text) => cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      const commit = (text) => cdp.send('Input.insertText', { text });
      const pause = () => page.waitForTimeout(200); // longer than the page's 120 ms debounce
      // What a Korean keyboard sends for 딥시크를 and 반도체: each key updates the open syllable; a
      // vowel after a final consonant commits the syllable before it (시+ㅋ = 싴, +ㅡ = 시|크).
      const strokes = [
        ['ㄷ', '디', '딥', '<딥', 'ㅅ', '시', '싴', '<시', '크', '클', '<크', '르', '를', '<를'],
        ['ㅂ', '바', '반', '<반', 'ㄷ', '도', '돛', '<도', '체', '<체'],
      ];
      const searched = new Set();
      for (const [i, keys] of strokes.entries()) {
        if (i > 0) await page.fill('#search-input', '');
        for (const k of keys) {
          if (k.startsWith('<')) await commit(k.slice(1));
          else await compose(k);
          await pause();
          searched.add(new URLSearchParams(await page.evaluate(() => location.search)).get('q'));
        }
        await settle();
      }
      searched.delete(null);
      assert.deepEqual([...searched], ['딥', '딥시', '딥시크', '딥시크를', '반', '반도', '반도체'], 'only committed syllables are searched');
      const seen = await page.evaluate(() => window.__seen);
      assert.ok(!seen.some((s) => /없습니다/.test(s)), 'a half-typed syllable was searched: ' + JSON.stringify(seen));
      assert.equal(await page.inputValue('#search-input'), '반도체');
      assert.deepEqual(await results(), await urls(index, '반도체'));
      assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('q'), '반도체');
      // A bare jamo at the end (a keyboard without composition events) is not searched either.
      await page.fill('#search-input', '반ㄷ');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '반');
      // When the typing stops, the results of what was typed are drawn, "no results" included.
      await page.waitForTimeout(1000);
      await settle();
      assert.deepEqual(await results(), await urls(index, '반'));
      await page.fill('#search-input', '쿼크글루온');
      await page.waitForFunction(() => document.querySelector('#search-results .search-empty') !== null);
    });

    await t.test('facets load when opened, filter the results and go into the address', async () => {
      const fetched = [];
      const onRequest = (r) => fetched.push(r.url());
      page.on('request', onRequest);
      await open('중국 가격');
      const before = await results();
      assert.ok(!fetched.some((u) => u.includes('/search/facets.')), 'facets are not fetched before the panel opens');
      await page.click('#search-facets summary');
      await page.selectOption('#search-facets select[name=company]', 'deepseek');
      page.off('request', onRequest);
      await page.waitForFunction(() => location.search.includes('company=deepseek'));
      await settle();
      const after = await results();
      assert.ok(after.length > 0 && after.length <= before.length);
      assert.ok(after.every((h) => before.includes(h)));
      // The other facets count within the chosen company: the months add up to its results.
      const months = await page.$$eval('#search-facets select[name=month] option', (os) => os.filter((o) => o.value).map((o) => Number(o.textContent.match(/\((\d+)\)$/)[1])));
      assert.equal(months.reduce((a, b) => a + b, 0), after.length, JSON.stringify(months));
      // A deep link with a filter opens the panel and applies it.
      await page.goto(server.url + 'search/?q=' + encodeURIComponent('중국 가격') + '&company=deepseek');
      await settle();
      assert.deepEqual(await results(), after);
      assert.equal(await page.$eval('#search-facets details', (d) => d.open), true);
    });

    await t.test('each submitted search is a history entry: Back and Forward show it again', async () => {
      await open('반도체');
      const submit = async (q) => {
        await page.fill('#search-input', q);
        await page.press('#search-input', 'Enter');
        await page.waitForFunction((want) => new URLSearchParams(location.search).get('q') === want, q);
        await settle();
      };
      await submit('로봇');
      await submit('딥시크');
      const shown = async (q) => {
        await page.waitForFunction((want) => document.getElementById('search-input').value === want, q);
        await settle();
        assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('q'), q);
        assert.deepEqual(await results(), await urls(index, q), q);
      };
      await page.goBack();
      await shown('로봇');
      await page.goBack();
      await shown('반도체');
      await page.goForward();
      await shown('로봇');
    });

    await t.test('results hidden by a filter: the page says so and offers to drop it', async () => {
      await page.goto(server.url + 'search/?q=' + encodeURIComponent('로봇') + '&company=deepseek');
      await settle();
      assert.deepEqual(await results(), []);
      assert.match(await page.textContent('#search-results .search-empty'), /고른 조건/);
      await page.click('#search-results .search-clear');
      await page.waitForFunction(() => !location.search.includes('company='));
      await settle();
      assert.deepEqual(await results(), await urls(index, '로봇'));
    });

    await t.test('no results: a clear message, and a query of particles finds nothing', async () => {
      assert.deepEqual(await open('쿼크글루온플라스마'), []);
      assert.equal(await page.textContent('#search-status'), '0건', 'one message says there are none: the one in the results');
      assert.equal(await page.locator('#search-results .search-empty').count(), 1);
      assert.deepEqual(await open('을 를 의'), []);
    });

    await t.test('markup in a title and in the query is shown as text', async () => {
      const got = await open('onerror');
      assert.equal(got.length, 1);
      assert.equal(await page.textContent('#search-results > a .r-title'), '<img src=x onerror=alert(1)>');
      await open('<svg onload=alert(1)>');
      assert.equal(await page.inputValue('#search-input'), '<svg onload=alert(1)>');
      const injected = await page.$$eval('main img, main svg, main script:not([src])', (n) => n.length);
      assert.equal(injected, 0);
      await open('<img src=x onerror=alert(1)> 쿼크글루온');
      assert.match(await page.textContent('#search-results'), /<img src=x onerror=alert\(1\)>/);
      assert.deepEqual(dialogs, []);
    });

    await t.test('result links are relative to the site or http(s)', async () => {
      for (const q of ['딥시크', '로봇', 'onerror']) {
        for (const href of await open(q)) assert.ok(href.startsWith(base) && !href.startsWith('//'), href);
      }
    });

    await t.test('nothing is fetched from another host and no script error happens', () => {
      assert.deepEqual(foreign, []);
      assert.deepEqual(errors, []);
    });
  } finally {
    await chromium.close();
    await server.close();
  }
});
