// The search page as a reader on a phone sees it (issue 13): the filter panel laid out at 390 px
// (each filter's name above its dropdown, filters apart, none wider than the screen), every company
// of the results in the company filter, topics in site.toml order, the panel hidden without results,
// the query in the tab title, Korean dates, and one empty state for an empty query and for no results.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { CI, site, openIndex } = require('./helpers.js');
const { serve } = require('./server.js');
const browser = require('./browser.js');

const why = browser.missing();
const skip = why && !CI ? why : false;

// The companies (names) of every result of `query`, as the index stores them.
async function companiesOf(index, query) {
  const r = await index.rank(query);
  const names = new Set();
  for (const h of r.hits) for (const c of (await index.doc(h.doc))[3]) names.add(index.manifest.companies[c][1]);
  return names;
}

test('search page on a phone', { skip }, async (t) => {
  if (why) throw new Error(why);
  const sample = site(t, 'sample');
  const index = await openIndex(sample.output);
  const base = index.manifest.base_path;
  const server = await serve(sample.output, base);
  const chromium = await browser.launch();
  const page = await chromium.newPage({ viewport: { width: 390, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const settle = () => page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
  const open = async (q) => {
    await page.goto(server.url + 'search/' + (q === null ? '' : '?q=' + encodeURIComponent(q)));
    if (q) await settle();
  };
  // Text a sighted reader sees in the results area: the status line unless visually hidden, and the results.
  const visibleMessages = () =>
    page.evaluate(() => {
      const out = [];
      const status = document.getElementById('search-status');
      if (status.textContent && !status.classList.contains('visually-hidden')) out.push(status.textContent);
      for (const p of document.querySelectorAll('#search-results .search-empty')) out.push(p.textContent);
      const hint = document.getElementById('search-hint');
      if (!hint.hidden) out.push(hint.textContent.trim());
      return out;
    });

  try {
    await t.test('an empty query shows one hint and no "no results"', async () => {
      await open(null);
      const shown = await visibleMessages();
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0], /찾을 단어를 입력하세요/);
      assert.doesNotMatch(shown[0], /없습니다/);
      assert.equal(await page.title(), '검색 — ' + (await page.evaluate(() => document.querySelector('.brand').textContent)));
      await open('');
      assert.equal((await visibleMessages()).length, 1);
    });

    await t.test('no results: one message, no filter panel, the query in the tab title', async () => {
      await open('쿼크글루온플라스마');
      const shown = await visibleMessages();
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0], /‘쿼크글루온플라스마’에 맞는 기사가 없습니다/);
      assert.equal(await page.textContent('#search-status'), '0건', 'screen readers still hear the count');
      assert.equal(await page.$eval('#search-facets', (f) => f.hidden), true);
      assert.match(await page.title(), /^‘쿼크글루온플라스마’ 검색 — /);
    });

    await t.test('results: Korean dates, the query in the tab title, the hint gone', async () => {
      await open('로봇');
      assert.match(await page.title(), /^‘로봇’ 검색 — /);
      const dates = await page.$$eval('#search-results > a time', (ts) => ts.map((t) => t.textContent));
      assert.ok(dates.length > 0);
      for (const d of dates) assert.match(d, /^\d{4}년 \d{1,2}월 \d{1,2}일 \([일월화수목금토]\)$/);
      assert.equal(await page.$eval('#search-hint', (h) => h.hidden), true);
      assert.deepEqual(await visibleMessages(), [await page.textContent('#search-status')]);
    });

    await t.test('the filter panel at 390 px: names above dropdowns, filters apart, nothing wider than the screen', async () => {
      await open('AI');
      await page.click('#search-facets summary');
      await page.waitForSelector('#search-facets select[name=month]');
      const boxes = await page.$$eval('#search-facets .facet', (fs) =>
        fs.map((f) => {
          const r = (e) => e.getBoundingClientRect().toJSON();
          return { facet: r(f), name: r(f.querySelector('.facet-name')), select: r(f.querySelector('select')) };
        }),
      );
      assert.equal(boxes.length, 3, 'company, topic and month');
      for (const b of boxes) {
        assert.ok(b.name.bottom <= b.select.top, 'a name sits above its dropdown: ' + JSON.stringify(b));
        assert.ok(b.select.left >= 0 && b.select.right <= 390, 'within the screen: ' + JSON.stringify(b));
      }
      for (let i = 1; i < boxes.length; i++) {
        const [a, b] = [boxes[i - 1].facet, boxes[i].facet];
        const apart = b.top >= a.bottom + 4 || b.left >= a.right + 4;
        assert.ok(apart, 'filters do not touch: ' + JSON.stringify([a, b]));
      }
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
    });

    await t.test('the company filter lists every company of the results; topics keep site.toml order', async () => {
      const want = await companiesOf(index, 'AI');
      assert.ok(want.size > 8, 'the query should have more than eight companies: ' + want.size);
      const groups = await page.$$eval('#search-facets select[name=company] optgroup', (gs) =>
        gs.map((g) => ({ label: g.label, names: Array.from(g.querySelectorAll('option')).map((o) => o.textContent.replace(/ \(\d+\)$/, '')) })),
      );
      assert.equal(groups.length, 2, JSON.stringify(groups));
      assert.equal(groups[0].names.length, 8);
      assert.deepEqual(new Set(groups[1].names), want);
      assert.equal(groups[1].names.length, want.size);
      assert.match(groups[1].label, new RegExp(want.size + '곳'));
      const topics = await page.$$eval('#search-facets select[name=topic] option', (os) => os.filter((o) => o.value).map((o) => o.value));
      const order = index.manifest.topics.map((x) => x[0]);
      assert.deepEqual(topics, order.filter((k) => topics.includes(k)), 'topics in site.toml order');
      // A company from the long list filters the results.
      const last = await page.$eval('#search-facets select[name=company] optgroup:last-child option:last-child', (o) => o.value);
      await page.selectOption('#search-facets select[name=company]', last);
      await page.waitForFunction((k) => location.search.includes('company=' + k), last);
      await settle();
      assert.ok((await page.$$('#search-results > a')).length > 0);
    });

    await t.test('no script error', () => {
      assert.deepEqual(errors, []);
    });
  } finally {
    await chromium.close();
    await server.close();
  }
});
