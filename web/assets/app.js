// clausal's page.  Everything it shows comes from the JSON API
// (/api/search, the output of clausal-search --json), and all of it is put
// in the page as text nodes (textContent, createTextNode), never as HTML:
// a clause that contains <script> shows as those characters.
//
// The state of the page is its URL (a permalink): q (the query), f (a
// filter, repeatable), sort, by (1: one card per document), page, view
// (hits, docs, doc, compare ...), for the document view doc and hit, and
// for the comparison doc (the old document) and with (the new one).  Moving
// around changes the URL (history.pushState) and renders it again.
//
// Views are rows of VIEWS: a new view (the concordance, similar clauses,
// the comparison of two documents) is a function that renders into the
// view element, added there and linked from where it belongs.
"use strict";

const PAGE = 20;
const FACETS = ["year", "decade", "kind", "lead", "body", "country", "sponsor"];
const FACET_SHOWN = 8; // values shown before "more"
const SORTS = [["score", "Relevance"], ["date", "Oldest first"], ["-date", "Newest first"], ["doc", "Document order"]];
const KWIC_SORTS = [["left", "Left context"], ["right", "Right context"]];
const MEASURES = [["ll", "log-likelihood"], ["mi", "MI"], ["t", "t-score"], ["logdice", "logDice"], ["logratio", "log ratio"]];
const KWIC_PAGE = 50;
// The views of a query, as tabs above the results.
const TABS = [["hits", "Clauses"], ["kwic", "Concordance"], ["forms", "Forms"], ["colloc", "Collocates"]];

const $ = (sel, root) => (root || document).querySelector(sel);

// ---- DOM helpers: text only ---------------------------------------------

// el("a", {href: "..."}, "text", child...): an element; strings become
// text nodes; attributes set with setAttribute (never innerHTML).
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "on") for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k === "class") e.className = v;
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.appendChild(typeof k === "string" || typeof k === "number" ? document.createTextNode(String(k)) : k);
  }
  return e;
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const k of kids) e.appendChild(typeof k === "string" ? document.createTextNode(k) : k);
  return e;
}

function plural(n, one, many) { return n === 1 ? one : many; }
function num(n) { return Number(n).toLocaleString("en"); }

// The clause text with its matches marked: matches_cp are [start, end)
// in code points, which Array.from counts.
function highlighted(text, spans) {
  const p = el("p", {class: "text"});
  const cps = Array.from(text || "");
  let at = 0;
  for (const [a, b] of spans || []) {
    if (a < at || b > cps.length || a >= b) continue;
    if (a > at) p.appendChild(document.createTextNode(cps.slice(at, a).join("")));
    p.appendChild(el("mark", null, cps.slice(a, b).join("")));
    at = b;
  }
  if (at < cps.length) p.appendChild(document.createTextNode(cps.slice(at).join("")));
  return p;
}

// ---- state and URLs -------------------------------------------------------

function readState(search) {
  const u = new URLSearchParams(search === undefined ? location.search : search);
  const page = parseInt(u.get("page") || "1", 10);
  return {
    q: u.get("q") || "",
    f: u.getAll("f").filter(Boolean),
    sort: SORTS.concat(KWIC_SORTS).some(s => s[0] === u.get("sort")) ? u.get("sort") : "score",
    by_: MEASURES.some(m => m[0] === u.get("measure")) ? u.get("measure") : "ll",
    by: u.get("by") === "1",
    page: page > 0 ? page : 1,
    view: u.get("view") || "",
    doc: u.get("doc") || "",
    hit: u.get("hit") || "",
    like: u.get("like") || "",
    lin: u.get("lin") === "1",
    other: u.get("with") || "",
  };
}

// The page's URL for a state (defaults left out, so links stay short).
function pageUrl(s) {
  const u = new URLSearchParams();
  if (s.view && s.view !== "hits") u.set("view", s.view);
  if (s.doc) u.set("doc", s.doc);
  if (s.other) u.set("with", s.other);
  if (s.like) u.set("like", s.like);
  if (s.lin) u.set("lin", "1");
  if (s.q) u.set("q", s.q);
  for (const f of s.f || []) u.append("f", f);
  if (s.sort && s.sort !== "score") u.set("sort", s.sort);
  if (s.by) u.set("by", "1");
  if (s.by_ && s.by_ !== "ll") u.set("measure", s.by_);
  if (s.page > 1) u.set("page", String(s.page));
  if (s.hit) u.set("hit", s.hit);
  const q = u.toString();
  return "/" + (q ? "?" + q : "");
}

function with_(s, changes) { return Object.assign({}, s, changes); }

// An API URL: the query, the filters, then clausal-search's options.
function apiUrl(path, s, opts) {
  const u = new URLSearchParams();
  u.set("q", s.q || "");
  for (const f of s.f || []) u.append("f", f);
  for (const [k, v] of Object.entries(opts || {})) if (v !== null && v !== undefined && v !== false) u.set(k, v === true ? "1" : String(v));
  return path + "?" + u.toString();
}

// A filter for a facet value, as the query language writes it.
function quoteValue(v) {
  const clean = String(v).replace(/"/g, "");
  return /^[\p{L}\p{N}_./-]+$/u.test(clean) ? clean : '"' + clean + '"';
}
function facetFilter(facet, value) {
  if (facet === "decade") {
    const y = parseInt(value, 10);
    return "year:" + y + ".." + (y + 9);
  }
  return facet + ":" + quoteValue(value);
}
function docFilter(doc) { return "doc:" + quoteValue(doc); }

// ---- fetching ---------------------------------------------------------------

class ApiError extends Error {
  constructor(body, status) {
    super(body.error || "error");
    this.detail = body.detail || body.error || "error";
    this.status = status;
  }
}

let generation = 0; // a newer render makes older answers stale

async function api(url) {
  const res = await fetch(url, {headers: {"Accept": "application/x-ndjson"}});
  const text = await res.text();
  if (!res.ok) {
    let body;
    try { body = JSON.parse(text); } catch (e) { body = {error: text || res.statusText}; }
    throw new ApiError(body, res.status);
  }
  const rows = text.split("\n").filter(l => l.length).map(l => JSON.parse(l));
  const h = name => res.headers.get(name);
  return {
    rows,
    clauses: h("X-Clausal-Clauses") === null ? null : Number(h("X-Clausal-Clauses")),
    docs: h("X-Clausal-Documents") === null ? null : Number(h("X-Clausal-Documents")),
  };
}

function showError(e) {
  const st = $("#status");
  st.textContent = "";
  if (e instanceof ApiError) st.appendChild(el("pre", {class: "error", role: "alert"}, e.detail));
  else st.appendChild(el("pre", {class: "error", role: "alert"}, "The server could not be reached: " + e.message));
}

function setStatus(text) { $("#status").textContent = text || ""; }

// ---- navigation ----------------------------------------------------------------

function go(url, replace) {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render();
  window.scrollTo(0, 0);
}

// Links marked data-nav (and every link the views make) move within the
// page; a modified click (new tab, download) is left to the browser.
document.addEventListener("click", e => {
  const a = e.target.closest("a[data-nav]");
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  go(a.getAttribute("href"));
});
window.addEventListener("popstate", () => render());

function navLink(href, attrs, ...kids) { return el("a", Object.assign({href, "data-nav": true}, attrs || {}), ...kids); }

// ---- the views --------------------------------------------------------------------

const VIEWS = {
  home: renderHome,
  hits: renderHits,
  docs: renderDocs,
  doc: renderDoc,
  kwic: renderKwic,
  forms: renderForms,
  colloc: renderColloc,
  like: renderLike,
  compare: renderCompare,
};

function render() {
  const s = readState();
  const gen = ++generation;
  $("#q").value = s.q;
  document.title = s.q ? s.q + " · clausal" : "clausal";
  setStatus("");
  const view = $("#view");
  view.textContent = "";
  let name = s.view;
  if (!VIEWS[name]) name = s.q || s.f.length ? "hits" : "home";
  VIEWS[name](s, view, () => gen === generation);
}

// -- home: what is in the index, examples

async function renderHome(s, view, current) {
  const box = el("div", {class: "home"});
  view.appendChild(box);
  box.appendChild(el("h1", null, "Search the clauses of UN texts"));
  const lede = el("p", {class: "lede"}, "Every document is split into its clauses — preambular and operative paragraphs, sub-paragraphs, paragraphs of speeches — each searchable with its label, kind, opening phrase and the document's metadata.");
  box.appendChild(lede);
  const ex = ['"information security"', "cyber* NEAR/5 norms", 'lead:"calls upon" kind:operative', '"international peace and security" year:..1970', "weapons -nuclear", 'body:"security council" sanctions'];
  box.appendChild(el("h2", null, "Try"));
  box.appendChild(el("ul", {class: "examples"}, ex.map(q => el("li", null, navLink(pageUrl({q, f: []}), null, q)))));
  const stats = el("p", {class: "stats"});
  box.appendChild(stats);
  try {
    const r = await fetch("/api/info").then(x => x.json());
    if (!current()) return;
    stats.append(`The index holds ${num(r.clauses)} clauses in ${num(r.documents)} documents. `,
                 navLink("/?view=docs", null, "Browse the documents"), ", or press ", el("kbd", null, "?"), " for the query language.");
  } catch (e) { if (current()) showError(e); }
}

// -- hits: facets, timeline, clause cards, pager

async function renderHits(s, view, current) {
  if (!SORTS.some(k => k[0] === s.sort)) s = with_(s, {sort: "score"}); // left, right: the concordance's
  const grid = el("div", {class: "results"});
  // On a phone the facets fold into one "Filters" box above the hits.
  const narrow = window.matchMedia("(max-width: 860px)").matches;
  const aside = el("details", {class: "facets", open: !narrow, "aria-label": "Filters"}, el("summary", {class: "facets-head"}, "Filters"));
  const col = el("section", {class: "hits", "aria-label": "Results"});
  grid.append(aside, col);
  view.appendChild(grid);

  const summary = el("div", {class: "summary"});
  const chips = filterChips(s);
  const timeline = el("div", {class: "timeline"});
  const cards = el("div", {class: "cards"});
  const pager = el("nav", {class: "pager", "aria-label": "Pages"});
  col.append(tabs(s, "hits"), summary, chips, timeline, cards, pager);

  setStatus("Searching…");
  const offset = (s.page - 1) * PAGE;
  const hitsP = api(apiUrl("/api/search", s, {n: PAGE, offset, sort: s.sort, "by-doc": s.by}));
  // Asked at once, shown as they come; an error is the hits' to show.
  const timeP = api(apiUrl("/api/search", s, {timeline: true}));
  const facetPs = FACETS.map(f => api(apiUrl("/api/search", s, {facet: f})));
  timeP.catch(() => {});
  facetPs.forEach(p => p.catch(() => {}));

  let res;
  try {
    res = await hitsP;
  } catch (e) {
    if (current()) { view.textContent = ""; showError(e); }
    return;
  }
  if (!current()) return;
  setStatus("");
  renderSummary(s, summary, res);
  renderCards(s, cards, res.rows);
  renderPager(s, pager, s.by ? res.docs : res.clauses);

  timeP.then(r => { if (current()) renderTimeline(s, timeline, r.rows); }, () => {});
  FACETS.forEach((name, i) => {
    const box = el("details", {class: "facet", open: true, "data-facet": name}, el("summary", null, name));
    aside.appendChild(box);
    facetPs[i].then(r => { if (current()) renderFacet(s, box, name, r.rows); },
                    e => { if (current()) box.appendChild(el("div", {class: "empty"}, e.message)); });
  });
}

// The filters in use, each with a button that removes it.
function filterChips(s) {
  const chips = el("div", {class: "chips", "aria-label": "Filters in use"});
  for (const f of s.f) {
    const rest = s.f.filter(x => x !== f);
    chips.appendChild(el("span", {class: "chip"}, f,
      el("button", {type: "button", title: "Remove this filter", "aria-label": "Remove filter " + f,
                    on: {click: () => go(pageUrl(with_(s, {f: rest, page: 1})))}}, "×")));
  }
  return chips;
}

// The tabs of a query's views; each keeps the query and the filters.
function tabs(s, here) {
  return el("nav", {class: "tabs", "aria-label": "Views"}, TABS.map(([v, t]) =>
    v === here ? el("span", {class: "tab here", "aria-current": "page"}, t)
               : navLink(pageUrl({view: v === "hits" ? "" : v, q: s.q, f: s.f, by_: s.by_,
                                  sort: v === "kwic" ? (KWIC_SORTS.some(k => k[0] === s.sort) ? s.sort : "") : (SORTS.some(k => k[0] === s.sort) ? s.sort : "")}),
                         {class: "tab", id: "tab-" + v}, t)));
}

function renderSummary(s, box, res) {
  const total = el("div", {class: "total", id: "total"});
  if (!res.clauses) total.append("No clauses match.");
  else if (s.by) total.append(el("b", null, num(res.docs)), ` ${plural(res.docs, "document", "documents")} (${num(res.clauses)} matching ${plural(res.clauses, "clause", "clauses")})`);
  else total.append(el("b", null, num(res.clauses)), ` ${plural(res.clauses, "clause", "clauses")} in `, el("b", null, num(res.docs)), ` ${plural(res.docs, "document", "documents")}`);
  const sort = el("select", {id: "sort", "aria-label": "Sort order",
                             on: {change: e => go(pageUrl(with_(s, {sort: e.target.value, page: 1})))}},
                  SORTS.map(([v, t]) => el("option", {value: v, selected: v === s.sort}, t)));
  const by = el("input", {type: "checkbox", id: "by-doc", checked: s.by,
                          on: {change: e => go(pageUrl(with_(s, {by: e.target.checked, page: 1})))}});
  const exp = el("span", {class: "exports"}, "Export",
                 el("a", {href: apiUrl("/export.csv", s, {sort: s.sort, "by-doc": s.by}), id: "export-csv", download: "clausal.csv"}, "CSV"),
                 el("a", {href: apiUrl("/export.jsonl", s, {sort: s.sort, "by-doc": s.by}), id: "export-jsonl", download: "clausal.jsonl"}, "JSON Lines"),
                 el("a", {href: apiUrl("/api/search", s, {n: PAGE, offset: (s.page - 1) * PAGE, sort: s.sort, "by-doc": s.by}), title: "This page as the API returns it"}, "API"));
  const controls = el("div", {class: "controls"}, el("label", null, "Sort ", sort), el("label", null, by, "By document"), exp);
  box.append(total, controls);
}

function hitDocUrl(s, h) {
  return pageUrl({view: "doc", doc: h.doc, q: s.q, f: s.f, hit: String(h.ordinal)});
}

function renderCards(s, box, rows) {
  for (const h of rows) {
    const meta = el("div", {class: "meta"},
      navLink(hitDocUrl(s, h), {class: "doc"}, h.doc || "(no symbol)"),
      el("span", {class: "label"}, h.label || ""),
      el("span", {class: "tag kind"}, h.kind || ""),
      h.lead ? el("span", {class: "lead"}, h.lead) : null,
      h.year ? el("span", {class: "year"}, String(h.year)) : null,
      h.body ? el("span", {class: "body"}, h.body) : null,
      typeof h.score === "number" && s.sort === "score" ? el("span", {class: "score", title: "BM25 score"}, h.score.toFixed(2)) : null);
    const card = el("article", {class: "card", tabindex: "0", "data-doc": h.doc, "data-ordinal": h.ordinal}, meta);
    if (h.title) card.appendChild(el("div", {class: "title"}, h.title));
    card.appendChild(highlighted(h.text, h.matches_cp));
    const foot = el("div", {class: "foot"}, navLink(hitDocUrl(s, h), {class: "open"}, "In the document →"));
    if (s.by && h.doc_hits > 1) {
      foot.appendChild(navLink(pageUrl({q: s.q, f: s.f.concat([docFilter(h.doc)]), sort: "doc"}), null,
                               `all ${h.doc_hits} matching clauses of this document`));
    }
    foot.appendChild(navLink(pageUrl({view: "like", like: h.doc + ":" + h.label}), {class: "similar"}, "Similar wording"));
    // Actions of views to come go in foot.
    card.appendChild(foot);
    box.appendChild(card);
  }
}

function renderPager(s, box, total, per) {
  const pages = Math.max(1, Math.ceil((total || 0) / (per || PAGE)));
  if (pages <= 1 && s.page <= 1) return;
  const prev = s.page > 1 ? navLink(pageUrl(with_(s, {page: s.page - 1})), {rel: "prev", id: "prev"}, "← Previous") : el("span", {class: "off"}, "← Previous");
  const next = s.page < pages ? navLink(pageUrl(with_(s, {page: s.page + 1})), {rel: "next", id: "next"}, "Next →") : el("span", {class: "off"}, "Next →");
  box.append(prev, el("span", {class: "here"}, `page ${s.page} of ${num(pages)}`), next);
}

function renderFacet(s, box, name, rows) {
  const list = el("ul");
  const valued = rows.filter(r => r.value !== "");
  const none = rows.find(r => r.value === "");
  valued.forEach((r, i) => {
    const add = facetFilter(name, r.value);
    const b = el("button", {type: "button", title: "Add " + add, "data-filter": add,
                            on: {click: () => go(pageUrl(with_(s, {f: s.f.concat([add]), page: 1})))}},
                 el("span", {class: "v"}, r.value), el("span", {class: "c"}, num(r.count)));
    list.appendChild(el("li", {hidden: i >= FACET_SHOWN}, b));
  });
  if (none) list.appendChild(el("li", {hidden: valued.length >= FACET_SHOWN}, el("span", {class: "none"}, el("span", {class: "v"}, "(none)"), el("span", {class: "c"}, num(none.count)))));
  if (!rows.length) list.appendChild(el("li", {class: "empty"}, "—"));
  box.appendChild(list);
  const hidden = list.querySelectorAll("li[hidden]").length;
  if (hidden) {
    const more = el("button", {type: "button", class: "more", on: {click: () => {
      list.querySelectorAll("li[hidden]").forEach(li => li.hidden = false);
      more.remove();
    }}}, `${hidden} more…`);
    box.appendChild(more);
  }
}

// The timeline: one bar per year that has matches, over every year from
// the first to the last (gaps show); a click on a bar filters by its year.
function renderTimeline(s, box, rows) {
  const years = rows.filter(r => r.year !== null);
  box.textContent = "";
  if (!years.length) return;
  const first = years[0].year, last = years[years.length - 1].year;
  const span = Math.max(1, last - first + 1);
  const W = Math.max(280, Math.round(box.clientWidth || 800)), H = 96, top = 6, bottom = 20, left = 4, right = 4;
  const slot = (W - left - right) / span;
  const bw = Math.max(1, Math.min(28, slot * 0.8));
  const max = Math.max(...years.map(r => r.clauses));
  const g = svg("svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Matching clauses per year, ${first} to ${last}`});
  g.appendChild(svg("line", {class: "axis", x1: 0, x2: W, y1: H - bottom + 0.5, y2: H - bottom + 0.5}));
  for (const r of years) {
    const h = Math.max(2, (H - top - bottom) * r.clauses / max);
    const x = left + (r.year - first) * slot + (slot - bw) / 2;
    const bar = svg("rect", {class: "bar", x: x.toFixed(2), y: (H - bottom - h).toFixed(2), width: bw.toFixed(2), height: h.toFixed(2),
                             tabindex: "0", role: "button", "data-year": r.year, "data-clauses": r.clauses,
                             "aria-label": `${r.year}: ${r.clauses} ${plural(r.clauses, "clause", "clauses")} in ${r.documents} ${plural(r.documents, "document", "documents")}`},
                    svg("title", null, `${r.year}: ${r.clauses} ${plural(r.clauses, "clause", "clauses")} in ${r.documents} ${plural(r.documents, "document", "documents")}`));
    const pick = () => go(pageUrl(with_(s, {f: s.f.concat(["year:" + r.year]), page: 1})));
    bar.addEventListener("click", pick);
    bar.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
    g.appendChild(bar);
  }
  // Year labels: the ends, and round years between them where there is
  // room (a label is about 30 px wide).
  const step = span > 60 ? 20 : span > 25 ? 10 : span > 10 ? 5 : 1;
  const xs = y => left + (y - first) * slot + slot / 2;
  const picked = [first];
  for (let y = Math.ceil((first + 1) / step) * step; y < last; y += step)
    if (xs(y) - xs(picked[picked.length - 1]) >= 44 && xs(last) - xs(y) >= 44) picked.push(y);
  if (last !== first) {
    if (xs(last) - xs(picked[picked.length - 1]) < 44 && picked.length > 1) picked.pop();
    if (xs(last) - xs(picked[picked.length - 1]) >= 44 || picked.length === 1 && xs(last) - xs(first) >= 40) picked.push(last);
  }
  for (const y of picked) {
    const anchor = span > 1 && y === first ? "start" : span > 1 && y === last ? "end" : "middle";
    const x = anchor === "start" ? Math.max(0, xs(y) - slot / 2) : anchor === "end" ? Math.min(W, xs(y) + slot / 2) : xs(y);
    g.appendChild(svg("text", {x: x.toFixed(1), y: H - 5, "text-anchor": anchor}, String(y)));
  }
  const undated = rows.find(r => r.year === null);
  box.append(g, el("p", {class: "caption"}, `Matching clauses per year, ${first}–${last}; click a bar to keep that year.` + (undated ? ` ${undated.clauses} undated ${plural(undated.clauses, "clause", "clauses")} not shown.` : "")));
}

// -- kwic: the concordance, one line per occurrence, sortable by context

async function renderKwic(s, view, current) {
  if (!s.q && !s.f.length) { go("/", true); return; }
  const sort = KWIC_SORTS.some(k => k[0] === s.sort) ? s.sort : null;
  view.append(tabs(s, "kwic"));
  const head = el("div", {class: "summary"});
  view.append(head, filterChips(s));
  setStatus("Searching…");
  let res;
  try {
    res = await api(apiUrl("/api/search", s, {kwic: true, n: KWIC_PAGE, offset: (s.page - 1) * KWIC_PAGE, sort}));
  } catch (e) { if (current()) showError(e); return; }
  if (!current()) return;
  setStatus("");
  const from = (s.page - 1) * KWIC_PAGE;
  head.append(el("div", {class: "total", id: "total"}, res.rows.length ? `Occurrences ${num(from + 1)}–${num(from + res.rows.length)}` : "No occurrences."),
    el("div", {class: "controls"}, el("label", null, "Sort ",
      el("select", {id: "kwic-sort", "aria-label": "Sort order", on: {change: e => go(pageUrl(with_(s, {sort: e.target.value === "pos" ? "" : e.target.value, page: 1})))}},
         el("option", {value: "pos", selected: !sort}, "By relevance"),
         KWIC_SORTS.map(([v, t]) => el("option", {value: v, selected: v === sort}, t)))),
      el("span", {class: "exports"}, "Export", el("a", {href: apiUrl("/export.csv", s, {kwic: true, sort}), download: "concordance.csv"}, "CSV"))));
  const table = el("table", {class: "kwic"});
  for (const k of res.rows) {
    const url = pageUrl({view: "doc", doc: k.doc, q: s.q, f: s.f, hit: String(k.ordinal)});
    table.appendChild(el("tr", {class: "kwicrow", tabindex: "0"},
      el("td", {class: "where"}, navLink(url, {class: "doc"}, k.doc), " ", el("span", {class: "label"}, k.label)),
      el("td", {class: "left"}, k.left), el("td", {class: "match"}, el("mark", null, k.match)), el("td", {class: "right"}, k.right)));
  }
  view.append(el("div", {class: "kwicwrap"}, table));
  const pager = el("nav", {class: "pager"});
  const prev = s.page > 1 ? navLink(pageUrl(with_(s, {page: s.page - 1})), {id: "prev"}, "← Previous") : el("span", {class: "off"}, "← Previous");
  const next = res.rows.length === KWIC_PAGE ? navLink(pageUrl(with_(s, {page: s.page + 1})), {id: "next"}, "Next →") : el("span", {class: "off"}, "Next →");
  pager.append(prev, el("span", {class: "here"}, `page ${s.page}`), next);
  view.append(pager);
}

// A table of rows: columns [field, heading, format]; the first column
// may be a link.
function dataTable(rows, cols, link) {
  const t = el("table", {class: "data"});
  t.appendChild(el("thead", null, el("tr", null, cols.map(([, h]) => el("th", null, h)))));
  const body = el("tbody");
  for (const r of rows) {
    body.appendChild(el("tr", null, cols.map(([f, , fmt], i) => {
      const v = fmt ? fmt(r[f]) : String(r[f] === undefined || r[f] === null ? "" : r[f]);
      return el("td", {class: i ? "n" : "w"}, i === 0 && link ? navLink(link(r), null, v) : v);
    })));
  }
  t.appendChild(body);
  return t;
}

const fixed = d => v => typeof v === "number" ? v.toFixed(d) : "";

// -- forms: the surface forms the query matched

async function renderForms(s, view, current) {
  if (!s.q && !s.f.length) { go("/", true); return; }
  view.append(tabs(s, "forms"), filterChips(s));
  setStatus("Counting…");
  let res;
  try { res = await api(apiUrl("/api/search", s, {forms: true, n: 200})); }
  catch (e) { if (current()) showError(e); return; }
  if (!current()) return;
  setStatus("");
  view.append(el("p", {class: "note"}, "The forms of the text that the query matched, most frequent first; a form opens its exact-form search."),
    dataTable(res.rows, [["form", "Form"], ["occurrences", "Occurrences", num], ["clauses", "Clauses", num], ["documents", "Documents", num]],
              r => pageUrl({q: "=" + (/\s/.test(r.form) ? '"' + r.form.replace(/"/g, "") + '"' : r.form), f: s.f})));
}

// -- colloc: the words near the matches, by an association measure

async function renderColloc(s, view, current) {
  if (!s.q && !s.f.length) { go("/", true); return; }
  view.append(tabs(s, "colloc"), filterChips(s));
  const measure = el("select", {id: "measure", "aria-label": "Measure", on: {change: e => go(pageUrl(with_(s, {by_: e.target.value})))}},
                    MEASURES.map(([v, t]) => el("option", {value: v, selected: v === s.by_}, t)));
  view.append(el("div", {class: "summary"}, el("div", {class: "controls"}, el("label", null, "Order by ", measure))));
  setStatus("Counting…");
  let res;
  try { res = await api(apiUrl("/api/search", s, {collocates: true, n: 50, by: s.by_})); }
  catch (e) { if (current()) showError(e); return; }
  if (!current()) return;
  setStatus("");
  view.append(el("p", {class: "note"}, "Words within 5 of a match, seen at least 3 times (O), against what their frequency in the index (f) would give (E); a word opens the clauses that have both."),
    dataTable(res.rows, [["word", "Word"], ["O", "O", num], ["E", "E", fixed(1)], ["f", "f", num], ["docs", "Docs", num],
                         ["ll", "LL", fixed(1)], ["mi", "MI", fixed(2)], ["t", "t", fixed(2)], ["logdice", "logDice", fixed(2)], ["logratio", "log ratio", fixed(2)]],
              r => pageUrl({q: s.q ? "(" + s.q + ") " + r.word : r.word, f: s.f})));
}

// -- like: the clauses worded like one clause, or its lineage in time

// A clause as its diff from another: deleted words struck, inserted ones
// underlined (ops as clausal-search --diff --json gives them).
function diffed(ops) {
  const p = el("p", {class: "text diff"});
  for (const o of ops || []) {
    if (o.op === "equal") p.appendChild(document.createTextNode(o.text));
    else p.appendChild(el(o.op === "delete" ? "del" : "ins", null, o.text));
  }
  return p;
}

async function renderLike(s, view, current) {
  if (!s.like) { view.appendChild(el("p", null, "No clause given.")); return; }
  const cut = s.like.lastIndexOf(":");
  const doc = s.like.slice(0, cut), label = s.like.slice(cut + 1);
  const head = el("header", {class: "dochead"});
  view.appendChild(head);
  head.append(navLink(pageUrl({view: "doc", doc, q: s.q, f: s.f}), {id: "back"}, "← The document"),
              el("h1", {class: "liketitle"}, s.lin ? "The lineage of " : "Clauses worded like ", el("span", {class: "sym"}, doc + " " + label)));
  head.appendChild(el("nav", {class: "tabs", "aria-label": "Views"},
    !s.lin ? el("span", {class: "tab here"}, "Most similar") : navLink(pageUrl(with_(s, {lin: false, page: 1})), {class: "tab", id: "tab-like"}, "Most similar"),
    s.lin ? el("span", {class: "tab here"}, "Lineage") : navLink(pageUrl(with_(s, {lin: true, page: 1})), {class: "tab", id: "tab-lineage"}, "Lineage")));
  const source = el("div", {class: "card source"});
  view.appendChild(source);
  view.appendChild(filterChips(s));
  setStatus(s.lin ? "Tracing the wording…" : "Finding similar wording…");
  let res, whole;
  try {
    const resP = api(apiUrl("/api/search", s, s.lin ? {lineage: s.like, diff: true} : {like: s.like, diff: true, n: PAGE, offset: (s.page - 1) * PAGE}));
    whole = await api(apiUrl("/api/search", {q: "", f: [docFilter(doc)]}, {sort: "doc", all: true}));
    res = await resP;
  } catch (e) { if (current()) showError(e); return; }
  if (!current()) return;
  setStatus("");
  const src = whole.rows.find(c => c.label === label);
  if (src) source.append(el("div", {class: "meta"}, el("b", null, src.doc), el("span", {class: "label"}, src.label), el("span", {class: "tag"}, src.kind),
                                 src.year ? el("span", null, String(src.year)) : null, el("span", {class: "score"}, "the source")),
                         highlighted(src.text, []));
  const list = el("div", {class: "cards"});
  view.appendChild(el("p", {class: "note"}, s.lin
    ? "Its versions in time order, each with its changes from the one before (struck: left out, underlined: added)."
    : "Most similar first, by shared runs of three words weighted by rarity; struck words are the source's, underlined ones the clause's own."));
  view.appendChild(list);
  if (!res.rows.length) list.appendChild(el("p", null, "No clause is worded like it."));
  for (const h of res.rows) {
    const meta = el("div", {class: "meta"},
      navLink(pageUrl({view: "doc", doc: h.doc, hit: String(h.ordinal)}), {class: "doc"}, h.doc),
      el("span", {class: "label"}, h.label), el("span", {class: "tag kind"}, h.kind || ""),
      h.date || h.year ? el("span", {class: "year"}, h.date || String(h.year)) : null,
      typeof h.similarity === "number" ? el("span", {class: "score", title: "similarity"}, h.similarity.toFixed(2)) : null);
    const card = el("article", {class: "card", tabindex: "0", "data-doc": h.doc, "data-ordinal": h.ordinal}, meta);
    if (h.repeats) card.appendChild(el("div", {class: "title"}, `repeated word for word ${h.repeats} ${plural(h.repeats, "time", "times")}` +
                                       (h.first_repeat ? `, ${h.first_repeat}` + (h.last_repeat && h.last_repeat !== h.first_repeat ? ` to ${h.last_repeat}` : "") : "")));
    card.appendChild(h.diff ? diffed(h.diff) : highlighted(h.text, h.matches_cp));
    card.appendChild(el("div", {class: "foot"}, navLink(pageUrl({view: "like", like: h.doc + ":" + h.label}), {class: "similar"}, "Similar wording")));
    list.appendChild(card);
  }
  if (!s.lin) {
    const pager = el("nav", {class: "pager"});
    const prev = s.page > 1 ? navLink(pageUrl(with_(s, {page: s.page - 1})), {id: "prev"}, "← Previous") : el("span", {class: "off"}, "← Previous");
    const next = res.rows.length === PAGE ? navLink(pageUrl(with_(s, {page: s.page + 1})), {id: "next"}, "Next →") : el("span", {class: "off"}, "Next →");
    pager.append(prev, el("span", {class: "here"}, `page ${s.page}`), next);
    view.appendChild(pager);
  }
}

// -- docs: the documents that match (every document without a query)

async function renderDocs(s, view, current) {
  if (!SORTS.some(k => k[0] === s.sort)) s = with_(s, {sort: "score"});
  setStatus("Loading…");
  const PER = 50;
  let res;
  try {
    res = await api(apiUrl("/api/search", s, {docs: true, n: PER, offset: (s.page - 1) * PER, sort: s.sort}));
  } catch (e) { if (current()) showError(e); return; }
  if (!current()) return;
  setStatus("");
  const head = s.q || s.f.length ? `${num(res.docs)} ${plural(res.docs, "document", "documents")} with matching clauses` : `${num(res.docs)} ${plural(res.docs, "document", "documents")}`;
  view.appendChild(el("div", {class: "summary"}, el("div", {class: "total", id: "total"}, head)));
  const list = el("ul", {class: "doclist"});
  for (const d of res.rows) {
    const url = pageUrl({view: "doc", doc: d.doc, q: s.q, f: s.f});
    list.appendChild(el("li", {tabindex: "0", class: "docrow", "data-doc": d.doc},
      el("div", {class: "meta"}, navLink(url, {class: "doc"}, el("b", null, d.doc || "(no symbol)")),
         d.date || d.year ? el("span", null, d.date || String(d.year)) : null, d.body ? el("span", null, d.body) : null,
         el("span", null, s.q || s.f.length ? `${d.doc_hits} of ${d.clauses} clauses match` : `${d.clauses} clauses`)),
      d.title ? el("div", {class: "t"}, d.title) : null));
  }
  view.appendChild(list);
  const pages = Math.max(1, Math.ceil((res.docs || 0) / PER));
  if (pages > 1) {
    const pager = el("nav", {class: "pager"});
    renderPager(s, pager, res.docs, PER);
    view.appendChild(pager);
  }
}

// -- doc: every clause of one document in reading order, the hits marked

async function renderDoc(s, view, current) {
  if (!s.doc) { view.appendChild(el("p", null, "No document given.")); return; }
  setStatus("Loading the document…");
  const whole = {q: "", f: [docFilter(s.doc)]};
  const searching = s.q || s.f.length;
  let all, hits = null;
  try {
    const allP = api(apiUrl("/api/search", whole, {sort: "doc", all: true}));
    const hitP = searching ? api(apiUrl("/api/search", with_(s, {f: s.f.concat([docFilter(s.doc)])}), {sort: "doc", all: true})) : null;
    all = await allP;
    if (hitP) hits = await hitP.catch(() => null);
  } catch (e) { if (current()) showError(e); return; }
  if (!current()) return;
  setStatus("");
  const rows = all.rows;
  if (!rows.length) { view.appendChild(el("p", null, "No document " + s.doc + " in the index.")); return; }
  const byKey = new Map();
  for (const h of (hits ? hits.rows : [])) byKey.set(h.source + "\u0000" + h.ordinal, h);

  const box = el("article", {class: "docview"});
  const d = rows[0];
  const head = el("header", {class: "dochead"});
  const back = searching ? navLink(pageUrl({q: s.q, f: s.f}), {id: "back"}, "← Back to the results") : navLink("/?view=docs", {id: "back"}, "← All documents");
  head.append(back, el("div", {class: "sym"}, d.doc), el("h1", null, d.title || d.doc));
  const dl = el("dl");
  const fields = [["Date", d.date || d.year], ["Body", d.body], ["Committee", d.committee], ["Session", d.session], ["Agenda item", d.agenda],
                  ["Meeting", d.meeting], ["Country", d.country], ["Vote", d.vote], ["Sponsors", d.sponsors], ["Source", d.source]];
  for (const [k, v] of fields) if (v) dl.append(el("dt", null, k), el("dd", null, String(v)));
  head.appendChild(dl);
  const nh = byKey.size;
  head.appendChild(compareForm(s.doc, ""));
  if (searching) head.appendChild(el("p", {class: "hitnav"}, `${nh} of ${rows.length} clauses match `,
                                     el("code", null, [s.q].concat(s.f).filter(Boolean).join(" ")), nh ? "; j and k move between them." : "."));
  box.appendChild(head);

  // Clauses by source file (two files can carry the same symbol).
  const sources = [...new Set(rows.map(r => r.source))];
  let target = null;
  for (const src of sources) {
    if (sources.length > 1) box.appendChild(el("div", {class: "sourcehead"}, src));
    const ol = el("ol", {class: "clauses"});
    for (const c of rows.filter(r => r.source === src)) {
      const hit = byKey.get(c.source + "\u0000" + c.ordinal);
      const li = el("li", {class: "clause kind-" + (c.kind || "paragraph") + (hit ? " hit" : ""), id: "c" + c.ordinal, tabindex: hit ? "0" : "-1",
                           "data-ordinal": c.ordinal},
                    el("div", {class: "gutter", title: c.kind}, c.label || ""),
                    highlighted(c.text, hit ? hit.matches_cp : null));
      if (String(c.ordinal) === s.hit && (!target)) { li.classList.add("target"); target = li; }
      ol.appendChild(li);
    }
    box.appendChild(ol);
  }
  view.appendChild(box);
  if (target) { target.scrollIntoView({block: "center"}); target.focus({preventScroll: true}); }
}

// -- compare: two documents side by side, as clausal-diff --json gives them

function compareUrl(old, new_) { return pageUrl({view: "compare", doc: old, other: new_}); }

// "Compare with [symbol]": opens the comparison of doc with another.
function compareForm(doc, other) {
  const input = el("input", {type: "text", name: "with", id: "compare-with", value: other, autocomplete: "off", spellcheck: "false",
                             placeholder: "another document, e.g. A/66/359", "aria-label": "The document to compare " + doc + " with"});
  return el("form", {class: "compare-form", id: "compare-form", on: {submit: e => {
    e.preventDefault();
    const w = input.value.trim();
    if (w) go(compareUrl(doc, w));
  }}}, el("label", {for: "compare-with"}, "Compare with "), input, el("button", {type: "submit"}, "Compare"));
}

// One side of a pair: its label(s) and its text, with the diff's ops of
// that side marked (keep: the ops' texts that this side has; mark: the
// tag of the changed ones); no ops: the text as it is.
function side(labels, text, ops, keep, mark) {
  const box = el("div", {class: "side"}, el("div", {class: "label"}, labels.length ? labels.join("+") : "—"));
  if (text === undefined) return box;
  if (!ops) { box.appendChild(el("p", {class: "text"}, text)); return box; }
  const p = el("p", {class: "text diff"});
  for (const o of ops) {
    if (o.op === "equal") p.appendChild(document.createTextNode(o.text));
    else if (o.op === keep) p.appendChild(el(mark, null, o.text));
  }
  box.appendChild(p);
  return box;
}

function citeList(what, list) {
  return list && list.length ? el("div", {class: "cites"}, what + ": ", list.flatMap((c, i) => [i ? ", " : "", el("code", null, c)])) : null;
}

async function renderCompare(s, view, current) {
  if (!s.doc || !s.other) { view.appendChild(el("p", null, "Two documents are needed: doc and with.")); return; }
  const head = el("header", {class: "dochead comparehead"});
  view.appendChild(head);
  head.append(navLink(pageUrl({view: "doc", doc: s.doc}), {id: "back"}, "← " + s.doc),
              el("h1", null, "Comparing ", el("span", {class: "sym", id: "cmp-old"}, s.doc), " with ", el("span", {class: "sym", id: "cmp-new"}, s.other)),
              el("p", {class: "note"}, navLink(compareUrl(s.other, s.doc), {id: "swap"}, "⇄ the other way round"), " · ",
                 el("a", {href: "/api/diff?" + new URLSearchParams({old: s.doc, new: s.other}).toString(), title: "This comparison as the API returns it"}, "API")),
              compareForm(s.doc, s.other));
  setStatus("Comparing…");
  let res;
  try { res = await api("/api/diff?" + new URLSearchParams({old: s.doc, new: s.other}).toString()); }
  catch (e) { if (current()) showError(e); return; }
  if (!current()) return;
  setStatus("");
  const sum = res.rows.find(r => r.summary !== undefined) || {summary: "", cites_added: [], cites_dropped: []};
  const pairs = res.rows.filter(r => r.status !== undefined);
  view.appendChild(el("div", {class: "summary"}, el("div", {class: "total", id: "total"}, sum.summary || "no clauses"),
                      citeList("cited now", sum.cites_added), citeList("cited no more", sum.cites_dropped)));
  view.appendChild(el("p", {class: "note"}, "Clause by clause, in the new document's order: the old text on the left (struck: left out), the new on the right (underlined: added)."));
  const list = el("div", {class: "compare"});
  list.appendChild(el("div", {class: "cmp-head"}, el("div", null, "old: " + s.doc), el("div", null, "new: " + s.other)));
  for (const p of pairs) {
    const quiet = p.status === "unchanged" || p.status === "renumbered";
    const row = el("section", {class: "pair st-" + p.status + (quiet ? " quiet" : ""), tabindex: "0", "data-status": p.status},
      el("div", {class: "pairhead"}, el("span", {class: "tag status"}, p.status),
         typeof p.similarity === "number" && p.old.length && p.new.length ? el("span", {class: "score", title: "similarity"}, p.similarity.toFixed(2)) : null,
         p.lead ? el("span", {class: "leadchange"}, "lead: ", el("del", null, p.lead.old), " → ", el("ins", null, p.lead.new)) : null));
    row.appendChild(el("div", {class: "sides"},
      side(p.old, p.old_text, p.ops, "delete", "del"),
      side(p.new, p.new_text, p.ops, "insert", "ins")));
    const cites = [citeList("cites now", p.cites_added), citeList("cites no more", p.cites_dropped)].filter(Boolean);
    if (cites.length) row.appendChild(el("div", {class: "paircites"}, cites));
    list.appendChild(row);
  }
  view.appendChild(list);
}

// ---- the search box, help and keys -----------------------------------------------

$("#search").addEventListener("submit", e => {
  e.preventDefault();
  const s = readState();
  const q = $("#q").value.trim();
  // A new query keeps the filters and the order; the view goes back to the hits.
  go(pageUrl({q, f: s.f, sort: s.sort, by: s.by, page: 1, view: s.view === "docs" ? "docs" : ""}));
  $("#q").blur();
});

function toggleHelp(show) {
  const h = $("#help");
  h.hidden = show === undefined ? !h.hidden : !show;
  $("#help-btn").setAttribute("aria-expanded", String(!h.hidden));
}
$("#help-btn").addEventListener("click", () => toggleHelp());

// j/k: the next or previous card (or hit, in a document); o/Enter opens it.
function moveFocus(dir) {
  const items = [...document.querySelectorAll(".card, .clause.hit, .docrow, .kwicrow, .pair:not(.quiet)")];
  if (!items.length) return;
  const i = items.indexOf(document.activeElement);
  const next = items[i < 0 ? (dir > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, i + dir))];
  next.focus({preventScroll: true});
  next.scrollIntoView({block: "nearest"});
}

document.addEventListener("keydown", e => {
  const t = e.target;
  const typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable);
  if (e.key === "Escape") {
    if (!$("#help").hidden) toggleHelp(false);
    else if (typing) t.blur();
    return;
  }
  if (typing || e.metaKey || e.ctrlKey || e.altKey) return;
  const key = e.key;
  if (key === "/") { e.preventDefault(); $("#q").focus(); $("#q").select(); }
  else if (key === "?") { e.preventDefault(); toggleHelp(); }
  else if (key === "j") { e.preventDefault(); moveFocus(1); }
  else if (key === "k") { e.preventDefault(); moveFocus(-1); }
  else if (key === "n" || key === "p") {
    const a = $(key === "n" ? "#next" : "#prev");
    if (a) { e.preventDefault(); go(a.getAttribute("href")); }
  } else if (key === "u") {
    const a = $("#back");
    if (a) { e.preventDefault(); go(a.getAttribute("href")); }
  } else if ((key === "o" || key === "Enter") && t && (t.classList.contains("card") || t.classList.contains("docrow") || t.classList.contains("kwicrow"))) {
    const a = t.querySelector("a.doc");
    if (a) { e.preventDefault(); go(a.getAttribute("href")); }
  }
});

render();
