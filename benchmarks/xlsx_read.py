"""Benchmark of reading a large declaration workbook: python-calamine, openpyxl and tokko's reader.

    python benchmarks/xlsx_read.py                  # 100,000 rows, 3 rounds
    python benchmarks/xlsx_read.py --rows 20000 --rounds 1

Two workbooks of ``--rows`` rows × 13 columns are written as Excel writes them (shared strings,
a date style, a ``<dimension>``): 6-digit codes as text (``"013951"``) and some as numbers,
fiscal years as numbers and as text (``令和3年度``), amounts, dates, Japanese text and empty
cells; one with a unique item id per row, one with ids repeated. Each reader runs in a fresh
process, rounds alternating, and reads every row of the sheet to Python values:

* ``floor``: the stdlib inflating every part of the workbook (what any reader must pay);
* ``openpyxl``: ``load_workbook(read_only=True, data_only=True)``, ``iter_rows(values_only=True)``;
* ``calamine``: ``CalamineWorkbook.from_path``, ``get_sheet_by_name``, ``iter_rows`` (when
  python-calamine is installed; tokko does not depend on it);
* ``tokko``: :func:`tokko.io.xlsx.open_workbook` and ``rows()`` (its checks and cell typing).

Figures are medians of the rounds; ratios are against ``floor`` measured in the same run, so a
busy machine slows all alike. CPU seconds (user + system) are given beside wall seconds: on a
machine shared with other work they are the steadier figure. Peak memory is the largest resident
set size (ru_maxrss) of the reading process. Each run prints how many non-empty rows it read, and all must agree. Nothing
here is a test: it prints figures for a closing note.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

SRC = Path(__file__).resolve().parents[1] / "src"

HEADER = [
    "団体コード",
    "年度",
    "項目番号",
    "事業名",
    "区分",
    "対象業務",
    "経費区分",
    "事業費",
    "特定財源",
    "調達方法",
    "契約日",
    "契約番号",
    "契約総額",
]
_WHAT = [
    "AI-OCRによる申請書の読取",
    "RPAによる定型入力の自動化",
    "AI議事録作成システム",
    "AIチャットボットによる問合せ対応",
    "RPAシナリオ作成",
    "AI-OCR帳票設計",
]
_AREAS = ["会計事務", "文書管理", "議事録作成", "問合せ対応", "庶務事務", "財務会計"]
_KINDS = ["導入・構築", "利用料・ライセンス料", "研修", "機器購入"]
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _column(n: int) -> str:
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def generate(path: Path, rows: int, unique: bool, seed: int = 2021) -> None:
    """Write a workbook of ``rows`` declaration rows (plus a header) as Excel lays one out."""
    rng = random.Random(seed)
    strings: dict[str, int] = {}

    def text(value: str) -> tuple[str, str]:
        return "s", str(strings.setdefault(value, len(strings)))

    def row_cells(number: int) -> list[tuple[str, str] | None]:
        code = f"01{rng.randrange(1000, 9999):04d}"
        year = rng.choice([2021, 2022, 2023, 2024])
        amount = rng.randrange(10, 50_000) * 100
        serial = 44197 + (year - 2021) * 365 + rng.randrange(365)  # a date in that year
        item = f"R{year}-{number:06d}" if unique else f"R{year}-{number % 50:03d}"
        return [
            text(code) if rng.random() < 0.8 else ("n", str(int(code))),
            ("n", str(year)) if rng.random() < 0.5 else text(f"令和{year - 2018}年度"),
            text(item),
            text(rng.choice(_WHAT)),
            text(rng.choice(["AI", "RPA", "AI+RPA"])),
            text(rng.choice(_AREAS)),
            text(rng.choice(_KINDS)),
            ("n", str(amount)),
            ("n", str(amount // 2)) if rng.random() < 0.15 else None,
            text("単独"),
            ("d", str(serial)),
            text(f"C{code}-{number:06d}" if unique else f"C{code}"),
            ("n", str(amount * 3)) if rng.random() < 0.1 else None,
        ]

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                f'<dimension ref="A1:M{rows + 1}"/><sheetData>'.encode()
            )
            for number in range(1, rows + 2):
                cells = [text(h) for h in HEADER] if number == 1 else row_cells(number)
                out = [f'<row r="{number}" spans="1:13">']
                for col, cell in enumerate(cells, start=1):
                    if cell is None:
                        continue
                    kind, value = cell
                    ref = f"{_column(col)}{number}"
                    if kind == "s":
                        out.append(f'<c r="{ref}" t="s"><v>{value}</v></c>')
                    elif kind == "d":
                        out.append(f'<c r="{ref}" s="1"><v>{value}</v></c>')
                    else:
                        out.append(f'<c r="{ref}"><v>{value}</v></c>')
                out.append("</row>")
                sheet.write("".join(out).encode())
            sheet.write(b"</sheetData></worksheet>")
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        book.writestr(
            "xl/sharedStrings.xml",
            f'{_HEAD}<sst xmlns="{_MAIN}" count="{len(strings)}"'
            f' uniqueCount="{len(strings)}">{items}</sst>',
        )
        book.writestr(
            "xl/styles.xml",
            f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font>'
            '<sz val="11"/><name val="游ゴシック"/></font></fonts><fills count="1"><fill>'
            '<patternFill patternType="none"/></fill></fills><borders count="1"><border/>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0"'
            ' applyNumberFormat="1"/></cellXfs></styleSheet>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheets><sheet name="申告" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        book.writestr(
            "_rels/.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "[Content_Types].xml",
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{_CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1'
            f'.xml" ContentType="{_CT}.worksheet+xml"/><Override PartName="/xl/styles.xml" '
            f'ContentType="{_CT}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{_CT}.sharedStrings+xml"/></Types>',
        )


# Each reader prints the number of non-empty rows it read (all must agree; the floor reads none).
READERS = {
    "floor": """
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as book:
    for info in book.infolist():
        with book.open(info) as part:
            while part.read(1 << 20):
                pass
""",
    "openpyxl": """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
n = sum(1 for row in book.worksheets[0].iter_rows(values_only=True)
        if any(v is not None for v in row))
book.close()
print(n, end='')
""",
    "calamine": """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
sheet = book.get_sheet_by_name(book.sheet_names[0])
n = sum(1 for row in sheet.iter_rows() if any(v != '' for v in row))
book.close()
print(n, end='')
""",
    "tokko": """
import sys
from pathlib import Path
from tokko.io.xlsx import open_workbook
with open_workbook(Path(sys.argv[1]), 'bench.xlsx') as book:
    n = sum(1 for _ in book.rows())
print(n, end='')
""",
}

# Runs one reader in a child and reports its wall time, CPU time, peak memory and what it printed.
# (A small process in between: Linux counts the memory of the process that starts a child in the
# child's ru_maxrss, and the generator has grown by then.)
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kib": usage.ru_maxrss, "exit": done.returncode, "out": done.stdout}))
"""


def _measure(reader: str, path: Path) -> dict[str, float | str]:
    env_path = f"PYTHONPATH={SRC}"
    command = [
        sys.executable,
        "-c",
        MEASURE,
        "env",
        env_path,
        sys.executable,
        "-c",
        READERS[reader],
        str(path),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, float | str] = json.loads(out)
    if result["exit"] != 0:
        raise SystemExit(f"{reader} failed ({result['exit']}) on {path}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", nargs="+", default=list(READERS))
    args = parser.parse_args()
    if "calamine" in args.readers and importlib.util.find_spec("python_calamine") is None:
        print("python-calamine is not installed (pip install python-calamine): left out")
        args.readers.remove("calamine")
    with tempfile.TemporaryDirectory() as folder:
        for unique in (True, False):
            path = Path(folder) / f"declaration-{'unique' if unique else 'repeated'}.xlsx"
            generate(path, args.rows, unique)
            runs: dict[str, list[dict[str, float | str]]] = {r: [] for r in args.readers}
            for _ in range(args.rounds):
                for reader in args.readers:
                    runs[reader].append(_measure(reader, path))
            counts = {r: {str(x["out"]) for x in v} for r, v in runs.items() if r != "floor"}
            if len(set().union(*counts.values())) != 1:
                raise SystemExit(f"the readers disagree on the number of rows: {counts}")
            seconds = {
                r: statistics.median(float(x["seconds"]) for x in v) for r, v in runs.items()
            }
            cpu = {r: statistics.median(float(x["cpu"]) for x in v) for r, v in runs.items()}
            peaks = {
                r: statistics.median(float(x["peak_kib"]) for x in v) / 1024
                for r, v in runs.items()
            }
            base = seconds.get("floor") or 1.0
            cpu_base = cpu.get("floor") or 1.0
            line: dict[str, object] = {
                "ids": "unique" if unique else "repeated",
                "rows": args.rows,
                "bytes": path.stat().st_size,
            }
            for reader in args.readers:
                line[f"{reader}_s"] = round(seconds[reader], 3)
                line[f"{reader}_ratio"] = round(seconds[reader] / base, 2)
                line[f"{reader}_cpu_s"] = round(cpu[reader], 3)
                line[f"{reader}_cpu_ratio"] = round(cpu[reader] / cpu_base, 2)
                line[f"{reader}_peak_mib"] = round(peaks[reader], 1)
            print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
