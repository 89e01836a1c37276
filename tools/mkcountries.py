#!/usr/bin/env python3
"""Make core/countries.h: ISO 3166 alpha-3 codes and the names the UN
writes countries by, from Debian's iso-codes (iso_3166-1.json and the
withdrawn codes of iso_3166-3.json).

    python3 tools/mkcountries.py > core/countries.h

Each code gets its ISO name, official and common names, and the UN's
forms of inverted names: "Bolivia, Plurinational State of" is also
"Bolivia (Plurinational State of)" and "Plurinational State of Bolivia";
a few former names the UN used (EXTRA) are added by hand.
"""
import json

ISO = "/usr/share/iso-codes/json/"
EXTRA = {
    "TUR": ["Turkey"], "CZE": ["Czech Republic"], "SWZ": ["Swaziland"], "CPV": ["Cape Verde"],
    "MKD": ["The former Yugoslav Republic of Macedonia", "North Macedonia"],
    "GBR": ["United Kingdom of Great Britain and Northern Ireland"],
    "USA": ["United States of America"], "LAO": ["Lao People's Democratic Republic"],
    "SYR": ["Syrian Arab Republic"], "FSM": ["Micronesia"], "VAT": ["Holy See"],
    "PSE": ["State of Palestine", "Palestine"], "CIV": ["Cote d'Ivoire"],
}


def variants(name):
    out = [name]
    if ", " in name:
        a, b = name.split(", ", 1)
        out.append("%s (%s)" % (a, b))
        inv = "%s %s" % (b, a)
        out.append(inv)
        if inv.lower().startswith("the "):
            out.append(inv[4:])
    return out


def main():
    rows = {}
    for c in json.load(open(ISO + "iso_3166-1.json"))["3166-1"]:
        names = []
        for k in ("name", "official_name", "common_name"):
            if k in c:
                names += variants(c[k])
        rows[c["alpha_3"]] = names
    for c in json.load(open(ISO + "iso_3166-3.json"))["3166-3"]:
        if c.get("alpha_3") and c["alpha_3"] not in rows:
            rows[c["alpha_3"]] = variants(c["name"])
    for k, v in EXTRA.items():
        rows.setdefault(k, []).extend(v)
    print("/* countries.h - ISO 3166 alpha-3 codes and country names, made by")
    print(" * tools/mkcountries.py from Debian's iso-codes; do not edit.  Each")
    print(" * row: the code, then its names, NUL-separated, ending in an empty one. */")
    print("static const char *const cy_table[][2] = {")
    for code in sorted(rows):
        seen, names = set(), []
        for n in rows[code]:
            if n.lower() not in seen:
                seen.add(n.lower())
                names.append(n)
        body = "".join(n.replace("\\", "\\\\").replace('"', '\\"') + "\\0" for n in names)
        print('    {"%s", "%s"},' % (code, body))
    print("};")


main()
