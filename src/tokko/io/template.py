"""The input workbook an officer fills in (``tokko template``), made from the one declaration of
the fields and from the rule version in force.

- The first sheet (申告 / Declaration) is what ``tokko calc`` and ``tokko batch`` read: its header
  is on row 1, one column per field of :data:`~tokko.model.declaration.ROW_FIELDS` under the
  field's label (``column.<field>``; amounts say their unit, ``事業費（円）``), each header with its
  help (``help.<field>``) and an example as a comment. Beside the government code, a column shows
  the government's name, looked up by a formula in a hidden sheet of the 1,788 codes; the code
  cell is checked against the same list.
- A field that names a ``vocabulary`` in its :class:`~tokko.model.fields.Spec` gets a drop-down
  list made from the rule version: the technologies (and their combination, AI+RPA), the expense
  kinds, the procurement words, and the standardization-target businesses — the last one a list
  that still accepts any other text (a business area is free text; the list only helps to spell
  the excluded ones as the rules do). A closed list (expense kind, procurement) refuses other
  text; an open one warns.
- The agreements sheet (協定 / Agreements) holds the agreements for joint procurement
  (:data:`~tokko.model.declaration.AGREEMENT_FIELDS`); :func:`agreements_sheet` finds it in a
  workbook so that the reader takes the agreements from the same file.
- The instructions sheet says how to fill it in: the columns with their help and example, the
  units, and what is excluded and why — in the catalog's words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tokko.io.workbook import display_width
from tokko.io.writers import atomic
from tokko.messages import LANGS, Lang, t
from tokko.model.declaration import AGREEMENT_FIELDS, ROW_FIELDS
from tokko.model.fields import Field, Vocabulary, header_key
from tokko.model.localgov import all_governments
from tokko.rules.ruleset import RuleSet, RuleVersion

#: How many rows of the declaration sheet carry the checks and the name lookup.
ROWS = 500
#: The file ``tokko template`` writes when no ``--out`` is given.
DEFAULT_NAME = "tokko-template.xlsx"

_YEN_FIELDS = frozenset({"amount", "specific_revenue", "contract_total"})
_TEXT_FIELDS = frozenset({"entity_code", "item_id", "agreement_id", "contract_id", "parties"})
_DATE_FIELDS = frozenset({"concluded_on"})
_INDEX_FIELDS = frozenset({"fiscal_strength_index"})
_YEAR_FIELDS = frozenset({"fiscal_year", "introduced_in"})
#: Lists that refuse other text (an unknown kind or procurement is an error of the row) and
#: lists that only warn (another technology is valid, and excluded; a business area is free).
_CLOSED: frozenset[Vocabulary] = frozenset({"expense_kinds", "procurement"})
_OPEN_ERROR: dict[Vocabulary, str] = {
    "technologies": "template.other_technology",
    "businesses": "template.business_other",
}
_PROMPT: dict[Vocabulary, str] = {"businesses": "template.business_prompt"}

REQUIRED_FILL = "F8CBAD"
OPTIONAL_FILL = "DDEBF7"
LOOKUP_FILL = "E7E6E6"
_MAX_WIDTH = 45

#: The header of the name lookup column, in each language: not a field, so a reader that meets
#: it in a filled template should pass over it (its values come from a formula).
LOOKUP_HEADERS = tuple(t("template.column.entity_name", lang) for lang in LANGS)


# ── what the lists hold ─────────────────────────────────────────────────────────────────────


def version_for(rules: RuleSet, fiscal_year: int | None = None) -> RuleVersion:
    """The rule version in force in ``fiscal_year``; without one, the latest version."""
    if fiscal_year is not None:
        return rules.for_year(fiscal_year)
    rules.only(None)
    return max(rules, key=lambda v: v.file.measure.effective_from)


def choices(version: RuleVersion, vocabulary: Vocabulary, lang: Lang) -> list[str]:
    """The values of one drop-down list, from the rule version."""
    file = version.file
    if vocabulary == "technologies":
        eligible = list(file.technologies.eligible.value)
        return eligible + (["+".join(eligible)] if len(eligible) > 1 else [])
    if vocabulary == "expense_kinds":
        return [k.name_ja if lang == "ja" else k.id for k in file.expense_kinds]
    if vocabulary == "procurement":
        return [t("template.single", lang), t("template.joint", lang)]
    businesses = file.excluded_businesses
    return [b.name for b in businesses.businesses] if businesses else []


def header(field: Field, lang: Lang) -> str:
    """A field's header in the template: its label, and the unit of an amount."""
    label = field.label(lang)
    if field.name not in _YEN_FIELDS:
        return label
    unit = t("template.yen", lang)
    return f"{label}（{unit}）" if lang == "ja" else f"{label} ({unit})"


def agreements_sheet(book: Any) -> str | None:
    """The name of a workbook's agreements sheet (協定 / Agreements, in either language), or
    None. ``book`` is a :class:`tokko.io.xlsx.Workbook` (``sheet_names``) or an openpyxl
    workbook (``sheetnames``); the first sheet, which holds the declaration, is never it."""
    names = getattr(book, "sheet_names", None)
    if names is None:
        names = getattr(book, "sheetnames", [])
    wanted = {header_key(t("template.sheet.agreements", lang)) for lang in LANGS}
    return next((n for n in list(names)[1:] if header_key(n) in wanted), None)


# ── the workbook ────────────────────────────────────────────────────────────────────────────


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


class _Styles:
    """The few styles of the template, made once."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=14)
        self.lookup_font = Font(italic=True, color="595959")
        self.fill = {
            True: PatternFill("solid", fgColor=REQUIRED_FILL),
            False: PatternFill("solid", fgColor=OPTIONAL_FILL),
            None: PatternFill("solid", fgColor=LOOKUP_FILL),
        }
        self.border = Border(bottom=Side(style="thin"))
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left")


def _comment(text: str) -> Any:
    from openpyxl.comments import Comment

    comment = Comment(text, "tokko")
    comment.width, comment.height = 320, 110
    return comment


def _number_format(name: str) -> str | None:
    if name in _TEXT_FIELDS:
        return "@"
    if name in _YEN_FIELDS:
        return "#,##0"
    if name in _DATE_FIELDS:
        return "yyyy-mm-dd"
    if name in _INDEX_FIELDS:
        return "0.00"
    return None


def _headers(
    sheet: Any,
    fields: Sequence[Field],
    lang: Lang,
    styles: _Styles,
    lists: dict[str, list[str]],
    lookup_after: str | None = None,
) -> dict[str, int]:
    """Row 1 of a sheet: each field's header with its comment, fill, width and column format;
    returns each field's column (1-based); the lookup column, when asked, follows that field."""
    from openpyxl.utils import get_column_letter

    where: dict[str, int] = {}
    column = 0
    for field in fields:
        column += 1
        where[field.name] = column
        cell = sheet.cell(row=1, column=column, value=header(field, lang))
        cell.font, cell.fill = styles.bold, styles.fill[field.required]
        cell.border, cell.alignment = styles.border, styles.center
        required = t("template.required" if field.required else "template.optional", lang)
        cell.comment = _comment(
            t(
                "template.comment",
                lang,
                help=t(f"help.{field.name}", lang),
                required=required,
                example=field.spec.example or "—",
            )
        )
        letter = get_column_letter(column)
        widest = max(
            [
                display_width(str(cell.value)) + 2,
                display_width(field.spec.example) + 2,
                *(display_width(v) + 3 for v in lists.get(field.name, [])),
            ]
        )
        sheet.column_dimensions[letter].width = min(max(widest, 8), _MAX_WIDTH)
        fmt = _number_format(field.name)
        if fmt is not None:
            sheet.column_dimensions[letter].number_format = fmt
        if field.name in _YEAR_FIELDS:  # 2021 and 令和3年度 line up alike
            sheet.column_dimensions[letter].alignment = styles.left
        if field.name == lookup_after:
            column += 1
            where["_lookup"] = column
            cell = sheet.cell(row=1, column=column, value=t("template.column.entity_name", lang))
            cell.font, cell.fill = styles.bold, styles.fill[None]
            cell.border, cell.alignment = styles.border, styles.center
            cell.comment = _comment(
                t("template.lookup_comment", lang, missing=t("template.no_such_code", lang))
            )
            sheet.column_dimensions[get_column_letter(column)].width = 22
    # The header stays in view, and so do the code and its name when there is a lookup.
    sheet.freeze_panes = sheet.cell(row=2, column=where.get("_lookup", 0) + 1).coordinate
    return where


def _codes_sheet(book: Any, lang: Lang) -> tuple[str, int]:
    """The hidden list of governments: code, 5-digit code, prefecture, name, shown name."""
    sheet = book.create_sheet(t("template.sheet.codes", lang))
    sheet.append(
        [
            t("entity_code", lang),
            t("template.column.code5", lang),
            t("prefecture", lang),
            t("entity_name", lang),
            t("template.column.shown", lang),
        ]
    )
    governments = all_governments()
    for g in governments:
        shown = g.prefecture if not g.city else f"{g.prefecture} {g.city}"
        sheet.append([g.code, g.code[:5], g.prefecture, g.name, shown])
    for column in ("A", "B"):
        sheet.column_dimensions[column].number_format = "@"
    sheet.sheet_state = "hidden"
    return sheet.title, len(governments) + 1


def _lists_sheet(book: Any, lang: Lang, lists: dict[str, list[str]]) -> dict[str, str]:
    """The hidden sheet of the drop-down lists; each field's list as a range."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(t("template.sheet.lists", lang))
    ranges: dict[str, str] = {}
    for column, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(column)
        sheet.cell(row=1, column=column, value=t(f"column.{name}", lang))
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value).number_format = "@"
        ranges[name] = f"{_quoted(sheet.title)}!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    return ranges


def _validations(
    sheet: Any, where: dict[str, int], lang: Lang, ranges: dict[str, str], codes: tuple[str, int]
) -> None:
    """The drop-down lists and the check of the government code, over :data:`ROWS` rows."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    def area(name: str) -> str:
        letter = get_column_letter(where[name])
        return f"{letter}2:{letter}{ROWS + 1}"

    for field in ROW_FIELDS:
        vocabulary = field.spec.vocabulary
        if vocabulary is None or field.name not in ranges:
            continue
        closed = vocabulary in _CLOSED
        check = DataValidation(
            type="list",
            formula1=ranges[field.name],
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if closed else "warning",
            errorTitle=field.label(lang),
            error=t("template.list_error" if closed else _OPEN_ERROR[vocabulary], lang),
        )
        if vocabulary in _PROMPT:
            check.showInputMessage = True
            check.promptTitle = field.label(lang)
            check.prompt = t(_PROMPT[vocabulary], lang)
        check.add(area(field.name))
        sheet.add_data_validation(check)
    name, last = codes
    code = f"{get_column_letter(where['entity_code'])}2"
    listed = ",".join(f"ISNUMBER(MATCH({code},{_quoted(name)}!${c}$2:${c}${last},0))" for c in "AB")
    check = DataValidation(
        type="custom",
        formula1=f"OR({listed})",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=t("column.entity_code", lang),
        error=t("template.code_error", lang),
    )
    check.add(area("entity_code"))
    sheet.add_data_validation(check)


def _lookups(
    sheet: Any, where: dict[str, int], lang: Lang, codes: tuple[str, int], styles: _Styles
) -> None:
    """The name of the government beside its code: a formula Excel and LibreOffice evaluate."""
    from openpyxl.utils import get_column_letter

    name, last = codes
    table = _quoted(name)
    missing = t("template.no_such_code", lang).replace('"', "")
    code_letter = get_column_letter(where["entity_code"])
    for row in range(2, ROWS + 2):
        code = f"{code_letter}{row}"
        found = [
            f"INDEX({table}!$E$2:$E${last},MATCH({code},{table}!${c}$2:${c}${last},0))"
            for c in "AB"
        ]
        cell = sheet.cell(
            row=row,
            column=where["_lookup"],
            value=f'=IF({code}="","",IFERROR({found[0]},IFERROR({found[1]},"{missing}")))',
        )
        cell.font = styles.lookup_font


def _years(version: RuleVersion, lang: Lang) -> str:
    start = version.file.measure.effective_from
    if version.until is None:
        return t("template.years_open", lang, start=start)
    return t("template.years", lang, start=start, until=version.until)


#: The instructions' columns: 列 | 必須・任意 | 記入すること | 記入例 | 選択肢.
_GUIDE_WIDTHS = (20, 11, 56, 34, 44)
_LINE_HEIGHT = 17  # points per line of text, CJK fonts included


class _Guide:
    """The instructions sheet, written row by row: a line of text across the page, or a row of
    a table; every row as high as its wrapped text needs (Excel does not measure it)."""

    def __init__(self, sheet: Any, styles: _Styles) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet, self.styles, self.row = sheet, styles, 0
        for i, width in enumerate(_GUIDE_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        self._last = get_column_letter(len(_GUIDE_WIDTHS))

    def _height(self, texts: Sequence[tuple[str, float]]) -> None:
        lines = max(
            (math.ceil(display_width(text) / max(width - 1, 1)) or 1 for text, width in texts),
            default=1,
        )
        if lines > 1:
            self.sheet.row_dimensions[self.row].height = _LINE_HEIGHT * lines

    def line(self, text: str = "", kind: str = "") -> None:
        """Text across the page (merged, wrapped): ``title``, ``bold`` or plain."""
        self.row += 1
        if not text:
            return
        cell = self.sheet.cell(row=self.row, column=1, value=text)
        if kind:
            cell.font = self.styles.title if kind == "title" else self.styles.bold
        cell.alignment = self.styles.wrap
        self.sheet.merge_cells(f"A{self.row}:{self._last}{self.row}")
        self._height([(text, sum(_GUIDE_WIDTHS))])

    def table(self, values: Sequence[str], head: bool = False, span: int = 1) -> None:
        """A row of a table; ``span``: how many columns the first value takes."""
        self.row += 1
        texts = []
        column = 1
        for i, value in enumerate(values):
            width = sum(_GUIDE_WIDTHS[column - 1 : column - 1 + (span if i == 0 else 1)])
            cell = self.sheet.cell(row=self.row, column=column, value=value)
            cell.alignment = self.styles.wrap
            if head:
                cell.font, cell.fill = self.styles.bold, self.styles.fill[False]
                cell.border = self.styles.border
            texts.append((value, width))
            if i == 0 and span > 1:
                self.sheet.merge_cells(
                    start_row=self.row, start_column=1, end_row=self.row, end_column=span
                )
                column += span
            else:
                column += 1
        self._height(texts)


def _instructions(
    book: Any,
    version: RuleVersion,
    lang: Lang,
    styles: _Styles,
    lists: dict[str, list[str]],
    path: Path,
) -> None:
    """How to fill it in, each column's help and example, and what is excluded and why."""
    sheet = book.create_sheet(t("template.sheet.instructions", lang))
    guide = _Guide(sheet, styles)
    separator = "、" if lang == "ja" else ", "
    declaration = t("template.sheet.declaration", lang)
    agreements = t("template.sheet.agreements", lang)
    measure = version.file.measure
    guide.line(
        t("template.title", lang, measure=measure.name_ja if lang == "ja" else measure.name_en),
        "title",
    )
    guide.line(
        t(
            "template.rules_line",
            lang,
            version=version.version,
            path=version.path,
            years=_years(version, lang),
            sha256=version.sha256,
        )
    )
    guide.line()
    guide.line(t("template.howto", lang), "bold")
    steps = [
        t("template.howto.rows", lang, sheet=declaration),
        t("template.howto.units", lang),
        t("template.howto.lists", lang, version=version.version),
        t("template.howto.lookup", lang, missing=t("template.no_such_code", lang)),
        t("template.howto.joint", lang, joint=t("template.joint", lang), sheet=agreements),
        t("template.howto.compute", lang, file=path.name),
    ]
    for number, step in enumerate(steps, start=1):
        guide.line(f"{number}. {step}")
    for sheet_name, fields in ((declaration, ROW_FIELDS), (agreements, AGREEMENT_FIELDS)):
        guide.line()
        guide.line(t("template.columns", lang, sheet=sheet_name), "bold")
        guide.table(
            [
                t("column", lang),
                t("template.header.required", lang),
                t("template.header.help", lang),
                t("template.header.example", lang),
                t("template.header.choices", lang),
            ],
            head=True,
        )
        for field in fields:
            guide.table(
                [
                    header(field, lang),
                    t("template.required" if field.required else "template.optional", lang),
                    t(f"help.{field.name}", lang),
                    field.spec.example,
                    separator.join(lists.get(field.name, [])),
                ]
            )
    kinds = version.file.expense_kinds
    name = (lambda k: k.name_ja) if lang == "ja" else (lambda k: f"{k.id} ({k.name_ja})")
    excluded: list[tuple[str, str]] = [
        (
            "EXCLUDED_TECHNOLOGY",
            t(
                "template.eligible_technologies",
                lang,
                names=separator.join(choices(version, "technologies", lang)),
            ),
        ),
        (
            "EXCLUDED_EXPENSE_KIND",
            t(
                "template.ineligible_kinds",
                lang,
                names=separator.join(name(k) for k in kinds if not k.eligible),
            ),
        ),
    ]
    businesses = choices(version, "businesses", lang)
    excluded.append(
        (
            "EXCLUDED_STANDARDIZATION_TARGET",
            t("template.businesses", lang, n=len(businesses), names=separator.join(businesses))
            if businesses
            else t("show.no_excluded", lang),
        )
    )
    first_year = [name(k) for k in kinds if k.first_year]
    if first_year:
        excluded.append(
            (
                "EXCLUDED_NOT_FIRST_YEAR",
                t("template.first_year_kinds", lang, names=separator.join(first_year)),
            )
        )
    guide.line()
    guide.line(t("template.excluded", lang), "bold")
    guide.table([t("reason", lang), t("message", lang), t("code", lang)], head=True, span=2)
    for code, text in excluded:
        guide.table([t(f"code.{code}", lang), text, code], span=2)
    rates = [f"{t('show.rate_standard', lang)} {version.rate_standard}"]
    if version.rate_joint is not None:
        rates.append(f"{t('show.rate_joint', lang)} {version.rate_joint}")
    guide.line()
    guide.line(t("template.rates", lang, rates=separator.join(rates)))
    guide.line(t("template.revenue", lang))
    _printed(sheet)


def _printed(sheet: Any) -> None:
    """Printed (or made a PDF) landscape on A4, as wide as the page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def write_template(
    path: Path, lang: Lang = "ja", *, rules: RuleSet, fiscal_year: int | None = None
) -> RuleVersion:
    """Write the fill-in workbook to ``path`` (atomically) with the lists of the rule version
    in force in ``fiscal_year`` (default: the latest); returns that version."""
    import openpyxl

    version = version_for(rules, fiscal_year)
    lists = {
        f.name: choices(version, f.spec.vocabulary, lang)
        for f in ROW_FIELDS
        if f.spec.vocabulary is not None
    }
    lists = {name: values for name, values in lists.items() if values}
    styles = _Styles()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = t("template.sheet.declaration", lang)
    where = _headers(sheet, ROW_FIELDS, lang, styles, lists, lookup_after="entity_code")
    agreements = book.create_sheet(t("template.sheet.agreements", lang))
    _headers(agreements, AGREEMENT_FIELDS, lang, styles, {})
    for printed in (sheet, agreements):
        _printed(printed)
        printed.print_title_rows = "1:1"
    _instructions(book, version, lang, styles, lists, path)
    codes = _codes_sheet(book, lang)
    ranges = _lists_sheet(book, lang, lists)
    _validations(sheet, where, lang, ranges, codes)
    _lookups(sheet, where, lang, codes, styles)
    book.properties.creator = "tokko"
    book.properties.title = t(
        "template.title",
        lang,
        measure=version.file.measure.name_ja if lang == "ja" else version.file.measure.name_en,
    )
    book.active = 0
    with atomic(Path(path)) as temporary:
        book.save(temporary)
    return version
