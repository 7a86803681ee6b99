"""Build eduplan/plan/data/places.tsv: China's administrative divisions, one per line.

    pip download cpca==0.5.5 --no-deps -d /tmp/cpca && unzip -o /tmp/cpca/*.whl -d /tmp/cpca
    python scripts/build_places.py /tmp/cpca/cpca/resources/adcodes.csv

The source is the adcode table shipped with cpca (MIT licence; the codes and names are the
national statistics bureau's). Each output line is "level<TAB>name": 1 province, 2 prefecture,
3 county. The parser uses it to recognise a plan's region where the title names none.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "eduplan" / "plan" / "data" / "places.tsv"


def level(adcode: str) -> int:
    code = adcode[:6]
    if code.endswith("0000"):
        return 1
    if code.endswith("00"):
        return 2
    return 3


def main(source: str) -> None:
    rows = set()
    with open(source, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["name"].strip()
            if name and name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                rows.add((level(row["adcode"]), name))
    lines = [f"{lv}\t{name}" for lv, name in sorted(rows)]
    header = "# China's administrative divisions (level: 1 province, 2 prefecture, 3 county); from cpca's adcodes.csv (MIT)\n"
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} places written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
