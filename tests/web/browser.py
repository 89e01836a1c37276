#!/usr/bin/env python3
"""tests/web/browser.py - the page in headless Chromium, driven through
Selenium as a user would drive it.

    browser.py BIN DB URL [SHOTS_DIR]

BIN holds the programs, DB the index the server at URL serves (data/ and
tests/web/hostile.jsonl).  With SHOTS_DIR, screenshots of the main views
are saved there.  Ends with "browser: N passed, M failed".
"""
import json
import os
import subprocess
import sys
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

BIN, DB, URL = sys.argv[1:4]
SHOTS = sys.argv[4] if len(sys.argv) > 4 else None
URL = URL.rstrip("/")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}"[:1500])


def cli(*args):
    p = subprocess.run([os.path.join(BIN, "clausal-search"), "-d", DB, "--json", "--summary=never"] + list(args),
                       capture_output=True, text=True)
    return p.returncode, [json.loads(l) for l in p.stdout.splitlines() if l.strip()], p.stderr


def driver(width, height):
    o = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-extensions", "--no-first-run", f"--window-size={width},{height}"]:
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chromedriver = "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else "chromedriver"
    return webdriver.Chrome(service=Service(chromedriver), options=o)


d = driver(1366, 900)
wait = WebDriverWait(d, 20, poll_frequency=0.05)


def cards():
    return d.find_elements(By.CSS_SELECTOR, ".card")


def card_keys():
    return [(c.get_attribute("data-doc"), c.find_element(By.CSS_SELECTOR, ".label").text) for c in cards()]


def settled():
    """Wait until the hits, the timeline and every facet have come."""
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "#total, .error"))
    if d.find_elements(By.CSS_SELECTOR, ".error"):
        return
    try:
        wait.until(lambda _: d.execute_script(
            "return document.querySelectorAll('.facet ul').length === 7 && "
            "(document.querySelector('.timeline svg') !== null || "
            " document.querySelector('#total').textContent.startsWith('No'))"))
    except TimeoutException:
        pass


def search(q):
    box = d.find_element(By.ID, "q")
    box.clear()
    box.send_keys(q)
    box.send_keys(Keys.ENTER)
    wait.until(lambda _: urllib.parse.parse_qs(urllib.parse.urlparse(d.current_url).query).get("q") == [q])
    settled()


def clear_chips():
    while d.find_elements(By.CSS_SELECTOR, ".chip button"):
        n = len(d.find_elements(By.CSS_SELECTOR, ".chip button"))
        d.find_elements(By.CSS_SELECTOR, ".chip button")[0].click()
        wait.until(lambda _: len(d.find_elements(By.CSS_SELECTOR, ".chip button")) < n)
        settled()


def shot(name):
    if SHOTS:
        d.save_screenshot(os.path.join(SHOTS, name))


try:
    # ---- the home page, then a query typed into the box -----------------
    d.get(URL + "/")
    wait.until(lambda _: "clauses in" in d.find_element(By.CSS_SELECTOR, ".stats").text)
    _, alldocs, _ = cli("--docs", "--all")
    size = f"{sum(x['clauses'] for x in alldocs):,} clauses in {len(alldocs):,} documents"
    check("home page shows the index's size", size in d.find_element(By.CSS_SELECTOR, ".stats").text,
          d.find_element(By.CSS_SELECTOR, ".stats").text + " vs " + size)
    shot("home.png")

    # "/" puts the cursor in the box
    d.find_element(By.TAG_NAME, "body").send_keys("/")
    check("the / key focuses the query box", d.switch_to.active_element.get_attribute("id") == "q")

    q = '"information security"'
    search(q)
    rc, want, _ = cli("-n", "20", "--", q)
    check("typed query: the hits of clausal-search, in order",
          card_keys() == [(h["doc"], h["label"]) for h in want], f"{card_keys()} vs {[(h['doc'], h['label']) for h in want]}")
    marks = d.find_elements(By.CSS_SELECTOR, ".card mark")
    check("matches are highlighted", marks and all(m.text.lower() == "information security" for m in marks),
          [m.text for m in marks][:5])
    _, cnt, _ = cli("--count", "--", q)
    total = d.find_element(By.ID, "total").text
    check("the total is the count", total.startswith(f"{cnt[0]['clauses']} clauses in {cnt[0]['documents']} doc"), total)

    # ---- the timeline: one bar per year ----------------------------------
    _, tl, _ = cli("--timeline", "--", q)
    bars = d.find_elements(By.CSS_SELECTOR, ".timeline .bar")
    check("the timeline has a bar per year", sorted(int(b.get_attribute("data-year")) for b in bars) ==
          [r["year"] for r in tl if r["year"] is not None], [b.get_attribute("data-year") for b in bars])
    check("each bar says its count", all(int(b.get_attribute("data-clauses")) ==
                                          next(r["clauses"] for r in tl if r["year"] == int(b.get_attribute("data-year")))
                                          for b in bars))
    shot("search.png")

    # ---- a facet narrows the hits ---------------------------------------------
    before = d.find_element(By.ID, "total").text
    btn = d.find_element(By.CSS_SELECTOR, '.facet[data-facet="kind"] button[data-filter="kind:subparagraph"]')
    btn.click()
    wait.until(lambda _: "kind%3Asubparagraph" in d.current_url or "kind:subparagraph" in urllib.parse.unquote(d.current_url))
    settled()
    _, cnt2, _ = cli("--count", "--", f"({q}) kind:subparagraph")
    after = d.find_element(By.ID, "total").text
    check("clicking a facet narrows the hits", after.startswith(f"{cnt2[0]['clauses']} clause") and after != before,
          f"{before} -> {after}")
    check("every card is of the facet's value", cards() and all(
        c.find_element(By.CSS_SELECTOR, ".kind").text == "subparagraph" for c in cards()))
    check("the filter shows as a chip", "kind:subparagraph" in d.find_element(By.CSS_SELECTOR, ".chips").text)

    # a bar of the timeline filters by its year
    year = d.find_elements(By.CSS_SELECTOR, ".timeline .bar")[0].get_attribute("data-year")
    d.find_elements(By.CSS_SELECTOR, ".timeline .bar")[0].click()
    wait.until(lambda _: f"year:{year}" in urllib.parse.unquote_plus(d.current_url))
    settled()
    _, cnt3, _ = cli("--count", "--", f"({q}) kind:subparagraph year:{year}")
    check("clicking a bar keeps its year", d.find_element(By.ID, "total").text.startswith(f"{cnt3[0]['clauses']} clause"),
          d.find_element(By.ID, "total").text)

    # ---- a permalink reproduces the page ----------------------------------------
    # sort and page too: a second page of a broad query, by date
    clear_chips()
    check("removing the chips removes the filters", "f=" not in d.current_url, d.current_url)
    search("security OR peace")
    d.find_element(By.CSS_SELECTOR, "#sort option[value='date']").click()
    wait.until(lambda _: "sort=date" in d.current_url)
    settled()
    d.find_element(By.ID, "next").click()
    wait.until(lambda _: "page=2" in d.current_url)
    settled()
    link = d.current_url
    state = (d.find_element(By.ID, "total").text, card_keys(), d.find_element(By.ID, "q").get_attribute("value"))
    kinds = d.find_element(By.CSS_SELECTOR, '.facet[data-facet="kind"]').text
    d2 = d  # a fresh load of the link (a new browser costs seconds)
    d2.get("about:blank")
    if True:
        d2.get(link)
        WebDriverWait(d2, 20, poll_frequency=0.05).until(lambda _: d2.find_elements(By.CSS_SELECTOR, ".card"))
        WebDriverWait(d2, 20, poll_frequency=0.05).until(lambda _: len(d2.find_elements(By.CSS_SELECTOR, ".facet ul")) == 7)
        state2 = (d2.find_element(By.ID, "total").text,
                  [(c.get_attribute("data-doc"), c.find_element(By.CSS_SELECTOR, ".label").text)
                   for c in d2.find_elements(By.CSS_SELECTOR, ".card")],
                  d2.find_element(By.ID, "q").get_attribute("value"))
        check("a permalink opened in a new browser shows the same page", state == state2, f"{state} vs {state2}")
        check("... with the same facets", kinds == d2.find_element(By.CSS_SELECTOR, '.facet[data-facet="kind"]').text)
    _, want, _ = cli("-n", "20", "--offset", "20", "--sort", "date", "--", "security OR peace")
    check("the second page by date is clausal-search's", state[1] == [(h["doc"], h["label"]) for h in want],
          f"{state[1]} vs {[(h['doc'], h['label']) for h in want]}")
    d.find_element(By.ID, "prev").click()
    wait.until(lambda _: "page=2" not in d.current_url)
    settled()
    d.back()
    wait.until(lambda _: "page=2" in d.current_url)
    settled()
    check("Back goes to the previous state", card_keys() == state[1])
    d.forward()
    wait.until(lambda _: "page=2" not in d.current_url)
    settled()
    check("Forward again", "page=2" not in d.current_url and cards())

    # ---- export gives every hit ---------------------------------------------------
    search("security")  # a new query keeps the order chosen before: by date
    check("a new query keeps the sort order", "sort=date" in d.current_url, d.current_url)
    _, allhits, _ = cli("--all", "--sort", "date", "--", "security")
    for sel, kind in [("#export-csv", "csv"), ("#export-jsonl", "jsonl")]:
        href = d.find_element(By.CSS_SELECTOR, sel).get_attribute("href")
        body = d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e));", href)
        if kind == "jsonl":
            got = [json.loads(l) for l in body.splitlines() if l.strip()]
            check("the JSON Lines export has every hit", got == allhits, f"{len(got)} vs {len(allhits)}")
        else:
            import csv
            import io
            rows = list(csv.DictReader(io.StringIO(body, newline="")))
            check("the CSV export has every hit", [(r["doc"], r["label"]) for r in rows] ==
                  [(h["doc"], h["label"]) for h in allhits], f"{len(rows)} vs {len(allhits)}")

    # ---- an injected <script> clause does not run ------------------------------------
    search("zanzibar")
    texts = [c.find_element(By.CSS_SELECTOR, ".text").text for c in cards()]
    check("a <script> clause shows as text", any("<script>window.__pwned=1</script>" in t for t in texts), texts)
    check("an <img onerror> clause shows as text", any('<img src=x onerror="window.__pwned=2">' in t for t in texts), texts)
    check("markup after a match shows as text", any('<b>bold</b> &amp; an entity' in t for t in texts), texts)
    check("the document title is text too", any("<b>document</b>" in c.text for c in cards()))
    time.sleep(0.3)
    check("no injected script ran", d.execute_script("return window.__pwned === undefined"))
    check("no element came from the index", not d.find_elements(By.CSS_SELECTOR, ".card script, .card img, .card b"))
    # the query itself is hostile too
    search('"<script>window.__pwned=3</script>"')
    check("a hostile query does not run", d.execute_script("return window.__pwned === undefined"))
    check("... and is kept as typed", d.find_element(By.ID, "q").get_attribute("value") == '"<script>window.__pwned=3</script>"')

    # ---- a malformed query shows the caret message ------------------------------------
    bad = '(cyber OR "information security'
    search(bad)
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "#status .error"))
    rc, _, err = cli("--", bad)
    shown = d.find_element(By.CSS_SELECTOR, "#status .error").get_attribute("textContent")
    check("a malformed query shows clausal-search's caret message", shown == err.replace("clausal-search: ", "", 1),
          f"{shown!r} vs {err!r}")
    shot("error.png")

    # ---- keyboard: j/k between cards, o opens the document, u comes back -------------------
    search('"information security"')
    body = d.find_element(By.TAG_NAME, "body")
    d.execute_script("document.activeElement.blur()")
    body.send_keys("j")
    first = d.switch_to.active_element
    check("j focuses the first card", "card" in (first.get_attribute("class") or ""))
    d.switch_to.active_element.send_keys("j")
    second = d.switch_to.active_element
    check("j again, the second", second.get_attribute("data-ordinal") != first.get_attribute("data-ordinal") or
          second.get_attribute("data-doc") != first.get_attribute("data-doc"))
    d.switch_to.active_element.send_keys("k")
    check("k goes back", d.switch_to.active_element == first)
    doc = first.get_attribute("data-doc")
    ordinal = first.get_attribute("data-ordinal")
    d.switch_to.active_element.send_keys("o")
    wait.until(lambda _: "view=doc" in d.current_url)
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, ".clause"))
    # ---- the document view ---------------------------------------------------------------
    _, whole, _ = cli("--all", "--sort", "doc", "--", f'doc:"{doc}"')
    clauses = d.find_elements(By.CSS_SELECTOR, ".clause")
    check("the document view shows every clause in reading order",
          [c.find_element(By.CSS_SELECTOR, ".gutter").text for c in clauses] == [h["label"] for h in whole],
          f"{len(clauses)} vs {len(whole)}")
    target = d.find_elements(By.CSS_SELECTOR, ".clause.target")
    check("the hit is marked in its context", target and target[0].get_attribute("data-ordinal") == ordinal)
    _, hits_in_doc, _ = cli("--all", "--", f'("information security") doc:"{doc}"')
    check("every hit of the query is marked in the document",
          len(d.find_elements(By.CSS_SELECTOR, ".clause.hit")) == len(hits_in_doc))
    shot("document.png")
    d.find_element(By.TAG_NAME, "body").send_keys("u")
    wait.until(lambda _: "view=doc" not in d.current_url)
    settled()
    check("u goes back to the results", cards())

    # ---- the concordance, the forms, the collocates ----------------------------------------
    d.find_element(By.ID, "tab-kwic").click()
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, ".kwicrow") or d.find_elements(By.CSS_SELECTOR, ".error"))
    _, kw, _ = cli("--kwic", "-n", "50", "--", '"information security"')
    rows = d.find_elements(By.CSS_SELECTOR, ".kwicrow")
    check("the concordance is clausal-search --kwic", [(r.find_element(By.CSS_SELECTOR, ".left").get_attribute("textContent"),
                                                         r.find_element(By.CSS_SELECTOR, ".match").text,
                                                         r.find_element(By.CSS_SELECTOR, ".right").get_attribute("textContent")) for r in rows] ==
          [(k["left"], k["match"], k["right"]) for k in kw], f"{len(rows)} vs {len(kw)}")
    d.find_element(By.CSS_SELECTOR, "#kwic-sort option[value='right']").click()
    wait.until(lambda _: "sort=right" in d.current_url)
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, ".kwicrow"))
    _, kw, _ = cli("--kwic", "-n", "50", "--sort", "right", "--", '"information security"')
    check("sorted by the right context", [r.find_element(By.CSS_SELECTOR, ".right").get_attribute("textContent")
                                          for r in d.find_elements(By.CSS_SELECTOR, ".kwicrow")] == [k["right"] for k in kw])
    d.find_element(By.ID, "tab-forms").click()
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "table.data tbody tr"))
    _, forms, _ = cli("--forms", "-n", "200", "--", '"information security"')
    check("the forms are clausal-search --forms", [r.find_element(By.CSS_SELECTOR, "td").text
                                                   for r in d.find_elements(By.CSS_SELECTOR, "table.data tbody tr")] == [f["form"] for f in forms])
    d.find_element(By.ID, "tab-colloc").click()
    wait.until(lambda _: "view=colloc" in d.current_url)
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "table.data") or d.find_elements(By.CSS_SELECTOR, ".error"))
    _, co, _ = cli("--collocates", "-n", "50", "--", '"information security"')
    check("the collocates are clausal-search --collocates", [r.find_element(By.CSS_SELECTOR, "td").text
                                                             for r in d.find_elements(By.CSS_SELECTOR, "table.data tbody tr")] == [c["word"] for c in co])
    d.find_element(By.ID, "tab-hits").click()
    wait.until(lambda _: "view=" not in d.current_url)
    settled()
    check("the Clauses tab comes back to the cards", cards())

    # ---- similar wording, and the lineage, from a card ------------------------------------
    card = cards()[0]
    src = f"{card.get_attribute('data-doc')}:{card.find_element(By.CSS_SELECTOR, '.label').text}"
    card.find_element(By.CSS_SELECTOR, "a.similar").click()
    wait.until(lambda _: "view=like" in d.current_url)
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, ".cards .card, .cards p") or d.find_elements(By.CSS_SELECTOR, ".error"))
    _, like, _ = cli("--like", src, "--diff", "-n", "20")
    like_keys = lambda: [(c.get_attribute("data-doc"), c.find_element(By.CSS_SELECTOR, ".label").text)
                         for c in d.find_elements(By.CSS_SELECTOR, ".cards .card")]
    check("similar wording is clausal-search --like", like_keys() == [(h["doc"], h["label"]) for h in like],
          f"{like_keys()} vs {[(h['doc'], h['label']) for h in like]}")
    check("the source is shown", src.split(":")[0] in d.find_element(By.CSS_SELECTOR, ".card.source").text)
    d.find_element(By.ID, "tab-lineage").click()
    wait.until(lambda _: "lin=1" in d.current_url)
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, ".cards .card, .cards p") or d.find_elements(By.CSS_SELECTOR, ".error"))
    _, lin, _ = cli("--lineage", src, "--diff")
    check("the lineage is clausal-search --lineage", like_keys() == [(h["doc"], h["label"]) for h in lin],
          f"{like_keys()} vs {[(h['doc'], h['label']) for h in lin]}")
    d.back()
    d.back()
    wait.until(lambda _: "view=like" not in d.current_url)
    settled()

    # ---- two documents side by side ----------------------------------------------------
    def diff_cli(*args):
        p = subprocess.run([os.path.join(BIN, "clausal-diff"), "-d", DB, "--json"] + list(args), capture_output=True, text=True)
        return [json.loads(l) for l in p.stdout.splitlines() if l.strip()], p.stderr

    def compared():
        wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "#total, .error"))
        return [(p.get_attribute("data-status"),
                 tuple(x.text for x in p.find_elements(By.CSS_SELECTOR, ".side .label")))
                for p in d.find_elements(By.CSS_SELECTOR, ".pair")]

    def want_pairs(rows):
        return [(r["status"], ("+".join(r["old"]) or "—", "+".join(r["new"]) or "—")) for r in rows if "status" in r]

    d.get(URL + "/?view=doc&doc=A%2F66%2F359")
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, ".clause"))
    box = d.find_element(By.ID, "compare-with")
    box.send_keys("A/C.1/67/L.30")
    box.send_keys(Keys.ENTER)
    wait.until(lambda _: "view=compare" in d.current_url)
    got = compared()
    rows, _ = diff_cli("A/66/359", "A/C.1/67/L.30")
    check("compare: reached from the document, with the other's symbol",
          urllib.parse.parse_qs(urllib.parse.urlparse(d.current_url).query) ==
          {"view": ["compare"], "doc": ["A/66/359"], "with": ["A/C.1/67/L.30"]}, d.current_url)
    check("compare: every pair, its status and labels, as clausal-diff gives them", got == want_pairs(rows),
          f"\n{got[:6]}\n{want_pairs(rows)[:6]}")
    summ = rows[-1]
    check("compare: the summary line", d.find_element(By.ID, "total").text == summ["summary"],
          d.find_element(By.ID, "total").text)
    cites = d.find_element(By.CSS_SELECTOR, ".summary").text
    check("compare: the citations added and dropped", all(c in cites for c in summ["cites_added"] + summ["cites_dropped"])
          and summ["cites_added"] and summ["cites_dropped"], cites)
    dels = [x.text for x in d.find_elements(By.CSS_SELECTOR, ".side del")]
    inss = [x.text for x in d.find_elements(By.CSS_SELECTOR, ".side ins")]
    wdel = [o["text"].strip() for r in rows if "ops" in r for o in r["ops"] if o["op"] == "delete"]
    wins = [o["text"].strip() for r in rows if "ops" in r for o in r["ops"] if o["op"] == "insert"]
    check("compare: deletions struck on the old side, insertions underlined on the new", dels == wdel and inss == wins and wdel,
          f"{dels[:5]} {wdel[:5]} / {inss[:5]} {wins[:5]}")
    leads = [x.text for x in d.find_elements(By.CSS_SELECTOR, ".leadchange")]
    wleads = [f"lead: {r['lead']['old']} → {r['lead']['new']}" for r in rows if "lead" in r]
    check("compare: lead changes", leads == wleads and wleads, f"{leads} {wleads}")
    sides = d.execute_script("const s = document.querySelector('.pair .sides'); return s ? getComputedStyle(s).gridTemplateColumns : ''")
    check("compare: old and new side by side", len(sides.split()) == 2, sides)
    shot("compare.png")
    permalink = d.current_url
    d.get(URL + "/")
    d.get(permalink)
    check("compare: the permalink reproduces it", compared() == got)
    d.find_element(By.ID, "swap").click()
    wait.until(lambda _: "doc=A%2FC.1%2F67%2FL.30" in d.current_url)
    rows2, _ = diff_cli("A/C.1/67/L.30", "A/66/359")
    check("compare: the other way round", compared() == want_pairs(rows2))
    d.back()
    wait.until(lambda _: "doc=A%2F66%2F359" in d.current_url)
    check("compare: Back returns to it", compared() == got)
    # hostile clauses on both sides, in the word diff too
    d.get(URL + "/?view=compare&doc=X%2FHOSTILE%2F1&with=X%2FHOSTILE%2F2")
    got = compared()
    rows, _ = diff_cli("X/HOSTILE/1", "X/HOSTILE/2")
    check("compare hostile: the pairs", got == want_pairs(rows) and {"edited", "new", "deleted"} <= {g[0] for g in got}, got)
    text = d.find_element(By.CSS_SELECTOR, ".compare").text
    check("compare hostile: markup shows as text",
          all(t in text for t in ["<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=5">',
                                  '<svg onload="window.__pwned=6">', '<img src=x onerror="window.__pwned=2">']), text[:400])
    check("compare hostile: an inserted tag is marked as text",
          any("onerror" in x.text for x in d.find_elements(By.CSS_SELECTOR, ".side ins")))
    time.sleep(0.3)
    check("compare hostile: nothing ran", d.execute_script("return window.__pwned === undefined"))
    check("compare hostile: no element came from the index",
          not d.find_elements(By.CSS_SELECTOR, ".compare script, .compare img, .compare svg, .compare b"))
    # a name not in the index: clausal-diff's message
    d.get(URL + "/?view=compare&doc=NO%2FSUCH%2FDOC&with=A%2F66%2F359")
    compared()
    _, err = diff_cli("NO/SUCH/DOC", "A/66/359")
    errs = d.find_elements(By.CSS_SELECTOR, ".error")
    check("compare: a name not in the index shows clausal-diff's message",
          errs and errs[0].text == err.strip().replace("clausal-diff: ", "", 1), f"{[e.text for e in errs]} {err}")

    # ---- the documents list ----------------------------------------------------------
    d.find_element(By.LINK_TEXT, "Documents").click()
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, ".docrow"))
    _, docs, _ = cli("--docs", "-n", "50")
    check("the documents list is clausal-search --docs",
          [r.get_attribute("data-doc") for r in d.find_elements(By.CSS_SELECTOR, ".docrow")] == [x["doc"] for x in docs])

    # ---- help, and no errors in the console ---------------------------------------------
    d.find_element(By.TAG_NAME, "body").send_keys("?")
    check("? shows the help", d.find_element(By.ID, "help").is_displayed())
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    check("Esc hides it", not d.find_element(By.ID, "help").is_displayed())
    logs = [l for l in d.get_log("browser") if l["level"] == "SEVERE" and "favicon" not in l["message"]
            and "400 (Bad Request)" not in l["message"] and "404 (Not Found)" not in l["message"]]
    check("no errors in the browser's console", not logs, str(logs[:3]))

    # ---- a phone ---------------------------------------------------------------------------
    d.set_window_size(390, 844)
    d.get(URL + "/?q=security&f=body%3A%22General%20Assembly%22")
    settled()
    width = d.execute_script("return document.documentElement.scrollWidth")
    inner = d.execute_script("return window.innerWidth")
    check("on a phone nothing is wider than the screen", width <= inner, f"{width} > {inner}")
    check("on a phone the facets are folded", not d.find_element(By.CSS_SELECTOR, "details.facets").get_attribute("open"))
    shot("phone.png")
    d.get(URL + "/?view=compare&doc=A%2F66%2F359&with=A%2FC.1%2F67%2FL.30")
    compared()
    width = d.execute_script("return document.documentElement.scrollWidth")
    check("on a phone the comparison is no wider than the screen", width <= inner, f"{width} > {inner}")
finally:
    d.quit()

print(f"browser: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
