// Korean behaviour of the client over the korean fixture (tests/fixtures/search/korean): particles,
// compounds, case, two-syllable nouns, prefixes while typing, particle-only queries.
// tests/it/search_korean.rs asserts the same of `sosik search`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { site, openIndex, urls } = require('./helpers.js');

const slug = (u) => u.split('/').filter(Boolean).pop();

test('Korean queries', async (t) => {
  const index = await openIndex(site(t, 'korean').output);
  const found = async (q) => (await urls(index, q)).map(slug);

  await t.test('딥시크, 딥시크의, 딥시크를 find the same articles', async () => {
    const plain = await found('딥시크');
    assert.deepEqual(plain.slice().sort(), ['deepseek-chips', 'deepseek-price', 'deepseek-v32']);
    for (const q of ['딥시크의', '딥시크를', '딥시크는', '딥시크 ', '딥시크를 ']) assert.deepEqual((await found(q)).sort(), plain.slice().sort(), q);
  });

  await t.test('반도체 finds an article that only writes AI반도체', async () => {
    assert.ok((await found('반도체')).includes('ai-chip-only'));
    assert.ok((await found('반도체를')).includes('ai-chip-only'));
  });

  await t.test('로봇 finds 휴머노이드로봇', async () => {
    const r = await found('로봇');
    assert.ok(r.includes('humanoid-robot') && r.includes('robot-arm'), r.join());
  });

  await t.test('gpu finds GPU', async () => {
    assert.deepEqual(await found('gpu'), ['nvidia-gpu']);
    assert.deepEqual(await found('GPU를'), ['nvidia-gpu']);
  });

  await t.test('two-syllable nouns', async () => {
    assert.deepEqual(await found('폭염'), ['weather']);
    assert.deepEqual(await found('공급'), ['hbm-supply']);
    assert.ok((await found('가격')).includes('deepseek-price'));
  });

  await t.test('a prefix of a name while typing finds it', async () => {
    assert.ok((await found('딥시')).includes('deepseek-v32'));
    assert.ok((await found('휴머노')).includes('humanoid-robot'));
    assert.deepEqual(await found('딥시 '), [], 'a finished word is not a prefix');
  });

  await t.test('two words: all of them first', async () => {
    assert.deepEqual(await found('HBM 공급'), ['hbm-supply']);
    const r = await index.rank('딥시크 칩');
    assert.ok(r.allWords);
    assert.equal(slug((await index.doc(r.hits[0].doc))[1]), 'deepseek-chips');
  });

  await t.test('an English company name finds the Korean one', async () => {
    const plain = (await found('딥시크')).sort();
    assert.deepEqual((await found('deepseek')).sort(), plain);
    assert.deepEqual((await found('DeepSeek ')).sort(), plain);
  });

  await t.test('a word no article has is named, and the rest are not "all words"', async () => {
    const r = await index.rank('딥시크 xyzzy ');
    assert.deepEqual(r.plan.missing, ['xyzzy']);
    assert.ok(!r.allWords);
    assert.deepEqual((await index.rank('딥시크의 에서 ')).plan.missing, []);
  });

  await t.test('a query of particles finds nothing', async () => {
    for (const q of ['을', '를', '의', '은 는 이 가', '에서', '에서 ']) assert.deepEqual(await found(q), [], q);
  });
});
