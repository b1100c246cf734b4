// Search page: the query and filters live in the address (?q=&unit=&term=&year=&sort=),
// so a search can be linked and the back button works. Results come from the
// Pagefind bundle; excerpts are shown in the article's own spelling, with the
// words that match the query (with or without diacritics, đ typed as d) marked.

const script = document.getElementById("search-script");
const BUNDLE = script.dataset.bundle;
// The index is built in parts; the first carries Pagefind, the others are merged in.
const PARTS = (script.dataset.parts || "").split(" ").filter(Boolean);
const BASE = script.dataset.base;
const PAGE = 10;
const FILTERS = ["unit", "term", "year"];
// How many top results are re-ranked so that exact, accented matches come first.
const RERANK = 30;
const TONES = /[\u0300\u0301\u0303\u0309\u0323]/gu;

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const sortSelect = document.getElementById("sap-xep");
const selects = Object.fromEntries(
  FILTERS.map((name) => [name, form.querySelector(`select[data-filter="${name}"]`)]),
);

let pagefind = null;
let generation = 0; // a newer search makes older, slower answers stale
let pending = [];
let terms = [];

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

// How well a result matches: [query words found with exactly the reader's
// accents, query words found as whole syllables once folded]. Pagefind also
// counts prefixes (hoa -> hoàn, hoạt), which Vietnamese syllables make noisy.
function relevance(data, query) {
  const tokens = `${data.meta.title} ${data.content}`.match(/[\p{L}\p{N}]+/gu) || [];
  const spelled = new Set(tokens.map(spelling));
  const folded = new Set(tokens.map(fold));
  const words = query.split(" ");
  const exact = words.filter(hasDiacritics).filter((word) => spelled.has(spelling(word))).length;
  const whole = words.filter((word) => folded.has(fold(word))).length;
  return [exact, whole];
}

function cleanQuery(text) {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

async function engine() {
  if (!pagefind) {
    const loaded = await import(`${BUNDLE}pagefind.js`);
    await loaded.options({ baseUrl: BASE, excerptLength: 30, mergeFilter: { part: "0" } });
    await Promise.all(
      PARTS.map((part, index) =>
        loaded.mergeIndex(part, { baseUrl: BASE, mergeFilter: { part: String(index + 1) } }),
      ),
    );
    pagefind = loaded;
  }
  return pagefind;
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

function readAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const name of FILTERS) selects[name].value = params.get(name) || "";
  sortSelect.value = params.get("sort") === "date" ? "date" : "";
}

function writeAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const name of FILTERS) if (selects[name].value) params.set(name, selects[name].value);
  if (sortSelect.value) params.set("sort", sortSelect.value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function chosenFilters() {
  const filters = {};
  for (const name of FILTERS) if (selects[name].value) filters[name] = selects[name].value;
  return filters;
}

// Build "text <mark>word</mark> text" as DOM nodes: nothing from the index is
// parsed as HTML. A query word marks the syllables equal to it once folded;
// only when it has none in this text (a word still being typed) its prefixes.
function highlighted(text) {
  const fragment = document.createDocumentFragment();
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  const folded = words.map((match) => fold(match[0]));
  const whole = new Set(terms.filter((term) => folded.includes(term)));
  let last = 0;
  words.forEach((match, index) => {
    const word = folded[index];
    const hit = terms.some((term) => (whole.has(term) ? word === term : word.startsWith(term)));
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
function plainExcerpt(data) {
  const html = data.plain_excerpt || data.excerpt || "";
  return new DOMParser().parseFromString(html, "text/html").body.textContent;
}

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
  excerpt.append(highlighted(plainExcerpt(data)));
  item.append(heading, meta, excerpt);
  return item;
}

const loaded = new WeakMap();
function dataOf(result) {
  if (!loaded.has(result)) loaded.set(result, result.data());
  return loaded.get(result);
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
  const words = data.map((entry) => new Set((text(entry).match(/[\p{L}\p{N}]+/gu) || []).map(fold)));
  const whole = typed.filter((word) => words.some((set) => set.has(word)));
  const keep = words.map((set) => whole.every((word) => set.has(word)));
  return [head.filter((_, index) => keep[index]), data.filter((_, index) => keep[index])];
}

async function showMore(current) {
  const batch = Array.isArray(pending) ? pending.splice(0, PAGE) : await pending.take(PAGE);
  const data = await Promise.all(batch.map(dataOf));
  if (current !== generation) return;
  for (const entry of data) list.append(resultItem(entry));
  more.hidden = pending.length === 0;
}

function browseHint(filters) {
  // Browsing without words stays on the static pages: a filter-only search
  // would download the whole index.
  const chosen = FILTERS.filter((name) => filters[name]).map((name) => selects[name].selectedOptions[0]);
  if (!chosen.length) {
    status.textContent = "Nhập từ khóa để tìm, ví dụ tên người, địa danh hoặc đơn vị.";
    return;
  }
  status.replaceChildren("Nhập từ khóa để tìm. Xem toàn bộ tin bài của ");
  chosen.forEach((option, index) => {
    const link = document.createElement("a");
    link.href = option.dataset.href;
    link.textContent = option.textContent;
    status.append(index ? ", " : "", link);
  });
  status.append(".");
}

async function run() {
  const current = ++generation;
  const query = cleanQuery(input.value);
  const filters = chosenFilters();
  list.replaceChildren();
  more.hidden = true;
  pending = [];
  if (!query) {
    browseHint(filters);
    status.dataset.state = "idle";
    return;
  }
  if (!BUNDLE) {
    // the archive has no article with text yet: there is no index to load
    status.textContent = `Không tìm thấy bài viết nào cho “${query}”: lưu trữ chưa có bài viết nào có nội dung.`;
    status.dataset.state = "done";
    return;
  }
  status.dataset.state = "busy";
  status.textContent = "Đang tìm…";
  const options = { filters };
  if (sortSelect.value === "date") options.sort = { date: "desc" };
  let search;
  let missing = [];
  try {
    const pf = await engine();
    // Pagefind quietly drops a word that matches nothing ("khoai lang" would
    // become "lang"); a reader expects every word typed to count. Each word is
    // looked up under a filter no page has: Pagefind then skips scoring and
    // excerpts but still reports how many pages hold the word.
    // The index is in parts and Pagefind drops a word in each part on its
    // own: only parts that hold every word may answer (their counts per part
    // come with the same lookups).
    const words = query.split(" ");
    let parts = null;
    if (words.length > 1) {
      const nowhere = { filters: { year: "không có" } };
      const counts = await Promise.all(words.map((word) => pf.search(word, nowhere)));
      missing = words.filter((word, index) => counts[index].unfilteredResultCount === 0);
      if (PARTS.length) {
        const all = Object.keys(counts[0].totalFilters.part || {});
        parts = all.filter((part) => counts.every((count) => count.totalFilters.part?.[part] > 0));
        options.filters = { ...filters, part: { any: parts } };
      }
    }
    const none = missing.length || (parts && !parts.length);
    if (none) {
      search = { results: [] };
    } else if (options.sort && PARTS.length) {
      const asked = parts || ["0", ...PARTS.map((_, index) => String(index + 1))];
      const lists = await Promise.all(
        asked.map((part) => pf.search(query, { ...options, filters: { ...filters, part } })),
      );
      search = { merge: new DateMerge(lists.map((answer) => answer.results)) };
    } else {
      search = await pf.search(query, options);
    }
  } catch (error) {
    if (current === generation) status.textContent = "Không tải được bộ tìm kiếm. Vui lòng thử lại.";
    throw error;
  }
  if (current !== generation) return;
  terms = query.split(" ").map(fold).filter(Boolean);
  if (search.merge) {
    pending = search.merge;
  } else if (options.sort) {
    pending = search.results.slice();
  } else {
    pending = await exactFirst(search.results, query);
  }
  if (current !== generation) return;
  const count = pending.length;
  const absent = missing.length ? ` (không có bài nào chứa “${missing.join("”, “")}”)` : "";
  status.textContent = count
    ? `Tìm thấy ${count} bài viết cho “${query}”.`
    : `Không tìm thấy bài viết nào cho “${query}”${absent}. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.`;
  await showMore(current);
  if (current === generation) status.dataset.state = "done";
}

let timer = null;
function scheduled() {
  clearTimeout(timer);
  writeAddress();
  timer = setTimeout(run, 250);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  writeAddress();
  run();
});
input.addEventListener("input", scheduled);
for (const select of [...Object.values(selects), sortSelect]) select.addEventListener("change", scheduled);
more.addEventListener("click", () => showMore(generation));

readAddress();
run();
