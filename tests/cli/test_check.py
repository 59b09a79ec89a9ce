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
BASIC = ["check", "--technology", "AI", "--expense-kind", "introduction", "--amount", "1000000",
         "--fiscal-year", "R3"]


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
    assert "ai-rpa 2021.1" in out
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
    assert t("code.STANDARD_RATE", "ja") in run("--lang", "ja", *BASIC,
                                            env={"TOKKO_LANG": "en"}).stdout


@pytest.mark.parametrize("year", ["2021", "2021年度", "R3", "令和3年度", "令和3", "２０２１", "FY2021"])
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
    result = run(*BASIC, "--joint", "-p", "010006,011002", "--agreement-concluded-on",
                 "令和4年5月1日")
    assert t("code.AGREEMENT_NOT_CONCLUDED", "ja") in result.stdout


def test_unit_thousand() -> None:
    """--unit thousand reads the amount in 千円."""
    result = run("check", "-t", "RPA", "-k", "license", "-a", "1,000", "-y", "R3", "--unit",
                 "thousand")
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
    result = run("--lang", "en", "check", "-t", "AI", "-k", "introduction", "-a", "-5", "-y",
                 "R3")
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
    assert document["rules"]["version"] == "2021.1"
    assert document["errors"] == []


def test_json_format_with_errors_exits_1() -> None:
    """--format json of an invalid expense lists the errors and exits 1."""
    result = run("check", "-t", "AI", "-k", "introduction", "-a", "abc", "-y", "R3", "--format",
                 "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["item"]["status"] == "error"
    assert [e["code"] for e in document["errors"]] == ["INVALID_AMOUNT"]


def test_missing_required_option_is_a_usage_error() -> None:
    """Leaving out --amount is a usage error: exit 2."""
    result = run("check", "-t", "AI", "-k", "introduction", "-y", "R3")
    assert result.exit_code == 2
    assert "--amount" in result.output


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
