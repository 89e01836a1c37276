#!/usr/bin/env python3
"""tests/web/shots.py - the README's screenshots, from a running server.

    shots.py URL DIR [NAME...]      (NAME: only those, e.g. compare.png)

The views are those of docs/screenshots/, made over the GA 80th session,
Security Council and ICT resolutions of the shared corpus:
    clausal-index -d /tmp/un.db ../shared/corpus/un/{ict,ga-res-80,sc-res-gold}
    clausal-serve -d /tmp/un.db -l 127.0.0.1:0
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

URL, DIR = sys.argv[1].rstrip("/"), sys.argv[2]
VIEWS = [
    ("search.png", "/?q=%22terrorist+acts%22+OR+terrorism&f=kind%3Aoperative", 1366, 900),
    ("document.png", "/?view=doc&doc=A%2FC.1%2F67%2FL.30&q=%22information+security%22", 1366, 1000),
    ("phone.png", "/?q=%22information+security%22", 390, 844),
    ("concordance.png", "/?view=kwic&q=terrorism&sort=right", 1366, 760),
    ("similar.png", "/?view=like&like=A%2FRES%2F80%2F41%3APP6", 1366, 760),
    ("compare.png", "/?view=compare&doc=S%2FRES%2F383&with=S%2FRES%2F391", 1366, 900),
]
for name, path, w, h in VIEWS:
    if sys.argv[3:] and name not in sys.argv[3:]:
        continue
    o = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={w},{h}"]:
        o.add_argument(a)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    try:
        d.get(URL + path)
        time.sleep(1.5)
        d.save_screenshot(os.path.join(DIR, name))
    finally:
        d.quit()
