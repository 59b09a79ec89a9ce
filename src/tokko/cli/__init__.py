"""The ``tokko`` command line (SPEC §5): check, calc, explain, batch, rules, schema, codes.

This module parses: it declares every command and option, and hands the parsed values to the
command's module (:mod:`tokko.cli.check`, …), which calls one library function and renders.
Those modules import the library and rich; each is imported inside its command only, so that
``tokko --help`` pays for Typer alone and ``tokko codes`` never loads openpyxl.
"""

# No ``from __future__ import annotations`` here: Typer reads these annotations on every run,
# and evaluating them once at import is cheaper than resolving strings for each parameter.
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from tokko.cli.settings import (
    BatchFormat,
    CalcFormat,
    CheckFormat,
    Encoding,
    ExplainFormat,
    Lang,
    SchemaName,
    Settings,
    ShowFormat,
    Unit,
    resolve_lang,
    settings_of,
)

__all__ = ["app", "lang_first", "main"]

app = typer.Typer(
    name="tokko",
    help="""特別交付税措置（AI・RPA導入経費）を計算します。
Computes Japan's special allocation tax measure (特別交付税措置) for AI and RPA expenses.

表示は日本語です。英語は --lang en または環境変数 TOKKO_LANG=en。
Messages are in Japanese; --lang en (or TOKKO_LANG=en) for English.

例 / Examples:

tokko check -t AI -k 導入・構築 -a 1,200,000 -y 令和3年度

tokko calc 申告.csv

tokko --lang en rules list
""",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(
    help="""規則ファイル（措置率、対象外の業務、端数処理…）を表示・比較・検証します。
Show, compare and check the rule files (rates, excluded work, rounding…).

例 / Examples:

tokko rules list

tokko rules diff 2021.1 新規則/ai-rpa/2027.toml
""",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")


def _version(ctx: typer.Context, value: bool) -> None:
    """``--version``: tokko's version and each shipped rule version with its coverage."""
    if not value or ctx.resilient_parsing:
        return
    from tokko.cli import rules

    rules.print_version(resolve_lang(ctx.params.get("lang")))
    raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    *,
    lang: Annotated[Lang | None, typer.Option(
        "--lang", is_eager=True, show_default=False,
        help="表示の言語 ja\n\nen （既定は環境変数 TOKKO_LANG、なければ ja） / language of "
             "messages (default: TOKKO_LANG, else ja)")] = None,
    rules_dir: Annotated[Path | None, typer.Option(
        "--rules", show_default=False, file_okay=False,
        help="規則ファイルのフォルダ （既定は環境変数 TOKKO_RULES、なければ同梱の規則）\n\n"
             "folder of rule files (default: TOKKO_RULES, else the shipped rules)")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="tokko と同梱の規則の版を表示\n\nshow tokko's version and its rule versions")] = False,
) -> None:
    """Global options, kept for every command in ``ctx.obj``."""
    ctx.obj = Settings(resolve_lang(lang), rules_dir)


# ── options shared by several commands ──────────────────────────────────────────────────────

FileArgument = Annotated[Path, typer.Argument(
    metavar="FILE", show_default=False,
    help="申告ファイル （JSON, CSV, XLSX）\n\ndeclaration file (JSON, CSV or XLSX)")]
UnitOption = Annotated[Unit, typer.Option(
    help="金額の単位: yen （円）, thousand （千円）\n\nunit of the amounts in the file")]
SheetOption = Annotated[str | None, typer.Option(
    show_default=False,
    help="XLSX のシート名 （既定は最初のシート）\n\nsheet of an XLSX file (default: the first)")]
AgreementsOption = Annotated[Path | None, typer.Option(
    show_default=False,
    help="協定ファイル （CSV, XLSX: 協定番号, 締結日, 構成団体）\n\nagreements file")]
EncodingOption = Annotated[Encoding, typer.Option(
    help="CSV 出力の文字コード （utf-8 は BOM つき）\n\nencoding of CSV output")]


# ── check ───────────────────────────────────────────────────────────────────────────────────


@app.command("check")
def check_command(
    ctx: typer.Context,
    *,
    technology: Annotated[str, typer.Option(
        "--technology", "-t", show_default=False,
        help="区分: AI, RPA, AI+RPA （AI-OCR は AI）\n\ntechnology")],
    expense_kind: Annotated[str, typer.Option(
        "--expense-kind", "-k", show_default=False,
        help="経費区分: 導入・構築, 利用料・ライセンス料, 研修, 業務分析・コンサルティング, "
             "機器購入, 人件費, その他 （英語の id も可: introduction …）\n\nexpense kind")],
    amount: Annotated[str, typer.Option(
        "--amount", "-a", show_default=False,
        help="事業費 （円。1,234,567 も可）\n\namount in yen")],
    fiscal_year: Annotated[str, typer.Option(
        "--fiscal-year", "-y", show_default=False,
        help="年度: 2021, 2021年度, R3, 令和3年度, H31 …\n\nfiscal year")],
    business_area: Annotated[str, typer.Option(
        "--business-area", "-b",
        help="対象業務 （標準化対象事務か確かめます）\n\nbusiness area")] = "",
    specific_revenue: Annotated[str, typer.Option(
        help="特定財源 （国庫支出金など。控除します）\n\nspecific revenue, deducted")] = "0",
    joint: Annotated[bool, typer.Option(
        "--joint/--single", help="共同調達か単独調達か\n\njoint or single procurement")] = False,
    agreement_parties: Annotated[str | None, typer.Option(
        "--agreement-parties", "-p", show_default=False,
        help="協定の構成団体の団体コード （区切りは ; か , か 、）\n\nagreement parties' codes, "
             "separated by ; or ,")] = None,
    agreement_concluded_on: Annotated[str | None, typer.Option(
        show_default=False,
        help="協定の締結日 （既定は年度の初日）\n\ndate the agreement was concluded "
             "(default: first day of the fiscal year)")] = None,
    entity: Annotated[str | None, typer.Option(
        "--entity", "-e", show_default=False,
        help="申告団体の団体コード （協定の構成団体か確かめます）\n\ndeclaring government")] = None,
    unit: Annotated[Unit, typer.Option(
        help="金額の単位: yen （円）, thousand （千円）\n\nunit of the amounts")] = Unit.yen,
    output_format: Annotated[CheckFormat, typer.Option(
        "--format", help="表示形式\n\noutput format")] = CheckFormat.table,
) -> None:
    """1件の経費を判定します: 対象か、措置率、措置額、その理由と根拠。
    Check one expense: eligible or not, the rate, the amount, and why.

    例 / Examples:

    tokko check -t AI -k 導入・構築 -a 1,200,000 -y 令和3年度

    tokko check -t RPA -k introduction -a 3000000 -y R4 -b 住民記録

    tokko check -t AI -k 研修 -a 500000 -y R3 --joint -p 010006,011002 -e 011002
    """
    from tokko.cli import check as command

    command.run(
        settings_of(ctx), technology=technology, expense_kind=expense_kind, amount=amount,
        fiscal_year=fiscal_year, business_area=business_area, specific_revenue=specific_revenue,
        joint=joint, agreement_parties=agreement_parties,
        agreement_concluded_on=agreement_concluded_on, entity=entity, unit=unit,
        output_format=output_format,
    )


# ── calc and explain ────────────────────────────────────────────────────────────────────────


@app.command("calc")
def calc_command(
    ctx: typer.Context,
    file: FileArgument,
    *,
    output_format: Annotated[CalcFormat, typer.Option(
        "--format", help="出力形式\n\noutput format")] = CalcFormat.table,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, show_default=False,
        help="書き出すファイル （xlsx では必須。既定は画面）\n\nfile to write "
             "(required for xlsx; default: the screen)")] = None,
    unit: UnitOption = Unit.yen,
    sheet: SheetOption = None,
    agreements: AgreementsOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    """申告（JSON, CSV, XLSX）を計算し、項目ごとの表と合計、照合を表示します。
    Compute a declaration: an itemized table with the totals and the reconciliation.

    金額は円。千円単位の表は --unit thousand。 / Amounts in yen; --unit thousand for 千円.

    例 / Examples:

    tokko calc 申告.csv

    tokko calc 申告.xlsx --unit thousand --format xlsx --output 結果.xlsx

    tokko calc declaration.json --format json
    """
    from tokko.cli import calc as command

    command.run(settings_of(ctx), file, output_format=output_format, output=output, unit=unit,
                sheet=sheet, agreements=agreements, encoding=encoding)


@app.command("explain")
def explain_command(
    ctx: typer.Context,
    file: FileArgument,
    *,
    item: Annotated[str | None, typer.Option(
        "--item", show_default=False,
        help="この項目番号だけを説明\n\nexplain only this item number")] = None,
    unit: UnitOption = Unit.yen,
    sheet: SheetOption = None,
    agreements: AgreementsOption = None,
    output_format: Annotated[ExplainFormat, typer.Option(
        "--format", help="表示形式\n\noutput format")] = ExplainFormat.tree,
) -> None:
    """入力から金額までの筋道を、規則のキーと出典つきで1段ずつ示します。
    Explain each amount step by step, citing the rule key and its source.

    例 / Examples:

    tokko explain 申告.csv

    tokko explain declaration.json --item 3
    """
    from tokko.cli import explain as command

    command.run(settings_of(ctx), file, item=item, unit=unit, sheet=sheet,
                agreements=agreements, output_format=output_format)


# ── batch ───────────────────────────────────────────────────────────────────────────────────


@app.command("batch")
def batch_command(
    ctx: typer.Context,
    inputs: Annotated[list[Path], typer.Argument(
        metavar="FILE", show_default=False,
        help="申告の表 （CSV, XLSX。複数可）\n\ndeclaration tables (CSV or XLSX)")],
    *,
    out: Annotated[Path, typer.Option(
        "--out", dir_okay=False, show_default=False,
        help="結果ファイル （入力の行ごと）\n\nresults, one row per input row")],
    summary: Annotated[Path | None, typer.Option(
        dir_okay=False, show_default=False,
        help="団体・年度ごとの集計 （既定は 結果名-summary.csv）\n\nsummary per government "
             "and year (default: beside --out, -summary)")] = None,
    errors: Annotated[Path | None, typer.Option(
        dir_okay=False, show_default=False,
        help="エラー一覧 （既定は 結果名-errors.csv）\n\nerror report (default: beside "
             "--out, -errors)")] = None,
    agreements: AgreementsOption = None,
    output_format: Annotated[BatchFormat, typer.Option(
        "--format", help="出力形式。xlsx は --out の1冊に3シート\n\noutput format; xlsx writes "
                         "one workbook with three sheets")] = BatchFormat.csv,
    unit: UnitOption = Unit.yen,
    sheet: SheetOption = None,
    encoding: EncodingOption = Encoding.utf8,
    rules_dir: Annotated[Path | None, typer.Option(
        "--rules", file_okay=False, show_default=False,
        help="規則ファイルのフォルダ\n\nfolder of rule files")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="<n>", show_default=False,
        help="CSV を読む プロセスの数 （CSV 出力のとき）。 既定は CPU の数。 "
             "結果は 変わりません\n\n"
             "processes reading CSV inputs when the output is CSV (default: one per CPU, for "
             "large inputs; the output is the same)")] = None,
) -> None:
    """都道府県の審査向け: 多数の団体の申告を一括で計算し、結果・集計・エラーを書き出します。
    契約番号の重複や共同調達の負担額の超過は、ファイルをまたいで確かめます。
    Compute many governments' declarations; write results, a summary and errors.

    例 / Examples:

    tokko batch 申告*.csv --out 結果.csv --summary 集計.csv --errors エラー.csv

    tokko batch 申告.xlsx --agreements 協定.csv --format xlsx --out 審査.xlsx
    """
    from tokko.cli import batch as command

    command.run(settings_of(ctx), inputs, out=out, summary=summary, errors=errors,
                agreements=agreements, output_format=output_format, unit=unit, sheet=sheet,
                encoding=encoding, rules_dir=rules_dir, jobs=jobs)


# ── rules ───────────────────────────────────────────────────────────────────────────────────

VersionArgument = Annotated[str, typer.Argument(
    show_default=False,
    help="版 （2021.1）、規則のファイル名 （ai-rpa/2021.toml）または規則ファイルのパス\n\n"
         "version, file of the rule set, or path of a rule file")]


@rules_app.command("list")
def rules_list(ctx: typer.Context) -> None:
    """規則の版の一覧: 適用年度、出典で確認済みの年度、ファイルと SHA-256、出典。
    List the rule versions with their coverage, file, SHA-256 and sources.

    例 / Example:

    tokko rules list
    """
    from tokko.cli import rules as command

    command.run_list(settings_of(ctx))


@rules_app.command("show")
def rules_show(
    ctx: typer.Context,
    version: VersionArgument,
    *,
    output_format: Annotated[ShowFormat, typer.Option(
        "--format", help="表示形式\n\noutput format")] = ShowFormat.table,
) -> None:
    """規則の版1つを全部表示します: 措置率、共同調達の条件、対象技術、経費区分、
    対象外の標準化対象事務と別名、特定財源、端数処理。それぞれ出典と注記つき。
    Show one rule version in full, each value with its source and note.

    例 / Examples:

    tokko rules show 2021.1

    tokko rules show ai-rpa/2021.toml --format json
    """
    from tokko.cli import rules as command

    command.run_show(settings_of(ctx), version, output_format=output_format)


@rules_app.command("diff")
def rules_diff(
    ctx: typer.Context,
    first: Annotated[str, typer.Argument(
        metavar="A", show_default=False,
        help="比較元: 版または規則ファイルのパス\n\nfrom: version or rule file")],
    second: Annotated[str, typer.Argument(
        metavar="B", show_default=False,
        help="比較先: 版または規則ファイルのパス\n\nto: version or rule file")],
) -> None:
    """2つの規則の版の違い（措置率、対象外の業務と別名、経費区分、条件…）を示します。
    Show what changed between two rule versions, in words.

    例 / Examples:

    tokko rules diff 2021.1 新規則/ai-rpa/2027.toml

    tokko rules diff ai-rpa/2021.toml 2027.1
    """
    from tokko.cli import rules as command

    command.run_diff(settings_of(ctx), first, second)


@rules_app.command("validate")
def rules_validate(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(
        metavar="FILE_OR_DIR", show_default=False,
        help="検証する規則ファイルまたはフォルダ\n\nrule file or folder to check")],
) -> None:
    """規則ファイル（またはフォルダ）を検証し、問題をすべて（ファイル、キー、理由）示します。
    読み込まれている規則と適用年度が重ならないかも確かめます。
    Check a candidate rule file or folder; list every problem at once.

    例 / Examples:

    tokko rules validate 新規則/ai-rpa/2027.toml

    tokko rules validate 新規則/
    """
    from tokko.cli import rules as command

    command.run_validate(settings_of(ctx), path)


# ── schema and codes ────────────────────────────────────────────────────────────────────────


@app.command("schema")
def schema_command(
    name: Annotated[SchemaName | None, typer.Argument(
        show_default=False,
        help="declaration （申告 JSON）または result （結果 JSON）。省略すると両方\n\n"
             "which schema; both when omitted")] = None,
) -> None:
    """申告 JSON と結果 JSON の JSON Schema を出力します（pydantic のモデルから生成）。
    Print the JSON Schema of the declaration and of the result.

    例 / Examples:

    tokko schema declaration > declaration.schema.json

    tokko schema result
    """
    from tokko.cli import schema as command

    command.run(name)


@app.command("codes")
def codes_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(
        metavar="NAME|CODE", show_default=False,
        help="団体名の一部 （漢字・かな）または団体コード （5桁・6桁）\n\npart of a name "
             "(kanji or kana) or a 5- or 6-digit code")],
    *,
    limit: Annotated[int, typer.Option(
        min=1, help="表示する最大件数\n\nhow many matches to show at most")] = 50,
) -> None:
    """地方公共団体を名称（部分一致、かな可）または団体コードで探します。
    Find a local government by name (partial, kana too) or by code.

    例 / Examples:

    tokko codes 札幌

    tokko codes さっぽろ

    tokko codes 011002
    """
    from tokko.cli import codes as command

    command.run(settings_of(ctx), query, limit=limit)


def lang_first(args: list[str]) -> list[str]:
    """Move ``--lang X`` (or ``--lang=X``) to the front, where the app reads it.

    Officers add it at the end (``tokko check … --lang en``); it is an option of the app, not
    of each command, so Typer would refuse it there.
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--lang" and i + 1 < len(args):
            front += args[i:i + 2]
            i += 2
            continue
        if arg.startswith("--lang="):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main() -> None:
    """The ``tokko`` console script (and ``python -m tokko``)."""
    # tokko uses no pydantic plugin; looking them up scans every installed package's metadata,
    # which costs start-up time. A user who wants plugins can set the variable themselves.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(args=lang_first(sys.argv[1:]), prog_name="tokko")


def script() -> None:
    """The ``tokko`` console script (and ``python -m tokko``): :func:`main`, then the process
    ends at once, with the same exit code.

    Tearing the interpreter down would free every module and object one by one (about 30 ms,
    as much as a large batch's join) only for the process to drop them all. By then every file
    tokko writes is closed; standard output and error are flushed here. An exception other than
    SystemExit is left to the interpreter, traceback and all.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            code = done.code or 0
        else:  # as the interpreter does: the message on stderr, exit code 1
            print(done.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: as the interpreter, exit code 120
            code = code or 120
    os._exit(code)
