"""Labels and messages of the command line, in Japanese (the default) and English.

The messages of the SPEC §4 codes come from :data:`tokko.codes.CODES`, column headers from
:func:`tokko.columns.label`; this module holds the rest: what the command line itself says.
"""

from __future__ import annotations

import re

from tokko.codes import CODES
from tokko.columns import label

_LABELS: dict[str, tuple[str, str]] = {
    # ── statuses and outcomes ──
    "status.eligible": ("対象", "eligible"),
    "status.excluded": ("対象外", "excluded"),
    "status.error": ("エラー", "error"),
    "yes": ("はい", "yes"),
    "no": ("いいえ", "no"),
    "eligible_kind": ("対象", "eligible"),
    "ineligible_kind": ("対象外", "not eligible"),
    "yen": ("円", "yen"),
    # ── result columns that are not input columns ──
    "col.status": ("状態", "status"),
    "col.reasons": ("理由", "reasons"),
    "col.warnings": ("警告", "warnings"),
    "col.net": ("控除後の額", "net"),
    "col.rate": ("措置率", "rate"),
    "col.measure": ("措置額", "measure"),
    "col.items": ("項目の一覧", "items"),
    "col.agreements": ("協定", "agreement"),
    # ── fields of a result ──
    "result": ("判定", "Result"),
    "item": ("項目", "Item"),
    "net": ("控除後の額", "Net cost"),
    "rate": ("措置率", "Rate"),
    "measure": ("措置額", "Measure"),
    "measure_item_note": (
        "（この経費の額。端数処理は申告ごとの合計額で行います）",
        "(this expense; rounding applies to each declaration's total)",
    ),
    "reason": ("理由", "Reason"),
    "warnings": ("警告", "Warnings"),
    "errors": ("エラー", "Errors"),
    "rule_file": ("規則ファイル", "Rule file"),
    "basis": ("根拠", "Basis"),
    "note": ("注記", "Note"),
    "source": ("出典", "Source"),
    "sources": ("出典", "Sources"),
    "key": ("キー", "Key"),
    "value": ("値", "Value"),
    "input": ("入力", "Input"),
    "outcome": ("結果", "Outcome"),
    "matched": ("（「{term}」に一致）", " (matched '{term}')"),
    "fiscal_year": ("年度", "Fiscal year"),
    # ── totals ──
    "total_amount": ("事業費の合計", "Total amount"),
    "total_revenue": ("特定財源（控除額）", "Specific revenue deducted"),
    "total_net": ("控除後の額（対象）", "Net cost (eligible)"),
    "total_excluded": ("対象外の額", "Excluded"),
    "measure_exact": ("措置額（端数処理前）", "Measure before rounding"),
    "measure_rounded": ("措置額（端数処理後）", "Measure after rounding"),
    "reconciliation": ("照合", "Reconciliation"),
    "reconciled": ("一致", "reconciled"),
    "reconciliation_legend": (
        "（事業費の合計 = 控除後の額（対象） + 対象外の額 + 特定財源（控除額））",
        "(total amount = net cost of eligible items + excluded + specific revenue deducted)",
    ),
    "not_reconciled": ("不一致", "does NOT reconcile"),
    "counts": ("件数", "Items"),
    "counts_text": (
        "{items}件（対象 {eligible}件、対象外 {excluded}件、エラー {error}件）",
        "{items} ({eligible} eligible, {excluded} excluded, {error} in error)",
    ),
    "declaration_title": ("{name} {year} — 規則 {version}", "{name} {year} — rules {version}"),
    "unknown_entity": ("（団体不明）", "(unknown government)"),
    "unknown_year": ("（年度不明）", "(unknown fiscal year)"),
    # ── errors table ──
    "file": ("ファイル", "File"),
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "code": ("コード", "Code"),
    "message": ("内容", "Message"),
    "error_list": ("エラー一覧（{n}件）", "Errors ({n})"),
    # ── rules ──
    "measure_id": ("措置", "Measure"),
    "version": ("版", "Version"),
    "path": ("ファイル", "Path"),
    "coverage": ("適用年度", "In force"),
    "confirmed_through": ("出典で確認済み", "Confirmed through"),
    "sha256": ("SHA-256", "SHA-256"),
    "rules_title": ("規則ファイル（{root}）", "Rule files ({root})"),
    "open_end": ("（次の版まで）", "(until the next version)"),
    "name": ("名称", "Name"),
    "issuer": ("発出者", "Issuer"),
    "date": ("日付", "Date"),
    "url": ("URL", "URL"),
    "id": ("ID", "ID"),
    "aliases": ("別名", "Aliases"),
    "eligibility": ("対象・対象外", "Eligible"),
    "section.sources": ("出典", "Sources"),
    "section.rates": ("措置率", "Rates"),
    "section.joint": ("共同調達の条件", "Conditions of the joint rate"),
    "section.technologies": ("対象技術", "Technologies"),
    "section.expense_kinds": ("経費区分", "Expense kinds"),
    "section.excluded": ("対象外: システム標準化の対象事務（{n}業務）",
                         "Excluded: standardization-target businesses ({n})"),
    "section.revenue": ("特定財源", "Specific revenue"),
    "section.rounding": ("端数処理", "Rounding"),
    "section.order": ("除外理由の優先順", "Order of exclusion reasons"),
    "section.audit": ("審査のチェック", "Review checks"),
    "diff_title": ("規則の違い: {a} → {b}", "Rule changes: {a} → {b}"),
    "diff_none": ("違いはありません。", "No differences."),
    "diff_count": ("{n}件の違いがあります。", "Differences: {n}."),
    "change": ("変更", "Change"),
    "what": ("項目", "What"),
    "before": ("変更前", "Before"),
    "after": ("変更後", "After"),
    "added": ("追加", "added"),
    "removed": ("削除", "removed"),
    "changed": ("変更", "changed"),
    "reordered": ("順序の変更", "reordered"),
    "valid": ("問題はありません: {files}（{versions}）", "Valid: {files} ({versions})"),
    "invalid": ("規則ファイルに{n}件の問題があります。", "Problems found in the rule files: {n}."),
    "problem_reason": ("理由", "Reason"),
    "rules_refused": (
        "規則ファイルを読み込めません（{n}件の問題）。",
        "The rule files cannot be loaded (problems: {n}).",
    ),
    "coverage_skipped": (
        "読み込まれている規則を読めないため、適用年度の重なりは確認していません。",
        "The loaded rules cannot be read, so coverage against them was not checked.",
    ),
    "unknown_version": (
        "規則の版「{version}」がありません。あるもの: {known}",
        "No rule version '{version}'; available: {known}",
    ),
    # ── explain ──
    "item_title": ("項目 {item}{description} — {status}", "Item {item}{description} — {status}"),
    "declaration_total": ("申告の合計", "Declaration total"),
    "unknown_item": (
        "項目番号「{item}」はありません。あるもの: {known}",
        "No item '{item}'; items: {known}",
    ),
    # ── codes ──
    "kind": ("種類", "Kind"),
    "kana": ("よみ", "Reading"),
    "prefecture": ("都道府県", "Prefecture"),
    "entity_name": ("団体名", "Name"),
    "entity_code": ("団体コード", "Code"),
    "kind.prefecture": ("都道府県", "prefecture"),
    "kind.designated_city": ("指定都市", "designated city"),
    "kind.city": ("市", "city"),
    "kind.special_ward": ("特別区", "special ward"),
    "kind.town": ("町", "town"),
    "kind.village": ("村", "village"),
    "codes_none": ("「{query}」に当たる地方公共団体はありません。",
                   "No local government matches '{query}'."),
    "codes_more": ("ほか{n}件（--limit で表示件数を変えられます）",
                   "and {n} more (change with --limit)"),
    # ── calc / batch ──
    "xlsx_needs_output": (
        "--format xlsx には --output（書き出すファイル）が必要です。",
        "--format xlsx needs --output (the workbook to write).",
    ),
    "written": ("書き出しました: {path}", "Written: {path}"),
    "batch_xlsx_ignores": (
        "--format xlsx では集計とエラーも {out} のシートに書きます"
        "（--summary, --errors は使いません）。",
        "With --format xlsx the summary and errors are sheets of {out} "
        "(--summary and --errors are not used).",
    ),
    "batch_done": (
        "{rows}行を計算しました（エラー {errors}行、協定ファイルのエラー {agreements}件、"
        "団体・年度 {entities}件）。",
        "{rows} rows computed ({errors} error rows, {agreements} agreement-file errors, "
        "{entities} government-years).",
    ),
    "phase.scan": ("読込", "Scanning"),
    "phase.compute": ("計算", "Computing"),
    "rows_per_second": ("行/秒", "rows/s"),
    "cannot_access": ("{path}: ファイルにアクセスできません（{reason}）",
                      "{path}: cannot access the file ({reason})"),
    "error_prefix": ("エラー", "Error"),
    "version_line": (
        "{measure} {version}（{path}）: {coverage}、出典で確認済み: {confirmed}",
        "{measure} {version} ({path}): {coverage}; confirmed through {confirmed}",
    ),
}

#: The steps of :attr:`tokko.result.ItemResult.explanation`, in words.
_STEPS: dict[str, tuple[str, str]] = {
    "validate": ("入力の確認", "Input check"),
    "rules": ("規則の選択", "Rule version"),
    "technology": ("技術区分", "Technology"),
    "expense_kind": ("経費区分", "Expense kind"),
    "standardization_target": ("標準化対象事務", "Standardization target"),
    "exclusion": ("除外", "Exclusion"),
    "specific_revenue": ("特定財源の控除", "Specific revenue deducted"),
    "joint_condition": ("共同調達の条件", "Joint-procurement condition"),
    "rate": ("措置率", "Rate"),
    "measure": ("措置額", "Measure"),
    "sum": ("合計", "Sum"),
    "round": ("端数処理", "Rounding"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    ja, en = _LABELS[key]
    text = ja if lang == "ja" else en
    return text.format(**values) if values else text


def step_name(step: str, lang: str) -> str:
    """An explanation step's name in words; an unknown step keeps its id."""
    names = _STEPS.get(step)
    if names is None:
        return step
    return names[0] if lang == "ja" else names[1]


def code_text(code: str, lang: str) -> str:
    """The §4 message of a reason, warning or error code; an unknown code is shown as is."""
    info = CODES.get(code)
    return code if info is None else info.text(lang)


def column_label(name: str | None, lang: str) -> str:
    """The header of a column (``amount`` → 事業費; ``agreements.parties`` → 協定.構成団体)."""
    if not name:
        return ""
    prefix, dot, rest = name.partition(".")
    if dot and prefix == "agreements":
        return f"{t('col.agreements', lang)}.{column_label(rest, lang)}"
    text = label(name, lang)
    if text == name and f"col.{name}" in _LABELS:
        return t(f"col.{name}", lang)
    return text


def heading(name: str, lang: str) -> str:
    """A column's label as a heading: ``amount`` → 事業費 / Amount."""
    text = column_label(name, lang)
    return text[:1].upper() + text[1:] if lang == "en" else text


_BILINGUAL = re.compile(r"\s*/\s+(?=[A-Z])")


def pick(text: str | None, lang: str) -> str:
    """One language of a rule file's bilingual note (``日本語。/ English.``); else all of it."""
    if not text:
        return ""
    match = _BILINGUAL.search(text)
    if match is None or match.start() == 0 or text[: match.start()].isascii():
        return text.strip()
    part = text[: match.start()] if lang == "ja" else text[match.end():]
    return part.strip()


def split_message(message: str, column: str | None, code: str, lang: str) -> str:
    """One language of a bilingual row-error message (``日本語 / column: English``)."""
    info = CODES.get(code)
    if info is None or column is None:
        return message
    marker = f" / {column}: {info.en}: "
    at = message.find(marker)
    if at < 0:
        return message
    return message[:at] if lang == "ja" else message[at + 3:]


def yes_no(value: object, lang: str) -> str:
    """``True`` → はい / yes."""
    return t("yes" if value else "no", lang)
