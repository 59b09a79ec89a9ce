"""Column names: the canonical English field names and the Japanese headers officers use.

Input headers are matched after folding (NFKC, case, blanks); a unit in brackets after a header
(``事業費（円）``, ``amount (千円)``) is read as the header plus its unit.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tokko.text import fold


class Column(NamedTuple):
    """A field of the SPEC §3 tables: canonical name, Japanese header and other accepted headers."""

    name: str
    ja: str
    en: str
    aliases: tuple[str, ...] = ()


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("entity_code", "団体コード", "local government code", ("団体番号", "地方公共団体コード")),
    Column("fiscal_year", "年度", "fiscal year", ("会計年度",)),
    Column("item_id", "項目番号", "item number", ("番号", "項番", "item")),
    Column("description", "事業名", "description", ("事業の名称", "内容")),
    Column("technology", "区分", "technology", ("技術区分", "技術")),
    Column("business_area", "対象業務", "business area", ("業務", "対象事務")),
    Column("expense_kind", "経費区分", "expense kind", ("経費の区分", "経費種別")),
    Column("amount", "事業費", "amount", ("金額", "経費", "対象経費")),
    Column("specific_revenue", "特定財源", "specific revenue", ("特定財源額",)),
    Column("procurement", "調達方法", "procurement", ("調達区分",)),
    Column("agreement_id", "協定番号", "agreement number", ("協定id",)),
    Column("contract_id", "契約番号", "contract number", ("契約id",)),
    Column("contract_total", "契約総額", "contract total", ("契約金額",)),
)
AGREEMENT_COLUMNS: tuple[Column, ...] = (
    Column("agreement_id", "協定番号", "agreement number", ("協定id",)),
    Column("title", "協定名", "title", ("名称",)),
    Column("concluded_on", "締結日", "date concluded", ("協定締結日",)),
    Column("parties", "構成団体", "parties", ("構成団体コード", "参加団体")),
)
#: Amount columns: the ones ``--unit thousand`` multiplies by 1,000.
AMOUNT_COLUMNS = frozenset({"amount", "specific_revenue", "contract_total"})

_LABELS = {c.name: c for c in (*ITEM_COLUMNS, *AGREEMENT_COLUMNS)}
_UNIT = re.compile(r"^(?P<name>.*?)\s*[(\[]\s*(?P<unit>千円|円|yen|thousand yen|千)\s*[)\]]$", re.I)


def _fold_header(text: str) -> str:
    return re.sub(r"[\s_・]+", "", fold(text)).casefold()


def label(name: str, lang: str = "ja") -> str:
    """The header of a canonical field in ``lang``: ``label("amount")`` → ``"事業費"``."""
    column = _LABELS.get(name)
    if column is None:
        return name
    return column.ja if lang == "ja" else column.en


class Header(NamedTuple):
    """One input header as read: the canonical field it names (or None) and a stated unit."""

    text: str
    field: str | None
    unit: int | None  # 1 for 円, 1000 for 千円, None when the header states none


def read_header(text: str, columns: tuple[Column, ...] = ITEM_COLUMNS) -> Header:
    """Match one header against the columns; English, Japanese and aliases all accepted."""
    raw = fold(text)
    unit: int | None = None
    if (match := _UNIT.match(raw)) is not None:
        raw = match.group("name")
        unit = 1000 if match.group("unit").lower() in ("千円", "千", "thousand yen") else 1
    key = _fold_header(raw)
    for column in columns:
        names = (column.name, column.ja, column.en, *column.aliases)
        if any(key == _fold_header(n) for n in names):
            return Header(text, column.name, unit)
    return Header(text, None, unit)
