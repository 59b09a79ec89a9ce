"""``tokko rules list|show|diff|validate`` and ``tokko --version``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tokko import __version__, load_rules
from tokko.messages import t
from tokko.rules.ruleset import rule_values

ENV = {"TOKKO_LANG": None, "TOKKO_RULES": None, "FORCE_COLOR": None, "COLUMNS": "250"}
BUSINESSES = [
    "住民基本台帳",
    "選挙人名簿管理",
    "固定資産税",
    "個人住民税",
    "法人住民税",
    "軽自動車税",
    "国民健康保険",
    "国民年金",
    "障害者福祉",
    "後期高齢者医療",
    "介護保険",
    "児童手当",
    "生活保護",
    "健康管理",
    "就学",
    "児童扶養手当",
    "子ども・子育て支援",
    "印鑑登録",
    "戸籍",
    "戸籍の附票",
]


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    from tokko.cli import app

    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})


def shipped_text() -> str:
    """The text of the shipped 2021 rule file."""
    rules = load_rules()
    version = rules.get("2021.2")
    assert rules.root is not None
    return (rules.root / version.path).read_text(encoding="utf-8")


def next_version(text: str) -> str:
    """A plausible next version: in force from 2027, rate 0.35, hardware eligible, one more
    business, one alias fewer, three parties for the joint rate."""
    text = text.replace('version = "2021.2"', 'version = "2027.1"')
    text = re.sub(r"effective_from = 2021", "effective_from = 2027", text)
    text = re.sub(r"confirmed_through = 2025", "confirmed_through = 2027", text)
    text = re.sub(r"(\[rates\.standard\]\nvalue = )0\.3", r"\g<1>0.35", text)
    text = re.sub(r'(id = "hardware".*?eligible = )false', r"\1true", text, count=1, flags=re.S)
    text = re.sub(r"(\[joint_procurement\.min_parties\]\nvalue = )2", r"\g<1>3", text)
    text = text.replace('aliases = ["印鑑証明"]', "aliases = []")
    return text + '\n[[excluded_businesses.list]]\nname = "新業務"\naliases = ["新しい業務"]\n'


@pytest.fixture
def candidate(tmp_path: Path) -> Path:
    path = tmp_path / "next" / "ai-rpa" / "2027.toml"
    path.parent.mkdir(parents=True)
    path.write_text(next_version(shipped_text()), encoding="utf-8")
    return path


def test_list() -> None:
    """The list shows each version with its file, coverage, confirmation and sources."""
    result = run("rules", "list")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ai-rpa" in out
    assert "2021.2" in out
    assert "ai-rpa/2021.toml" in out
    assert "2021年度（令和3年度）〜" in out
    assert "2025年度まで" in out
    assert "地方交付税法" in out
    assert "2020.1" in out  # fiscal 2020 has a version of its own
    assert "ai-rpa/2020.toml" in out
    assert "2020年度（令和2年度）〜2020年度（令和2年度）" in out


def test_list_in_english() -> None:
    """The English list names coverage as fiscal years."""
    out = run("--lang", "en", "rules", "list").stdout
    assert "In force" in out
    assert "FY2021–" in out
    assert "Confirmed through" in out


def test_show_everything() -> None:
    """show prints rates, joint conditions, technologies, expense kinds, the 20 businesses."""
    result = run("rules", "show", "2021.2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "0.3" in out
    assert "0.5" in out
    assert "協定の最少構成団体数" in out
    assert "年度末までに協定を締結" in out
    assert "AI-OCR → AI" in out
    for kind in (
        "introduction",
        "license",
        "training",
        "consulting",
        "hardware",
        "personnel",
        "other",
    ):
        assert kind in out
    assert "（20業務）" in out
    for business in BUSINESSES:
        assert business in out
    assert "住民記録" in out  # an alias
    assert "half_up" in out
    assert "1000" in out
    assert "declaration" in out
    assert "解釈" in out  # notes are shown
    assert t("show.first_year_only", "ja") in out  # the licence kind is first-year only
    assert t("step.fiscal_strength", "ja") in out
    assert t("show.fs_no_table", "ja") in out  # no multiplier table is transcribed


def test_show_the_2020_version() -> None:
    """The 2020 version has the standard rate only: no joint rate, no excluded businesses."""
    result = run("rules", "show", "2020.1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ai-rpa/2020.toml" in out
    assert "2020年度（令和2年度）〜2020年度（令和2年度）" in out
    assert "0.3" in out
    assert "0.5" not in [cell for line in out.splitlines() for cell in line.split()]
    assert t("show.no_excluded", "ja") in out
    english = run("--lang", "en", "rules", "show", "2020.1").stdout
    assert t("show.no_excluded", "en") in english


def test_show_by_file_name_and_as_json() -> None:
    """show accepts the file name of a version; --format json is rule_values of it."""
    result = run("rules", "show", "ai-rpa/2021.toml", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == rule_values(load_rules().get("2021.2"))


def test_show_unknown_version_is_a_usage_error() -> None:
    """An unknown version: exit 2, listing the versions there are."""
    result = run("rules", "show", "1999.9")
    assert result.exit_code == 2
    assert "1999.9" in result.stderr
    assert "2021.2" in result.stderr


def test_diff_reads_like_a_memo(candidate: Path) -> None:
    """diff names each change in words: rate, condition, kind eligibility, businesses, aliases."""
    result = run("rules", "diff", "2021.2", str(candidate))
    assert result.exit_code == 0, result.output
    out = result.stdout
    lines = out.splitlines()

    def line_with(*words: str) -> str:
        return next(line for line in lines if all(w in line for w in words))

    assert "0.3" in line_with("措置率（標準）")
    assert "0.35" in line_with("措置率（標準）")
    assert "3" in line_with("協定の最少構成団体数", "変更")
    assert "対象外" in line_with("経費区分「hardware」の対象・対象外")
    assert "追加" in line_with("標準化対象事務「新業務」")
    assert "印鑑証明" in line_with("標準化対象事務「印鑑登録」の別名", "削除")
    assert "適用開始年度" in out


def test_diff_in_english(candidate: Path) -> None:
    """The English diff uses English names for what changed."""
    out = run("--lang", "en", "rules", "diff", "2021.2", str(candidate)).stdout
    assert "standard rate" in out
    assert "not eligible" in out
    assert "standardization-target business '新業務'" in out


def test_diff_shows_each_bracket_of_a_multiplier_table() -> None:
    """A multiplier table added: each bracket with its kind of government, its indices and its
    multiplier — never the bare values (which could not tell 市町村 0.8 from 都道府県 0.8)."""
    from tokko.rules.diff import diff, shown

    example = load_rules("examples/fiscal-strength/rules").get("2021.2-example")
    changes = diff(rule_values(load_rules().get("2021.2")), rule_values(example))
    table = next(c for c in changes if c.key == "fiscal_strength.multipliers")
    assert shown(table.after, table, "ja").split("；") == [
        "市町村: 0以上0.40以下の指数 → × 1.0",
        "市町村: 0.40を超え0.80以下の指数 → × 0.8",
        "市町村: 0.80を超える指数 → × 0.5",
        "都道府県: 0以上0.50以下の指数 → × 0.9",
        "都道府県: 0.50を超える指数 → × 0.6",
    ]
    assert shown(table.after, table, "en").split("; ")[3] == (
        "prefectures: indices from 0 up to 0.50 → × 0.9"
    )
    assert shown(table.before, table, "ja") == "—"


def test_diff_of_a_version_with_itself() -> None:
    """No differences is said in words, exit 0."""
    result = run("rules", "diff", "2021.2", "ai-rpa/2021.toml")
    assert result.exit_code == 0
    assert "違いはありません" in result.stdout


def test_validate_a_good_candidate(candidate: Path) -> None:
    """A valid next-year file that does not overlap the loaded rules: exit 0."""
    result = run("rules", "validate", str(candidate))
    assert result.exit_code == 0, result.output
    assert "問題はありません" in result.stdout
    assert "2027.1" in result.stdout


def test_validate_the_shipped_rules() -> None:
    """The shipped rule folder validates against itself."""
    rules = load_rules()
    assert rules.root is not None
    assert run("rules", "validate", str(rules.root)).exit_code == 0


def test_validate_lists_every_problem(tmp_path: Path) -> None:
    """A broken candidate folder: exit 3 and every problem (file, key path, reason) listed."""
    folder = tmp_path / "cand" / "ai-rpa"
    folder.mkdir(parents=True)
    text = next_version(shipped_text())
    text = text.replace("value = 0.35", "value = 1.35")
    text = text.replace('value = "half_up"', 'value = "banker"')
    (folder / "2027.toml").write_text(text, encoding="utf-8")
    (folder / "broken.toml").write_text("[measure\n", encoding="utf-8")
    result = run("--lang", "en", "rules", "validate", str(tmp_path / "cand"))
    assert result.exit_code == 3
    err = result.stderr
    assert "Problems found in the rule files: 3" in err
    assert "ai-rpa/2027.toml" in err
    assert "rates.standard.value" in err
    assert "rounding.mode" in err
    assert "unknown rounding mode" in err
    assert "ai-rpa/broken.toml" in err
    assert "not valid TOML" in err
    assert "Traceback" not in result.output


def test_validate_finds_an_overlap_with_the_loaded_rules(tmp_path: Path) -> None:
    """A candidate starting in the same year as a loaded version is refused (coverage)."""
    path = tmp_path / "2021b.toml"
    path.write_text(
        shipped_text().replace('version = "2021.2"', 'version = "2021.9"'), encoding="utf-8"
    )
    result = run("rules", "validate", str(path))
    assert result.exit_code == 3
    assert "measure.effective_from" in result.stderr
    assert "2021.9" in result.stderr


def test_validate_missing_path_exit_3(tmp_path: Path) -> None:
    """A path that does not exist is reported as a problem, exit 3, in either language."""
    result = run("rules", "validate", str(tmp_path / "nothing"))
    assert result.exit_code == 3
    assert "ファイルまたはフォルダがありません" in result.stderr
    english = run("--lang", "en", "rules", "validate", str(tmp_path / "nothing"))
    assert "no such file or folder" in english.stderr


def test_validate_lists_problems_across_keys_in_the_same_round(tmp_path: Path) -> None:
    """A misspelt key, an undefined source, a repeated kind name and a short exclusion_order:
    all four in one run, each in Japanese by default and in English with --lang en."""
    text = next_version(shipped_text())
    text = text.replace("[rates.standard]", "[rates.standrad]", 1)
    text = text.replace(
        'value = 0.5\nsource = "soumu-ai-rpa"', 'value = 0.5\nsource = "no-such-source"', 1
    )
    text = text.replace('"導入費"', '"研修"', 1)
    text = text.replace(
        '"technology", "expense_kind", "standardization_target"', '"technology", "expense_kind"', 1
    )
    path = tmp_path / "2027.toml"
    path.write_text(text, encoding="utf-8")
    japanese = run("rules", "validate", str(path))
    assert japanese.exit_code == 3
    for expected in (
        "rates.standrad",
        "規則ファイルにない項目です",
        "rates.joint",
        "出典「no-such-source」を挙げていますが",
        "expense_kinds[",
        "経費区分の名前「研修」",
        "exclusion_order.value",
        "1回ずつ",
    ):
        assert expected in japanese.stderr, expected
    english = run("--lang", "en", "rules", "validate", str(path))
    for expected in (
        "not a key of rule files",
        "which [sources] does not define",
        "is given to 'introduction' and again to 'training'",
        "once each",
    ):
        assert expected in english.stderr, expected


def test_rules_option_points_at_another_folder(tmp_path: Path, candidate: Path) -> None:
    """--rules DIR loads another folder: the 2021 file and the candidate, both listed."""
    folder = tmp_path / "all" / "ai-rpa"
    folder.mkdir(parents=True)
    (folder / "2021.toml").write_text(shipped_text(), encoding="utf-8")
    (folder / "2027.toml").write_text(candidate.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("--rules", str(tmp_path / "all"), "rules", "list")
    assert result.exit_code == 0, result.output
    assert "2027.1" in result.stdout
    assert "2026年度（令和8年度）" in result.stdout
    check = run(
        "--rules",
        str(tmp_path / "all"),
        "check",
        "-t",
        "AI",
        "-k",
        "機器購入",
        "-a",
        "1000",
        "-y",
        "R9",
    )
    assert "350 円" in check.stdout  # 2027 rules: hardware eligible at 0.35


def test_version_lists_the_shipped_rules() -> None:
    """--version prints tokko's version and each shipped rule version with its coverage."""
    result = run("--version")
    assert result.exit_code == 0
    assert f"tokko {__version__}" in result.stdout
    assert "ai-rpa 2021.2" in result.stdout
    assert "2021年度" in result.stdout
    english = run("--lang", "en", "--version")
    assert "FY2021" in english.stdout


def test_python_dash_m_tokko() -> None:
    """``python -m tokko --version`` runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "tokko", "--version"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "TOKKO_LANG": "en"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"tokko {__version__}")


def test_show_at_80_columns_keeps_each_source_readable() -> None:
    """On an 80-column terminal every source's URL and issuer stay whole on their own line (the
    sources are stacked, not six columns that broke every word)."""
    result = run("rules", "show", "2021.2", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    for source in load_rules().get("2021.2").file.sources.values():
        if source.url:
            assert source.url in lines, source.url
        assert any(line.startswith(source.issuer) for line in lines), source.issuer
    assert max(map(_cells, result.stdout.splitlines())) <= 80


def _cells(line: str) -> int:
    """How many terminal cells a line takes (wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
