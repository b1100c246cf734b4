// Search page: the query and filters live in the address (?q=&unit=&term=&year=&sort=),
// so a search can be linked and the back button works. Results come from the
// Pagefind bundle; excerpts are shown in the article's own spelling, with the
// words that match the query (with or without diacritics, đ typed as d) marked.
//
// One search, in order: read the form (readForm), ask Pagefind (find), put the
// answer in reading order (queued), say how many were found (showCount), show
// the first page of cards (showMore). Everything that changes while the page
// is open is in `state`.

const script = document.getElementById("search-script");
const BUNDLE = script.dataset.bundle;
// The index is built in parts; the first carries Pagefind, the others are merged in.
const PARTS = (script.dataset.parts || "").split(" ").filter(Boolean);
// Records of the base parts that the last part (what changed since) replaces, or
// of articles removed since: dropped by their id, before any of their data loads.
const REPLACED = new Set((script.dataset.replaced || "").split(" ").filter(Boolean));
// How many records each part holds (as Pagefind counts them, replaced ones too),
// the first part first: what a part's scores are computed over.
const SIZES = (script.dataset.sizes || "").split(" ").filter(Boolean).map(Number);
const BASE = script.dataset.base;
const PAGE = 10;
const FILTERS = ["unit", "term", "year"];
// How many top results are re-ranked so that exact, accented matches come first.
const RERANK = 30;
// Milliseconds without a key press or a change before the search runs.
const PAUSE = 250;
const TONES = /[\u0300\u0301\u0303\u0309\u0323]/gu;
// A word: a run of letters and digits. Shared, so used only with match and
// matchAll, which leave its lastIndex at 0 (exec or test would not).
const WORD = /[\p{L}\p{N}]+/gu;
// A name typed in full (2 to 5 syllables) is looked up as one word: the build
// indexes every name an article spells in capitals joined, after this prefix
// (generator/vietnamese.py, name_tokens).
const NAME_PREFIX = "z";
const NAME_WORDS = [2, 5];
const SYLLABLE = /^\p{L}+$/u;

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const sortSelect = document.getElementById("sap-xep");
const selects = Object.fromEntries(
  FILTERS.map((name) => [name, form.querySelector(`select[data-filter="${name}"]`)]),
);

// --- Words -------------------------------------------------------------------

// Lower-case skeleton of a word: tones and letter marks removed, đ -> d.
export function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
}

// Old and new tone placement (hoà / hòa, uỷ / ủy) compare equal: each word's
// tone mark is moved to the end of the word.
function spelling(word) {
  const decomposed = word.normalize("NFD").toLowerCase();
  return decomposed.replace(TONES, "") + (decomposed.match(TONES) || []).join("");
}

function hasDiacritics(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d") !== text.normalize("NFD");
}

function wordsOf(text) {
  return text.match(WORD) || [];
}

function cleanQuery(text) {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

// --- Results, a page at a time -----------------------------------------------

// Results in reading order, handed out a page at a time. DateMerge below has
// the same shape (length, take), so the page never asks which one it holds.
class Queue {
  constructor(results) {
    this.results = [...results];
  }

  get length() {
    return this.results.length;
  }

  async take(count) {
    return this.results.splice(0, count);
  }
}

// Sorting by date across index parts: Pagefind sorts within a part but orders
// a merged answer by score, which interleaves the parts. Each part is asked on
// its own (its results come newest first) and the lists are merged by date,
// reading each result's date only when it is next in line.
class DateMerge {
  constructor(lists) {
    this.queues = lists.filter((list) => list.length);
    this.length = this.queues.reduce((sum, list) => sum + list.length, 0);
  }

  async take(count) {
    const taken = [];
    while (taken.length < count && this.length > 0) {
      const heads = await Promise.all(this.queues.map((queue) => dataOf(queue[0])));
      let best = 0;
      heads.forEach((data, index) => {
        if (data.meta.moment > heads[best].meta.moment) best = index;
      });
      taken.push(this.queues[best].shift());
      if (!this.queues[best].length) this.queues.splice(best, 1);
      this.length -= 1;
    }
    return taken;
  }
}

// Everything that changes while the page is open.
const state = {
  pagefind: null, // the promise of Pagefind, every index part merged (first search)
  generation: 0, // a newer search makes older, slower answers stale
  results: new Queue([]), // what "Xem thêm kết quả" shows next
  terms: [], // the query's words, folded: what excerpts mark
  data: new WeakMap(), // each result's data, asked for once
  timer: null, // the search waiting for a pause in typing
  typing: false, // the query was last changed by a key press, not sent
  name: false, // the results are those naming the query (a name looked up whole)
  eachWord: false, // the reader asked for the words one by one instead (?theo=tu)
};

function dataOf(result) {
  if (!state.data.has(result)) state.data.set(result, result.data());
  return state.data.get(result);
}

// --- Asking Pagefind ---------------------------------------------------------

// Loaded once: a search started while Pagefind is still loading waits for the
// same load (it must not set options or merge the parts a second time). A load
// that failed is tried again by the next search.
function engine() {
  state.pagefind ||= loadEngine().catch((error) => {
    state.pagefind = null;
    throw error;
  });
  return state.pagefind;
}

async function loadEngine() {
  const loaded = await import(`${BUNDLE}pagefind.js`);
  await loaded.options({ baseUrl: BASE, excerptLength: 30, mergeFilter: { part: "0" } });
  await Promise.all(
    PARTS.map((part, index) =>
      loaded.mergeIndex(part, { baseUrl: BASE, mergeFilter: { part: String(index + 1) } }),
    ),
  );
  return loaded;
}

// Pagefind quietly drops a word that matches nothing ("khoai lang" would
// become "lang"); a reader expects every word typed to count. Each word is
// looked up under a filter no page has: Pagefind then skips scoring and
// excerpts but still reports how many pages hold the word.
// A word Pagefind does not have is matched by its longest prefix it has
// (`nghiêng` as `nghi`), so a finished word is looked up exactly ("word"):
// every word of a search that was sent (Enter, a link), all but the last
// while the reader types, whose last word may be a beginning.
// The index is in parts and Pagefind drops a word in each part on its
// own: only parts that hold every word may answer (their counts per part
// come with the same lookups). `parts` is null when any part may answer.
async function wordCounts(pf, words, complete, always = false) {
  if (words.length < 2 && !PARTS.length && !complete && !always) {
    return { missing: [], parts: null, weights: null };
  }
  // `part` is the filter each part is given in the page (mergeFilter), so no
  // file of filter values is fetched for it
  const nowhere = { filters: { part: "không có" } };
  const finished = complete ? words.length : words.length - 1;
  const lookup = (word, index) => (index < finished ? `"${word.replace(/"/g, "")}"` : word);
  const counts = await Promise.all(words.map((word, index) => pf.search(lookup(word, index), nowhere)));
  const missing = words.filter((word, index) => counts[index].unfilteredResultCount === 0);
  if (!PARTS.length) return { missing, parts: null, weights: null };
  const all = Object.keys(counts[0].totalFilters.part || {});
  const parts = all.filter((part) => counts.every((count) => count.totalFilters.part?.[part] > 0));
  return { missing, parts, weights: partWeights(counts) };
}

// Pagefind scores a page with its own part's statistics: a word's weight
// (its IDF) comes from how many of the part's pages hold it, so a small part
// (what changed since the base parts were made) would rank its pages far
// too low, and parts of different sizes would not compare. Each part's scores
// are scaled by how the query's words weigh in the whole archive against
// how they weigh in the part.
function idf(pages, holding) {
  return Math.log((pages - holding + 0.5) / (holding + 0.5) + 1);
}

function partWeights(counts) {
  const total = SIZES.reduce((sum, size) => sum + size, 0) - REPLACED.size;
  const weights = {};
  SIZES.forEach((size, index) => {
    const part = String(index);
    let own = 0;
    let whole = 0;
    for (const count of counts) {
      own += idf(size, count.totalFilters.part?.[part] || 0);
      whole += idf(total, count.unfilteredResultCount);
    }
    weights[part] = own > 0 ? whole / own : 1;
  });
  return weights;
}

// The one word a typed name is indexed as, or null: `nguyen quoc xoan` and
// `Nguyễn Quốc Xoan` are `znguyenquocxoan`.
export function nameWord(query) {
  const words = query.split(" ");
  if (words.length < NAME_WORDS[0] || words.length > NAME_WORDS[1]) return null;
  if (!words.every((word) => SYLLABLE.test(word))) return null;
  return NAME_PREFIX + words.map(fold).join("");
}

// A name that articles spell is answered from its one word: the articles
// that name it, for the price of one small lookup, where its syllables would
// each load a large part of the index (and also find articles that hold them
// apart). Otherwise the words are looked up one by one.
async function find(ask) {
  const pf = await engine();
  const name = ask.eachWord ? null : nameWord(ask.query);
  if (name) {
    const counts = await wordCounts(pf, [name], ask.complete, true);
    if (!unanswerable(counts)) {
      const sent = ask.complete ? `"${name}"` : name;
      const named = await answer(pf, ask, sent, counts);
      // none under the filters chosen: the words may still be there apart
      if (named.lists.some((list) => list.length)) return { ...named, name: true };
    }
  }
  const counts = await wordCounts(pf, ask.query.split(" "), ask.complete);
  if (unanswerable(counts)) return { missing: counts.missing, lists: [] };
  return answer(pf, ask, ask.query, counts);
}

// A word is missing, or no index part holds every word.
function unanswerable({ missing, parts }) {
  return missing.length > 0 || (parts !== null && parts.length === 0);
}

// Pagefind's answer as lists of results: one per index part when sorting by
// date across parts (see DateMerge), else one.
async function answer(pf, ask, query, { missing, parts, weights }) {
  const order = ask.byDate ? { sort: { date: "desc" } } : {};
  if (!PARTS.length) {
    const answer = await pf.search(query, { filters: ask.filters, ...order });
    return { missing, lists: [current(answer.results)] };
  }
  // each part asked on its own: sorted by date, its list is merged by date
  // (DateMerge); by relevance, its scores are scaled to the archive's
  const asked = parts || ["0", ...PARTS.map((_, index) => String(index + 1))];
  const answers = await Promise.all(
    asked.map((part) => pf.search(query, { filters: { ...ask.filters, part }, ...order })),
  );
  const lists = answers.map((answer) => current(answer.results));
  if (ask.byDate) return { missing, lists };
  const scored = lists.flatMap((results, index) =>
    results.map((result) => ({ result, score: result.score * weights[asked[index]] })),
  );
  scored.sort((a, b) => b.score - a.score);
  return { missing, lists: [scored.map((entry) => entry.result)] };
}

function current(results) {
  return REPLACED.size ? results.filter((result) => !REPLACED.has(result.id)) : results;
}

// --- Reading order -----------------------------------------------------------

// How well a result matches: [query words found with exactly the reader's
// accents, query words found as whole syllables once folded]. Pagefind also
// counts prefixes (hoa -> hoàn, hoạt), which Vietnamese syllables make noisy.
function relevance(data, query) {
  const tokens = wordsOf(`${data.meta.title} ${data.content}`);
  const spelled = new Set(tokens.map(spelling));
  const folded = new Set(tokens.map(fold));
  const words = query.split(" ");
  const exact = words.filter(hasDiacritics).filter((word) => spelled.has(spelling(word))).length;
  const whole = words.filter((word) => folded.has(fold(word))).length;
  return [exact, whole];
}

// Pagefind ranks a folded match (hoa for Hòa) like an exact one, and a prefix
// like a whole word; a reader who typed accents expects that exact spelling
// first, then whole syllables. Re-rank the top results, keeping Pagefind's
// order among equals.
async function exactFirst(results, query) {
  let head = results.slice(0, RERANK);
  let data = await Promise.all(head.map(dataOf));
  if (PARTS.length) [head, data] = wholeWhereFound(head, data, query);
  const ranked = head
    .map((result, index) => ({ result, index, score: relevance(data[index], query) }))
    .sort((a, b) => b.score[0] - a.score[0] || b.score[1] - a.score[1] || a.index - b.index)
    .map((entry) => entry.result);
  return [...ranked, ...results.slice(RERANK)];
}

// With several words, each index part decides alone how far to stretch a word
// it lacks (xô -> xong), so a part without the word adds pages a whole index
// would not: a typed word that some result holds whole must be held whole by
// every result.
function wholeWhereFound(head, data, query) {
  const typed = query.split(" ").map(fold);
  if (typed.length < 2) return [head, data];
  const text = (entry) => [entry.content, ...Object.values(entry.meta)].join(" ");
  const words = data.map((entry) => new Set(wordsOf(text(entry)).map(fold)));
  const whole = typed.filter((word) => words.some((set) => set.has(word)));
  const keep = words.map((set) => whole.every((word) => set.has(word)));
  return [head.filter((_, index) => keep[index]), data.filter((_, index) => keep[index])];
}

// Sorted by date, Pagefind's order (or the merge of the parts) is kept;
// otherwise exact spellings and whole syllables come first. A name looked up
// whole is held whole by every result, so only accents typed can reorder it
// (Xoan before Xoàn): without them the top results' data is not loaded first.
async function queued(found, ask) {
  if (ask.byDate && PARTS.length) return new DateMerge(found.lists);
  const [results = []] = found.lists;
  const kept = ask.byDate || (found.name && !hasDiacritics(ask.query));
  return new Queue(kept ? results : await exactFirst(results, ask.query));
}

// --- The address and the form ------------------------------------------------

// What a reader typed or chose before this script arrived (a slow phone shows
// the form first) is kept: the address fills only the fields left untouched.
// Returns whether the reader had typed, so the search treats it as typing.
function readAddress() {
  const params = new URLSearchParams(location.search);
  const typed = input.value !== input.defaultValue;
  if (!typed) input.value = params.get("q") || "";
  for (const name of FILTERS) {
    if (!changed(selects[name])) selects[name].value = params.get(name) || "";
  }
  if (!changed(sortSelect)) sortSelect.value = params.get("sort") === "date" ? "date" : "";
  state.eachWord = !typed && params.get("theo") === "tu";
  if (typed || [...Object.values(selects), sortSelect].some(changed)) writeAddress();
  return typed;
}

// every select starts on its first option ("Tất cả …", "Phù hợp nhất")
function changed(select) {
  return select.selectedIndex > 0;
}

function writeAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const name of FILTERS) if (selects[name].value) params.set(name, selects[name].value);
  if (sortSelect.value) params.set("sort", sortSelect.value);
  if (state.eachWord) params.set("theo", "tu");
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function chosenFilters() {
  const filters = {};
  for (const name of FILTERS) if (selects[name].value) filters[name] = selects[name].value;
  return filters;
}

// One search, read once when it starts: later edits make a new search.
function readForm() {
  return {
    query: cleanQuery(input.value),
    filters: chosenFilters(),
    byDate: sortSelect.value === "date",
    complete: !state.typing, // the last word may be a beginning while the reader types
    eachWord: state.eachWord,
  };
}

// --- Showing -----------------------------------------------------------------

// Build "text <mark>word</mark> text" as DOM nodes: nothing from the index is
// parsed as HTML. A query word marks the syllables equal to it once folded;
// only when it has none in this text (a word still being typed) its prefixes.
function highlighted(text) {
  const fragment = document.createDocumentFragment();
  const words = [...text.matchAll(WORD)];
  const folded = words.map((match) => fold(match[0]));
  const whole = new Set(state.terms.filter((term) => folded.includes(term)));
  let last = 0;
  words.forEach((match, index) => {
    const word = folded[index];
    const hit = state.terms.some((term) => (whole.has(term) ? word === term : word.startsWith(term)));
    if (!hit) return;
    fragment.append(text.slice(last, match.index));
    const mark = document.createElement("mark");
    mark.textContent = match[0];
    fragment.append(mark);
    last = match.index + match[0].length;
  });
  fragment.append(text.slice(last));
  return fragment;
}

// Pagefind's excerpts are HTML, even the plain one (`&lt;`, `&amp;`): read as text
// in an inert document, where nothing loads or runs. (An element of this page,
// even detached, would load an <img> of the excerpt and run its onerror.)
export function plainExcerpt(data) {
  const text = asText(data.plain_excerpt || data.excerpt || "");
  // the article's text: plain, never parsed (an article's text may hold "<style>")
  const whole = (data.content || "").replace(/\s+/g, " ").trim();
  if (!text || !whole) return text;
  // "…" where the excerpt cuts the article's text, as a reader expects
  const start = whole.startsWith(text.slice(0, 40)) ? "" : "… ";
  const end = whole.endsWith(text.slice(-40)) ? "" : " …";
  return start + text + end;
}

// Around the first place the article's text spells the name, as Pagefind's
// excerpts are around a match: a name is matched in the metadata, for which
// Pagefind's excerpt is the beginning of the text. Null when the text does
// not spell it (the name is in the title only).
export function nameExcerpt(data, terms, length = 30) {
  const text = (data.content || "").replace(/\s+/g, " ").trim();
  const words = [...text.matchAll(WORD)];
  const folded = words.map((match) => fold(match[0]));
  const last = terms.length - 1;
  const at = folded.findIndex((_, start) =>
    terms.every((term, index) => {
      const word = folded[start + index] || "";
      return index === last ? word.startsWith(term) : word === term;
    }),
  );
  if (at < 0) return null;
  const first = Math.max(0, Math.min(at - Math.floor(length / 3), words.length - length));
  const end = Math.min(words.length, first + length) - 1;
  const cut = text.slice(words[first].index, words[end].index + words[end][0].length);
  return (first > 0 ? "… " : "") + cut + (end < words.length - 1 ? " …" : "");
}

function asText(html) {
  const text = new DOMParser().parseFromString(html, "text/html").body.textContent;
  return text.replace(/\s+/g, " ").trim();
}

// The card of `article_list` in layouts/_macros.html (same classes, so the
// same look), made from what the index holds: the meta line is plain text,
// date and unit, and the summary is the excerpt.
function resultItem(data) {
  const item = document.createElement("li");
  item.className = "card";
  const heading = document.createElement("h3");
  heading.className = "card-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [data.meta.date, data.meta.unit].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "summary excerpt";
  const shown = (state.name && nameExcerpt(data, state.terms)) || plainExcerpt(data);
  excerpt.append(highlighted(shown));
  item.append(heading, meta, excerpt);
  return item;
}

async function showMore(current) {
  const batch = await state.results.take(PAGE);
  const data = await Promise.all(batch.map(dataOf));
  if (current !== state.generation) return;
  for (const entry of data) list.append(resultItem(entry));
  more.hidden = state.results.length === 0;
}

function clearResults() {
  list.replaceChildren();
  more.hidden = true;
  state.results = new Queue([]);
}

function showBrowseHint(filters) {
  // Browsing without words stays on the static pages: a filter-only search
  // would download the whole index.
  const chosen = FILTERS.filter((name) => filters[name]).map((name) => selects[name].selectedOptions[0]);
  if (!chosen.length) {
    status.textContent = "Nhập từ khóa để tìm, ví dụ tên người, địa danh hoặc đơn vị.";
  } else {
    status.replaceChildren("Nhập từ khóa để tìm. Xem toàn bộ tin bài của ");
    chosen.forEach((option, index) => {
      const link = document.createElement("a");
      link.href = option.dataset.href;
      link.textContent = option.textContent;
      status.append(index ? ", " : "", link);
    });
    status.append(".");
  }
  status.dataset.state = "idle";
}

function showNoIndex(query) {
  // the archive has no article with text yet: there is no index to load
  status.textContent = `Không tìm thấy bài viết nào cho “${query}”: lưu trữ chưa có bài viết nào có nội dung.`;
  status.dataset.state = "done";
}

function showBusy() {
  status.dataset.state = "busy";
  status.textContent = "Đang tìm…";
}

function showCount(query, count, missing, name) {
  const absent = missing.length ? ` (không có bài nào chứa “${missing.join("”, “")}”)` : "";
  if (name) {
    // the articles naming it; the reader may still want every article with the words
    status.replaceChildren(`Tìm thấy ${count} bài viết nhắc đến “${query}”. `);
    const link = document.createElement("a");
    link.href = eachWordAddress();
    link.textContent = "Tìm theo từng từ";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      state.eachWord = true;
      state.typing = false;
      writeAddress();
      run();
    });
    status.append(link);
    return;
  }
  status.textContent = count
    ? `Tìm thấy ${count} bài viết cho “${query}”.`
    : `Không tìm thấy bài viết nào cho “${query}”${absent}. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.`;
}

function eachWordAddress() {
  const params = new URLSearchParams(location.search);
  params.set("theo", "tu");
  return `?${params}`;
}

// --- One search --------------------------------------------------------------

async function run() {
  const current = ++state.generation;
  const ask = readForm();
  clearResults();
  if (!ask.query) return showBrowseHint(ask.filters);
  if (!BUNDLE) return showNoIndex(ask.query);
  showBusy();
  let found;
  try {
    found = await find(ask);
  } catch (error) {
    if (current === state.generation) status.textContent = "Không tải được bộ tìm kiếm. Vui lòng thử lại.";
    throw error;
  }
  if (current !== state.generation) return;
  const results = await queued(found, ask);
  // an older search that ends late must not take over the newer one's results
  if (current !== state.generation) return;
  state.terms = ask.query.split(" ").map(fold).filter(Boolean);
  state.name = Boolean(found.name);
  state.results = results;
  showCount(ask.query, state.results.length, found.missing, state.name);
  await showMore(current);
  if (current === state.generation) status.dataset.state = "done";
}

function scheduled() {
  clearTimeout(state.timer);
  writeAddress();
  state.timer = setTimeout(run, PAUSE);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(state.timer);
  state.typing = false;
  writeAddress();
  run();
});
// A reader who goes to the box is about to search: load Pagefind meanwhile
// (its script, the index's entry and metadata), so a query sent waits only for
// its own words.
input.addEventListener("focus", () => BUNDLE && engine().catch(() => {}), { once: true });
input.addEventListener("input", () => {
  state.typing = true;
  state.eachWord = false; // a new query: its name first again
  scheduled();
});
for (const select of [...Object.values(selects), sortSelect]) select.addEventListener("change", scheduled);
more.addEventListener("click", () => showMore(state.generation));

state.typing = readAddress();
run();
