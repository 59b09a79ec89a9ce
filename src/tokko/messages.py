"""Every label and message of tokko, in Japanese and English: the one catalog.

An entry is an id and a :class:`Msg` — ``(日本語, English)``, in that order everywhere — whose
``{placeholders}`` are filled when the text is shown (:func:`t`). A parameter that is a
:class:`Ref` (another entry and its parameters) is itself put into the same language, and a
list of them is joined: so a problem can be stored as an id and values, and put into words
only at the edge, in the language asked for.

Ids by family: ``code.<CODE>`` (SPEC §4), ``column.<field>`` (headers), ``help.<field>``,
``status.*``, ``step.*`` and ``outcome.*`` (explanations), ``diff.*`` (``tokko rules diff``),
``rule.*``, ``rules.*``, ``fs.*`` and ``pydantic.*`` (rule files), ``file.*`` (input files),
``usage.*`` (the command line's usage errors); the rest are the command line's own words.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, NamedTuple

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


class Msg(NamedTuple):
    """One entry: the Japanese text and the English text."""

    ja: str
    en: str


class Ref(NamedTuple):
    """A reference to an entry with its parameters, put into words with the text around it."""

    id: str
    params: Mapping[str, object] = MappingProxyType({})


class Sentences(tuple[Ref, ...]):
    """References put into words as sentences (「…。…」, "…; …"); a plain list of references is
    an enumeration (「…、…」, "…, …")."""


_SENTENCES: dict[Lang, str] = {"ja": "。", "en": "; "}
_ENUMERATION: dict[Lang, str] = {"ja": "、", "en": ", "}


def _value(value: object, lang: Lang) -> object:
    if isinstance(value, Ref):
        return t(value.id, lang, **value.params)
    if isinstance(value, list | tuple) and value and all(isinstance(v, Ref) for v in value):
        separator = (_SENTENCES if isinstance(value, Sentences) else _ENUMERATION)[lang]
        return separator.join(str(_value(v, lang)) for v in value)
    return value


def t(id: str, lang: Lang, /, **params: object) -> str:
    """The entry ``id`` in ``lang``, with its ``{placeholders}`` filled from ``params``."""
    entry = CATALOG[id]
    text = entry.ja if lang == "ja" else entry.en
    if not params:
        return text
    return text.format(**{k: _value(v, lang) for k, v in params.items()})


def has(id: str) -> bool:
    """Whether the catalog has the entry ``id``."""
    return id in CATALOG


def aside(text: str, lang: Lang) -> str:
    """``text`` as an aside after what it qualifies: ``（text）`` in Japanese, `` (text)`` in
    English."""
    return f"（{text}）" if lang == "ja" else f" ({text})"


def pair(id: str, /, **params: object) -> Msg:
    """The entry in both languages, filled."""
    return Msg(t(id, "ja", **params), t(id, "en", **params))


# ── SPEC §4 codes ───────────────────────────────────────────────────────────────────────────

_CODES = {
    "code.STANDARD_RATE": Msg("標準の措置率を適用しました", "The standard rate applies"),
    "code.JOINT_RATE": Msg(
        "協定を締結した共同調達の措置率を適用しました",
        "The joint-procurement rate applies (agreement concluded)",
    ),
    "code.EXCLUDED_STANDARDIZATION_TARGET": Msg(
        "システム標準化の対象事務のため措置の対象外です",
        "Excluded: the work is a target of the national system standardization",
    ),
    "code.EXCLUDED_TECHNOLOGY": Msg(
        "AI・RPA以外の技術のため措置の対象外です", "Excluded: the technology is neither AI nor RPA"
    ),
    "code.EXCLUDED_EXPENSE_KIND": Msg(
        "措置の対象とならない経費区分です", "Excluded: this kind of expense is not eligible"
    ),
    "code.EXCLUDED_NOT_FIRST_YEAR": Msg(
        "導入した年度の翌年度以降の運用経費のため措置の対象外です",
        "Excluded: an operating cost after the fiscal year the system was introduced",
    ),
    "code.JOINT_WITHOUT_AGREEMENT": Msg(
        "共同調達ですが協定番号がないため、標準の措置率を適用しました",
        "Joint procurement without an agreement number: the standard rate was applied",
    ),
    "code.AGREEMENT_UNKNOWN": Msg(
        "協定番号に該当する協定が見つからないため、標準の措置率を適用しました",
        "The agreement number names no known agreement: the standard rate was applied",
    ),
    "code.AGREEMENT_NOT_PARTY": Msg(
        "申告団体が協定の構成団体に含まれていないため、標準の措置率を適用しました",
        "The declaring government is not a party to the agreement: the standard rate was applied",
    ),
    "code.AGREEMENT_TOO_FEW_PARTIES": Msg(
        "協定の構成団体数が最少団体数に満たないため、標準の措置率を適用しました",
        "The agreement has fewer parties than required: the standard rate was applied",
    ),
    "code.AGREEMENT_NOT_CONCLUDED": Msg(
        "協定が当該年度末までに締結されていないため、標準の措置率を適用しました",
        "The agreement was not concluded by the end of the fiscal year: the standard rate was "
        "applied",
    ),
    "code.REVENUE_EXCEEDS_AMOUNT": Msg(
        "特定財源が事業費を超えています。控除後の額を0としました",
        "Specific revenue exceeds the amount: the net cost was set to 0",
    ),
    "code.DUPLICATE_CONTRACT": Msg(
        "同じ契約番号が重複して計上されています（二重計上の疑い）",
        "The same contract number is declared more than once (possible double counting)",
    ),
    "code.JOINT_SHARES_EXCEED_CONTRACT": Msg(
        "共同調達の各団体の負担額の合計が契約総額を超えています",
        "The joint shares declared under this contract add up to more than its total",
    ),
    "code.RULES_UNCONFIRMED_FOR_YEAR": Msg(
        "この年度の規則は出典で確認されていません（前の年度の規則を延長して計算）",
        "The rules are not confirmed by their sources for this fiscal year (computed by "
        "extending an earlier year's rules)",
    ),
    "code.JOINT_RATE_NOT_IN_FORCE": Msg(
        "この年度には共同調達の措置率がないため、標準の措置率を適用しました",
        "There is no joint-procurement rate in this fiscal year: the standard rate was applied",
    ),
    "code.INTRODUCTION_YEAR_MISSING": Msg(
        "導入年度がないため、導入した年度の経費として計算しました（確認してください）",
        "No year of introduction: computed as an expense of the year of introduction (check it)",
    ),
    "code.CODE_LEADING_ZERO_RESTORED": Msg(
        "団体コードの先頭の0が欠けていたため補いました",
        "The local government code had lost its leading zero; it was restored",
    ),
    "code.FISCAL_STRENGTH_NOT_APPLIED": Msg(
        "財政力指数に応じた乗率を適用していません（乗率の前の額です）",
        "The fiscal-strength multiplier is not applied (the amount is before it)",
    ),
    "code.INVALID_CODE": Msg("団体コードが正しくありません", "Invalid local government code"),
    "code.UNKNOWN_ENTITY": Msg(
        "団体コードに該当する地方公共団体がありません", "No local government has this code"
    ),
    "code.AMBIGUOUS_CODE": Msg(
        "団体コードが2つの団体に読めます",
        "The local government code can be read as two governments",
    ),
    "code.INVALID_FISCAL_YEAR": Msg("年度が正しくありません", "Invalid fiscal year"),
    "code.NO_RULES_FOR_YEAR": Msg(
        "この年度に適用される規則ファイルがありません",
        "No rule file is in force for this fiscal year",
    ),
    "code.INVALID_AMOUNT": Msg("金額が正しくありません", "Invalid amount"),
    "code.MISSING_FIELD": Msg("必須の項目が空です", "A required field is empty"),
    "code.DUPLICATE_ITEM_ID": Msg(
        "項目番号が重複しています（先の行を採用し、この行は計算しません）",
        "Repeated item number: the first row stands and this one is not computed",
    ),
    "code.DUPLICATE_ITEM_ID@agreement.repeated": Msg(
        "協定番号が重複しています（先の協定を採用し、この行は使いません）",
        "Repeated agreement number: the first agreement stands and this row is not used",
    ),
    "code.UNKNOWN_VALUE": Msg("認識できない値です", "Unrecognised value"),
    "code.INVALID_FISCAL_STRENGTH_INDEX": Msg(
        "財政力指数が正しくありません", "Invalid fiscal strength index"
    ),
    "code.FISCAL_STRENGTH_INDEX_CONFLICT": Msg(
        "同じ団体・年度に別の財政力指数があります（先の値を採用し、この行は計算しません）",
        "Another fiscal strength index for the same government and year: the first stands and "
        "this row is not computed",
    ),
    "code.UNKNOWN_COLUMN": Msg("認識できない列です", "Unknown column"),
    "code.RULE_VERSION_CONFLICT": Msg(
        "同梱の規則と同じ版番号で内容が異なります", "A shipped rule version with other content"
    ),
    "code.INVALID_RULE_FILE": Msg("規則ファイルが正しくありません", "Invalid rule file"),
    "advice.STANDARD_RATE": Msg(
        "対応は不要です。標準の措置率（規則ファイルの `rates.standard`）で計算しました。",
        "Nothing to do: the standard rate (`rates.standard` in the rule file) applies.",
    ),
    "advice.JOINT_RATE": Msg(
        "対応は不要です。協定の条件（締結済み、構成団体数、申告団体が構成団体）をすべて満たしたため、共同調達の措置率（規則ファイルの `rates.joint`）で計算しました。",
        "Nothing to do: every condition of the agreement was met (concluded, enough parties, the declaring government is a party), so the joint rate (`rates.joint` in the rule file) applies.",
    ),
    "advice.EXCLUDED_STANDARDIZATION_TARGET": Msg(
        "対象業務がシステム標準化の対象事務（住民記録、税、福祉など20業務）に当たるため措置額は0です。`tokko explain` で、どの業務名・別名に当たったかを確かめてください。誤って当たっている場合は対象業務の書き方を見直します。",
        "The measure is 0 because the business area is one of the 20 standardization-target businesses. `tokko explain` shows which name or alias matched; if the match is wrong, reword the business area.",
    ),
    "advice.EXCLUDED_TECHNOLOGY": Msg(
        "AI・RPA以外の技術（IoTなど）のため措置額は0です。AI・RPAの経費であれば区分を直します（AI-OCR は AI として扱います）。",
        "The measure is 0 because the technology is neither AI nor RPA (IoT, say). If the expense is AI or RPA, correct the technology (AI-OCR counts as AI).",
    ),
    "advice.EXCLUDED_EXPENSE_KIND": Msg(
        "機器購入・人件費・その他は措置の対象外の経費区分のため措置額は0です。区分が誤っていないか確かめてください。",
        "The measure is 0 because hardware, personnel and other costs are not eligible kinds of expense. Check the expense kind is right.",
    ),
    "advice.JOINT_WITHOUT_AGREEMENT": Msg(
        "調達方法が「共同」なのに協定番号が空のため、標準の措置率で計算しました。協定を締結していれば協定番号を記入し、協定ファイル（`--agreements`）にその協定を載せてください。",
        "The row says joint procurement but gives no agreement number, so the standard rate was applied. If an agreement was concluded, fill in its number and list it in the agreements file (`--agreements`).",
    ),
    "advice.AGREEMENT_UNKNOWN": Msg(
        "協定番号に当たる協定が見つからないため、標準の措置率で計算しました。協定番号の誤記か、協定ファイル（`--agreements`）または申告 JSON の `agreements` への記載漏れです。",
        "No agreement has this number, so the standard rate was applied. Either the number is mistyped or the agreement is missing from the agreements file (`--agreements`) or the declaration's `agreements`.",
    ),
    "advice.AGREEMENT_NOT_PARTY": Msg(
        "申告団体が協定の構成団体に含まれていないため、標準の措置率で計算しました。協定の構成団体の団体コードを確かめてください。",
        "The declaring government is not among the agreement's parties, so the standard rate was applied. Check the parties' codes in the agreement.",
    ),
    "advice.AGREEMENT_TOO_FEW_PARTIES": Msg(
        "協定の構成団体が最少団体数（2団体）に満たないため、標準の措置率で計算しました。構成団体の記載漏れがないか確かめてください。",
        "The agreement has fewer parties than required (two), so the standard rate was applied. Check that no party is missing.",
    ),
    "advice.AGREEMENT_NOT_CONCLUDED": Msg(
        "協定の締結日が当該年度末（3月31日）より後のため、標準の措置率で計算しました。締結日を確かめてください。",
        "The agreement was concluded after the end of the fiscal year (31 March), so the standard rate was applied. Check the date.",
    ),
    "advice.REVENUE_EXCEEDS_AMOUNT": Msg(
        "特定財源が事業費を超えています。控除後の額を0として計算しました（措置額も0）。特定財源か事業費の記入誤りの可能性が高いので、補助金の交付決定額などと照らしてください。",
        "Specific revenue exceeds the amount; the net cost was set to 0 (so is the measure). One of the two is probably mistyped: check against the subsidy decision.",
    ),
    "advice.DUPLICATE_CONTRACT": Msg(
        "同じ契約番号が、同じ団体・年度で2回以上、または単独調達なのに複数の団体で申告されています。二重計上（会計検査院が指摘する誤りの一つ）の疑いがあります。金額は計算しているので、重複していれば一方の行を削除してください。",
        "The same contract number is declared twice by one government in one year, or by several governments for a single procurement: possible double counting, a mistake the Board of Audit reports. Amounts are computed; delete the repeated row if it is one.",
    ),
    "advice.JOINT_SHARES_EXCEED_CONTRACT": Msg(
        "共同調達の各団体の負担額の合計が契約総額を超えています。各団体の負担額と契約総額を確かめてください。",
        "The parties' shares of a joint contract add up to more than the contract total. Check each share and the total.",
    ),
    "advice.RULES_UNCONFIRMED_FOR_YEAR": Msg(
        "この年度は、規則ファイルが出典で確認済みとする年度（`confirmed_through`、同梱の規則では2025年度）より後です。前の年度の規則を延長して計算した見込みの額です。その年度の通知を確かめ、必要なら新しい規則ファイルを作ってください（規則ファイルの作り方を参照）。",
        "The fiscal year is after the last year the rule file's sources confirm (`confirmed_through`, 2025 for the shipped rules): the amount extends an earlier year's rules. Check that year's notice and, if needed, write a new rule file (see the rule guide).",
    ),
    "advice.INVALID_CODE": Msg(
        "団体コードの形（6桁、または検査数字を除く5桁）か検査数字が正しくありません。`tokko codes 団体名` で正しいコードを確かめてください。",
        "The local government code is malformed (6 digits, or 5 without the check digit) or its check digit is wrong. Look the code up with `tokko codes NAME`.",
    ),
    "advice.UNKNOWN_ENTITY": Msg(
        "形は正しいものの、その団体コードの地方公共団体がありません。`tokko codes 団体名` で確かめてください。",
        "The code is well formed but names no local government. Look it up with `tokko codes NAME`.",
    ),
    "advice.INVALID_FISCAL_YEAR": Msg(
        "年度が読めません。2023、2023年度、R5、令和5年度、H31 などの形で書いてください。",
        "The fiscal year cannot be read. Write it as 2023, 2023年度, R5, 令和5年度, H31 and so on.",
    ),
    "advice.NO_RULES_FOR_YEAR": Msg(
        "その年度に適用される規則ファイルがありません（同梱の規則は2021年度から）。年度の誤りでなければ、その年度の規則ファイルが必要です。",
        "No rule file is in force for that fiscal year (the shipped rules start in 2021). If the year is right, that year needs a rule file.",
    ),
    "advice.INVALID_AMOUNT": Msg(
        "金額が読めません。0以上の整数の円で書いてください（1,234,567 や 1234567円 も可。小数や負の数は不可）。千円単位の表は `--unit thousand` で読みます。",
        "The amount cannot be read. Give whole yen of 0 or more (1,234,567 and 1234567円 are fine; fractions and negative numbers are not). Read a table in thousands of yen with `--unit thousand`.",
    ),
    "advice.MISSING_FIELD": Msg(
        "必須の欄（団体コード、年度、項目番号、事業名、区分、経費区分、事業費）が空です。記入してください。",
        "A required field (code, fiscal year, item number, description, technology, expense kind, amount) is empty. Fill it in.",
    ),
    "advice.DUPLICATE_ITEM_ID": Msg(
        "同じ団体・年度で項目番号が重複しています。先の行を採用し、この行は計算していません。別の経費であれば項目番号を振り直してください。",
        "The item number is repeated within one government and year. The first row stands; this row is not computed. If it is a different expense, give it its own number.",
    ),
    "advice.UNKNOWN_VALUE": Msg(
        "値を認識できません（規則ファイルにない経費区分、申告 JSON の知らない欄など）。メッセージに示された候補から選んでください。",
        "The value is not recognised (an expense kind the rule file does not name, an unknown key in a declaration JSON…). Pick one of the values the message lists.",
    ),
    "advice.EXCLUDED_NOT_FIRST_YEAR": Msg(
        "利用料・ライセンス料は、AI・RPAを導入した年度の分だけが対象です（規則ファイルの `expense_kinds[].first_year_only`）。導入年度（`introduced_in`）が申告の年度より前のため措置額は0です。導入年度が誤っていないか確かめてください。",
        "Licence fees count in the year the AI/RPA was introduced only (`expense_kinds[].first_year_only` in the rule file); the year of introduction (`introduced_in`) is before the declared year, so the measure is 0. Check the year of introduction.",
    ),
    "advice.JOINT_RATE_NOT_IN_FORCE": Msg(
        "この年度の規則（2020年度など）には共同調達の措置率がないため、標準の措置率で計算しました。対応は不要です。",
        "The rules of this year (fiscal 2020, say) have no joint-procurement rate, so the standard rate was applied. Nothing to do.",
    ),
    "advice.INTRODUCTION_YEAR_MISSING": Msg(
        "導入した年度にだけ対象となる経費（利用料・ライセンス料）ですが、導入年度が空のため、導入した年度の経費として計算しました。導入年度の列（導入年度 / introduced_in）に記入してください。翌年度以降の経費なら対象外です。",
        "A cost that counts in the year of introduction only (licence fees), but the year of introduction is empty: it was computed as a cost of that year. Fill in the year of introduction (導入年度 / introduced_in); a later year's cost is excluded.",
    ),
    "advice.CODE_LEADING_ZERO_RESTORED": Msg(
        "団体コードが5桁で、先頭の0を補った6桁のコードとして読みました（Excel で数値として保存すると先頭の0が消えます）。団体名が正しいか確かめ、列を文字列として保存してください。",
        "The code had 5 digits and was read as the 6-digit code with its leading zero restored (Excel drops it when the cell is a number). Check the government's name, and keep the column as text.",
    ),
    "advice.FISCAL_STRENGTH_NOT_APPLIED": Msg(
        "措置額は財政力指数に応じた乗率を掛ける前の額です。規則ファイルに乗率の表がないか（同梱の規則には、確認できた値がないため表を載せていません）、団体の財政力指数が与えられていません。表を省令から転記した規則ファイルと、指数（`--fiscal-strength` または `財政力指数` の列）を用意すると乗率を掛けます。",
        "The measure is the amount before the fiscal-strength multiplier: the rule file has no multiplier table (the shipped rules carry none, its values could not be confirmed) or the government's index is not given. With a rule file carrying the ordinance's table and the index (`--fiscal-strength`, or a `fiscal_strength_index` column), the multiplier applies.",
    ),
    "advice.AMBIGUOUS_CODE": Msg(
        "5桁の団体コードが、5桁のコードとしても、先頭の0が欠けた6桁のコードとしても団体を指します。どちらの団体か確かめ、6桁のコードで書いてください。",
        "A 5-digit code names one government as a 5-digit code and another with a leading zero restored. Check which one is meant and write the 6-digit code.",
    ),
    "advice.INVALID_FISCAL_STRENGTH_INDEX": Msg(
        "財政力指数は0以上、小数2桁までの数値で書きます（省令どおり小数2桁に端数処理した値）。前3年度の基準財政収入額と基準財政需要額から計算するには `tokko.fiscal_strength_index` を使います。",
        "Write the fiscal strength index as a number of 0 or more with at most 2 decimals (rounded as the ordinance does). `tokko.fiscal_strength_index` computes it from three years' standard fiscal revenue and demand.",
    ),
    "advice.FISCAL_STRENGTH_INDEX_CONFLICT": Msg(
        "同じ団体・年度に別の財政力指数が書かれています。最初の値を使い、この行は計算していません。正しい値にそろえてください。",
        "Another fiscal strength index is given for the same government and year: the first stands and this row is not computed. Make them agree.",
    ),
    "advice.UNKNOWN_COLUMN": Msg(
        "どの項目でもない列です。値は結果にそのまま載せますが、計算には使っていません。計算に使う列なら見出しを直し（国庫補助金 → 特定財源 など）、使わない列なら --ignore-column で指定するか、見出しを「備考」にしてください。",
        "A column that is none of the fields: its values are carried to the results but not computed. If it should count, rename its header (国庫補助金 → 特定財源, say); if not, name it with --ignore-column or head it 備考 (note).",
    ),
    "advice.RULE_VERSION_CONFLICT": Msg(
        "同梱の規則と同じ版番号の規則ファイルが、別の内容になっています。手を加えた規則には、別の版番号（例: 2021.2-北海道）を付けてください。",
        "A rule file reuses a shipped version number with other content. Give edited rules a version of their own (e.g. 2021.2-hokkaido).",
    ),
    "advice.INVALID_RULE_FILE": Msg(
        "規則ファイルに誤りがあります。`tokko rules validate` がすべての誤り（ファイル、キー、理由）を示します。",
        "The rule file has mistakes; `tokko rules validate` lists them all (file, key, reason).",
    ),
}

# ── the fields: headers and help ────────────────────────────────────────────────────────────

_COLUMNS = {
    "column.entity_code": Msg("団体コード", "local government code"),
    "column.fiscal_year": Msg("年度", "fiscal year"),
    "column.item_id": Msg("項目番号", "item number"),
    "column.description": Msg("事業名", "description"),
    "column.technology": Msg("区分", "technology"),
    "column.business_area": Msg("対象業務", "business area"),
    "column.expense_kind": Msg("経費区分", "expense kind"),
    "column.amount": Msg("事業費", "amount"),
    "column.specific_revenue": Msg("特定財源", "specific revenue"),
    "column.procurement": Msg("調達方法", "procurement"),
    "column.agreement_id": Msg("協定番号", "agreement number"),
    "column.contract_id": Msg("契約番号", "contract number"),
    "column.contract_total": Msg("契約総額", "contract total"),
    "column.introduced_in": Msg("導入年度", "year introduced"),
    "column.fiscal_strength_index": Msg("財政力指数", "fiscal strength index"),
    "column.title": Msg("協定名", "title"),
    "column.concluded_on": Msg("締結日", "date concluded"),
    "column.parties": Msg("構成団体", "parties"),
    "column.agreements": Msg("協定", "agreement"),
    "column.items": Msg("項目の一覧", "items"),
    "column.status": Msg("状態", "status"),
    "column.reasons": Msg("理由", "reasons"),
    "column.warnings": Msg("警告", "warnings"),
    "column.net": Msg("控除後の額", "net"),
    "column.rate": Msg("措置率", "rate"),
    "column.measure": Msg("措置額", "measure"),
}

_HELP = {
    "help.entity_code": Msg(
        "全国地方公共団体コード（6桁、または検査数字のない5桁）",
        "全国地方公共団体コード: 6 digits with check digit, or 5 digits",
    ),
    "help.fiscal_year": Msg(
        "年度: 2021, 2021年度, R3, 令和3年度, H31 …",
        "2021, 2021年度, R3, 令和3年度, 令和元年度, H31…",
    ),
    "help.item_id": Msg(
        "項目番号（同じ団体・年度で重ならない番号）",
        "item number, unique within a government and fiscal year",
    ),
    "help.description": Msg("事業名", "what the expense is"),
    "help.technology": Msg(
        "区分: AI, RPA, AI+RPA （AI-OCR は AI）",
        "AI, RPA or AI+RPA (AI-OCR is AI); other technologies are valid but excluded",
    ),
    "help.business_area": Msg(
        "対象業務 （標準化対象事務か確かめます）",
        "the work the AI/RPA serves; matched against the standardization-target businesses",
    ),
    "help.expense_kind": Msg(
        "経費区分: 導入・構築, 利用料・ライセンス料, 研修, 業務分析・コンサルティング, 機器購入, "
        "人件費, その他 （英語の id も可: introduction …）",
        "introduction 導入・構築, license 利用料・ライセンス料, training 研修, consulting "
        "業務分析・コンサルティング, hardware 機器購入, personnel 人件費, other その他",
    ),
    "help.amount": Msg(
        "事業費 （円。1,234,567 も可）",
        'whole yen ≥ 0: 1234567, "1,234,567", "１２３４５６７", "1234567円" '
        "(never a fractional number)",
    ),
    "help.specific_revenue": Msg(
        "特定財源 （国庫支出金など。控除します）",
        "specific revenue (national or prefectural subsidies…), deducted; whole yen ≥ 0",
    ),
    "help.procurement": Msg("調達方法: 単独 または 共同", "single (単独) or joint (共同)"),
    "help.agreement_id": Msg(
        "協定番号 （共同調達の措置率に必要）", "agreement number (needed for the joint rate)"
    ),
    "help.contract_id": Msg(
        "契約番号 （同じ経費の二重計上を見つけます）",
        "contract number (finds the same expense counted twice)",
    ),
    "help.contract_total": Msg(
        "契約総額 （共同調達の契約全体の額）", "the whole contract's amount, for a joint contract"
    ),
    "help.introduced_in": Msg(
        "AI・RPAを導入した年度 （利用料・ライセンス料は導入した年度のみ対象）",
        "the fiscal year the AI/RPA was introduced (licence fees count in that year only)",
    ),
    "help.fiscal_strength_index": Msg(
        "財政力指数 （0以上、小数2桁まで。例: 0.45）",
        "fiscal strength index: 0 or more, at most 2 decimals (e.g. 0.45)",
    ),
    "help.title": Msg("協定名", "title of the agreement"),
    "help.concluded_on": Msg(
        "協定の締結日: 2021-05-10, 2021/5/10, 令和3年5月10日",
        "2021-05-10, 2021/5/10 or 令和3年5月10日",
    ),
    "help.parties": Msg(
        "協定の構成団体の団体コード （; か 、 で区切る）", "codes separated by ; or 、 (or a list)"
    ),
}

# ── reading values ──────────────────────────────────────────────────────────────────────────

_VALUES = {
    "amount.expected.yen": Msg(
        "0以上の整数の円（例: 1234567、1,234,567、1234567円）",
        "whole yen of 0 or more (e.g. 1234567, 1,234,567, 1234567円)",
    ),
    "amount.expected.thousand": Msg(
        "0以上の千円（小数は3桁＝1円まで。例: 1235、1,235、1,234.567、1,235千円）",
        "thousands of yen of 0 or more, to 3 decimals (a yen) at most (e.g. 1235, 1,235, "
        "1,234.567, 1,235千円)",
    ),
    "amount.negative": Msg(
        "「{shown}」は負の金額です。{expected}が必要です",
        "'{shown}' is negative; expected {expected}",
    ),
    "amount.fraction": Msg(
        "「{shown}」は整数ではありません（小数は受け付けません）。{expected}が必要です",
        "'{shown}' is not a whole number; expected {expected}",
    ),
    "amount.fraction_of_yen": Msg(
        "「{shown}」千円は1円未満の端数を含みます（千円の値は小数3桁＝1円まで）。{expected}が必要です",
        "'{shown}' thousand yen holds a fraction of a yen (3 decimals, a yen, at most); "
        "expected {expected}",
    ),
    "amount.float": Msg(
        "「{shown}」は小数（浮動小数点数）です。金額は整数か文字列で指定してください",
        "'{shown}' is a floating-point number; give amounts as integers or strings",
    ),
    "amount.unreadable": Msg(
        "「{shown}」は金額として読めません。{expected}が必要です",
        "'{shown}' is not an amount; expected {expected}",
    ),
    "amount.too_large": Msg(
        "「{shown}」は大きすぎます（{limit}以上は受け付けません）。桁や単位を確かめてください",
        "'{shown}' is too large ({limit} or more is refused); check the digits and the unit",
    ),
    "amount.limit.yen": Msg("{n}円", "{n} yen"),
    "amount.limit.thousand": Msg("{n}千円", "{n} thousand yen"),
    "amount.other_unit_thousand": Msg(
        "「{shown}」は千円単位の値です。千円単位の金額は --unit thousand で読みます",
        "'{shown}' is in thousands of yen; read 千円 amounts with --unit thousand",
    ),
    "amount.other_unit_yen": Msg(
        "「{shown}」は円単位の値ですが、千円単位（--unit thousand）で読んでいます",
        "'{shown}' is in yen, but the amounts are read in thousands of yen (--unit thousand)",
    ),
    "fiscal_year.unreadable": Msg(
        "「{shown}」は年度として読めません。年度（例: 2021、2021年度、R3、令和3年度、令和元年度、H31）が必要です",
        "'{shown}' is not a fiscal year; expected a fiscal year (e.g. 2021, 2021年度, R3, "
        "令和3年度, 令和元年度, H31)",
    ),
    "date.unreadable": Msg(
        "「{shown}」は日付として読めません。日付（例: 2021-05-10、2021/5/10、令和3年5月10日）が必要です",
        "'{shown}' is not a date; expected e.g. 2021-05-10, 2021/5/10 or 令和3年5月10日",
    ),
    "entity_code.expected": Msg(
        "6桁（検査数字つき）または5桁の数字が必要です",
        "expected 6 digits with a valid check digit, or 5 digits",
    ),
    "entity_code.empty": Msg(
        "団体コードが空です。6桁（検査数字つき）または5桁の数字が必要です",
        "the local government code is empty; expected 6 digits with a valid check "
        "digit, or 5 digits",
    ),
    "entity_code.digits": Msg(
        "「{shown}」（{n}桁）は団体コードとして読めません。6桁（検査数字つき）または5桁の数字が必要です",
        "'{shown}' ({n} digits) is not a local government code; expected 6 digits with a "
        "valid check digit, or 5 digits",
    ),
    "entity_code.non_digits": Msg(
        "「{shown}」（数字以外の文字「{others}」を含む）は団体コードとして読めません。6桁（検査数字つき）または5桁の数字が必要です",
        "'{shown}' (contains non-digits '{others}') is not a local government code; expected "
        "6 digits with a valid check digit, or 5 digits",
    ),
    "entity_code.type": Msg(
        "{kind}型の値「{shown}」は団体コードとして読めません。6桁（検査数字つき）または5桁の数字が必要です",
        "'{shown}' ({kind}) is not a local government code; expected 6 digits with a valid check "
        "digit, or 5 digits",
    ),
    "entity_code.number_range": Msg(
        "数値 {shown} は団体コードとして読めません（0〜999999の範囲外）。6桁（検査数字つき）または5桁の数字が必要です",
        "the number {shown} is not a local government code (outside 0–999999); expected 6 "
        "digits with a valid check digit, or 5 digits",
    ),
    "entity_code.check_digit": Msg(
        "団体コード「{code}」の検査数字（6桁目）{digit}が違います。「{first}」の検査数字は{expected}です（{right}）。前の5桁も確かめてください",
        "the code {code} has a wrong check digit {digit}: the check digit of {first} is "
        "{expected} ({right}); check the first five digits too",
    ),
    "entity_code.number_check_digit": Msg(
        "数値 {shown}（先頭を0で補って{code}）の検査数字（6桁目）{digit}が違います。「{first}」の検査数字は{expected}です（{right}）",
        "the number {shown} (zero-padded to {code}) has a wrong check digit {digit}: the "
        "check digit of {first} is {expected} ({right})",
    ),
    "entity_code.ambiguous": Msg(
        "「{shown}」は5桁の団体コードとしては{five}、先頭の0が欠けた6桁としては{six}と読めます。6桁の団体コードで書いてください",
        "'{shown}' reads as {five} as a 5-digit code and as {six} with its leading zero "
        "restored; write the 6-digit code",
    ),
    "entity.bad_prefecture": Msg(
        "団体コード{code}の地方公共団体はありません。都道府県の部分（先頭2桁）は01〜47です",
        "no local government has the code {code}; the prefecture part (first two digits) "
        "runs 01–47",
    ),
    "entity.ward": Msg(
        "団体コード{code}の地方公共団体はありません。{city}の区（行政区）のコードかもしれません。行政区は別の団体ではないので、{city}のコード{city_code}を使ってください",
        "no local government has the code {code}; it may be a ward (行政区) of {city}, which "
        "is not a separate local government: use {city}'s code {city_code}",
    ),
    "entity.unknown": Msg(
        "団体コード{code}の地方公共団体は、全国地方公共団体コード（総務省）の一覧にありません。近いコード: {near}",
        "no local government has the code {code} in the 全国地方公共団体コード list (総務省); "
        "near codes: {near}",
    ),
    "entity.unknown_five": Msg(
        "「{shown}」は5桁の団体コードとしても（{five}）、先頭の0が欠けた6桁としても（{six}）団体を指しません。近いコード: {near}",
        "'{shown}' names no government as a 5-digit code ({five}) nor with a leading zero "
        "restored ({six}); near codes: {near}",
    ),
    "index.not_number": Msg(
        "財政力指数「{shown}」は数値として読めません。0以上で小数2桁までの数値（例: 0.45）が必要です",
        "the fiscal strength index '{shown}' is not a number; expected a number of 0 or more "
        "with at most 2 decimals (e.g. 0.45)",
    ),
    "index.negative": Msg(
        "財政力指数「{shown}」は負の値です。0以上の値が必要です",
        "the fiscal strength index '{shown}' is negative; expected 0 or more",
    ),
    "index.decimals": Msg(
        "財政力指数「{shown}」は小数3桁以上です。省令どおり小数2桁に端数処理した値が必要です",
        "the fiscal strength index '{shown}' has more than 2 decimals; expected the index "
        "rounded to 2 decimals as the ordinance does",
    ),
    "index.revenue": Msg("基準財政収入額", "the standard fiscal revenue (基準財政収入額)"),
    "index.demand": Msg("基準財政需要額", "the standard fiscal demand (基準財政需要額)"),
    "index.three_years": Msg(
        "{what}は前3年度分（3つ）が必要です（{n}個あります）",
        "{what} is needed for each of the three preceding fiscal years (3 values, got {n})",
    ),
    "index.figure": Msg(
        "{year}年度目の{what}「{shown}」は int か有限の Decimal が必要です"
        "（float・真偽値・文字列は受け付けません）",
        "{what} of year {year} ('{shown}') must be an int or a finite Decimal "
        "(a float, a bool or text is refused)",
    ),
    "index.demand_positive": Msg(
        "{year}年度目の{what}「{shown}」は0より大きい値が必要です",
        "{what} of year {year} ('{shown}') must be more than 0",
    ),
    "index.revenue_negative": Msg(
        "{year}年度目の{what}「{shown}」は0以上の値が必要です",
        "{what} of year {year} ('{shown}') must be 0 or more",
    ),
    "index.conflict": Msg(
        "この行の財政力指数 {index} は、同じ団体・年度の前の値 {first} と異なります",
        "this row's fiscal strength index {index} differs from {first} given before for the "
        "same government and year",
    ),
    "field.missing": Msg(
        "「{label}」は必須です。値を入れてください", "'{label}' is required; fill it in"
    ),
    "field.blank_id": Msg(
        "番号が空です（見えない文字しかありません）",
        "the number is empty (nothing but invisible characters)",
    ),
    "expected.text": Msg("文字", "text"),
    "expected.id": Msg("番号（文字または整数）", "an identifier (text or a whole number)"),
    "expected.procurement": Msg(
        "single（単独）または joint（共同）", "single (単独) or joint (共同)"
    ),
    "value.not_text": Msg(
        "「{shown}」は使えません。{expected}が必要です",
        "'{shown}' cannot be used; expected {expected}",
    ),
    "value.too_long": Msg(
        "値が長すぎます（{limit}文字まで）", "the value is too long (at most {limit} characters)"
    ),
    "procurement.unknown": Msg(
        "「{shown}」は調達方法として認識できません。single（単独）または joint（共同）が必要です",
        "'{shown}' is not a procurement method; expected single (単独) or joint (共同)",
    ),
    "expense_kind.unknown": Msg(
        "「{shown}」は経費区分として認識できません。次のいずれかが必要です: {names_ja}",
        "'{shown}' is not an expense kind; expected one of: {names_en}",
    ),
    "introduced_in.after": Msg(
        "導入年度（{introduced}年度）が申告の年度（{year}年度）より後です",
        "the year of introduction ({introduced}) is after the fiscal year declared ({year})",
    ),
    "item_id.repeated": Msg(
        "項目番号「{item_id}」は同じ団体・年度の前の行で使われています",
        "item number '{item_id}' is already used by an earlier row of this government and year",
    ),
    "agreement.repeated": Msg(
        "協定番号「{agreement_id}」が前の協定と重複しています（先の協定を採用）",
        "agreement '{agreement_id}' repeats an earlier one (the first stands)",
    ),
    "field.twice": Msg(
        "「{first}」と「{second}」は同じ項目で、値が違います。どちらの値か決められないため計算しません。一方だけにしてください",
        "'{first}' and '{second}' are the same field with two different values: which one is "
        "meant cannot be told, so neither is used; give one",
    ),
    "cell.formula_unsaved": Msg(
        "数式（{formula}）の計算結果がファイルに保存されていないため、値がわかりません。Excel で開いて保存し直すか、値を入力してください",
        "the formula ({formula}) has no result saved in the file, so its value is unknown: open "
        "and save the file in Excel, or type the value",
    ),
    "column.unknown": Msg(
        "列「{header}」はどの項目でもありません。値は結果にそのまま載せますが、計算には使いません。使う列なら見出しを直し、使わない列なら --ignore-column で指定してください",
        "column '{header}' is none of the fields: its values are carried to the results as "
        "they stand but not computed; rename the header if it is meant to count, or name it "
        "with --ignore-column",
    ),
    "column.unknown_probable": Msg(
        "列「{header}」はどの項目でもありません。「{probable}」のことではありませんか。計算には使っていません（見出しを直すか、--ignore-column で指定してください）",
        "column '{header}' is none of the fields; did you mean '{probable}'? It was not "
        "computed (rename the header, or name it with --ignore-column)",
    ),
    "column.unknown_key": Msg(
        "「{key}」は項目の欄ではありません（計算には使っていません）",
        "'{key}' is not a field (it was not computed)",
    ),
    "fiscal_strength.missing.table": Msg(
        "規則ファイルに財政力指数に応じた乗率の表がありません（省令の表が転記されていません）",
        "the rule file carries no multiplier table (the ordinance's table is not transcribed)",
    ),
    "fiscal_strength.missing.index": Msg(
        "この団体・年度の財政力指数が与えられていません",
        "no fiscal strength index is given for this government and year",
    ),
    "fiscal_strength.missing.entity": Msg(
        "乗率の表が都道府県と市町村で分かれているため、団体（--entity）が必要です",
        "the multiplier table differs for prefectures and municipalities: the government "
        "(--entity) is needed",
    ),
    "fiscal_strength.missing.table_and_index": Msg(
        "規則ファイルに乗率の表がなく、財政力指数も与えられていません",
        "the rule file carries no multiplier table, and no fiscal strength index is given",
    ),
}

# ── rule files ──────────────────────────────────────────────────────────────────────────────

_RULES = {
    "rule.not_utf8": Msg(
        "UTF-8 の文字として読めません（{at} バイト目）", "not UTF-8 text (at byte {at})"
    ),
    "rule.not_toml": Msg("TOML として読めません: {reason}", "not valid TOML: {reason}"),
    "rule.unknown_source": Msg(
        "出典「{source}」を挙げていますが、[sources] にありません",
        "cites source '{source}', which [sources] does not define",
    ),
    "rule.exclusion_order": Msg(
        "exclusion_order には {steps} を1回ずつ書きます",
        "exclusion_order must name {steps} once each",
    ),
    "rule.name_twice.kind": Msg(
        "経費区分の名前「{name}」が「{first}」と「{second}」にあります（2回目）",
        "expense kind name '{name}' is given to '{first}' and again to '{second}'",
    ),
    "rule.name_twice.business": Msg(
        "業務の名前・別名「{name}」が「{first}」と「{second}」にあります（2回目）",
        "business name or alias '{name}' is given to '{first}' and again to '{second}'",
    ),
    "rule.name_twice.technology": Msg(
        "技術「{name}」が2回あります", "technology '{name}' is named twice"
    ),
    "rule.rounding_mode": Msg(
        "端数処理の方法が分かりません。次のいずれかが必要です: {modes}",
        "unknown rounding mode; expected one of {modes}",
    ),
    "rule.source_date": Msg(
        "出典には日付、または日付がない理由の注記（note_ja / note_en）が必要です",
        "a source needs a date, or a note (note_ja / note_en) saying why it has none",
    ),
    "rule.version_form": Msg(
        "版 {version} に空白、見えない文字、全角の英数字は使えません（例: 2021.2、2021.2-県）",
        "the version {version} may not hold blanks, invisible characters or full-width letters "
        "and digits (e.g. 2021.2, 2021.2-pref)",
    ),
    "rule.until_before_from": Msg(
        "effective_until が effective_from より前です", "effective_until is before effective_from"
    ),
    "rule.confirmed_before_from": Msg(
        "confirmed_through が effective_from より前です",
        "confirmed_through is before effective_from",
    ),
    "rule.joint_below_standard": Msg(
        "共同調達の措置率（rates.joint）が標準の措置率（rates.standard）より低いです",
        "rates.joint is below rates.standard",
    ),
    "rule.alias_target": Msg(
        "別名「{alias}」の指す「{target}」は対象の技術（eligible）にありません",
        "alias '{alias}' points at '{target}', not an eligible technology",
    ),
    "rule.joint_conditions": Msg(
        "共同調達の措置率（rates.joint）と共同調達の条件（joint_procurement）は、両方あるか両方ないかのどちらかです",
        "rates.joint and joint_procurement go together: both or neither",
    ),
    "rule.item_rounding_with_multipliers": Msg(
        '乗率の表がある場合、端数処理は乗率の後に1回だけ行います（rounding.scope = "item" は使えません）',
        "with a multiplier table, rounding happens once, after the multiplier: "
        'rounding.scope = "item" cannot be used',
    ),
    "rules.no_year": Msg(
        "{label}（{year}年度）は、規則ファイルの適用年度（{spans}）の外です",
        "fiscal year {year} is outside the years the rule files cover ({spans})",
    ),
    "rules.several_measures": Msg(
        "規則のフォルダに複数の措置があります（{measures}）。--measure で1つを選んでください",
        "the rules folder holds several measures ({measures}); choose one with --measure",
    ),
    "rules.unknown_measure": Msg(
        "措置「{measure}」はありません。あるもの: {measures}",
        "no measure '{measure}'; available: {measures}",
    ),
    "rules.same_start": Msg(
        "{version} の適用開始（{start}年度）が {other}（{other_path}）と同じ年度です",
        "{version} starts in {start}, the same year as {other} ({other_path})",
    ),
    "rules.overlap": Msg(
        "{until}年度まで適用となっており、{start}年度に始まる {other}（{other_path}）と重なります",
        "runs to {until}, past the start of {other} ({other_path}) in {start}",
    ),
    "rules.version_conflict": Msg(
        "同梱の規則 {measure} {version} と同じ版番号ですが、内容が異なります。手を加えた規則には別の版番号（例: {version}-県）を付けてください",
        "reuses the shipped version {measure} {version} with other content; give edited rules "
        "another version (e.g. {version}-local)",
    ),
    "rules.no_folder": Msg("ファイルまたはフォルダがありません", "no such file or folder"),
    "rules.no_files": Msg("規則ファイル（*.toml）がありません", "no rule files (*.toml) found"),
    "rules.unreadable": Msg("読み込めません: {reason}", "cannot be read: {reason}"),
    "pydantic.missing": Msg("必須の項目がありません", "missing required key"),
    "pydantic.extra_forbidden": Msg(
        "規則ファイルにない項目です（綴りの誤りではありませんか）",
        "not a key of rule files (a typing mistake?)",
    ),
    "pydantic.greater_than_equal": Msg("{ge} 以上が必要です", "must be {ge} or more"),
    "pydantic.less_than_equal": Msg("{le} 以下が必要です", "must be {le} or less"),
    "pydantic.greater_than": Msg("{gt} より大きい値が必要です", "must be more than {gt}"),
    "pydantic.less_than": Msg("{lt} より小さい値が必要です", "must be less than {lt}"),
    "pydantic.string_type": Msg("文字列が必要です", "must be a string"),
    "pydantic.string_too_short": Msg("空にはできません", "cannot be empty"),
    "pydantic.string_pattern_mismatch": Msg(
        "形式が違います（{pattern}）", "does not match the pattern {pattern}"
    ),
    "pydantic.int_type": Msg("整数が必要です", "must be a whole number"),
    "pydantic.int_parsing": Msg("整数が必要です", "must be a whole number"),
    "pydantic.int_from_float": Msg("整数が必要です", "must be a whole number"),
    "pydantic.bool_type": Msg("true または false が必要です", "must be true or false"),
    "pydantic.bool_parsing": Msg("true または false が必要です", "must be true or false"),
    "pydantic.decimal_type": Msg("数値が必要です", "must be a number"),
    "pydantic.decimal_parsing": Msg("数値が必要です", "must be a number"),
    "pydantic.date_type": Msg(
        "日付（例: 2021-04-01）が必要です", "must be a date (e.g. 2021-04-01)"
    ),
    "pydantic.date_parsing": Msg(
        "日付（例: 2021-04-01）が必要です", "must be a date (e.g. 2021-04-01)"
    ),
    "pydantic.date_from_datetime_parsing": Msg(
        "日付（例: 2021-04-01）が必要です", "must be a date (e.g. 2021-04-01)"
    ),
    "pydantic.date_from_datetime_inexact": Msg(
        "時刻のない日付（例: 2021-04-01）が必要です",
        "must be a date without a time (e.g. 2021-04-01)",
    ),
    "pydantic.literal_error": Msg(
        "次のいずれかが必要です: {expected}", "must be one of {expected}"
    ),
    "pydantic.too_short": Msg(
        "少なくとも {min_length} 個必要です", "needs at least {min_length} entries"
    ),
    "pydantic.dict_type": Msg("表（テーブル）が必要です", "must be a table"),
    "pydantic.model_type": Msg("表（テーブル）が必要です", "must be a table"),
    "pydantic.model_attributes_type": Msg("表（テーブル）が必要です", "must be a table"),
    "pydantic.list_type": Msg("配列が必要です", "must be an array"),
    "pydantic.tuple_type": Msg("配列が必要です", "must be an array"),
    "pydantic.other": Msg("{text}", "{text}"),
    "fs.what.multiplier": Msg("乗率（value）", "the multiplier (value)"),
    "fs.what.bound": Msg("指数の境界（above・up_to）", "a bound of the index (above, up_to)"),
    "fs.not_decimal": Msg(
        "{what}には引用符のない数値が必要です（{kind}）",
        "{what} must be a number written without quotes (got {kind})",
    ),
    "fs.not_finite": Msg("{what}には有限の数値が必要です", "{what} must be a finite number"),
    "fs.negative": Msg("{what}は0以上が必要です", "{what} must be 0 or more"),
    "fs.bound_decimals": Msg(
        "指数の境界は指数と同じく小数2桁までです（{bound}）",
        "a bound of the index has at most 2 decimals, as the index does; got {bound}",
    ),
    "fs.above_up_to": Msg(
        "above（{above}）は up_to（{up_to}）より小さい値が必要です",
        "above ({above}) must be below up_to ({up_to})",
    ),
    "fs.table_but_not_applied": Msg(
        "財政力補正を適用しない（fiscal_strength.applies = false）のに乗率の表（multipliers）があります",
        "fiscal_strength.multipliers are given but fiscal_strength.applies is false",
    ),
    "fs.mixed_entities": Msg(
        "{named} は団体の種類（entities）を指定し、{unnamed} は指定していません。すべての段階で指定する（都道府県の表と市町村の表）か、どれも指定しない（共通の表）かのいずれかにしてください",
        "{unnamed} give no entities while {named} give them; either every bracket names "
        "entities (a prefecture table and a municipality table) or none does (one table for "
        "both)",
    ),
    "fs.coverage": Msg(
        "段階は0以上のすべての指数をちょうど一度ずつ覆う必要があります。{problems}",
        "the brackets must cover every index of 0 or more exactly once: {problems}",
    ),
    "fs.table.both": Msg("{problem}", "{problem}"),
    "fs.table.prefecture": Msg("都道府県の表: {problem}", "prefecture table: {problem}"),
    "fs.table.municipality": Msg("市町村の表: {problem}", "municipality table: {problem}"),
    "fs.no_brackets.prefecture": Msg(
        "都道府県の段階がありません", "there is no bracket for prefectures"
    ),
    "fs.no_brackets.municipality": Msg(
        "市町村の段階がありません", "there is no bracket for municipalities"
    ),
    "fs.gap": Msg("{range}に当たる段階がありません", "no bracket covers {range}"),
    "fs.overlap": Msg(
        "段階 {first} と {second} が重なっています（{range}が両方に当たります）",
        "brackets {first} and {second} overlap (both cover {range})",
    ),
    "fs.interval.zero": Msg("指数0", "the index 0"),
    "fs.interval.from_zero": Msg("0以上の指数", "indices from 0"),
    "fs.interval.over": Msg("{above}を超える指数", "indices over {above}"),
    "fs.interval.zero_to": Msg("0以上{up_to}以下の指数", "indices from 0 up to {up_to}"),
    "fs.interval.over_to": Msg(
        "{above}を超え{up_to}以下の指数", "indices over {above} up to {up_to}"
    ),
    "fs.bracket": Msg("{range}", "{range}"),
}

# ── explanations ────────────────────────────────────────────────────────────────────────────

_EXPLAIN = {
    "outcome.eligible": Msg("対象", "eligible"),
    "outcome.not_eligible": Msg("対象外", "not eligible"),
    "outcome.not_a_target": Msg("標準化対象事務ではない", "not a standardization target"),
    "outcome.first_year": Msg("導入した年度", "the year of introduction"),
    "outcome.not_first_year": Msg("導入した年度の翌年度以降", "after the year of introduction"),
    "step.first_year": Msg("導入した年度", "Year of introduction"),
    "step.fiscal_strength": Msg("財政力補正", "Fiscal-strength adjustment"),
}

# ── files ───────────────────────────────────────────────────────────────────────────────────

_FILES = {
    "file.missing": Msg("ファイルがありません", "no such file"),
    "file.not_a_file": Msg("ファイルではありません（フォルダなど）", "not a file (a folder?)"),
    "file.json_not_table": Msg(
        "表（CSV または XLSX）ではありません。JSON の申告は tokko calc で計算してください",
        "not a table (CSV or XLSX); compute a JSON declaration with tokko calc",
    ),
    "file.xls": Msg(
        "古い Excel 形式（.xls）は読めません。.xlsx または CSV で保存してください",
        "old Excel files (.xls) are not supported; save as .xlsx or CSV",
    ),
    "file.where_csv": Msg("1行目", "row 1"),
    "file.where_sheet": Msg(
        "シート「{sheet}」の1行目（ブックのシート: {sheets}）",
        "row 1 of sheet '{sheet}' (sheets of the workbook: {sheets})",
    ),
    "file.no_header": Msg(
        "見出し行がありません（{where}が空です）", "no header row ({where} is empty)"
    ),
    "file.no_sheet": Msg(
        "シート「{sheet}」がありません（あるシート: {sheets}）",
        "no sheet named '{sheet}' (sheets: {sheets})",
    ),
    "file.duplicate_column": Msg(
        "「{first}」と「{second}」が同じ項目（{field}）を指しています",
        "columns '{first}' and '{second}' both mean {field}",
    ),
    "file.unit_thousand": Msg(
        "列「{header}」は千円単位ですが、円単位で読んでいます（--unit thousand を指定してください）",
        "column '{header}' is in thousands of yen, but amounts are read in yen; use "
        "--unit thousand",
    ),
    "file.unit_yen": Msg(
        "列「{header}」は円単位ですが、千円単位（--unit thousand）で読んでいます",
        "column '{header}' is in yen, but amounts are read in thousands of yen (--unit thousand)",
    ),
    "file.column_name": Msg("{label}（{name}）", "{name}"),
    "file.missing_columns": Msg(
        "必須の列がありません: {columns}。読んだ見出しは{where}です。{hint}",
        "missing required column(s): {columns}. The header read is {where}. {hint}",
    ),
    "file.header_at": Msg(
        "見出しは{row}行目にあるようです。1行目が見出しになるよう表題などの行を消してください",
        "the header seems to be on row {row}: remove the rows above it (a "
        "title…) so that the header is row 1",
    ),
    "file.no_hint": Msg(
        "見出し行に英語名または日本語名で入れてください（--sheet でシートを選べます）",
        "put them in the header row, in English or Japanese (--sheet chooses the sheet)",
    ),
    "file.value_without_header": Msg(
        "見出しのない列{column}に値があります（見出し行の列数は{width}）。列がずれていないか確かめてください",
        "column {column} has a value but no header (the header has {width} columns); check "
        "that the columns are not shifted",
    ),
    "file.too_large": Msg(
        "ファイルが大きすぎます（{limit}まで）", "the file is too large (at most {limit})"
    ),
    "file.json_too_deep": Msg(
        "JSON の入れ子が深すぎます（{limit}段まで）",
        "the JSON nests too deeply (at most {limit} levels)",
    ),
    "file.json_key_twice": Msg(
        "JSON の同じオブジェクトに「{key}」が2回あります（どちらの値を使うか分かりません）",
        "the key '{key}' appears twice in one JSON object (which value counts is unclear)",
    ),
    "file.json_invalid": Msg(
        "JSON として読めません（{line}行 {column}列: {reason}）",
        "not valid JSON (line {line}, column {column}: {reason})",
    ),
    "file.json_whole": Msg("ファイル全体", "the whole file"),
    "json.expecting_value": Msg("値がありません", "a value is missing"),
    "json.expecting_name": Msg('キーが " で囲まれていません', "a key is not in double quotes"),
    "json.expecting_comma": Msg("「,」がありません", "a ',' is missing"),
    "json.expecting_colon": Msg("「:」がありません", "a ':' is missing"),
    "json.unterminated_string": Msg('文字列が " で閉じられていません', "a string is not closed"),
    "json.extra_data": Msg("JSON の後に余分な文字があります", "extra text after the JSON"),
    "json.control_character": Msg(
        "文字列の中に制御文字があります", "a control character inside a string"
    ),
    "json.bad_escape": Msg("\\ の使い方が正しくありません", "an invalid \\ escape"),
    "file.not_a_declaration": Msg(
        "申告として読めません（{where} の形が違います）。申告は団体コード・年度・items（項目の配列）を持つ JSON オブジェクトです",
        "not a declaration ({where} has the wrong shape): a declaration is a JSON object with "
        "entity_code, fiscal_year and items (a list)",
    ),
    "file.nothing": Msg(
        "計算する項目がありません（見出しだけのファイル、または項目のない申告）",
        "there is nothing to compute (a header-only file, or a declaration without items)",
    ),
    "csv.encoding.utf8": Msg("UTF-8 ", "UTF-8"),
    "csv.encoding.cp932": Msg("Shift_JIS（CP932）", "Shift_JIS (CP932)"),
    "csv.utf16": Msg(
        "UTF-16 のファイルは読めません。UTF-8 または Shift_JIS（CP932）の CSV で保存し直してください",
        "UTF-16 files cannot be read: save the CSV as UTF-8 or Shift_JIS (CP932)",
    ),
    "csv.euc_jp": Msg(
        "EUC-JP のファイルのようです（Shift_JIS として読むと文字化けします）。UTF-8 または Shift_JIS（CP932）の CSV で保存し直してください",
        "this looks like an EUC-JP file (read as Shift_JIS its text would be garbled): save the "
        "CSV as UTF-8 or Shift_JIS (CP932)",
    ),
    "csv.mixed": Msg(
        "{line}行目に UTF-8 でない文字があります。ファイル全体を1つの文字コード（UTF-8 または Shift_JIS）で保存し直してください",
        "line {line}: bytes that are not UTF-8, after text that is; save the whole file in one "
        "encoding (UTF-8 or Shift_JIS)",
    ),
    "csv.mixed_utf8": Msg(
        "{line}行目が UTF-8 で、ほかの行は Shift_JIS（CP932）です。このまま読むと文字化けします。ファイル全体を1つの文字コード（UTF-8 または Shift_JIS）で保存し直してください",
        "line {line} is UTF-8 while the rest of the file is Shift_JIS (CP932): read as it is, "
        "its text would be garbled; save the whole file in one encoding (UTF-8 or Shift_JIS)",
    ),
    "csv.neither": Msg(
        "{line}行目に UTF-8 でも Shift_JIS（CP932）でもない文字があります。UTF-8 または Shift_JIS の CSV で保存し直してください",
        "line {line}: bytes that are neither UTF-8 nor Shift_JIS (CP932); save the CSV as UTF-8 "
        "or Shift_JIS",
    ),
    "csv.not_encoding": Msg(
        "{line}行目に {encoding}として読めない文字があります。ファイル全体を1つの文字コード（UTF-8 または Shift_JIS）で保存し直してください",
        "line {line}: bytes that are not {encoding}; save the whole file in one encoding (UTF-8 "
        "or Shift_JIS)",
    ),
    "csv.nul": Msg(
        "{line}行目に NUL 文字（0x00）があります。テキストの CSV でないか、UTF-16 で保存されています。UTF-8 または Shift_JIS の CSV で保存し直してください",
        "line {line}: a NUL character (0x00): the file is not a text CSV, or is UTF-16; save it "
        "as a UTF-8 or Shift_JIS CSV",
    ),
    "file.unreadable": Msg("ファイルを読めません（{reason}）", "cannot read the file ({reason})"),
    "csv.quote_open_at_end": Msg(
        '{line}行目から始まる引用符（"）がファイルの終わりまで閉じられていません',
        'the quote (") opened in line {line} is not closed before the end of the file',
    ),
    "csv.quote_not_followed": Msg(
        '{line}行目から始まるセルで、引用符（"）の後に「,」か改行がありません（引用符が閉じられていないか、セルの中の " が "" と二重になっていません）',
        'line {line}: a quote (") not followed by a comma or a line end (a quote not closed, '
        'or a " inside a cell not doubled as "")',
    ),
    "csv.unreadable_line": Msg(
        "{line}行目を CSV として読めません（{reason}）",
        "line {line} cannot be read as CSV ({reason})",
    ),
    "csv.quote_not_closed": Msg(
        '{line}行目から始まる引用符（"）が閉じられていません（閉じられているなら、そのセルが {cap} 文字を超えています）',
        'the quote (") opened in line {line} is not closed (or its cell is longer than {cap} '
        "characters)",
    ),
    "csv.record_too_long": Msg(
        '{line}行目から始まる行が長すぎます（引用符（"）の中の改行を含めて {cap} 文字まで）。引用符が閉じられていないかもしれません',
        "the record starting at line {line} is longer than {cap} characters (line breaks inside "
        'quotes included); is a quote (") not closed?',
    ),
    "csv.line_too_long": Msg(
        "{line}行目が長すぎます（1行 {cap} 文字まで）",
        "line {line} is longer than {cap} characters",
    ),
    "csv.cell_too_long": Msg(
        "{line}行目に {cap} 文字を超えるセルがあります（Excel の1セルの上限は {limit} 文字です）",
        "line {line}: a cell longer than {cap} characters (Excel's limit for a cell is {limit})",
    ),
    "csv.changed_while_read": Msg(
        "{encoding}として読めない文字があります（読んでいる間にファイルが変わりました）",
        "bytes that are not {encoding} (the file changed while it was read)",
    ),
    "xlsx.not_xml": Msg(
        "ブックの部品 {part} が壊れています（XML として読めません: {reason}）",
        "part {part} of the workbook is damaged (not well-formed XML: {reason})",
    ),
    "xlsx.not_zip": Msg(
        "ブックが壊れています（ZIP として読めません: {reason}）",
        "the workbook is damaged (not a readable ZIP archive: {reason})",
    ),
    "xlsx.unreadable": Msg("ブックを読めません（{reason}）", "cannot read the workbook ({reason})"),
    "xlsx.unreadable_part": Msg(
        "ブックを読めません（{part}: {reason}）", "cannot read the workbook ({part}: {reason})"
    ),
    "xlsx.cannot_open": Msg("ファイルを開けません（{reason}）", "cannot open the file ({reason})"),
    "xlsx.protected": Msg(
        "パスワードで保護されたブックは読めません。保護を外して保存してください",
        "password-protected workbooks cannot be read; remove the protection and save again",
    ),
    "xlsx.not_xlsx": Msg("Excel ブック（.xlsx）ではありません", "not an Excel workbook (.xlsx)"),
    "xlsx.no_directory": Msg(
        "ブックが壊れています（ZIP の目録が見つかりません。途中で切れていませんか）",
        "the workbook is damaged (no ZIP table of contents; is the file cut short?)",
    ),
    "xlsx.directory_too_large": Msg(
        "ブックの部品が多すぎます（ZIP の目録が {size} バイト、上限 {limit}）",
        "the workbook has too many parts (a ZIP table of contents of {size} bytes; the limit is "
        "{limit})",
    ),
    "xlsx.too_large": Msg(
        "ブックが大きすぎます（展開後 {size} バイト、上限 {limit}）",
        "the workbook is too large ({size} bytes inflated; the limit is {limit})",
    ),
    "xlsx.part_too_large": Msg(
        "ブックの部品 {part} が大きすぎます（展開後 {size} バイト、上限 {limit}）",
        "part {part} is too large ({size} bytes inflated; the limit is {limit})",
    ),
    "xlsx.zip_bomb": Msg(
        "ブックの部品 {part} の圧縮率が異常です（{ratio} 倍、上限 {limit} 倍）。ZIP 爆弾の疑いがあります",
        "part {part} inflates to {ratio} times its compressed size (the limit is {limit}); "
        "refused as a possible zip bomb",
    ),
    "xlsx.missing_part": Msg(
        "ブックに部品 {part} がありません（壊れています）",
        "the workbook has no part {part} (it is damaged)",
    ),
    "xlsx.no_workbook": Msg(
        "ブックに workbook.xml がありません（Excel ブックではありません）",
        "the package has no workbook.xml (not an Excel workbook)",
    ),
    "xlsx.strict": Msg(
        "Strict Open XML 形式のブックは読めません。Excel ブック（.xlsx）として保存し直してください",
        "Strict Open XML workbooks are not supported; save as Excel Workbook (.xlsx)",
    ),
    "xlsx.sheet_twice": Msg(
        "シート名「{sheet}」が重複しています", "sheet name '{sheet}' appears twice"
    ),
    "xlsx.no_sheets": Msg("ブックにシートがありません", "the workbook has no sheets"),
    "xlsx.sheet_without_part": Msg(
        "シート「{sheet}」の部品が見つかりません（ブックが壊れています）",
        "sheet '{sheet}' has no part (the workbook is damaged)",
    ),
    "xlsx.not_worksheet": Msg(
        "シート「{sheet}」はワークシートではありません（グラフシートなど）",
        "sheet '{sheet}' is not a worksheet (a chart sheet or the like)",
    ),
    "xlsx.in_part": Msg("{part}: {problem}", "{part}: {problem}"),
    "xlsx.doctype": Msg(
        "DOCTYPE 宣言があります（Excel は書きません）", "has a DOCTYPE (Excel writes none)"
    ),
    "xlsx.token_too_large": Msg(
        "1 つのタグ・コメントが {limit} バイトを超えています",
        "a single tag or comment is over {limit} bytes",
    ),
    "xlsx.too_many_relationships": Msg(
        "関係が {limit} を超えています", "more than {limit} relationships"
    ),
    "xlsx.too_many_sheets": Msg("シートが {limit} を超えています", "more than {limit} sheets"),
    "xlsx.too_many_formats": Msg("書式が {limit} を超えています", "more than {limit} formats"),
    "xlsx.too_many_strings": Msg(
        "共有文字列が {limit} を超えています", "more than {limit} shared strings"
    ),
    "xlsx.string_too_long": Msg(
        "共有文字列 {index} の文字数が {limit} を超えています（Excel の上限）",
        "shared string {index} holds more than {limit} characters (Excel's limit)",
    ),
    "xlsx.string_too_large": Msg(
        "共有文字列 {index} が {limit} バイトを超えています",
        "shared string {index} is over {limit} bytes",
    ),
    "xlsx.too_many_rows": Msg(
        "行が Excel の上限 {limit} 行を超えています（行 {row}）",
        "more than {limit} rows, Excel's limit (row {row})",
    ),
    "xlsx.row_number": Msg(
        "行番号 {row} が不正です（昇順で 1〜{limit}）",
        "invalid row number {row} (rows ascend from 1 to {limit})",
    ),
    "xlsx.too_many_cells": Msg(
        "行 {row} のセルが Excel の上限 {limit} 列を超えています",
        "row {row} has more than {limit} cells, Excel's limit",
    ),
    "xlsx.row_elements": Msg(
        "行 {row} の要素が {limit} を超えています", "row {row} has more than {limit} XML elements"
    ),
    "xlsx.sheet_elements": Msg(
        "シートの要素が {limit} を超えています（行 {row}）",
        "the sheet has more than {limit} XML elements (row {row})",
    ),
    "xlsx.row_too_large": Msg(
        "行 {row} が {limit} バイトを超えています", "row {row} is over {limit} bytes of XML"
    ),
    "xlsx.cell_out_of_place": Msg(
        "行 {row} のセルの位置が不正です（列 {column}、行 {cell_row}）",
        "row {row} has a cell out of place (column {column}, row {cell_row}; columns ascend up "
        "to 16,384, XFD)",
    ),
    "xlsx.number_out_of_range": Msg(
        "セル {cell} の数値が Excel で扱える範囲を超えています",
        "cell {cell} holds a number Excel cannot hold",
    ),
    "xlsx.cell_too_long": Msg(
        "セル {cell} の文字数が {limit} を超えています（Excel の上限）",
        "cell {cell} holds more than {limit} characters (Excel's limit)",
    ),
    "os.denied": Msg("アクセスする権限がありません", "permission denied"),
    "os.missing": Msg("ありません", "no such file or folder"),
    "os.is_folder": Msg("フォルダです", "it is a folder"),
    "os.not_folder": Msg("途中がフォルダではありません", "a part of the path is not a folder"),
    "os.disk_full": Msg("ディスクがいっぱいです", "the disk is full"),
    "os.read_only": Msg("読み取り専用の場所です", "a read-only place"),
    "os.name_too_long": Msg("名前が長すぎます", "the name is too long"),
    "output.is_folder": Msg("書き出す先がフォルダです", "the output is a folder"),
    "output.no_folder": Msg(
        "書き出す先のフォルダ「{folder}」がありません",
        "the output folder '{folder}' does not exist",
    ),
    "output.read_only_folder": Msg(
        "書き出す先のフォルダ「{folder}」に書き込めません",
        "the output folder '{folder}' cannot be written",
    ),
    "output.read_only_file": Msg(
        "書き出す先のファイルに書き込めません（読み取り専用）",
        "the output file cannot be written (read-only)",
    ),
    "hint.unread_sheet": Msg(
        '注意: {file} のシート「{sheet}」も申告の形ですが、読んでいません（先頭のシートだけを読みます）。読むには --sheet "{sheet}" を付けてください',
        "note: the sheet '{sheet}' of {file} holds a declaration too and was not read (the first "
        'sheet is); read it with --sheet "{sheet}"',
    ),
    "output.escaped": Msg(
        "注意: CP932 で書けない文字 {n} 字を \\UXXXXXXXX の形で書きました（--encoding utf-8 なら元のまま書けます）",
        "note: {n} characters CP932 cannot hold were written as \\UXXXXXXXX (--encoding utf-8 "
        "keeps them)",
    ),
    "output.disk_full": Msg(
        "ディスクがいっぱいで書き出せません（前のファイルはそのままです）",
        "the disk is full (the previous file is left as it was)",
    ),
    "output.failed": Msg(
        "書き出せません: {reason}（前のファイルはそのままです）",
        "cannot be written: {reason} (the previous file is left as it was)",
    ),
    "usage.output_is_input": Msg(
        "書き出す先「{output}」は入力「{input}」と同じファイルです。入力を上書きしないよう、別のファイル名を指定してください",
        "the output '{output}' is the input '{input}' (the same file); give another name so "
        "that the input is not overwritten",
    ),
    "usage.outputs_clash": Msg(
        "書き出す先「{first}」と「{second}」が同じファイルです",
        "the outputs '{first}' and '{second}' are the same file",
    ),
}

# ── the command line's own words ───────────────────────────────────────────────────────────

_CLI = {
    "status.eligible": Msg("対象", "eligible"),
    "status.excluded": Msg("対象外", "excluded"),
    "status.error": Msg("エラー", "error"),
    "yes": Msg("はい", "yes"),
    "no": Msg("いいえ", "no"),
    "eligible_kind": Msg("対象", "eligible"),
    "ineligible_kind": Msg("対象外", "not eligible"),
    "yen": Msg("円", "yen"),
    "result": Msg("判定", "Result"),
    "item": Msg("項目", "Item"),
    "item_number": Msg("番号", "No."),
    "net": Msg("控除後の額", "Net cost"),
    "rate": Msg("措置率", "Rate"),
    "measure": Msg("措置額", "Measure"),
    "measure_item_note": Msg(
        "（この経費の額。端数処理は申告ごとの合計額で行います）",
        "(this expense; rounding applies to each declaration's total)",
    ),
    "reason": Msg("理由", "Reason"),
    "warnings": Msg("警告", "Warnings"),
    "errors": Msg("エラー", "Errors"),
    "rule_file": Msg("規則ファイル", "Rule file"),
    "basis": Msg("根拠", "Basis"),
    "note": Msg("注記", "Note"),
    "source": Msg("出典", "Source"),
    "sources": Msg("出典", "Sources"),
    "key": Msg("キー", "Key"),
    "value": Msg("値", "Value"),
    "input": Msg("入力", "Input"),
    "outcome": Msg("結果", "Outcome"),
    "matched": Msg("（「{term}」に一致）", " (matched '{term}')"),
    "fiscal_year": Msg("年度", "Fiscal year"),
    "total_amount": Msg("事業費の合計", "Total amount"),
    "total_revenue": Msg("特定財源（控除額）", "Specific revenue deducted"),
    "total_net": Msg("控除後の額（対象）", "Net cost (eligible)"),
    "total_excluded": Msg("対象外の額", "Excluded"),
    "measure_exact": Msg("措置額（端数処理前）", "Measure before rounding"),
    "measure_rounded": Msg("措置額（端数処理後）", "Measure after rounding"),
    "reconciliation": Msg("照合", "Reconciliation"),
    "reconciled": Msg("一致", "reconciled"),
    "reconciliation_legend": Msg(
        "（事業費の合計 = 控除後の額（対象） + 対象外の額 + 特定財源（控除額））",
        "(total amount = net cost of eligible items + excluded + specific revenue deducted)",
    ),
    "not_reconciled": Msg("不一致", "does NOT reconcile"),
    "counts": Msg("件数", "Items"),
    "counts_text": Msg(
        "{items}件（対象 {eligible}件、対象外 {excluded}件、エラー {error}件、警告 {warning}件）",
        "{items} ({eligible} eligible, {excluded} excluded, {error} in error, {warning} with warnings)",
    ),
    "declaration_title": Msg("{name} {year} — 規則 {version}", "{name} {year} — rules {version}"),
    "unknown_entity": Msg("（団体不明）", "(unknown government)"),
    "unknown_year": Msg("（年度不明）", "(unknown fiscal year)"),
    "file": Msg("ファイル", "File"),
    "row": Msg("行", "Row"),
    "column": Msg("列", "Column"),
    "code": Msg("コード", "Code"),
    "message": Msg("内容", "Message"),
    "error_list": Msg("エラー一覧（{n}件）", "Errors ({n})"),
    "measure_id": Msg("措置", "Measure"),
    "version": Msg("版", "Version"),
    "path": Msg("ファイル", "Path"),
    "coverage": Msg("適用年度", "In force"),
    "confirmed_through": Msg("出典で確認済み", "Confirmed through"),
    "sha256": Msg("SHA-256", "SHA-256"),
    "rules_title": Msg("規則ファイル（{root}）", "Rule files ({root})"),
    "open_end": Msg("（次の版まで）", "(until the next version)"),
    "name": Msg("名称", "Name"),
    "issuer": Msg("発出者", "Issuer"),
    "date": Msg("日付", "Date"),
    "url": Msg("URL", "URL"),
    "id": Msg("ID", "ID"),
    "aliases": Msg("別名", "Aliases"),
    "eligibility": Msg("対象・対象外", "Eligible"),
    "section.sources": Msg("出典", "Sources"),
    "section.rates": Msg("措置率", "Rates"),
    "section.joint": Msg("共同調達の条件", "Conditions of the joint rate"),
    "section.technologies": Msg("対象技術", "Technologies"),
    "section.expense_kinds": Msg("経費区分", "Expense kinds"),
    "section.excluded": Msg(
        "対象外: システム標準化の対象事務（{n}業務）",
        "Excluded: standardization-target businesses ({n})",
    ),
    "section.revenue": Msg("特定財源", "Specific revenue"),
    "section.rounding": Msg("端数処理", "Rounding"),
    "section.order": Msg("除外理由の優先順", "Order of exclusion reasons"),
    "section.audit": Msg("審査のチェック", "Review checks"),
    "diff_title": Msg("規則の違い: {a} → {b}", "Rule changes: {a} → {b}"),
    "diff_none": Msg("違いはありません。", "No differences."),
    "diff_count": Msg("{n}件の違いがあります。", "Differences: {n}."),
    "change": Msg("変更", "Change"),
    "what": Msg("項目", "What"),
    "before": Msg("変更前", "Before"),
    "after": Msg("変更後", "After"),
    "added": Msg("追加", "added"),
    "removed": Msg("削除", "removed"),
    "changed": Msg("変更", "changed"),
    "reordered": Msg("順序の変更", "reordered"),
    "valid": Msg("問題はありません: {files}（{versions}）", "Valid: {files} ({versions})"),
    "invalid": Msg(
        "規則ファイルに{n}件の問題があります。", "Problems found in the rule files: {n}."
    ),
    "problem_reason": Msg("理由", "Reason"),
    "rules_refused": Msg(
        "規則ファイルを読み込めません（{n}件の問題）。",
        "The rule files cannot be loaded (problems: {n}).",
    ),
    "coverage_skipped": Msg(
        "読み込まれている規則を読めないため、適用年度の重なりは確認していません。",
        "The loaded rules cannot be read, so coverage against them was not checked.",
    ),
    "unknown_version": Msg(
        "規則の版「{version}」がありません。あるもの: {known}",
        "No rule version '{version}'; available: {known}",
    ),
    "item_title": Msg("項目 {item}{description} — {status}", "Item {item}{description} — {status}"),
    "declaration_total": Msg("申告の合計", "Declaration total"),
    "unknown_item": Msg(
        "項目番号「{item}」はありません。あるもの: {known}", "No item '{item}'; items: {known}"
    ),
    "kind": Msg("種類", "Kind"),
    "kana": Msg("よみ", "Reading"),
    "prefecture": Msg("都道府県", "Prefecture"),
    "entity_name": Msg("団体名", "Name"),
    "entity_code": Msg("団体コード", "Code"),
    "kind.prefecture": Msg("都道府県", "prefecture"),
    "kind.designated_city": Msg("指定都市", "designated city"),
    "kind.city": Msg("市", "city"),
    "kind.special_ward": Msg("特別区", "special ward"),
    "kind.town": Msg("町", "town"),
    "kind.village": Msg("村", "village"),
    "codes_none": Msg(
        "「{query}」に当たる地方公共団体はありません。", "No local government matches '{query}'."
    ),
    "codes_more": Msg(
        "ほか{n}件（--limit で表示件数を変えられます）", "and {n} more (change with --limit)"
    ),
    "xlsx_needs_output": Msg(
        "--format xlsx には --output（書き出すファイル）が必要です。",
        "--format xlsx needs --output (the workbook to write).",
    ),
    "written": Msg("書き出しました: {path}", "Written: {path}"),
    "batch_xlsx_ignores": Msg(
        "--format xlsx では集計とエラーも {out} のシートに書きます（--summary, --errors は使いません）。",
        "With --format xlsx the summary and errors are sheets of {out} (--summary and --errors are not used).",
    ),
    "batch_done": Msg(
        "{rows}行を計算しました（警告 {warnings}行、エラー {errors}行、ファイルの問題 {files}件、団体・年度 {entities}件）。",
        "{rows} rows computed ({warnings} with warnings, {errors} error rows, {files} file problems, {entities} government-years).",
    ),
    "phase.scan": Msg("読込", "Scanning"),
    "phase.compute": Msg("計算", "Computing"),
    "rows_per_second": Msg("行/秒", "rows/s"),
    "cannot_access": Msg(
        "{path}: ファイルにアクセスできません（{reason}）",
        "{path}: cannot access the file ({reason})",
    ),
    "error_prefix": Msg("エラー", "Error"),
    "version_line": Msg(
        "{measure} {version}（{path}）: {coverage}、出典で確認済み: {confirmed}",
        "{measure} {version} ({path}): {coverage}; confirmed through {confirmed}",
    ),
}

_STEPS = {
    "step.validate": Msg("入力の確認", "Input check"),
    "step.rules": Msg("規則の選択", "Rule version"),
    "step.technology": Msg("技術区分", "Technology"),
    "step.expense_kind": Msg("経費区分", "Expense kind"),
    "step.standardization_target": Msg("標準化対象事務", "Standardization target"),
    "step.exclusion": Msg("除外", "Exclusion"),
    "step.specific_revenue": Msg("特定財源の控除", "Specific revenue deducted"),
    "step.joint_condition": Msg("共同調達の条件", "Joint-procurement condition"),
    "step.rate": Msg("措置率", "Rate"),
    "step.measure": Msg("措置額", "Measure"),
    "step.sum": Msg("合計", "Sum"),
    "step.round": Msg("端数処理", "Rounding"),
}

# ── tokko rules diff ────────────────────────────────────────────────────────────────────────

_DIFF = {
    "diff.measure.id": Msg("措置のID", "measure id"),
    "diff.measure.version": Msg("版", "version"),
    "diff.measure.name_ja": Msg("措置の名称（日本語）", "name of the measure (Japanese)"),
    "diff.measure.name_en": Msg("措置の名称（英語）", "name of the measure (English)"),
    "diff.measure.effective_from": Msg("適用開始年度", "first fiscal year in force"),
    "diff.measure.effective_until": Msg("適用終了年度", "last fiscal year in force"),
    "diff.measure.confirmed_through": Msg(
        "出典で確認済みの最終年度", "confirmed by sources through"
    ),
    "diff.measure.confirmed_through_note": Msg(
        "出典で確認済みの最終年度の注記", "note on the years confirmed"
    ),
    "diff.sources": Msg("出典", "sources"),
    "diff.sources[*]": Msg("出典「{k}」", "source '{k}'"),
    "diff.sources[*].title": Msg("出典「{k}」の表題", "title of source '{k}'"),
    "diff.sources[*].issuer": Msg("出典「{k}」の発出者", "issuer of source '{k}'"),
    "diff.sources[*].date": Msg("出典「{k}」の日付", "date of source '{k}'"),
    "diff.sources[*].url": Msg("出典「{k}」のURL", "URL of source '{k}'"),
    "diff.sources[*].note": Msg("出典「{k}」の注記", "note on source '{k}'"),
    "diff.rates.standard": Msg("措置率（標準）", "standard rate"),
    "diff.rates.joint": Msg("措置率（協定による共同調達）", "joint-procurement rate"),
    "diff.joint_procurement.agreement_required": Msg(
        "共同調達の条件: 協定の締結が必要", "joint rate condition: agreement required"
    ),
    "diff.joint_procurement.min_parties": Msg(
        "共同調達の条件: 協定の最少構成団体数", "joint rate condition: minimum number of parties"
    ),
    "diff.joint_procurement.declarer_must_be_party": Msg(
        "共同調達の条件: 申告団体が協定の構成団体であること",
        "joint rate condition: the declaring government is a party",
    ),
    "diff.joint_procurement.concluded_by_fiscal_year_end": Msg(
        "共同調達の条件: 年度末までに協定を締結",
        "joint rate condition: agreement concluded by the end of the fiscal year",
    ),
    "diff.technologies.eligible": Msg("対象技術", "eligible technologies"),
    "diff.technologies.aliases": Msg("技術の別名", "technology aliases"),
    "diff.technologies.aliases.value[*]": Msg("技術の別名「{k}」", "technology alias '{k}'"),
    "diff.expense_kinds": Msg("経費区分", "expense kinds"),
    "diff.expense_kinds[*]": Msg("経費区分「{k}」", "expense kind '{k}'"),
    "diff.expense_kinds[*].eligible": Msg(
        "経費区分「{k}」の対象・対象外", "whether expense kind '{k}' is eligible"
    ),
    "diff.expense_kinds[*].aliases": Msg("経費区分「{k}」の別名", "aliases of expense kind '{k}'"),
    "diff.expense_kinds[*].name_ja": Msg(
        "経費区分「{k}」の名称", "Japanese name of expense kind '{k}'"
    ),
    "diff.excluded_businesses": Msg(
        "対象外の標準化対象事務", "excluded standardization-target work"
    ),
    "diff.excluded_businesses.list": Msg(
        "標準化対象事務の一覧", "standardization-target businesses"
    ),
    "diff.excluded_businesses.list[*]": Msg(
        "標準化対象事務「{k}」", "standardization-target business '{k}'"
    ),
    "diff.excluded_businesses.list[*].aliases": Msg(
        "標準化対象事務「{k}」の別名", "aliases of standardization-target business '{k}'"
    ),
    "diff.specific_revenue.deduct": Msg("特定財源の控除", "deduction of specific revenue"),
    "diff.rounding.unit": Msg("端数処理の単位（円）", "rounding unit (yen)"),
    "diff.rounding.mode": Msg("端数処理の方法", "rounding mode"),
    "diff.rounding.scope": Msg("端数処理の対象", "what is rounded"),
    "diff.exclusion_order": Msg("除外理由の優先順", "order of exclusion reasons"),
    "diff.audit_checks.duplicate_contract": Msg(
        "審査: 同じ契約番号の重複", "review: repeated contract"
    ),
    "diff.audit_checks.joint_shares_within_contract_total": Msg(
        "審査: 共同調達の負担額の合計と契約総額", "review: joint shares within the contract total"
    ),
    "diff.measure.confirmed_through_note_ja": Msg(
        "出典で確認済みの最終年度の注記（日本語）", "note on the years confirmed (Japanese)"
    ),
    "diff.measure.confirmed_through_note_en": Msg(
        "出典で確認済みの最終年度の注記（英語）", "note on the years confirmed (English)"
    ),
    "diff.fiscal_strength.applies": Msg("財政力補正の適用", "fiscal-strength adjustment applies"),
    "diff.fiscal_strength.multipliers": Msg(
        "財政力指数に応じた乗率の表", "fiscal-strength multiplier table"
    ),
    "diff.expense_kinds[*].first_year_only": Msg(
        "経費区分「{k}」の初年度のみの扱い",
        "whether expense kind '{k}' counts in the first year only",
    ),
    "diff.qualifier.value": Msg("（値）", " (value)"),
    "diff.qualifier.source": Msg("の出典", " (source)"),
    "diff.qualifier.also_cites": Msg("のその他の出典", " (also cites)"),
    "diff.qualifier.note_ja": Msg("の注記（日本語）", " (note, Japanese)"),
    "diff.qualifier.note_en": Msg("の注記（英語）", " (note, English)"),
}

# ── the commands' help ──────────────────────────────────────────────────────────────────────

_COMMANDS = {
    "cmd.tokko": Msg(
        "特別交付税措置（AI・RPA導入経費）を計算します。表示は日本語です。英語は --lang en "
        "または環境変数 TOKKO_LANG=en。\n\n例 / Examples:\n\ntokko check -t AI -k 導入・構築 "
        "-a 1,200,000 -y 令和3年度\n\ntokko calc 申告.csv\n\ntokko rules list --lang en",
        "Computes Japan's special allocation tax measure (特別交付税措置) for AI and RPA "
        "expenses. Messages are in Japanese; --lang en (or TOKKO_LANG=en) for English.",
    ),
    "cmd.rules": Msg(
        "規則ファイル（措置率、対象外の業務、端数処理…）を表示・比較・検証します。\n\n"
        "例 / Examples:\n\ntokko rules list\n\ntokko rules diff 2021.2 新規則/ai-rpa/2027.toml",
        "Show, compare and check the rule files (rates, excluded work, rounding…).",
    ),
    "cmd.check": Msg(
        "1件の経費を判定します: 対象か、措置率、措置額、その理由と根拠。\n\n例 / Examples:\n\n"
        "tokko check -t AI -k 導入・構築 -a 1,200,000 -y 令和3年度\n\n"
        "tokko check -t RPA -k introduction -a 3000000 -y R4 -b 住民記録\n\n"
        "tokko check -t AI -k 研修 -a 500000 -y R3 --joint -p 010006,011002 -e 011002",
        "Check one expense: eligible or not, the rate, the amount, and why.",
    ),
    "cmd.calc": Msg(
        "申告（JSON, CSV, XLSX）を計算し、項目ごとの表と合計、照合を表示します。金額は円。"
        "千円単位の表は --unit thousand。\n\n例 / Examples:\n\ntokko calc 申告.csv\n\n"
        "tokko calc 申告.xlsx --unit thousand --format xlsx --out 結果.xlsx\n\n"
        "tokko calc declaration.json --format json",
        "Compute a declaration: an itemized table with the totals and the reconciliation. "
        "Amounts in yen; --unit thousand for 千円.",
    ),
    "cmd.explain": Msg(
        "入力から金額までの筋道を、規則のキーと出典つきで1段ずつ示します。\n\n"
        "例 / Examples:\n\ntokko explain 申告.csv\n\ntokko explain declaration.json --item 3",
        "Explain each amount step by step, citing the rule key and its source.",
    ),
    "cmd.batch": Msg(
        "都道府県の審査向け: 多数の団体の申告を一括で計算し、結果・集計・エラーを書き出します。"
        "契約番号の重複や共同調達の負担額の超過は、ファイルをまたいで確かめます。\n\n"
        "例 / Examples:\n\ntokko batch 申告*.csv --out 結果.csv --summary 集計.csv "
        "--errors エラー.csv\n\ntokko batch 申告.xlsx --agreements 協定.csv --format xlsx "
        "--out 審査.xlsx",
        "Compute many governments' declarations; write results, a summary and errors.",
    ),
    "cmd.rules_list": Msg(
        "規則の版の一覧: 適用年度、出典で確認済みの年度、ファイルと SHA-256、出典。\n\n"
        "例 / Example:\n\ntokko rules list",
        "List the rule versions with their coverage, file, SHA-256 and sources.",
    ),
    "cmd.rules_show": Msg(
        "規則の版1つを全部表示します: 措置率、共同調達の条件、対象技術、経費区分、"
        "対象外の標準化対象事務と別名、財政力補正、特定財源、端数処理。それぞれ出典と注記つき。\n\n"
        "例 / Examples:\n\ntokko rules show 2021.2\n\n"
        "tokko rules show ai-rpa/2021.toml --format json",
        "Show one rule version in full, each value with its source and note.",
    ),
    "cmd.rules_diff": Msg(
        "2つの規則の版の違い（措置率、対象外の業務と別名、経費区分、条件…）を示します。\n\n"
        "例 / Examples:\n\ntokko rules diff 2020.1 2021.2\n\n"
        "tokko rules diff ai-rpa/2021.toml 新規則/ai-rpa/2027.toml",
        "Show what changed between two rule versions, in words.",
    ),
    "cmd.rules_validate": Msg(
        "規則ファイル（またはフォルダ）を検証し、問題をすべて（ファイル、キー、理由）示します。"
        "読み込まれている規則と適用年度が重ならないかも確かめます。\n\n例 / Examples:\n\n"
        "tokko rules validate 新規則/ai-rpa/2027.toml\n\ntokko rules validate 新規則/",
        "Check a candidate rule file or folder; list every problem at once.",
    ),
    "cmd.schema": Msg(
        "申告 JSON と結果 JSON の JSON Schema を出力します（pydantic のモデルから生成）。\n\n"
        "例 / Examples:\n\ntokko schema declaration > declaration.schema.json\n\n"
        "tokko schema result",
        "Print the JSON Schema of the declaration and of the result.",
    ),
    "cmd.codes": Msg(
        "地方公共団体を名称（部分一致、かな可）または団体コードで探します。\n\n例 / Examples:\n\n"
        "tokko codes 札幌\n\ntokko codes さっぽろ\n\ntokko codes 011002",
        "Find a local government by name (partial, kana too) or by code.",
    ),
    "help.usage": Msg("使い方", "Usage"),
    "help.help": Msg("このヘルプを表示", "Show this message and exit."),
    "help.section.options": Msg("オプション", "Options"),
    "help.section.commands": Msg("コマンド", "Commands"),
    "help.section.arguments": Msg("引数", "Arguments"),
    "cmd.index": Msg(
        "財政力指数を、前3年度の基準財政収入額と基準財政需要額から、特別交付税に関する省令の端数処理どおりに計算します"
        "（各年度の比を小数2桁に四捨五入し、その平均をまた小数2桁に四捨五入）。\n\n例 / Example:\n\n"
        'tokko fiscal-strength-index -r "45,000 46,000 44,000" -d 100000,100000,100000',
        "Compute the fiscal strength index from three years' standard fiscal revenue and demand, "
        "rounded as the ordinance rounds it (each year's ratio to 2 decimals half up, then their "
        "mean).",
    ),
    "help.index_revenue": Msg(
        "前3年度の基準財政収入額 （3つ。区切りは ; か 空白。桁区切りのない値なら , も可）",
        "the three preceding years' standard fiscal revenue (3 values)",
    ),
    "help.index_demand": Msg(
        "前3年度の基準財政需要額 （3つ）",
        "the three preceding years' standard fiscal demand (3 values)",
    ),
    "index.year_ratio": Msg("{year}年度目の比", "Ratio, year {year}"),
    "rules_used": Msg(
        "規則: {measure} {version}（{path}、SHA-256 {sha256}）",
        "Rules: {measure} {version} ({path}, SHA-256 {sha256})",
    ),
    "help.lang": Msg(
        "表示の言語 ja, en （既定は環境変数 TOKKO_LANG、なければ ja）",
        "language of messages (default: TOKKO_LANG, else ja)",
    ),
    "help.rules": Msg(
        "規則ファイルのフォルダ （既定は環境変数 TOKKO_RULES、なければ同梱の規則）",
        "folder of rule files (default: TOKKO_RULES, else the shipped rules)",
    ),
    "help.unit": Msg("金額の単位: yen （円）, thousand （千円）", "unit of the amounts"),
    "help.measure": Msg(
        "規則のフォルダに複数の措置があるとき、使う措置の ID",
        "the measure to use when the rules folder holds several",
    ),
    "help.file": Msg("申告ファイル （JSON, CSV, XLSX）", "declaration file (JSON, CSV or XLSX)"),
    "help.sheet": Msg(
        "XLSX のシート名 （既定は最初のシート）", "sheet of an XLSX file (default: the first)"
    ),
    "help.agreements": Msg(
        "協定ファイル （CSV, XLSX: 協定番号, 締結日, 構成団体）",
        "agreements file (CSV or XLSX: agreement number, date, parties)",
    ),
    "help.fiscal_strength_file": Msg(
        "財政力指数のファイル （CSV, XLSX: 団体コード, 年度, 財政力指数）",
        "fiscal strength indices (CSV or XLSX: entity_code, fiscal_year, fiscal_strength_index)",
    ),
    "help.encoding": Msg("CSV 出力の文字コード （utf-8 は BOM つき）", "encoding of CSV output"),
    "help.ignore_column": Msg(
        "計算に使わない列の見出し （繰り返し指定できます）",
        "the header of a column to leave out of the computation (repeatable)",
    ),
    "help.out": Msg(
        "書き出すファイル （xlsx では必須。既定は画面）",
        "file to write (required for xlsx; default: the screen)",
    ),
    "help.format": Msg("出力形式", "output format"),
    "help.joint": Msg("共同調達か単独調達か", "joint or single procurement"),
    "help.agreement_parties": Msg(
        "協定の構成団体の団体コード （区切りは ; か , か 、）。--joint と一緒に",
        "agreement parties' codes, separated by ; or , (with --joint)",
    ),
    "help.item": Msg("この項目番号だけを説明", "explain only this item number"),
    "help.batch_inputs": Msg("申告の表 （CSV, XLSX。複数可）", "declaration tables (CSV or XLSX)"),
    "help.batch_out": Msg("結果ファイル （入力の行ごと）", "results, one row per input row"),
    "help.summary": Msg(
        "団体・年度ごとの集計 （既定は 結果名-summary.csv）",
        "summary per government and year (default: beside --out, -summary)",
    ),
    "help.errors": Msg(
        "エラー一覧 （既定は 結果名-errors.csv）", "error report (default: beside --out, -errors)"
    ),
    "help.batch_format": Msg(
        "出力形式。xlsx は --out の1冊に3シート",
        "output format; xlsx writes one workbook with three sheets",
    ),
    "help.version": Msg(
        "版 （2021.2）、規則のファイル名 （ai-rpa/2021.toml）または規則ファイルのパス",
        "version, file of the rule set, or path of a rule file",
    ),
    "help.diff_a": Msg("比較元: 版または規則ファイルのパス", "from: version or rule file"),
    "help.diff_b": Msg("比較先: 版または規則ファイルのパス", "to: version or rule file"),
    "help.validate_path": Msg("検証する規則ファイルまたはフォルダ", "rule file or folder to check"),
    "help.schema_name": Msg(
        "declaration （申告 JSON）または result （結果 JSON）。省略すると両方",
        "which schema; both when omitted",
    ),
    "help.codes_query": Msg(
        "団体名の一部 （漢字・かな）または団体コード （5桁・6桁）",
        "part of a name (kanji or kana) or a 5- or 6-digit code",
    ),
    "help.limit": Msg("表示する最大件数", "how many matches to show at most"),
    "usage.help_hint": Msg(
        "使い方は「{command} -h」で表示します。", "Try '{command} -h' for help."
    ),
    "usage.no_such_option": Msg(
        "オプション {option} はありません。{near}", "no such option: {option}. {near}"
    ),
    "usage.near": Msg("（もしかして: {options}）", "(did you mean {options}?)"),
    "usage.missing": Msg("必須のオプション {option} がありません", "missing option {option}"),
    "usage.missing_argument": Msg("{argument} を指定してください", "missing argument {argument}"),
    "usage.bad_option": Msg(
        "オプション {option} の指定が正しくありません（{detail}）",
        "option {option} is not used right ({detail})",
    ),
    "usage.not_a_choice": Msg(
        "{option} に「{value}」は使えません。使える値: {choices}",
        "'{value}' is not a value of {option}; expected {choices}",
    ),
    "usage.bad_value": Msg(
        "{option} の値が正しくありません（{detail}）", "bad value for {option} ({detail})"
    ),
    "usage.no_such_command": Msg(
        "コマンド「{command}」はありません", "no such command: '{command}'"
    ),
    "usage.needs_value": Msg(
        "オプション {option} には値が必要です", "option {option} needs a value"
    ),
    "usage.takes_no_value": Msg(
        "オプション {option} は値をとりません（{option} だけを指定します）",
        "option {option} takes no value (give {option} alone)",
    ),
    "usage.not_integer": Msg("{option} には整数が必要です", "{option} needs a whole number"),
    "usage.extra_argument": Msg(
        "余分な引数があります: {detail}", "unexpected extra argument: {detail}"
    ),
    "usage.other": Msg("使い方が正しくありません（{detail}）", "usage error ({detail})"),
    "usage.parties_without_joint": Msg(
        "--agreement-parties（-p）は共同調達（--joint）のときに使います。--joint を付けてください",
        "--agreement-parties (-p) goes with joint procurement: add --joint",
    ),
    "usage.concluded_without_joint": Msg(
        "--agreement-concluded-on（協定の締結日）は共同調達（--joint）のときに使います。--joint を付けてください",
        "--agreement-concluded-on goes with joint procurement: add --joint",
    ),
    "usage.xlsx_needs_out": Msg(
        "--format xlsx には --out（書き出すファイル）が必要です。",
        "--format xlsx needs --out (the workbook to write).",
    ),
    "usage.index_several_declarations": Msg(
        "--fiscal-strength-index は申告1件のときに使います（このファイルには{n}件の団体・年度があります）。"
        "団体ごとの指数は --fiscal-strength ファイルで与えてください",
        "--fiscal-strength-index is for one declaration (this file holds {n} "
        "government-years); give each government's index with --fiscal-strength FILE",
    ),
    "hint.small_amount": Msg(
        "事業費が1,000円未満です。千円単位の金額なら --unit thousand を付けてください",
        "the amount is under 1,000 yen: if it is in 千円, add --unit thousand",
    ),
    "hint.small_amounts": Msg(
        "{n}件の事業費が1,000円未満です。千円単位の表なら --unit thousand を付けてください",
        "{n} amounts are under 1,000 yen: if the file is in 千円, add --unit thousand",
    ),
    "items_left_out": Msg(
        "ほか{n}項目は表示していません（すべては --format csv または --format xlsx --out FILE）",
        "{n} more items not shown (all of them: --format csv, or --format xlsx --out FILE)",
    ),
    "columns_left_out": Msg(
        "画面の幅が狭いため {columns} の列を省略しました（すべての列は --format csv "
        "または --format xlsx --out FILE、または広い画面で）",
        "{columns} left out to fit the screen (all columns: --format csv, "
        "--format xlsx --out FILE, or a wider window)",
    ),
    "declarations_left_out": Msg(
        "ほか{declarations}件の申告（{items}項目）は表示していません。すべての行は --format csv、"
        "または --format xlsx --out 結果.xlsx で書き出せます",
        "{declarations} more declarations ({items} items) are not shown; write every row with "
        "--format csv, or --format xlsx --out results.xlsx",
    ),
    "errors_left_out": Msg(
        "ほか{n}件のエラーは表示していません（すべては --format csv / xlsx の出力）",
        "{n} more errors not shown (all of them in the --format csv / xlsx output)",
    ),
    "measure_by_rate": Msg("措置額（乗率の前）", "Measure before the multiplier"),
    "fiscal_strength_multiplier": Msg("財政力指数に応じた乗率", "Fiscal-strength multiplier"),
    "show.rate_standard": Msg("標準", "standard"),
    "show.rate_joint": Msg("協定による共同調達", "joint, under an agreement"),
    "show.none": Msg("なし", "none"),
    "show.agreement_required": Msg("協定の締結が必要", "agreement required"),
    "show.min_parties": Msg("協定の最少構成団体数", "minimum parties"),
    "show.declarer_must_be_party": Msg("申告団体が構成団体であること", "declarer must be a party"),
    "show.concluded_by_fiscal_year_end": Msg(
        "年度末までに協定を締結", "concluded by fiscal-year end"
    ),
    "show.first_year_only": Msg("初年度のみ", "first year only"),
    "show.no_excluded": Msg(
        "対象外の標準化対象事務: なし（この版にはありません）",
        "Excluded standardization-target businesses: none in this version",
    ),
    "show.fs_applies": Msg("財政力補正を適用する", "the adjustment applies"),
    "show.fs_table": Msg("乗率の表", "multiplier table"),
    "show.fs_no_table": Msg(
        "なし（省令の表は転記されていません。措置額は乗率の前の額です）",
        "none (the ordinance's table is not transcribed: amounts are before the multiplier)",
    ),
    "show.fs_entities.both": Msg("都道府県・市町村", "prefectures and municipalities"),
    "show.fs_entities.prefecture": Msg("都道府県", "prefectures"),
    "show.fs_entities.municipality": Msg("市町村", "municipalities"),
    "show.rounding_unit": Msg("単位（円）", "unit (yen)"),
    "show.rounding_mode": Msg("方法", "mode"),
    "show.rounding_scope": Msg("対象", "scope"),
    "show.duplicate_contract": Msg("契約番号の重複", "repeated contract"),
    "show.joint_shares": Msg(
        "共同調達の負担額の合計と契約総額", "joint shares within contract total"
    ),
}


# ── the workbooks for people: results (--format xlsx) and the template to fill in ──────────

_WORKBOOK = {
    "xlsx.sheet.results": Msg("結果", "Results"),
    "xlsx.sheet.summary": Msg("団体別集計", "Summary"),
    "xlsx.sheet.errors": Msg("エラー", "Errors"),
    "xlsx.sheet.info": Msg("情報", "Info"),
    "xlsx.column.reason_codes": Msg("理由コード", "Reason codes"),
    "xlsx.column.warning_codes": Msg("警告コード", "Warning codes"),
    "xlsx.column.entity_name": Msg("団体名", "Government name"),
    "xlsx.column.rules_version": Msg("規則の版", "Rules version"),
    "xlsx.column.items": Msg("項目数", "Items"),
    "xlsx.column.eligible_items": Msg("対象の項目数", "Eligible items"),
    "xlsx.column.excluded_items": Msg("対象外の項目数", "Excluded items"),
    "xlsx.column.error_items": Msg("エラーの項目数", "Items in error"),
    "xlsx.column.warning_items": Msg("警告のある項目数", "Items with warnings"),
    "xlsx.total": Msg("合計", "Total"),
    "xlsx.info.title": Msg("tokko の計算結果", "tokko results"),
    "xlsx.info.tokko_version": Msg("tokko の版", "tokko version"),
    "xlsx.info.created": Msg("作成日時", "Created"),
    "xlsx.info.inputs": Msg("入力ファイル", "Input files"),
    "xlsx.info.rules": Msg(
        "使った規則（SHA-256 は規則ファイルの内容そのものを示します）",
        "Rules used (the SHA-256 identifies the exact content of each file)",
    ),
    "xlsx.info.units": Msg("金額の単位", "Amounts"),
    "xlsx.info.units_text": Msg(
        "円。読めた行の金額は、入力の列も円で示します（千円の表も円に直しています）。エラーの行は入力のままです",
        "yen; a row that was read shows its input amounts in yen too (a table in 千円 converted); "
        "a row in error shows them as given",
    ),
    "xlsx.info.legend": Msg("色の意味", "Colours"),
    "xlsx.info.warning_rows": Msg(
        "警告のある項目（警告の列に理由）", "an item with warnings (see the warnings column)"
    ),
    "xlsx.info.error_rows": Msg(
        "エラーの項目（計算していません。理由はエラーシート）",
        "an item in error (not computed; see the Errors sheet)",
    ),
    "template.sheet.declaration": Msg("申告", "Declaration"),
    "template.sheet.agreements": Msg("協定", "Agreements"),
    "template.sheet.instructions": Msg("記入方法", "Instructions"),
    "template.sheet.codes": Msg("団体コード一覧", "Codes"),
    "template.sheet.lists": Msg("選択肢", "Lists"),
    "template.column.entity_name": Msg("団体名（自動表示）", "Government name (automatic)"),
    "template.column.code5": Msg("5桁コード", "5-digit code"),
    "template.column.shown": Msg("表示名", "Shown as"),
    "template.yen": Msg("円", "yen"),
    "template.required": Msg("必須", "required"),
    "template.optional": Msg("任意", "optional"),
    "template.header.required": Msg("必須・任意", "Required"),
    "template.header.help": Msg("記入すること", "What to enter"),
    "template.header.example": Msg("記入例", "Example"),
    "template.header.choices": Msg("選択肢", "Choices"),
    "template.comment": Msg(
        "{help}\n（{required}。例: {example}）", "{help}\n({required}; e.g. {example})"
    ),
    "template.lookup_comment": Msg(
        "団体コードから自動で表示します（記入は不要です）。「{missing}」と出たら団体コードを確かめてください",
        "Shown from the code (leave it as it is); '{missing}' means the code is not in the list",
    ),
    "template.no_such_code": Msg("該当なし", "not found"),
    "template.single": Msg("単独", "single"),
    "template.joint": Msg("共同", "joint"),
    "template.title": Msg(
        "{measure} — 申告様式の記入方法", "{measure} — how to fill in the declaration"
    ),
    "template.rules_line": Msg(
        "選択肢は規則 {version}（{path}、{years}）から作りました。SHA-256: {sha256}",
        "The choices come from rules {version} ({path}, {years}); SHA-256: {sha256}",
    ),
    "template.years_open": Msg("{start}年度から", "from fiscal {start}"),
    "template.years": Msg("{start}年度〜{until}年度", "fiscal {start}–{until}"),
    "template.howto": Msg("記入のしかた", "How to fill it in"),
    "template.howto.rows": Msg(
        "「{sheet}」シートに1行1項目で記入します。1行目の見出しは変えないでください（tokko は見出しで列を読みます）。色の濃い見出しは必須です。見出しにカーソルを合わせると説明が出ます。",
        "Enter one item per row on the '{sheet}' sheet. Keep the headers of row 1 as they are "
        "(tokko reads the columns by their headers); the darker headers are required. Hover "
        "over a header for its explanation.",
    ),
    "template.howto.units": Msg(
        "金額は円で記入します。千円で記入するときは、見出しの（円）を（千円）に変え、tokko calc --unit thousand で計算します。",
        "Amounts are in yen. To enter thousands of yen, change (yen) in the headers to "
        "(thousand yen) and compute with tokko calc --unit thousand.",
    ),
    "template.howto.lists": Msg(
        "区分・経費区分・調達方法・対象業務は、セルの▼の一覧から選べます（一覧は規則 {version} から作りました）。",
        "Technology, expense kind, procurement and business area offer a drop-down list (made "
        "from rules {version}).",
    ),
    "template.howto.lookup": Msg(
        "団体名は団体コードから自動で表示されます。「{missing}」と出たら団体コードを確かめてください。",
        "The government's name is shown from its code; '{missing}' means the code is not in "
        "the list.",
    ),
    "template.howto.joint": Msg(
        "協定による共同調達は、調達方法を「{joint}」として協定番号を記入し、その協定を「{sheet}」シートに記入します。",
        "For joint procurement under an agreement, set procurement to '{joint}', enter the "
        "agreement number, and enter the agreement on the '{sheet}' sheet.",
    ),
    "template.howto.compute": Msg(
        "計算: tokko calc {file}　（結果のブック: tokko calc {file} --format xlsx --out 結果.xlsx）",
        "Compute: tokko calc {file}   (a results workbook: tokko calc {file} --format xlsx "
        "--out results.xlsx)",
    ),
    "template.columns": Msg("列の説明（「{sheet}」シート）", "The columns of the '{sheet}' sheet"),
    "template.excluded": Msg("対象外になるもの（と理由）", "What is excluded, and why"),
    "template.eligible_technologies": Msg("対象の区分: {names}", "eligible technologies: {names}"),
    "template.ineligible_kinds": Msg(
        "対象外の経費区分: {names}", "expense kinds not eligible: {names}"
    ),
    "template.first_year_kinds": Msg(
        "導入した年度だけが対象の経費区分: {names}（導入年度を記入してください）",
        "expense kinds eligible in the year of introduction only: {names} (enter the year "
        "introduced)",
    ),
    "template.businesses": Msg(
        "システム標準化の対象事務（{n}業務）: {names}",
        "standardization-target businesses ({n}): {names}",
    ),
    "template.rates": Msg("措置率: {rates}", "Rates: {rates}"),
    "template.revenue": Msg(
        "特定財源（国庫支出金など）は事業費から控除してから措置率を掛けます。",
        "Specific revenue (national subsidies…) is deducted from the amount "
        "before the rate applies.",
    ),
    "template.list_error": Msg("一覧から選んでください", "Choose a value from the list"),
    "template.other_technology": Msg(
        "AI・RPA 以外の区分は対象外として計算します",
        "A technology other than AI or RPA is computed as excluded",
    ),
    "template.business_prompt": Msg(
        "一覧は標準化対象事務（措置の対象外）です。ほかの業務はそのまま記入してください",
        "The list holds the standardization-target businesses (excluded); type any other "
        "business as it is",
    ),
    "template.business_other": Msg(
        "標準化対象事務の一覧にない業務です（対象外にはなりません）",
        "Not a standardization-target business (it is not excluded)",
    ),
    "template.code_error": Msg(
        "団体コードの一覧にありません（6桁、または検査数字のない5桁）",
        "Not in the list of codes (6 digits, or 5 without the check digit)",
    ),
    "template.cmd": Msg(
        "記入用の申告様式（XLSX）を書き出します: 見出しと説明、選択肢の一覧、団体コードの確認、"
        "協定シート、記入方法。記入したブックはそのまま tokko calc / batch で計算できます。\n\n"
        "例 / Examples:\n\ntokko template --out 申告.xlsx\n\n"
        "tokko template --fiscal-year R3 --lang en --out declaration.xlsx",
        "Write the workbook an officer fills in: headers with explanations, drop-down lists, "
        "the code check, an agreements sheet and instructions; tokko calc and batch read it "
        "as it is.",
    ),
    "template.help.fiscal_year": Msg(
        "選択肢を取る規則の年度 （既定は最新の版）",
        "fiscal year whose rules give the choices (default: the latest version)",
    ),
    "template.help.out": Msg(
        "書き出すブック （既定は tokko-template.xlsx）",
        "workbook to write (default: tokko-template.xlsx)",
    ),
    "template.exists": Msg(
        "「{path}」はすでにあります。上書きしないよう、--out で書き出す先を指定してください",
        "'{path}' already exists; name the workbook to write with --out (it is not overwritten)",
    ),
}

# ── tokko serve: the HTTP API's problems, the web page and its documentation page ──────────

_SERVE = {
    "serve.cmd": Msg(
        "HTTP で計算します: 予算・財務会計システム向けの JSON API と、職員向けの Web ページ"
        "（1件の経費の判定、申告ファイル、一括審査）。既定ではこの PC（127.0.0.1）からだけ"
        "接続できます。\n\n例 / Examples:\n\ntokko serve\n\n"
        "tokko serve --host 0.0.0.0 --port 8080 --rules /etc/tokko/rules\n\n"
        "tokko serve --check",
        "Compute over HTTP: a JSON API for budgeting systems and a web page for finance "
        "officers; binds to 127.0.0.1 unless --host says otherwise.",
    ),
    "serve.help.host": Msg(
        "待ち受けるアドレス （既定は 127.0.0.1: この PC からだけ）",
        "address to listen on (default 127.0.0.1: this machine only)",
    ),
    "serve.help.port": Msg("待ち受けるポート", "port to listen on"),
    "serve.help.token": Msg(
        "API に Authorization: Bearer <トークン> を求めます （環境変数 TOKKO_TOKEN でも指定可）",
        "require Authorization: Bearer <token> on the API (or TOKKO_TOKEN)",
    ),
    "serve.help.max_upload_mb": Msg(
        "1回の要求（アップロード、JSON）の上限 （MB）",
        "limit of one request's body (uploads, JSON), in MB",
    ),
    "serve.help.check": Msg(
        "設定と規則を確かめて終わります （待ち受けません）",
        "check the settings and the rules, then stop (do not listen)",
    ),
    "serve.missing_extra": Msg(
        "tokko serve には追加のパッケージが必要です: pip install 'tokko[serve]'",
        "tokko serve needs more packages: pip install 'tokko[serve]'",
    ),
    "serve.ready": Msg(
        "設定に問題はありません。規則: {versions}。起動すると {url} で待ち受けます。",
        "The settings are valid. Rules: {versions}. Started, it listens on {url}.",
    ),
    "serve.listening": Msg(
        "{url} で待ち受けます（規則: {versions}、終了は Ctrl-C）。",
        "Listening on {url} (rules: {versions}; Ctrl-C to stop).",
    ),
    "serve.open_without_token": Msg(
        "注意: {host} で待ち受けますが、--token がありません。ネットワーク上の誰でも API を使えます。"
        "リバースプロキシで認証するか、--token を付けてください。",
        "Warning: listening on {host} without --token: anyone on the network can use the API. "
        "Put an authenticating reverse proxy in front, or add --token.",
    ),
    "serve.problem.bad-request": Msg("要求が正しくありません", "Bad request"),
    "serve.problem.usage": Msg("指定が正しくありません", "Usage error"),
    "serve.problem.unauthorized": Msg("認証が必要です", "Authentication required"),
    "serve.problem.not-found": Msg("見つかりません", "Not found"),
    "serve.problem.method-not-allowed": Msg("この方法では使えません", "Method not allowed"),
    "serve.problem.too-large": Msg("要求が大きすぎます", "Request too large"),
    "serve.problem.unsupported-media-type": Msg("受け付けない形式です", "Unsupported media type"),
    "serve.problem.invalid-request": Msg("要求の値が正しくありません", "Invalid request"),
    "serve.problem.not-a-declaration": Msg("申告として読めません", "Not a declaration"),
    "serve.problem.unreadable-file": Msg("ファイルを読めません", "The file cannot be read"),
    "serve.problem.internal": Msg("サーバーの内部エラーです", "Internal server error"),
    "serve.problem.busy": Msg("混み合っています", "Busy"),
    "serve.detail.too_large": Msg(
        "要求が大きすぎます（{limit} MB まで）。上限はサーバーの --max-upload-mb で変えられます",
        "the request is too large (at most {limit} MB); the server's --max-upload-mb sets the "
        "limit",
    ),
    "serve.detail.unauthorized": Msg(
        "この API には Authorization: Bearer <トークン> が必要です（トークンはサーバーの管理者に確かめてください）",
        "this API needs Authorization: Bearer <token> (ask the server's administrator for the "
        "token)",
    ),
    "serve.detail.content_length": Msg(
        "Content-Length が数値ではありません", "Content-Length is not a number"
    ),
    "serve.detail.internal": Msg(
        "サーバーの内部でエラーが起きました。管理者に参照番号 {reference} を伝えてください",
        "an error occurred inside the server; give the administrator the reference {reference}",
    ),
    "serve.detail.invalid_value": Msg(
        "{where} の値が正しくありません（{reason}）", "{where}: {reason}"
    ),
    # Why a query parameter or form field is refused, by the type of FastAPI's (pydantic's)
    # error; a type not here is said in pydantic's words.
    "serve.reason.missing": Msg("指定がありません", "it is required"),
    "serve.reason.literal_error": Msg(
        "次のいずれかで指定してください: {expected}", "expected one of: {expected}"
    ),
    "serve.reason.bool_parsing": Msg("true か false で指定してください", "expected true or false"),
    "serve.reason.int_parsing": Msg("整数で指定してください", "expected a whole number"),
    "serve.reason.greater_than_equal": Msg("{ge} 以上で指定してください", "expected {ge} or more"),
    "serve.reason.less_than_equal": Msg("{le} 以下で指定してください", "expected {le} or less"),
    "serve.reason.string_too_short": Msg(
        "{min_length} 文字以上で指定してください", "expected at least {min_length} character(s)"
    ),
    "serve.reason.string_too_long": Msg(
        "{max_length} 文字以内で指定してください", "expected at most {max_length} character(s)"
    ),
    "serve.reason.not_a_file": Msg(
        "multipart/form-data のファイルとして送ってください",
        "send it as a file (multipart/form-data)",
    ),
    "serve.reason.other": Msg("{reason}", "{reason}"),
    "serve.detail.invalid_values": Msg(
        "{n}件の値が正しくありません（errors を見てください）",
        "{n} values are invalid (see errors)",
    ),
    "serve.detail.json_encoding": Msg(
        "本文が UTF-8 の文字として読めません（{at} バイト目）。JSON は UTF-8 で送ってください",
        "the body is not UTF-8 text (at byte {at}); send JSON in UTF-8",
    ),
    "serve.detail.json_content_type": Msg(
        "本文は JSON で送ってください（Content-Type: application/json）",
        "send the body as JSON (Content-Type: application/json)",
    ),
    "serve.detail.file_kind": Msg(
        "「{name}」は受け付けるファイルの種類ではありません（ファイル名の拡張子が次のいずれか: {kinds}）",
        "'{name}' is not a kind of file this accepts (the name must end in one of: {kinds})",
    ),
    "serve.detail.busy": Msg(
        "ほかのファイルの計算が続いています。しばらくしてからもう一度送ってください",
        "other files are being computed; send it again in a moment",
    ),
    "serve.detail.too_many_files": Msg(
        "申告の表を1つから{limit}個まで送ってください",
        "send from one to {limit} declaration tables",
    ),
    "serve.detail.not_an_object": Msg(
        "本文は経費1件の欄を持つ JSON オブジェクトが必要です",
        "the body must be a JSON object with the fields of one expense",
    ),
    "serve.detail.unknown_keys": Msg(
        "{n}件の欄が項目の欄ではありません（errors を見てください）",
        "{n} keys are not fields (see errors)",
    ),
    "serve.detail.not_found": Msg("{path} はありません", "there is nothing at {path}"),
    "serve.detail.method": Msg(
        "{path} には {method} は使えません", "{method} is not allowed on {path}"
    ),
    "serve.detail.unreadable_body": Msg(
        "要求の本文を読めません（形式を確かめてください）",
        "the request's body cannot be read (check its format)",
    ),
    "serve.page.title": Msg(
        "特別交付税措置（AI・RPA）の算定", "Special allocation tax measure for AI and RPA"
    ),
    "serve.page.skip": Msg("本文へ移動", "Skip to content"),
    "serve.page.nav": Msg("機能", "Functions"),
    "serve.page.tab_check": Msg("1件の経費", "One expense"),
    "serve.page.tab_declaration": Msg("申告ファイル", "Declaration file"),
    "serve.page.tab_batch": Msg("一括審査", "Batch review"),
    "serve.page.tab_api": Msg("API の説明", "API"),
    "serve.page.token": Msg("API トークン", "API token"),
    "serve.page.token_hint": Msg(
        "このサーバーはトークンを求めます。管理者から受け取ったトークンを入れてください（このタブを閉じると消えます）。",
        "This server requires a token: enter the one the administrator gave you (it is forgotten when this tab closes).",
    ),
    "serve.page.optional": Msg("（任意）", "(optional)"),
    "serve.page.not_given": Msg("（指定しない）", "(not given)"),
    "serve.page.technology_other": Msg(
        "その他の技術（AI・RPA以外）", "another technology (not AI or RPA)"
    ),
    "serve.page.single": Msg("単独", "single"),
    "serve.page.joint": Msg("共同（協定による共同調達）", "joint (under an agreement)"),
    "serve.page.check_title": Msg("1件の経費を判定する", "Check one expense"),
    "serve.page.check_intro": Msg(
        "経費1件について、措置の対象か、措置率、措置額、その理由と根拠（規則ファイルのキーと出典）を示します。",
        "For one expense: eligible or not, the rate, the amount, and why — with the rule file's key and its source.",
    ),
    "serve.page.entity_help": Msg(
        "団体名の一部（かな可）を入れると候補が出ます。共同調達で申告団体が構成団体か確かめるときに使います",
        "Type part of a name (kana too) for suggestions; used to check that the declaring government is a party to a joint agreement",
    ),
    "serve.page.check_submit": Msg("判定する", "Check"),
    "serve.page.declaration_title": Msg("申告ファイルを計算する", "Compute a declaration file"),
    "serve.page.declaration_intro": Msg(
        "申告（CSV、XLSX、JSON）を選ぶと、項目ごとの表、合計と照合、警告を示します。ファイルはこの計算のためだけに読み、サーバーには残しません。",
        "Choose a declaration (CSV, XLSX or JSON) to see each item, the totals, the reconciliation and the warnings. The file is read for this computation only and not kept on the server.",
    ),
    "serve.page.declaration_file": Msg(
        "申告ファイル（CSV, XLSX, JSON）", "Declaration file (CSV, XLSX, JSON)"
    ),
    "serve.page.agreements_file": Msg("協定ファイル（CSV, XLSX）", "Agreements file (CSV, XLSX)"),
    "serve.page.indices_file": Msg(
        "財政力指数のファイル（CSV, XLSX）", "Fiscal strength indices (CSV, XLSX)"
    ),
    "serve.page.unit": Msg("金額の単位", "Unit of the amounts"),
    "serve.page.unit_yen": Msg("円", "yen"),
    "serve.page.unit_thousand": Msg("千円", "thousands of yen (千円)"),
    "serve.page.declaration_submit": Msg("計算する", "Compute"),
    "serve.page.download_template": Msg(
        "記入用の様式（XLSX）を保存", "Save the workbook to fill in (XLSX)"
    ),
    "serve.page.batch_title": Msg(
        "多数の団体の申告を一括で審査する", "Review many governments' declarations"
    ),
    "serve.page.batch_intro": Msg(
        "都道府県の審査向け: 多数の団体の申告の表（CSV、XLSX）をまとめて計算し、団体・年度ごとの集計、警告とエラーを示します。契約番号の重複などはファイルをまたいで確かめます。",
        "For a prefecture's review: compute many governments' declaration tables (CSV, XLSX) together — the summary per government and year, the warnings and the errors. Repeated contracts are checked across files.",
    ),
    "serve.page.batch_files": Msg("申告の表（複数可）", "Declaration tables (several allowed)"),
    "serve.page.batch_submit": Msg("一括で計算する", "Compute all"),
    "serve.page.working": Msg("計算しています…", "Computing…"),
    "serve.page.download_xlsx": Msg("結果を XLSX で保存", "Save the results as XLSX"),
    "serve.page.download_csv": Msg("結果を CSV で保存", "Save the results as CSV"),
    "serve.page.download_zip": Msg(
        "結果・集計・エラーを CSV（ZIP）で保存", "Save results, summary and errors as CSV (ZIP)"
    ),
    "serve.page.downloads": Msg("保存", "Downloads"),
    "serve.page.explain": Msg("説明", "Explain"),
    "serve.page.explain_label": Msg("項目 {item} の説明", "Explanation of item {item}"),
    "serve.page.explanation": Msg(
        "説明（入力から金額までの段階）", "Explanation (the steps from input to amount)"
    ),
    "serve.page.step": Msg("段階", "Step"),
    "serve.page.fiscal_year_label": Msg("{year}年度（{label}）", "FY{year} ({label})"),
    "serve.page.declaration_heading": Msg(
        "{name}（{code}） {year} — 規則 {version}", "{name} ({code}) {year} — rules {version}"
    ),
    "serve.page.totals": Msg("合計", "Totals"),
    "serve.page.declaration_warnings": Msg("申告の警告", "Warnings on the declaration"),
    "serve.page.no_declarations": Msg(
        "計算できた申告はありません。", "No declaration could be computed."
    ),
    "serve.page.rows_left_out": Msg(
        "表示は最初の{shown}項目です（全{total}項目はダウンロードで）。",
        "The first {shown} items are shown (all {total} in the downloads).",
    ),
    "serve.page.errors_left_out": Msg(
        "表示は最初の{shown}件です（全{total}件はダウンロードで）。",
        "The first {shown} are shown (all {total} in the downloads).",
    ),
    "serve.page.no_errors": Msg("エラーはありません。", "No errors."),
    "serve.page.summary": Msg("団体・年度ごとの集計", "Summary per government and year"),
    "serve.page.warning_counts": Msg("警告の件数", "Warnings by code"),
    "serve.page.items": Msg("項目数", "Items"),
    "serve.page.eligible_items": Msg("対象", "Eligible"),
    "serve.page.excluded_items": Msg("対象外", "Excluded"),
    "serve.page.error_items": Msg("エラー", "Errors"),
    "serve.page.warning_items": Msg("警告", "Warnings"),
    "serve.page.failed": Msg("計算できませんでした", "Could not compute"),
    "serve.page.choose_file": Msg("ファイルを選んでください。", "Choose a file."),
    "serve.page.amount_required": Msg("事業費を入れてください。", "Enter the amount."),
    "serve.page.network_error": Msg("サーバーに接続できません。", "The server cannot be reached."),
    "serve.page.rules_in_force": Msg("適用中の規則", "Rules in force"),
    "serve.page.warning_mark": Msg("警告あり", "has warnings"),
    "serve.page.error_mark": Msg("エラー", "error"),
    "serve.page.source_missing": Msg("（出典なし）", "(no source)"),
    "serve.page.per_unit": Msg("{value} 円", "{value} yen"),
    "serve.page.docs_title": Msg("tokko API の説明", "tokko API reference"),
    "serve.page.docs_intro": Msg(
        "予算・財務会計システムから使う JSON API です。OpenAPI の文書（openapi.json）からクライアントを生成できます。下の各操作は「試す」でこのサーバーに送れます。",
        "The JSON API for budgeting and accounting systems. Generate a client from the OpenAPI document (openapi.json). Each operation below can be tried against this server.",
    ),
    "serve.page.docs_operations": Msg("操作", "Operations"),
    "serve.page.docs_schemas": Msg("スキーマ", "Schemas"),
    "serve.page.docs_parameters": Msg("パラメーター", "Parameters"),
    "serve.page.docs_body": Msg("要求の本文", "Request body"),
    "serve.page.docs_responses": Msg("応答", "Responses"),
    "serve.page.docs_name": Msg("名前", "Name"),
    "serve.page.docs_in": Msg("場所", "In"),
    "serve.page.docs_type": Msg("型", "Type"),
    "serve.page.docs_required": Msg("必須", "Required"),
    "serve.page.docs_description": Msg("説明", "Description"),
    "serve.page.docs_try": Msg("試す", "Try it"),
    "serve.page.docs_send": Msg("送信", "Send"),
    "serve.page.docs_status": Msg("状態", "Status"),
    "serve.page.docs_loading": Msg("読み込んでいます…", "Loading…"),
    "serve.page.docs_binary": Msg("ファイル（{bytes} バイト）", "a file ({bytes} bytes)"),
    "serve.page.docs_save": Msg("保存", "Save"),
    "serve.page.docs_back": Msg("計算のページへ", "Back to the page"),
}


def _merged(*parts: dict[str, Msg]) -> dict[str, Msg]:
    merged: dict[str, Msg] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"catalog ids given twice: {sorted(twice)}")
        merged.update(part)
    return merged


#: Every entry: id → (日本語, English).
CATALOG: Final[Mapping[str, Msg]] = MappingProxyType(
    _merged(
        _CODES,
        _COLUMNS,
        _HELP,
        _VALUES,
        _RULES,
        _EXPLAIN,
        _FILES,
        _CLI,
        _STEPS,
        _DIFF,
        _COMMANDS,
        _WORKBOOK,
        _SERVE,
    )
)
