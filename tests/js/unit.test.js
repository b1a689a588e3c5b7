// Pure functions of the search client: word splitting, ordering, query words, snippets, links.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { client } = require('./helpers.js');

test('words keep inner joiners like src/text.rs', () => {
  assert.deepEqual(client.words('딥시크-V3.2를, “오픈AI”는 22.8조원(약) GPT-4.5. -x- a--b'), [
    '딥시크-V3.2를', '오픈AI', '는', '22.8조원', '약', 'GPT-4.5', 'x', 'a', 'b',
  ]);
  assert.deepEqual(client.words(' .,;— '), []);
  assert.deepEqual(client.words('삼성전자·SK하이닉스 C++ 深度求索'), ['삼성전자·SK하이닉스', 'C', '深度求索']);
});

test('cmp is code point order, not UTF-16 order', () => {
  assert.equal(client.cmp('a', 'b'), -1);
  assert.equal(client.cmp('가', '가나'), -1);
  assert.equal(client.cmp('\uffff', '\u{10000}'), -1); // UTF-16 would say the opposite
  assert.equal(client.cmp('\u{1f600}', '\uff01'), 1);
  assert.equal(client.cmp('딥시크', '딥시크'), 0);
});

test('query words are lowercased, NFC, deduplicated; the last one is a prefix unless the query ends', () => {
  assert.deepEqual(client.queryWords('GPU 딥시크 gpu', 12), { keys: ['gpu', '딥시크'], prefix: 'gpu' });
  assert.deepEqual(client.queryWords('딥시 ', 12), { keys: ['딥시'], prefix: null });
  assert.deepEqual(client.queryWords('딥시크?', 12), { keys: ['딥시크'], prefix: null });
  const decomposed = '\u1103\u1175\u11b8\u1109\u1175'; // 딥시 as conjoining jamo
  assert.deepEqual(client.queryWords(decomposed, 12).keys, ['딥시']);
  assert.deepEqual(client.queryWords('a b c', 2), { keys: ['a', 'b'], prefix: null });
});

test('compound alternatives: the whole, or all the parts', () => {
  assert.deepEqual(client.alternatives(['ai반도체', 'ai', '반도체']), [['ai반도체'], ['ai', '반도체']]);
  assert.deepEqual(client.alternatives(['딥시크', '딥시크']), [['딥시크']]);
  assert.deepEqual(client.alternatives([]), []);
});

const show = (segs) => segs.map(([t, m]) => (m ? `[${t}]` : t)).join('');

test('highlight marks whole eojeols that contain a query term', () => {
  assert.equal(show(client.highlight('딥시크를 쓰는 GPU는 AI반도체', ['딥시크', 'gpu'])), '[딥시크를] 쓰는 [GPU는] AI반도체');
});

test('snippet moves to the window with the matches (same as snippet.rs)', () => {
  const text = '가나다 '.repeat(40) + '반도체 공급이 늘었다. ' + '라마 '.repeat(40);
  const s = show(client.snippet(text, ['반도체', '공급'], 40));
  assert.ok(s.startsWith('…') && s.includes('[반도체] [공급이]') && s.endsWith('…'), s);
  assert.equal(show(client.snippet('첫 문장입니다. 둘째', ['없음'], 8)), '첫 문장입니다…');
});

test('a snippet starts at the passage of its match and shows separators as elisions (same as snippet.rs)', () => {
  const text = '첫 문단의 앞부분.\u2029다른 곳: 허깅페이스에서 받았다.\u2029또 다른 곳';
  assert.equal(show(client.snippet(text, ['허깅페이스'], 30)), '…다른 곳: [허깅페이스에서] 받았다. … 또 다른 곳');
  assert.equal(show(client.snippet(text, ['앞부분', '다른'], 14)), '첫 문단의 [앞부분]. … [다른]…');
  // A match at the very start looks for no separator behind it (lastIndexOf(x, -1) would look at the end).
  assert.equal(show(client.snippet('앞\u2029뒤 말', ['앞'], 160)), '[앞] … 뒤 말');
});

test('snippet HTML escapes text as innerHTML does, and marks matches (same as snippet.rs html)', () => {
  const { snippetHtml } = require('./helpers.js');
  const segs = client.highlight('<b>딥시크</b> & "R1"\u00a0공개', ['딥시크']);
  assert.equal(snippetHtml(segs), '&lt;b&gt;<mark>딥시크</mark>&lt;/b&gt; &amp; "R1"&nbsp;공개');
});

test('pageText reads the marked div of a page as plain text (same as snippet.rs page_text)', () => {
  const page = '<html><body><nav><div>메뉴</div></nav><article><div class="content" data-search-text>\n' +
    '<h2 id="a">■ 첫 소식</h2>\n<p><strong>딥시크</strong>는 &quot;R2&quot;를 &lt;공개&gt;했다 &amp; 끝&#33; &#x1F600;</p>\n' +
    '<div class="note"><p>안쪽\t\t글 &amp 그리고&nbsp;끝 &bogus; &#0;</p></div>\n<p>마지막</p>\n</div>\n' +
    '<footer><div>꼬리</div></footer></article></body></html>';
  assert.equal(client.pageText(page), '■ 첫 소식 딥시크는 "R2"를 <공개>했다 & 끝! \u{1F600} 안쪽 글 & 그리고\u00a0끝 &bogus; &#0; 마지막');
  assert.equal(client.pageText('<div class="content">no marker</div>'), null);
  assert.equal(client.pageText('<div data-search-text>never closed'), null);
  // A snippet from it marks the match; none when the page has no match.
  assert.equal(show(client.pageSnippet(page, ['마지막'])), '…그리고\u00a0끝 &bogus; &#0; [마지막]');
  assert.equal(client.pageSnippet(page, ['없는말']), null);
});

test('snippet text is data: markup stays text', () => {
  const segs = client.highlight('<img src=x onerror=alert(1)> 딥시크', ['딥시크']);
  assert.equal(segs.map((s) => s[0]).join(''), '<img src=x onerror=alert(1)> 딥시크');
});

test('result links are relative or http(s) only', () => {
  assert.equal(client.safeHref('/news/', '2025/08/01/a/'), '/news/2025/08/01/a/');
  assert.equal(client.safeHref('/', '/x/'), '/x/');
  assert.equal(client.safeHref('/', 'https://example.org/a'), 'https://example.org/a');
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\nscript:alert(1)', ' javascript:x', 'data:text/html,x', '//evil.example/', '\\\\evil', 'vbscript:x', '', null]) {
    assert.equal(client.safeHref('/', bad), null, String(bad));
  }
});
