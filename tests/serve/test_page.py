"""The web page and the API docs page as served: Japanese by default, English on request, lists
from the rules in force, no inline script, only the package's own files."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from tests.serve.support import NEEDS_SERVE

pytest.importorskip("httpx", reason=NEEDS_SERVE)
pytest.importorskip("python_multipart", reason=NEEDS_SERVE)
pytest.importorskip("fastapi", reason=NEEDS_SERVE)

from starlette.testclient import TestClient

from tokko.rules.ruleset import load_rules
from tokko.serve.page import STATIC, choices, words

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def _words(page: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="words">(.*?)</script>', page, re.S)
    assert found
    data: dict[str, str] = json.loads(found.group(1))
    return data


def test_the_page_is_japanese_by_default(client: TestClient) -> None:
    """GET / is the page in Japanese, with a link to the English one."""
    page = client.get("/").text
    assert '<html lang="ja">' in page
    assert "1件の経費を判定する" in page
    assert 'href="?lang=en"' in page
    assert _words(page)["status.eligible"] == "対象"


def test_the_page_in_english(client: TestClient) -> None:
    """?lang=en: the same page in English."""
    page = client.get("/?lang=en").text
    assert '<html lang="en">' in page
    assert "Check one expense" in page
    assert _words(page)["status.eligible"] == "eligible"


@pytest.mark.parametrize("path", ["/", "/docs", "/?lang=en", "/docs?lang=en"])
def test_no_script_is_inline_and_nothing_comes_from_elsewhere(
    client: TestClient, path: str
) -> None:
    """Every script is a package file (the CSP forbids inline ones); no URL leaves the server."""
    page = client.get(path).text
    assert not _INLINE_SCRIPT.search(page)
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", page)  # no onclick= and the like


def test_the_static_files_are_the_packages_own(client: TestClient) -> None:
    """Each static file is served as it is in the package, and names no other origin."""
    for path in STATIC.iterdir():
        response = client.get(f"/static/{path.name}")
        assert response.status_code == 200
        assert response.content == path.read_bytes()
        assert "http://" not in response.text
        assert "https://" not in response.text


def test_the_words_block_cannot_close_its_script(client: TestClient) -> None:
    """The words travel as JSON in which < and > are escaped (no </script> can end it)."""
    page = client.get("/").text
    block = page.split('id="words">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert ">" not in block


def test_the_lists_come_from_the_rules_in_force() -> None:
    """Fiscal years from the first rule version to next year, the current one chosen; the
    technologies and expense kinds of the rule files."""
    rules = load_rules()
    found = choices(rules, "ja", today=dt.date(2024, 5, 1))
    assert '<option value="2020">2020年度（令和2年度）</option>' in found["fiscal_year_options"]
    assert '<option value="2024" selected>' in found["fiscal_year_options"]
    assert '<option value="AI+RPA">AI+RPA</option>' in found["technology_options"]
    assert '<option value="introduction">導入・構築</option>' in found["expense_kind_options"]
    english = choices(rules, "en", today=dt.date(2024, 5, 1))
    assert (
        '<option value="introduction">introduction (導入・構築)</option>'
        in english["expense_kind_options"]
    )


def test_the_words_cover_every_code_in_both_languages() -> None:
    """The scripts have the words of every SPEC §4 code and the rule key each one cites."""
    for lang in ("ja", "en"):
        found = words(lang)  # type: ignore[arg-type]
        assert found["code.STANDARD_RATE"]
        assert found["rulekey.JOINT_RATE"] == "rates.joint"


def test_the_docs_page_reads_the_openapi_document(client: TestClient) -> None:
    """GET /docs: the API's documentation page, whose script reads openapi.json."""
    page = client.get("/docs").text
    assert 'src="static/docs.js"' in page
    assert "openapi.json" in page
