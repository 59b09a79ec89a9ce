"""``tokko check``: one expense from flags, in Japanese and English (SPEC §5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tokko.cli import app
from tokko.cli.common import code_text
from tokko.messages import t
from tokko.model.codes import ErrorCode, ReasonCode, WarningCode

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "200"}
BASIC = [
    "check",
    "--technology",
    "AI",
    "--expense-kind",
    "introduction",
    "--amount",
    "1000000",
    "--fiscal-year",
    "R3",
]


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})


def test_eligible_expense_in_japanese() -> None:
    """An AI introduction expense is eligible at 0.3, with the amounts, reason, rule and source."""
    result = run(*BASIC)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "判定" in out
    assert "対象" in out
    assert "0.3" in out
    assert "1,000,000 円" in out
    assert "300,000 円" in out
    assert t("code.STANDARD_RATE", "ja") in out
    assert "ai-rpa 2021.2" in out
    assert "ai-rpa/2021.toml" in out
    assert "rates.standard" in out
    assert "自治体のAI・RPAの利用推進" in out  # the title of the rate's source
    assert "Traceback" not in result.output


def test_eligible_expense_in_english() -> None:
    """With --lang en the labels and the reason are English."""
    result = run("--lang", "en", *BASIC)
    assert result.exit_code == 0, result.output
    assert "Result" in result.stdout
    assert "eligible" in result.stdout
    assert t("code.STANDARD_RATE", "en") in result.stdout
    assert "判定" not in result.stdout


def test_language_from_the_environment() -> None:
    """TOKKO_LANG=en selects English without --lang; --lang ja overrides it."""
    assert t("code.STANDARD_RATE", "en") in run(*BASIC, env={"TOKKO_LANG": "en"}).stdout
    assert (
        t("code.STANDARD_RATE", "ja")
        in run("--lang", "ja", *BASIC, env={"TOKKO_LANG": "en"}).stdout
    )


@pytest.mark.parametrize(
    "year", ["2021", "2021年度", "R3", "令和3年度", "令和3", "２０２１", "FY2021"]
)
def test_fiscal_year_in_any_accepted_spelling(year: str) -> None:
    """Every spelling of SPEC §3 names fiscal 2021 and the 2021 rules."""
    result = run("check", "-t", "AI", "-k", "導入・構築", "-a", "1,000,000", "-y", year)
    assert result.exit_code == 0, result.output
    assert "300,000 円" in result.stdout


def test_standardization_target_is_excluded() -> None:
    """Work on a standardization-target business (住民記録 = 住民基本台帳) is excluded."""
    result = run(*BASIC, "--business-area", "住民記録システムの入力")
    assert result.exit_code == 0, result.output
    assert "対象外" in result.stdout
    assert t("code.EXCLUDED_STANDARDIZATION_TARGET", "ja") in result.stdout
    assert "住民基本台帳" in result.stdout
    assert "excluded_businesses" in result.stdout


def test_ineligible_expense_kind_and_technology() -> None:
    """Hardware is an ineligible kind; IoT is not AI or RPA; both are excluded with the reason."""
    hardware = run("--lang", "en", "check", "-t", "AI", "-k", "機器購入", "-a", "100", "-y", "R3")
    assert t("code.EXCLUDED_EXPENSE_KIND", "en") in hardware.stdout
    iot = run("--lang", "en", "check", "-t", "IoT", "-k", "導入", "-a", "100", "-y", "R3")
    assert t("code.EXCLUDED_TECHNOLOGY", "en") in iot.stdout
    assert hardware.exit_code == iot.exit_code == 0


def test_specific_revenue_is_deducted() -> None:
    """Specific revenue is deducted before the rate; more revenue than cost warns and nets 0."""
    result = run(*BASIC, "--specific-revenue", "400,000")
    assert "600,000 円" in result.stdout
    assert "180,000 円" in result.stdout
    over = run(*BASIC, "--specific-revenue", "2000000")
    assert t("code.REVENUE_EXCEEDS_AMOUNT", "ja") in over.stdout
    assert over.exit_code == 0


def test_joint_rate_with_agreement_parties() -> None:
    """Joint procurement with an agreement of two parties including the declarer gets 0.5."""
    result = run(*BASIC, "--joint", "--agreement-parties", "010006、011002", "--entity", "011002")
    assert result.exit_code == 0, result.output
    assert "0.5" in result.stdout
    assert "500,000 円" in result.stdout
    assert t("code.JOINT_RATE", "ja") in result.stdout
    assert "rates.joint" in result.stdout


def test_joint_without_agreement_warns_and_uses_the_standard_rate() -> None:
    """--joint without parties keeps 0.3 and says which condition failed."""
    result = run(*BASIC, "--joint")
    assert "0.3" in result.stdout
    assert t("code.JOINT_WITHOUT_AGREEMENT", "ja") in result.stdout
    assert "joint_procurement.agreement_required" in result.stdout


def test_joint_when_the_declarer_is_not_a_party() -> None:
    """A declaring government outside the agreement gets the standard rate and a warning."""
    result = run("--lang", "en", *BASIC, "--joint", "-p", "010006;012025", "-e", "011002")
    assert t("code.AGREEMENT_NOT_PARTY", "en") in result.stdout
    assert "300,000 yen" in result.stdout


def test_agreement_concluded_after_the_year() -> None:
    """An agreement concluded after 31 March of the fiscal year fails the joint conditions."""
    result = run(
        *BASIC, "--joint", "-p", "010006,011002", "--agreement-concluded-on", "令和4年5月1日"
    )
    assert t("code.AGREEMENT_NOT_CONCLUDED", "ja") in result.stdout


def test_unit_thousand() -> None:
    """--unit thousand reads the amount in 千円."""
    result = run(
        "check", "-t", "RPA", "-k", "license", "-a", "1,000", "-y", "R3", "--unit", "thousand"
    )
    assert "1,000,000 円" in result.stdout
    assert "300,000 円" in result.stdout


def test_unconfirmed_year_warns() -> None:
    """A year past the sources' confirmation is computed with RULES_UNCONFIRMED_FOR_YEAR."""
    result = run(*BASIC[:-1], "令和9年度")
    assert result.exit_code == 0
    assert t("code.RULES_UNCONFIRMED_FOR_YEAR", "ja") in result.stdout


def test_invalid_input_lists_every_problem_and_exits_1() -> None:
    """A bad amount and a year without rules are both reported; exit 1, no traceback."""
    result = run("check", "-t", "AI", "-k", "introduction", "-a", "1.5", "-y", "R1")
    assert result.exit_code == 1
    assert "エラー" in result.stdout
    assert "「1.5」" in result.stdout
    assert t("code.NO_RULES_FOR_YEAR", "ja") in result.stdout
    assert "Traceback" not in result.output


def test_invalid_input_in_english() -> None:
    """The problems are in English with --lang en: what was found and what was expected."""
    result = run("--lang", "en", "check", "-t", "AI", "-k", "introduction", "-a", "-5", "-y", "R3")
    assert result.exit_code == 1
    assert "Invalid amount" in result.stdout
    assert "expected whole yen" in result.stdout


def test_unknown_expense_kind() -> None:
    """An expense kind the rule file does not name is UNKNOWN_VALUE, listing the kinds."""
    result = run("check", "-t", "AI", "-k", "お茶代", "-a", "100", "-y", "R3")
    assert result.exit_code == 1
    assert "お茶代" in result.stdout
    assert "導入・構築" in result.stdout


def test_json_format() -> None:
    """--format json prints the item, its errors and the rule version used."""
    result = run(*BASIC, "--format", "json")
    document = json.loads(result.stdout)
    assert document["item"]["status"] == "eligible"
    assert document["item"]["measure"] == "300000"
    assert document["item"]["reasons"] == ["STANDARD_RATE"]
    assert document["rules"]["version"] == "2021.2"
    assert document["errors"] == []


def test_json_format_is_the_apis_check_answer() -> None:
    """--format json is the answer of POST /api/v1/check (one model, CheckResult): with the
    fiscal-strength adjustment — a multiplier table, an index and a government give the
    multiplier and the adjusted measure, as the table shows them."""
    from tokko.model.result import CheckResult

    rules = str(Path(__file__).resolve().parents[2] / "examples" / "fiscal-strength" / "rules")
    args = [*BASIC, "--rules", rules, "--fiscal-strength-index", "0.4", "--entity", "013951"]
    document = json.loads(run(*args, "--format", "json").stdout)
    answer = CheckResult.model_validate(document)
    adjustment = answer.fiscal_strength
    assert adjustment.applies
    assert adjustment.missing is None
    assert str(adjustment.index) == "0.40"
    assert answer.item.measure is not None
    assert adjustment.multiplier is not None
    assert adjustment.measure_adjusted == answer.item.measure * adjustment.multiplier
    table = run(*args).stdout
    assert f"× {adjustment.multiplier}" in table


def test_json_format_with_errors_exits_1() -> None:
    """--format json of an invalid expense lists the errors and exits 1."""
    result = run(
        "check", "-t", "AI", "-k", "introduction", "-a", "abc", "-y", "R3", "--format", "json"
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["item"]["status"] == "error"
    assert [e["code"] for e in document["errors"]] == ["INVALID_AMOUNT"]


def test_missing_amount_is_an_error_of_the_item() -> None:
    """Leaving out --amount is an error of the item, not of the command line: the answer says
    the amount is missing (MISSING_FIELD), exit 1."""
    result = run("check", "-t", "AI", "-k", "introduction", "-y", "R3")
    assert result.exit_code == 1
    assert t("code.MISSING_FIELD", "ja") in result.stdout
    assert "事業費" in result.stdout
    document = json.loads(
        run("check", "-t", "AI", "-k", "introduction", "-y", "R3", "--format", "json").stdout
    )
    assert [e["code"] for e in document["errors"]] == ["MISSING_FIELD"]
    assert document["errors"][0]["column"] == "amount"


def test_a_conclusion_date_without_joint_is_a_usage_error() -> None:
    """``--agreement-concluded-on`` without ``--joint`` is not dropped either: exit 2, naming
    --joint; with --joint it is taken."""
    result = run(*BASIC, "--agreement-concluded-on", "2021-05-01")
    assert result.exit_code == 2
    assert "--agreement-concluded-on" in result.stderr
    assert "--joint" in result.stderr
    joint = run(
        *BASIC,
        "--joint",
        "-p",
        "010006,011002",
        "-e",
        "011002",
        "--agreement-concluded-on",
        "2021-05-01",
    )
    assert joint.exit_code == 0, joint.output


def test_parties_without_joint_is_a_usage_error() -> None:
    """``-p`` without ``--joint`` is never silently dropped: exit 2, the message names --joint,
    in Japanese and in English."""
    result = run(*BASIC, "-p", "010006,011002", "-e", "011002")
    assert result.exit_code == 2
    assert result.stderr.startswith("エラー:")
    assert "--joint" in result.stderr
    assert not result.stdout
    english = run(*BASIC, "--agreement-parties", "010006,011002", "--lang", "en")
    assert english.exit_code == 2
    assert "--joint" in english.stderr
    assert "Error:" in english.stderr
    single = run(*BASIC, "--single", "-p", "010006,011002")
    assert single.exit_code == 2


def test_amount_in_thousands_suggests_the_unit() -> None:
    """``-a 1,200千円`` read in yen is INVALID_AMOUNT (exit 1) whose message suggests
    --unit thousand; with --unit thousand the same amount is 1,200,000 yen."""
    result = run("check", "-t", "AI", "-k", "introduction", "-a", "1,200千円", "-y", "R3")
    assert result.exit_code == 1
    assert "「1,200千円」" in result.stdout
    assert "--unit thousand" in result.stdout
    document = json.loads(
        run(
            "check",
            "-t",
            "AI",
            "-k",
            "introduction",
            "-a",
            "1,200千円",
            "-y",
            "R3",
            "--format",
            "json",
            "--lang",
            "en",
        ).stdout
    )
    assert [e["code"] for e in document["errors"]] == ["INVALID_AMOUNT"]
    assert "--unit thousand" in document["errors"][0]["message"]
    thousand = run(
        "check",
        "-t",
        "AI",
        "-k",
        "introduction",
        "-a",
        "1,200千円",
        "-y",
        "R3",
        "--unit",
        "thousand",
    )
    assert thousand.exit_code == 0, thousand.output
    assert "1,200,000 円" in thousand.stdout
    assert "360,000 円" in thousand.stdout


def test_small_amount_may_be_in_thousands() -> None:
    """An amount under 1,000 yen is computed, with the hint that it may be in 千円; in 千円
    (--unit thousand) there is no such hint."""
    result = run("check", "-t", "AI", "-k", "introduction", "-a", "500", "-y", "R3")
    assert result.exit_code == 0, result.output
    assert "150 円" in result.stdout
    assert t("hint.small_amount", "ja") in result.stdout
    english = run(
        "--lang", "en", "check", "-t", "AI", "-k", "introduction", "-a", "500", "-y", "R3"
    )
    assert t("hint.small_amount", "en") in english.stdout
    thousand = run(
        "check", "-t", "AI", "-k", "introduction", "-a", "500", "-y", "R3", "--unit", "thousand"
    )
    assert "500,000 円" in thousand.stdout
    assert t("hint.small_amount", "ja") not in thousand.stdout


@pytest.mark.parametrize("amount", ["abc", "1.2345", "-5"])
def test_errors_in_thousands_speak_in_thousands(amount: str) -> None:
    """With --unit thousand an invalid amount's message asks for 千円 to the yen (its examples
    are written in 千円), in Japanese and in English."""
    result = run(
        "check", "-t", "AI", "-k", "introduction", "-a", amount, "-y", "R3", "--unit", "thousand"
    )
    assert result.exit_code == 1
    assert f"「{amount}」" in result.stdout
    assert "0以上の千円" in result.stdout
    assert "1,235千円" in result.stdout
    assert "整数の円" not in result.stdout
    english = run(
        "check",
        "-t",
        "AI",
        "-k",
        "introduction",
        "-a",
        amount,
        "-y",
        "R3",
        "--unit",
        "thousand",
        "--lang",
        "en",
    )
    assert "thousands of yen" in english.stdout
    assert "1,235千円" in english.stdout


def test_licence_before_the_fiscal_year_is_excluded() -> None:
    """A licence fee of a system introduced in an earlier year is not a first-year cost:
    excluded with EXCLUDED_NOT_FIRST_YEAR, measure 0, exit 0."""
    result = run(
        "check", "-t", "AI", "-k", "license", "-a", "1000000", "-y", "R3", "--introduced-in", "R2"
    )
    assert result.exit_code == 0, result.output
    assert t("status.excluded", "ja") in result.stdout
    assert t("code.EXCLUDED_NOT_FIRST_YEAR", "ja") in result.stdout
    assert "EXCLUDED_NOT_FIRST_YEAR" in result.stdout
    assert "0 円" in result.stdout
    document = json.loads(
        run(
            "check",
            "-t",
            "AI",
            "-k",
            "license",
            "-a",
            "1000000",
            "-y",
            "R3",
            "--introduced-in",
            "R2",
            "--format",
            "json",
        ).stdout
    )
    assert document["item"]["status"] == "excluded"
    assert document["item"]["reasons"] == ["EXCLUDED_NOT_FIRST_YEAR"]
    assert document["item"]["measure"] == "0"
    same_year = run(
        "check",
        "-t",
        "AI",
        "-k",
        "license",
        "-a",
        "1000000",
        "-y",
        "R3",
        "--introduced-in",
        "令和3年度",
    )
    assert "300,000 円" in same_year.stdout
    assert "INTRODUCTION_YEAR_MISSING" not in same_year.stdout


def test_first_year_exclusion_cites_its_rule() -> None:
    """The answer to a licence excluded after its first year names the rule key that decided
    it (expense_kinds…first_year_only) and the source it cites, as every exclusion does."""
    result = run(
        "check", "-t", "AI", "-k", "license", "-a", "1000000", "-y", "R3", "--introduced-in", "R2"
    )
    assert "first_year_only" in result.stdout
    assert "読売新聞" in result.stdout  # the source of first_year_only in the shipped rules


def test_licence_without_introduction_year_warns() -> None:
    """A licence fee without --introduced-in is computed as a first-year cost with the warning
    INTRODUCTION_YEAR_MISSING, naming its rule key."""
    result = run("check", "-t", "AI", "-k", "license", "-a", "1000000", "-y", "R3")
    assert result.exit_code == 0, result.output
    assert "300,000 円" in result.stdout
    assert t("code.INTRODUCTION_YEAR_MISSING", "ja") in result.stdout
    assert "INTRODUCTION_YEAR_MISSING" in result.stdout
    assert "first_year_only" in result.stdout
    document = json.loads(
        run(
            "check", "-t", "AI", "-k", "license", "-a", "1000000", "-y", "R3", "--format", "json"
        ).stdout
    )
    assert document["item"]["warnings"] == ["INTRODUCTION_YEAR_MISSING"]
    introduction = run(*BASIC)
    assert "INTRODUCTION_YEAR_MISSING" not in introduction.stdout  # not a first-year-only kind


def test_introduced_after_the_fiscal_year_is_an_error() -> None:
    """A year of introduction after the fiscal year is INVALID_FISCAL_YEAR (exit 1)."""
    result = run(
        "check",
        "-t",
        "AI",
        "-k",
        "license",
        "-a",
        "1000000",
        "-y",
        "R3",
        "--introduced-in",
        "R4",
        "--format",
        "json",
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [(e["code"], e["column"]) for e in document["errors"]] == [
        ("INVALID_FISCAL_YEAR", "introduced_in")
    ]


def test_fiscal_strength_index_without_a_table() -> None:
    """--fiscal-strength-index with the shipped rules: the answer says the rule file carries
    no multiplier table, so the multiplier is not applied and the measure stays as computed."""
    result = run(*BASIC, "--fiscal-strength-index", "0.45")
    assert result.exit_code == 0, result.output
    assert t("fiscal_strength.missing.table", "ja") in result.stdout
    assert "300,000 円" in result.stdout
    assert "×" not in result.stdout
    english = run(*BASIC, "--fiscal-strength-index", "0.45", "--lang", "en")
    assert t("fiscal_strength.missing.table", "en") in english.stdout
    without = run(*BASIC)
    assert t("fiscal_strength.missing.table_and_index", "ja") in without.stdout


def test_invalid_fiscal_strength_index() -> None:
    """An index that is not a decimal with at most 2 decimals is an error (exit 1)."""
    result = run(*BASIC, "--fiscal-strength-index", "abc")
    assert result.exit_code == 1
    assert "abc" in result.stdout + result.stderr


#: A joint expense of fiscal 2020 with a valid agreement that names the declaring government.
JOINT_2020 = (
    "check",
    "-t",
    "AI",
    "-k",
    "introduction",
    "-a",
    "1000000",
    "-y",
    "2020",
    "--joint",
    "-p",
    "010006,011002",
    "-e",
    "011002",
)


def test_joint_in_fiscal_2020_gets_the_standard_rate() -> None:
    """Fiscal 2020 (rules 2020.1) has no joint rate: a joint expense with a valid agreement
    gets 0.3 with JOINT_RATE_NOT_IN_FORCE."""
    result = run(*JOINT_2020)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "0.3" in out
    assert "300,000 円" in out
    assert t("code.STANDARD_RATE", "ja") in out
    assert t("code.JOINT_RATE_NOT_IN_FORCE", "ja") in out
    assert "ai-rpa 2020.1" in out
    document = json.loads(run(*JOINT_2020, "--format", "json").stdout)
    assert document["item"]["reasons"] == ["STANDARD_RATE"]
    assert document["item"]["warnings"] == ["JOINT_RATE_NOT_IN_FORCE"]
    assert document["rules"]["version"] == "2020.1"


def test_unreadable_rules_exit_3(tmp_path: Path) -> None:
    """A rules folder that cannot be loaded stops with exit 3 and lists its problems."""
    result = run("--rules", str(tmp_path), *BASIC)
    assert result.exit_code == 3
    assert "規則ファイル（*.toml）がありません" in result.stderr
    assert "Traceback" not in result.output
    english = run("--lang", "en", "--rules", str(tmp_path), *BASIC)
    assert english.exit_code == 3
    assert "no rule files (*.toml) found" in english.stderr


@pytest.mark.parametrize("code", [*ReasonCode, *WarningCode, *ErrorCode], ids=str)
def test_every_code_has_both_languages(code: str) -> None:
    """Every reason, warning and error code of §4 reads in Japanese and in English."""
    ja, en = code_text(code, "ja"), code_text(code, "en")
    assert ja
    assert en
    assert ja != en
    assert ja != code
