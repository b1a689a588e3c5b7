// sosik search client: Korean full-text search over the static index in search/ (no server, no
// framework, no other host). The ranking is the one of src/search/query.rs, step for step, so that
// `sosik search` and this page give identical results (tests/js/parity.test.js holds them to it).
//
// A query word is looked up in the eojeol map, which holds the build's own analysis of every word
// of the archive (딥시크를 -> 딥시크). A word the archive never wrote is the word itself if it is a
// term, else a known stem after stripping a particle/ending, else the greedy longest match of its
// stripped form against the vocabulary; the last word, while typing, also matches as a prefix.
// BM25F (title boosted) over the documents that satisfy every word; any word when none does.
//
// Everything shown comes from the index and is put on the page with textContent only.
'use strict';

(function (root) {
  const VERSION = 2;
  const SNIPPET_CHARS = 160;
  const PAGE = 10;
  // Milliseconds of no typing before "no results" is shown for a typed (not submitted) query.
  const TYPING_PAUSE = 700;
  // Companies listed first in the company filter, by their number of results (all follow).
  const COMPANY_TOP = 8;
  const NORM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  // --- Text: the word rule of src/text.rs. ---------------------------------------------------
  // Rust's char::is_alphanumeric is Unicode Alphabetic or Numeric (Nd, Nl, No): that is this class.
  const WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;
  const WORD_RE = /[\p{Alphabetic}\p{N}]+(?:[-.+·][\p{Alphabetic}\p{N}]+)*/gu;

  function words(text) {
    return text.match(WORD_RE) || [];
  }

  // Number of code points in text[from..to) (UTF-16 indices).
  function codePoints(text, from, to) {
    let n = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) n++;
    }
    return n;
  }

  // Words of text as [start, end, lowercased word], offsets in code points.
  function spans(text) {
    const out = [];
    let unit = 0;
    let point = 0;
    for (const m of text.matchAll(WORD_RE)) {
      point += codePoints(text, unit, m.index);
      const start = point;
      point += codePoints(text, m.index, m.index + m[0].length);
      unit = m.index + m[0].length;
      out.push([start, point, m[0].toLowerCase()]);
    }
    return out;
  }

  // Code point order (Rust's str order); JavaScript's < compares UTF-16 units.
  function cmp(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      let x = a.charCodeAt(i);
      let y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xd800 && y >= 0xd800) {
          x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
          y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }

  // Longest vocabulary piece the fallback looks for: keeps a pasted run of thousands of letters
  // linear (src/search/query.rs has the same bound).
  const GREEDY_MAX = 32;

  function pushUnique(list, s) {
    if (!list.includes(s)) list.push(s);
  }

  // The lowercased words of a query (at most max, repeats removed) and the one to expand as a
  // prefix: the last word, unless the query ends in a space or punctuation.
  function queryWords(query, max) {
    const q = String(query).normalize('NFC');
    const all = words(q).map((w) => w.toLowerCase());
    const chars = Array.from(q);
    const openEnd = chars.length > 0 && WORD_CHAR.test(chars[chars.length - 1]);
    const prefix = openEnd && all.length <= max && all.length > 0 ? all[all.length - 1] : null;
    const keys = [];
    for (const w of all.slice(0, max)) pushUnique(keys, w);
    return { keys, prefix };
  }

  // The compound adjacent words written apart may stand for (src/analysis.rs spaced_compound),
  // each word as [key, terms]: all but the last are terms by themselves, the last starts with its
  // one maximal term (오픈 소스를 -> 오픈소스, 대규모 언어 모델 -> 대규모언어모델).
  const MAX_JOINED_WORDS = 4;
  function spacedCompound(words) {
    if (words.length < 2) return null;
    const init = words.slice(0, -1);
    const [last, lastTerms] = words[words.length - 1];
    if (!init.every(([key, terms]) => terms.includes(key)) || lastTerms.length === 0) return null;
    const first = lastTerms[0];
    if (!lastTerms.every((t) => first.includes(t)) || !last.startsWith(first)) return null;
    return init.map((w) => w[0]).join('') + first;
  }

  // Clause alternatives of a word's terms: all maximal terms, or all minimal ones.
  function alternatives(terms) {
    const t = [];
    for (const x of terms) pushUnique(t, x);
    if (t.length === 0) return [];
    const maximal = t.filter((a) => !t.some((b) => b !== a && b.includes(a)));
    const minimal = t.filter((a) => !t.some((b) => b !== a && a.includes(b)));
    const same = maximal.length === minimal.length && maximal.every((x, i) => x === minimal[i]);
    return same ? [maximal] : [maximal, minimal];
  }

  // The name of file n of a numbered kind (see src/search/format.rs).
  function numbered(kind, hash, n) {
    return kind + '.' + hash + '.' + n + '.json';
  }

  // The shard of sorted key ranges ([first, last]) whose range holds key, or -1.
  function shardOf(table, key) {
    let lo = 0;
    let hi = table.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(table[mid][0], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i >= 0 && cmp(key, table[i][1]) <= 0 ? i : -1;
  }

  // --- The index: files read on first use through load(name) -> Promise<parsed JSON>. ----------
  class Index {
    constructor(load, manifest) {
      this.load = load;
      this.manifest = manifest;
      this.files = new Map();
      this.decoded = new Map();
    }

    static async open(load) {
      const manifest = await load('manifest.json');
      if (!manifest || manifest.version !== VERSION) {
        throw new Error('search index format ' + (manifest && manifest.version) + ' is not the supported ' + VERSION);
      }
      const index = new Index(load, manifest);
      // Every query needs the norms: fetched now, beside the query's shards, they cost no round of
      // their own (they were one, after the query's terms). The suffixes are needed only for words
      // the archive never wrote, and fetched then.
      index.norms().catch(() => {});
      return index;
    }

    file(name) {
      let p = this.files.get(name);
      if (!p) {
        p = Promise.resolve(this.load(name));
        this.files.set(name, p);
        p.catch(() => this.files.delete(name));
      }
      return p;
    }

    once(key, make) {
      let p = this.decoded.get(key);
      if (!p) {
        p = make();
        this.decoded.set(key, p);
        p.catch(() => this.decoded.delete(key));
      }
      return p;
    }

    termShard(i) {
      return this.once('t' + i, async () => {
        const entries = await this.file(numbered('terms', this.manifest.terms.hash, i));
        return { keys: entries.map((e) => e[0]), map: new Map(entries.map((e) => [e[0], e])) };
      });
    }

    wordShard(i) {
      return this.once('w' + i, async () => new Map(await this.file(numbered('words', this.manifest.words.hash, i))));
    }

    suffixes() {
      return this.once('s', async () => {
        const list = await this.file(this.manifest.suffixes);
        let longest = 0;
        for (const s of list) longest = Math.max(longest, Array.from(s).length);
        return { set: new Set(list), longest };
      });
    }

    norms() {
      return this.once('n', async () => {
        const n = await this.file(this.manifest.norms);
        const levels = this.manifest.body_lengths;
        const out = new Float64Array(n.body.length);
        for (let i = 0; i < n.body.length; i++) {
          const k = NORM_ALPHABET.indexOf(n.body[i]);
          out[i] = k < 0 ? 0 : levels[k];
        }
        return out;
      });
    }

    // Starts loading the shards a query's words will need (saves round trips; changes nothing).
    prefetch(keys) {
      for (const key of keys) {
        const w = shardOf(this.manifest.words.ranges, key);
        if (w >= 0) this.wordShard(w).catch(() => {});
        const t = shardOf(this.manifest.terms.ranges, key);
        if (t >= 0) this.termShard(t).catch(() => {});
      }
    }

    // The eojeol map's terms for a lowercased word, or undefined.
    async wordTerms(key) {
      const i = shardOf(this.manifest.words.ranges, key);
      if (i < 0) return undefined;
      return (await this.wordShard(i)).get(key);
    }

    async entry(term) {
      const i = shardOf(this.manifest.terms.ranges, term);
      if (i < 0) return undefined;
      return (await this.termShard(i)).map.get(term);
    }

    async hasTerm(term) {
      return (await this.entry(term)) !== undefined;
    }

    // { idf, docs, codes } with doc ids decoded, or null.
    async postings(term) {
      const e = await this.entry(term);
      if (!e) return null;
      if (!e.decoded) {
        const docs = new Array(e[2].length);
        let doc = 0;
        for (let i = 0; i < docs.length; i++) {
          doc += e[2][i];
          docs[i] = doc;
        }
        const extra = e[4] || {};
        const meta = new Array(docs.length).fill(false);
        let at = 0;
        for (const d of extra.m || []) {
          at += d;
          if (at < meta.length) meta[at] = true;
        }
        e.decoded = { idf: e[1], docs, codes: e[3], meta, synonyms: extra.s || [] };
      }
      return e.decoded;
    }

    // Terms that start with prefix (and are longer), most frequent first, ties in term order.
    async prefixTerms(prefix) {
      const table = this.manifest.terms.ranges;
      const sc = this.manifest.scoring;
      let start = 0;
      while (start < table.length && cmp(table[start][1], prefix) < 0) start++;
      const found = [];
      for (let i = start; i < Math.min(table.length, start + sc.prefix_max_shards); i++) {
        if (cmp(table[i][0], prefix) > 0 && !table[i][0].startsWith(prefix)) break;
        const shard = await this.termShard(i);
        let k = 0;
        while (k < shard.keys.length && cmp(shard.keys[k], prefix) < 0) k++;
        for (; k < shard.keys.length && shard.keys[k].startsWith(prefix); k++) {
          const t = shard.keys[k];
          if (t !== prefix) found.push([shard.map.get(t)[2].length, t]);
        }
      }
      found.sort((a, b) => b[0] - a[0] || cmp(a[1], b[1]));
      return found.slice(0, sc.prefix_terms).map((f) => f[1]);
    }

    // The analysis of a word the archive never wrote (see the file comment).
    async fallbackTerms(key) {
      if (await this.hasTerm(key)) return this.withParts(key);
      const suffixes = await this.suffixes();
      if (suffixes.set.has(key)) return [];
      const chars = Array.from(key);
      const n = chars.length;
      let stripped = n;
      for (let len = Math.min(n - 1, suffixes.longest); len >= 1; len--) {
        if (!suffixes.set.has(chars.slice(n - len).join(''))) continue;
        const stem = chars.slice(0, n - len).join('');
        const t = await this.wordTerms(stem);
        if (t !== undefined && t.length > 0) return t;
        if (await this.hasTerm(stem)) return this.withParts(stem);
        stripped = Math.min(stripped, n - len);
      }
      return this.greedy(chars.slice(0, stripped));
    }

    // A term the eojeol map lacks as a word, with the parts a compound gets (ai반도체 -> ai반도체, ai,
    // 반도체): shorter terms covering it whole, longest first from the left; else the term alone.
    async withParts(term) {
      const chars = Array.from(term);
      const out = [term];
      let i = 0;
      while (i < chars.length) {
        let next = -1;
        for (let j = Math.min(chars.length, i + GREEDY_MAX); j >= i + 2; j--) {
          if (!(i === 0 && j === chars.length) && (await this.hasTerm(chars.slice(i, j).join('')))) {
            next = j;
            break;
          }
        }
        if (next < 0) return [term];
        pushUnique(out, chars.slice(i, next).join(''));
        i = next;
      }
      return out;
    }

    // The terms of a word: the eojeol map's, else the fallback analysis.
    async termsOf(key) {
      const mapped = await this.wordTerms(key);
      return mapped !== undefined ? mapped.slice() : this.fallbackTerms(key);
    }

    async greedy(chars) {
      const out = [];
      let i = 0;
      while (i < chars.length) {
        let next = i + 1;
        for (let j = Math.min(chars.length, i + GREEDY_MAX); j >= i + 2; j--) {
          const piece = chars.slice(i, j).join('');
          if (await this.hasTerm(piece)) {
            const mapped = await this.wordTerms(piece);
            const terms = mapped !== undefined && mapped.length > 0 ? mapped : await this.withParts(piece);
            for (const t of terms) pushUnique(out, t);
            next = j;
            break;
          }
        }
        i = next;
      }
      return out;
    }

    // One query word as a clause; expand for the last word while typing.
    async clause(key, expand) {
      const mapped = await this.wordTerms(key);
      // A word the archive wrote with terms is complete; anything else may be half typed.
      const complete = mapped !== undefined && mapped.length > 0;
      const terms = mapped !== undefined ? mapped.slice() : await this.fallbackTerms(key);
      return this.clauseOf(key, terms, expand && !complete);
    }

    // The clause of a word whose terms are known; expand when it may be half typed.
    async clauseOf(key, terms, expand) {
      const sc = this.manifest.scoring;
      let expansions = [];
      if (expand && Array.from(key).length >= sc.prefix_min_chars && !(await this.suffixes()).set.has(key)) {
        expansions = (await this.prefixTerms(key)).filter((t) => !terms.includes(t));
      }
      const alts = alternatives(terms);
      // An English spelling of a registered company also searches its Korean name (deepseek -> 딥시크).
      const alias = (this.manifest.aliases || []).find((a) => a[0] === key);
      if (alias) {
        const name = alias[1].normalize('NFC').toLowerCase();
        const mappedName = await this.wordTerms(name);
        const named = mappedName !== undefined && mappedName.length > 0 ? mappedName : await this.fallbackTerms(name);
        for (const t of named) pushUnique(terms, t);
        for (const alt of alternatives(named)) alts.push(alt);
      }
      // Each maximal term's synonyms satisfy the clause too (세계인공지능대회 for waic).
      const synonyms = [];
      for (const t of alts.length > 0 ? alts[0] : []) {
        const p = await this.postings(t);
        for (const s of p ? p.synonyms : []) {
          if (!terms.includes(s) && (await this.hasTerm(s))) pushUnique(synonyms, s);
        }
      }
      for (const s of synonyms) alts.push([s]);
      for (const e of expansions) alts.push([e]);
      return { word: key, terms, expansions, synonyms, alternatives: alts };
    }

    // Adjacent query words as one compound ("오픈 소스" -> 오픈소스, 오픈, 소스) when the archive has
    // it: [word, terms] or null.
    async spaced(keys) {
      const termsOf = await Promise.all(keys.map((k) => this.termsOf(k)));
      const compound = spacedCompound(keys.map((k, i) => [k, termsOf[i]]));
      if (compound === null || !(await this.hasTerm(compound))) return null;
      const terms = [compound];
      for (const t of termsOf.flat()) pushUnique(terms, t);
      return [keys.join(' '), terms];
    }

    async plan(query) {
      const sc = this.manifest.scoring;
      const { keys, prefix } = queryWords(query, sc.max_query_words);
      this.prefetch(keys);
      let expanded = false;
      const flags = keys.map((key) => {
        const expand = !expanded && prefix === key;
        expanded = expanded || expand;
        return expand;
      });
      // Words written apart that the archive also writes as one (오픈 소스, 오픈소스) are one clause
      // with the compound's terms, so both spellings give the same results; the longest run first.
      const pending = [];
      for (let i = 0; i < keys.length; ) {
        let joined = null;
        let used = 0;
        for (let n = Math.min(MAX_JOINED_WORDS, keys.length - i); n >= 2; n--) {
          joined = await this.spaced(keys.slice(i, i + n));
          if (joined !== null) {
            used = n;
            break;
          }
        }
        if (joined !== null) {
          pending.push(this.clauseOf(joined[0], joined[1], false));
          i += used;
        } else {
          pending.push(this.clause(keys[i], flags[i]));
          i++;
        }
      }
      const all = await Promise.all(pending);
      const clauses = all.filter((c) => c.alternatives.length > 0);
      // Words the archive has no term for (grammar such as 의 or 했다 aside): no article has
      // every word, so the others are ranked and the page says which were left out.
      // (The suffixes, 12 KB gzipped, are fetched only when such a word is there to check.)
      const missing = [];
      for (const c of all) {
        if (c.alternatives.length > 0 || (await this.wordTerms(c.word)) !== undefined) continue;
        if (!(await this.suffixes()).set.has(c.word)) missing.push(c.word);
      }
      const terms = [];
      for (const c of clauses) {
        const weighted = c.terms
          .map((t) => [t, 1])
          .concat(c.synonyms.map((t) => [t, sc.synonym_weight]))
          .concat(c.expansions.map((t) => [t, sc.prefix_weight]));
        for (const [t, w] of weighted) {
          if (!terms.some((x) => x[0] === t)) terms.push([t, w]);
        }
      }
      return { clauses, terms, missing };
    }

    // Every matching document, best first: { plan, hits: [{doc, score}], allWords }.
    async rank(query) {
      const plan = await this.plan(query);
      const m = this.manifest;
      if (plan.terms.length === 0 || m.doc_count === 0) return { plan, hits: [], allWords: true };
      const [norms, postings] = await Promise.all([this.norms(), Promise.all(plan.terms.map((t) => this.postings(t[0])))]);
      const k1 = m.scoring.k1;
      const b = m.scoring.b;
      const tw = m.scoring.title_weight;
      const mw = m.scoring.meta_weight;
      const avg = m.body_length_sum === 0 ? 1 : m.body_length_sum / m.doc_count;
      const score = new Map();
      const has = new Map();
      plan.terms.forEach(([, weight], ti) => {
        const p = postings[ti];
        if (!p) return;
        const iw = (p.idf / 1e6) * weight;
        for (let i = 0; i < p.docs.length; i++) {
          const doc = p.docs[i];
          const code = p.codes[i];
          const tt = code % 4;
          const tb = Math.floor(code / 4);
          const nb = (1 - b) + b * (norms[doc] / avg);
          const tfw = tw * tt + (p.meta[i] ? mw : 0) + tb / nb;
          score.set(doc, (score.has(doc) ? score.get(doc) : 0) + (iw * (tfw * (k1 + 1))) / (tfw + k1));
          const h = has.get(doc);
          if (h) h.push(ti);
          else has.set(doc, [ti]);
        }
      });
      const index = new Map(plan.terms.map((t, i) => [t[0], i]));
      const clauses = plan.clauses.map((c) => c.alternatives.map((alt) => alt.map((t) => index.get(t))));
      const satisfies = (docTerms) => clauses.every((alts) => alts.some((alt) => alt.every((t) => docTerms.includes(t))));
      let hits = [];
      for (const [doc, t] of has) if (satisfies(t)) hits.push({ doc, score: score.get(doc) });
      const allWords = hits.length > 0 && plan.missing.length === 0;
      if (!allWords) hits = Array.from(score, ([doc, s]) => ({ doc, score: s }));
      hits.sort((x, y) => (x.score !== y.score ? (y.score > x.score ? 1 : -1) : x.doc - y.doc));
      return { plan, hits, allWords };
    }

    // [title, url, date, [company], [topic], text]
    async doc(id) {
      const store = this.manifest.docs;
      const per = Math.max(1, store.per_group);
      const g = Math.floor(id / per);
      if (g >= store.count) throw new Error('no document ' + id);
      return (await this.file(numbered('docs', store.hash, g)))[id % per];
    }

    // { companies: [[doc id]], topics: [[doc id]] }, ids decoded.
    facets() {
      return this.once('f', async () => {
        const f = await this.file(this.manifest.facets);
        const decode = (lists) =>
          lists.map((l) => {
            let doc = 0;
            return l.map((d) => (doc += d));
          });
        return { companies: decode(f.companies), topics: decode(f.topics) };
      });
    }
  }

  // --- Snippets (src/search/snippet.rs has the same rule). -------------------------------------
  // A stored text is passages of the article joined by SEPARATOR: a snippet starts no earlier than
  // the passage of its first match and shows a separator as " … ".
  const SEPARATOR = '\u2029';

  function matching(word, terms) {
    const out = [];
    terms.forEach((t, i) => {
      if (word === t || (Array.from(t).length >= 2 && word.includes(t))) out.push(i);
    });
    return out;
  }

  function segments(chars, sp, terms, start, end) {
    const out = [];
    let pos = start;
    for (const s of sp) {
      if (s[0] < start || s[1] > end || matching(s[2], terms).length === 0) continue;
      if (s[0] > pos) out.push([plain(chars.slice(pos, s[0])), false]);
      out.push([chars.slice(s[0], s[1]).join(''), true]);
      pos = s[1];
    }
    if (pos < end) out.push([plain(chars.slice(pos, end)), false]);
    return out;
  }

  function plain(chars) {
    return chars.map((c) => (c === SEPARATOR ? ' … ' : c)).join('');
  }

  // The whole text in [text, marked] segments (for titles).
  function highlight(text, terms) {
    const chars = Array.from(text);
    return segments(chars, spans(text), terms, 0, chars.length);
  }

  // About max characters around the window with the most distinct matching terms.
  function snippet(text, terms, max) {
    max = max || SNIPPET_CHARS;
    const chars = Array.from(text);
    const sp = spans(text);
    const hits = sp.map((s) => matching(s[2], terms));
    let best = -1;
    let bestScore = null;
    for (let i = 0; i < sp.length; i++) {
      if (hits[i].length === 0) continue;
      const distinct = [];
      let count = 0;
      for (let j = i; j < sp.length && sp[j][1] - sp[i][0] <= max; j++) {
        if (hits[j].length === 0) continue;
        count++;
        for (const t of hits[j]) pushUnique(distinct, t);
      }
      if (bestScore === null || distinct.length > bestScore[0] || (distinct.length === bestScore[0] && count > bestScore[1])) {
        best = i;
        bestScore = [distinct.length, count];
      }
    }
    let start = 0;
    if (best >= 0) {
      const passage = sp[best][0] > 0 ? chars.lastIndexOf(SEPARATOR, sp[best][0] - 1) + 1 : 0;
      const want = Math.max(0, sp[best][0] - 20, passage);
      const first = sp.find((s) => s[0] >= want);
      start = Math.min(first ? first[0] : sp[best][0], sp[best][0]);
    }
    let end = Math.min(start + max, chars.length);
    if (end < chars.length) {
      for (let k = sp.length - 1; k >= 0; k--) {
        if (sp[k][1] <= end && sp[k][0] >= start) {
          end = sp[k][1];
          break;
        }
      }
    }
    const out = segments(chars, sp, terms, start, end);
    if (start > 0) out.unshift(['…', false]);
    if (end < chars.length) out.push(['…', false]);
    return out;
  }

  // --- Text of an article's page (src/search/snippet.rs `page_text` has the same rule). ---------
  // The store keeps about 480 characters of an article; a result whose stored text holds no query
  // term takes its snippet from the <div data-search-text> of its own page.
  const TEXT_ATTR = 'data-search-text';

  function pageText(html) {
    const at = html.indexOf(TEXT_ATTR);
    if (at < 0) return null;
    const gt = html.indexOf('>', at);
    if (gt < 0) return null;
    const start = gt + 1;
    const tagAt = (i, name) => html.startsWith(name, i) && /^[>\t\n\f\r ]/.test(html.charAt(i + name.length));
    let depth = 1;
    let end = -1;
    for (let i = html.indexOf('<', start); i >= 0; i = html.indexOf('<', i + 1)) {
      if (tagAt(i, '<div')) depth++;
      else if (tagAt(i, '</div') && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end < 0) return null;
    let text = '';
    let inTag = false;
    for (const c of html.slice(start, end)) {
      if (inTag) {
        if (c === '>') inTag = false;
      } else if (c === '<') inTag = true;
      else text += c;
    }
    return decodeReferences(text).split(/[ \t\n\r\f]+/).filter(Boolean).join(' ');
  }

  const NAMED = [['amp', '&', true], ['lt', '<', true], ['gt', '>', true], ['quot', '"', true], ['apos', "'", false], ['nbsp', '\u00a0', false]];

  function decodeReferences(text) {
    let out = '';
    let i = 0;
    for (let amp = text.indexOf('&'); amp >= 0; amp = text.indexOf('&', i)) {
      out += text.slice(i, amp);
      const [c, used] = reference(text, amp);
      out += c === null ? '&' : c;
      i = amp + Math.max(used, 1);
    }
    return out + text.slice(i);
  }

  // The character of the reference at text[at] ('&'), and the characters it takes.
  function reference(text, at) {
    const body = text.slice(at + 1, at + 16);
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const m = (hex ? /^[0-9a-fA-F]*/ : /^[0-9]*/).exec(body.slice(hex ? 2 : 1))[0];
      if (m.length === 0 || m.length > 8 || body.charAt((hex ? 2 : 1) + m.length) !== ';') return [null, 1];
      const n = parseInt(m, hex ? 16 : 10);
      if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return [null, 1];
      return [String.fromCodePoint(n), (hex ? 3 : 2) + m.length + 1];
    }
    for (const [name, c, bare] of NAMED) {
      if (!body.startsWith(name)) continue;
      if (body.charAt(name.length) === ';') return [c, name.length + 2];
      if (bare) return [c, name.length + 1];
    }
    return [null, 1];
  }

  // The snippet cut from the text of a result's page (its HTML), or null when that text has no
  // match (or the page no marked text).
  function pageSnippet(html, terms) {
    const text = html ? pageText(html) : null;
    if (text === null) return null;
    const segs = snippet(text, terms, SNIPPET_CHARS);
    return segs.some((s) => s[1]) ? segs : null;
  }

  // A result link: only relative URLs (resolved against the site's base path) or http(s).
  function safeHref(base, url) {
    if (typeof url !== 'string' || url === '' || /[\u0000-\u0020\u007f\\]/.test(url)) return null;
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return /^https?:\/\//i.test(url) ? url : null;
    if (url.startsWith('//')) return null;
    if (url.startsWith('/')) return url;
    return base + url;
  }

  // "2025-08-10" -> "2025년 8월 10일 (일)", as every other page writes a date.
  function koreanDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const day = '일월화수목금토'[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()];
    return y + '년 ' + mo + '월 ' + d + '일 (' + day + ')';
  }

  // --- The search page. -------------------------------------------------------------------------
  function initPage(doc, win, script) {
    const results = doc.getElementById('search-results');
    const input = doc.getElementById('search-input');
    if (!results || !input) return;
    const status = doc.getElementById('search-status');
    const facetBox = doc.getElementById('search-facets');
    const more = doc.getElementById('search-more');
    const hint = doc.getElementById('search-hint');
    const form = input.form;
    let base = (script && script.getAttribute('data-base')) || '/';
    if (!/^\/(?!\/)/.test(base) || /[\u0000-\u0020\\]/.test(base)) base = '/';
    if (!base.endsWith('/')) base += '/';
    const opened = Index.open((name) =>
      win.fetch(base + 'search/' + name).then((r) => {
        if (!r.ok) throw new Error(name + ': HTTP ' + r.status);
        return r.json();
      }),
    );
    opened.catch(() => {});
    const state = { seq: 0, query: '', ranking: null, filter: { company: '', topic: '', month: '' }, shown: PAGE };
    const params = new URLSearchParams(win.location.search);
    for (const k of ['company', 'topic', 'month']) state.filter[k] = params.get(k) || '';

    const setStatus = (text) => {
      if (status) status.textContent = text;
    };
    const el = (tag, cls, text) => {
      const e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const append = (parent, segs) => {
      for (const [t, marked] of segs) {
        if (marked) parent.appendChild(el('mark', '', t));
        else parent.appendChild(doc.createTextNode(t));
      }
    };

    // The address of the current search. A submitted search or a filter choice is a new history
    // entry (Back returns to the previous search); typing makes one entry for what is typed after
    // the last submitted (or opened) search, and rewrites it while the typing goes on.
    let typing = false;
    function updateUrl(push) {
      if (!push && !typing) push = typing = true;
      else if (push) typing = false;
      const p = new URLSearchParams();
      if (state.query) p.set('q', state.query);
      for (const k of ['company', 'topic', 'month']) if (state.filter[k]) p.set(k, state.filter[k]);
      const qs = p.toString();
      const url = win.location.pathname + (qs ? '?' + qs : '');
      try {
        if (push && url !== win.location.pathname + win.location.search) win.history.pushState(null, '', url);
        else win.history.replaceState(null, '', url);
      } catch (e) {
        /* a sandboxed page may refuse; the search still works */
      }
    }

    // The results within the chosen filters, all but `except` (a facet's counts are of the results
    // its own choice would narrow, within the other choices).
    async function filtered(index, except) {
      const hits = state.ranking.hits;
      const f = Object.assign({}, state.filter);
      if (except) f[except] = '';
      if (!f.company && !f.topic && !f.month) return hits;
      const m = index.manifest;
      const facets = await index.facets();
      let keep = null;
      const restrict = (ids) => {
        const set = new Set(ids);
        keep = keep === null ? set : new Set([...keep].filter((d) => set.has(d)));
      };
      const ci = m.companies.findIndex((c) => c[0] === f.company);
      if (f.company) restrict(ci >= 0 ? facets.companies[ci] : []);
      const ti = m.topics.findIndex((t) => t[0] === f.topic);
      if (f.topic) restrict(ti >= 0 ? facets.topics[ti] : []);
      const month = m.months.find((x) => x[0] === f.month);
      if (f.month) restrict(month ? Array.from({ length: month[2] }, (_, i) => month[1] + i) : []);
      return hits.filter((h) => keep.has(h.doc));
    }

    // Company and topic facets need a file of their own (~25 KB gzipped on 10,000 articles), so
    // they load when the reader opens the panel, or at once for a deep link with a filter.
    let panel = null;
    let panelBody = null;
    function showFacets(index, seq) {
      if (!facetBox) return;
      if (!state.ranking || state.ranking.hits.length === 0) {
        facetBox.hidden = true;
        return;
      }
      if (!panel) {
        panel = el('details', 'facet-panel');
        panel.appendChild(el('summary', '', '결과 좁히기 (기업·주제·월)'));
        panelBody = el('div', 'facet-body');
        panel.appendChild(panelBody);
        panel.addEventListener('toggle', () => {
          if (panel.open) renderFacets(index, state.seq).catch(() => {});
        });
        facetBox.replaceChildren(panel);
      }
      facetBox.hidden = false;
      const filtering = Boolean(state.filter.company || state.filter.topic || state.filter.month);
      if (panel.open) renderFacets(index, seq).catch(() => {});
      else if (filtering) panel.open = true;
    }

    async function renderFacets(index, seq) {
      if (!state.ranking) return;
      const facets = await index.facets();
      const within = {};
      for (const kind of ['company', 'topic', 'month']) within[kind] = new Set((await filtered(index, kind)).map((h) => h.doc));
      if (seq !== state.seq) return;
      const m = index.manifest;
      const count = (kind, ids) => ids.reduce((n, d) => n + (within[kind].has(d) ? 1 : 0), 0);
      // Every company of the results (the most frequent first, then all of them in 가나다 order),
      // topics in the order of site.toml, months newest first.
      const groups = [
        ['company', '기업', m.companies.map((c, i) => [c[0], c[1], count('company', facets.companies[i])])],
        ['topic', '주제', m.topics.map((t, i) => [t[0], t[1], count('topic', facets.topics[i])])],
        ['month', '월', m.months.map((x) => [x[0], x[0].slice(0, 4) + '년 ' + Number(x[0].slice(5)) + '월', count('month', Array.from({ length: x[2] }, (_, i) => x[1] + i))])],
      ];
      const box = [];
      for (const [kind, label, values] of groups) {
        const shown = values.filter((v) => v[2] > 0 || v[0] === state.filter[kind]);
        if (shown.length === 0) continue;
        const wrap = el('label', 'facet');
        wrap.appendChild(el('span', 'facet-name', label));
        const select = el('select');
        select.name = kind;
        select.appendChild(el('option', '', '전체'));
        select.firstChild.value = '';
        let selected = false;
        const option = ([key, name, n]) => {
          const o = el('option', '', name + ' (' + n + ')');
          o.value = key;
          if (!selected && state.filter[kind] === key) o.selected = selected = true;
          return o;
        };
        if (kind === 'company' && shown.length > COMPANY_TOP) {
          const top = el('optgroup');
          top.label = '많이 나온 기업';
          const byCount = shown.slice().sort((a, b) => b[2] - a[2] || cmp(a[1], b[1]));
          for (const v of byCount.slice(0, COMPANY_TOP)) top.appendChild(option(v));
          const all = el('optgroup');
          all.label = '모든 기업 ' + shown.length + '곳 (가나다순)';
          for (const v of shown.slice().sort((a, b) => cmp(a[1], b[1]))) all.appendChild(option(v));
          select.append(top, all);
        } else {
          const ordered = kind === 'company' ? shown.slice().sort((a, b) => b[2] - a[2] || cmp(a[1], b[1])) : shown;
          for (const v of ordered) select.appendChild(option(v));
        }
        select.addEventListener('change', () => {
          state.filter[kind] = select.value;
          state.shown = PAGE;
          updateUrl(true);
          rerender(index);
        });
        wrap.appendChild(select);
        box.push(wrap);
      }
      panelBody.replaceChildren(...box);
    }

    // One result: title, date or 페이지, companies, snippet. A result whose stored text holds no
    // query term gets its snippet from its page later: [snippet element, href] goes into `later`.
    function resultNode(index, d, terms, later) {
      const href = safeHref(base, d[1]);
      if (href === null) return null;
      const a = el('a', 'result');
      a.href = href;
      const title = el('span', 'r-title');
      append(title, highlight(d[0], terms));
      a.appendChild(title);
      const meta = el('span', 'r-meta');
      if (d[2]) {
        const time = el('time', '', koreanDate(d[2]));
        time.setAttribute('datetime', d[2]);
        meta.appendChild(time);
      } else {
        // A page of content/pages/ (search = true) has no date.
        meta.appendChild(el('span', 'r-page', '페이지'));
      }
      const names = d[3].map((c) => (index.manifest.companies[c] || [])[1]).filter(Boolean);
      if (names.length) meta.appendChild(el('span', 'r-companies', ' · ' + names.join(', ')));
      a.appendChild(meta);
      const snip = el('span', 'r-snippet');
      const segs = snippet(d[5], terms, SNIPPET_CHARS);
      append(snip, segs);
      if (terms.length && !segs.some((s) => s[1])) later.push([snip, href]);
      a.appendChild(snip);
      return a;
    }

    async function render(index, seq) {
      const hits = await filtered(index);
      const terms = state.ranking.plan.terms.map((t) => t[0]);
      const top = hits.slice(0, state.shown);
      if (top.length > 1 && !results.querySelector('a.result')) {
        // Nothing on screen yet: the first result is drawn as soon as its document group arrives,
        // and the other groups are asked for only then. On a slow link they would share the
        // bandwidth with it and hold the first result back until all ten had arrived.
        const first = await index.doc(top[0].doc);
        if (seq !== state.seq) return;
        const node = resultNode(index, first, terms, []);
        if (node) results.replaceChildren(node);
      }
      const docs = await Promise.all(top.map((h) => index.doc(h.doc)));
      if (seq !== state.seq) return;
      const nodes = [];
      // Results whose stored text holds no query term: their snippets come from their pages, after
      // the results are on screen.
      const later = [];
      for (const d of docs) {
        const node = resultNode(index, d, terms, later);
        if (node) nodes.push(node);
      }
      const f = state.filter;
      if (hits.length === 0 && state.ranking.hits.length > 0 && (f.company || f.topic || f.month)) {
        // Results exist, only not within the chosen filters: say so, and offer to drop them.
        const p = el('p', 'search-empty', '‘' + state.query + '’에 맞는 기사 ' + state.ranking.hits.length + '건이 고른 조건(회사·주제·월)에는 없습니다. ');
        const clear = el('button', 'search-clear', '조건 없이 보기');
        clear.type = 'button';
        clear.addEventListener('click', () => {
          state.filter = { company: '', topic: '', month: '' };
          state.shown = PAGE;
          updateUrl(true);
          rerender(index);
        });
        p.appendChild(clear);
        nodes.push(p);
        setStatus('0건 (고른 조건 안)');
      } else if (hits.length === 0) {
        const p = el('p', 'search-empty', '‘' + state.query + '’에 맞는 기사가 없습니다. ');
        const tip = el('span', 'search-tip', '다른 단어나 더 짧은 말로 찾거나, ');
        const archive = el('a', '', '지난 기사');
        archive.href = base + 'archive/';
        tip.append(archive, doc.createTextNode('에서 날짜별로 찾아보세요.'));
        p.appendChild(tip);
        nodes.push(p);
        setStatus('0건');
      } else {
        const missing = state.ranking.plan.missing;
        const note = missing.length > 0
          ? ' (' + missing.map((w) => '‘' + w + '’').join(', ') + ': 어느 기사에도 없는 단어라 빼고 찾았습니다)'
          : state.ranking.allWords ? '' : ' (모든 단어를 포함한 기사가 없어 일부 단어가 맞는 기사를 보여 줍니다)';
        setStatus(hits.length + '건' + note);
      }
      results.replaceChildren(...nodes);
      results.setAttribute('aria-busy', 'false');
      snippetsFromPages(later, terms, seq);
      // With no results the message in the results is the one on screen; the count stays for
      // screen readers (the status is the live region).
      if (status) status.classList.toggle('visually-hidden', hits.length === 0);
      if (more) {
        const rest = hits.length - Math.min(hits.length, state.shown);
        more.hidden = rest <= 0;
        more.textContent = '더 보기 (' + rest + '건 남음)';
      }
      showFacets(index, seq);
    }

    // Draws the snippets of `later` ([snippet element, href]) from the text of their pages. A page
    // is fetched when its result comes near the screen (all at once where IntersectionObserver is
    // missing), so a phone fetches the pages of the results it shows, not of all ten. Each such
    // snippet says where it stands in `data-from-page`: "waiting" (not near the screen yet),
    // "pending" (fetching), "done" (tests wait for no "pending").
    const pages = new Map();
    let observer = null;
    function snippetsFromPages(later, terms, seq) {
      if (observer) observer.disconnect();
      observer = null;
      if (later.length === 0) return;
      const page = (href) => {
        if (!pages.has(href)) pages.set(href, win.fetch(href).then((r) => (r.ok ? r.text() : null)).catch(() => null));
        return pages.get(href);
      };
      const draw = async (snip, href) => {
        snip.dataset.fromPage = 'pending';
        const segs = pageSnippet(await page(href), terms);
        if (seq !== state.seq) return;
        if (segs) {
          snip.replaceChildren();
          append(snip, segs);
        }
        snip.dataset.fromPage = 'done';
      };
      const hrefs = new Map(later);
      for (const [snip] of later) snip.dataset.fromPage = 'waiting';
      if (typeof win.IntersectionObserver !== 'function') {
        for (const [snip, href] of later) draw(snip, href);
        return;
      }
      observer = new win.IntersectionObserver((entries, self) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          self.unobserve(e.target);
          draw(e.target, hrefs.get(e.target));
        }
      }, { rootMargin: '50% 0px' });
      for (const [snip] of later) observer.observe(snip);
    }

    // The same results again (a filter changed, or more are shown); aria-busy until drawn.
    function rerender(index) {
      if (!state.ranking) return;
      results.setAttribute('aria-busy', 'true');
      render(index, state.seq).catch(() => results.setAttribute('aria-busy', 'false'));
    }

    // While typing, "no results" waits until the typing pauses: a word on its way (딥 before 딥시크)
    // often matches nothing, and flashing that message between keys reads as a failure. Every key,
    // composing ones included, postpones it; the last results stay until then.
    let emptyTimer = null;
    let emptyShow = null;
    const postponeEmpty = () => {
      if (!emptyShow) return;
      clearTimeout(emptyTimer);
      emptyTimer = setTimeout(emptyShow, TYPING_PAUSE);
    };

    // The tab says what was searched: "‘딥시크’ 검색 — 소식" (the page's own title without a query).
    const pageTitle = doc.title;
    const siteTitle = pageTitle.includes(' — ') ? pageTitle.slice(pageTitle.lastIndexOf(' — ') + 3) : pageTitle;

    async function run(query, push, fromTyping) {
      clearTimeout(emptyTimer);
      doc.title = words(query).length > 0 ? '‘' + query.trim() + '’ 검색 — ' + siteTitle : pageTitle;
      emptyShow = null;
      const seq = ++state.seq;
      state.query = query;
      state.shown = PAGE;
      if (push !== null) updateUrl(push);
      else typing = false;
      if (hint) hint.hidden = words(query).length > 0;
      if (words(query).length === 0) {
        state.ranking = null;
        results.replaceChildren();
        setStatus('');
        if (more) more.hidden = true;
        if (facetBox) facetBox.hidden = true;
        return;
      }
      results.setAttribute('aria-busy', 'true');
      try {
        const index = await opened;
        const ranking = await index.rank(query);
        if (seq !== state.seq) return;
        if (fromTyping && ranking.hits.length === 0) {
          results.setAttribute('aria-busy', 'false');
          emptyShow = () => {
            emptyShow = null;
            if (seq !== state.seq) return;
            state.ranking = ranking;
            render(index, seq).catch(() => results.setAttribute('aria-busy', 'false'));
          };
          postponeEmpty();
          return;
        }
        state.ranking = ranking;
        await render(index, seq);
      } catch (e) {
        if (seq !== state.seq) return;
        results.replaceChildren();
        setStatus('검색 색인을 불러오지 못했습니다. (' + (e && e.message) + ')');
      }
    }

    // Korean typed through an IME: while a syllable is composed (딥시 -> 딥싴 -> 딥시크), the box holds
    // a syllable the writer has not finished, and searching it flashed "no results" (딥싴, 반ㄷ). So
    // typing searches only the committed text: the box without the open composition, and without
    // trailing bare jamo (keyboards that send no composition events). The last results stay on
    // screen until the next ones are drawn. Enter and deep links search the box as it is.
    let timer = null;
    let composeFrom = -1;
    const committed = () => {
      let q = input.value;
      if (composeFrom >= 0) {
        const caret = input.selectionEnd == null ? q.length : input.selectionEnd;
        q = q.slice(0, Math.min(composeFrom, caret)) + q.slice(caret);
      }
      return q.replace(/[\u1100-\u11ff\u3130-\u318f]+$/u, '');
    };
    const typed = () => {
      clearTimeout(timer);
      postponeEmpty();
      const q = committed();
      if (q === state.query || (composeFrom >= 0 && words(q).length === 0)) return;
      timer = setTimeout(() => run(q, undefined, true), 120);
    };
    input.addEventListener('compositionstart', () => {
      composeFrom = input.selectionStart == null ? input.value.length : input.selectionStart;
    });
    input.addEventListener('compositionend', () => {
      composeFrom = -1;
      typed();
    });
    input.addEventListener('input', typed);
    if (form) {
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        clearTimeout(timer);
        run(input.value, true);
      });
    }
    if (more) {
      more.addEventListener('click', () => {
        state.shown += PAGE;
        opened.then(rerender);
      });
    }
    // Back and Forward: the search (and filters) of that entry, without a new entry.
    win.addEventListener('popstate', () => {
      const p = new URLSearchParams(win.location.search);
      for (const k of ['company', 'topic', 'month']) state.filter[k] = p.get(k) || '';
      input.value = p.get('q') || '';
      clearTimeout(timer);
      run(input.value, null);
    });
    const q = params.get('q') || '';
    const header = doc.getElementById('site-search');
    if (header) header.value = q;
    if (q) {
      input.value = q;
      run(q, null);
    }
  }

  const api = { VERSION, SNIPPET_CHARS, koreanDate, words, spans, cmp, queryWords, alternatives, shardOf, numbered, Index, highlight, snippet, pageText, pageSnippet, safeHref };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else {
    root.SosikSearch = api;
    if (typeof document !== 'undefined') {
      const script = document.currentScript;
      const start = () => initPage(document, window, script);
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
      else start();
    }
  }
})(typeof globalThis !== 'undefined' ? globalThis : this);
