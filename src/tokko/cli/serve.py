"""``tokko serve``: the JSON API and the web page over HTTP (:mod:`tokko.serve`).

Binds to 127.0.0.1 unless ``--host`` says otherwise; loads the rules before it listens (a
refused rules folder stops it with every problem listed, exit code 3); logs one line per request
on stderr. ``--check`` does all of that but listen. The server's packages (FastAPI, uvicorn,
python-multipart) come with ``pip install 'tokko[serve]'``; without them the command says so.
"""

from __future__ import annotations

import gc
import ipaddress
import logging
from typing import Annotated

import typer

from tokko.cli import render
from tokko.cli.app import Command, app
from tokko.cli.common import fail, user_errors
from tokko.cli.options import (
    EXIT_USAGE,
    LangOption,
    MeasureOption,
    RulesOption,
    UnitOption,
    both,
    settings,
)
from tokko.messages import t

DEFAULT_MAX_UPLOAD_MB = 32  # tokko.serve.config.DEFAULT_MAX_UPLOAD_MB, without importing it


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@app.command("serve", cls=Command, help=t("serve.cmd", "ja") + "\n\n" + t("serve.cmd", "en"))
def serve_command(
    ctx: typer.Context,
    *,
    host: Annotated[str, typer.Option("--host", help=both("serve.help.host"))] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help=both("serve.help.port"))
    ] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="TOKKO_TOKEN",
            show_default=False,
            show_envvar=False,
            help=both("serve.help.token"),
        ),
    ] = None,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", min=1, max=4096, help=both("serve.help.max_upload_mb"))
    ] = DEFAULT_MAX_UPLOAD_MB,
    check_only: Annotated[bool, typer.Option("--check", help=both("serve.help.check"))] = False,
    lang: LangOption = None,
    rules: RulesOption = None,
    unit: UnitOption = None,
    measure: MeasureOption = None,
) -> None:
    run = settings(ctx, lang=lang, rules=rules, unit=unit, measure=measure)
    language = run.lang
    try:
        import uvicorn

        from tokko.serve import ServeConfig, create_app
        from tokko.serve.live import LiveRules
    except ImportError:
        raise fail(t("serve.missing_extra", language), language, EXIT_USAGE) from None
    with user_errors(language):
        live = LiveRules(run.rules_dir, run.measure)
    config = ServeConfig(
        rules_dir=run.rules_dir,
        measure=run.measure,
        token=token or None,
        max_upload_mb=max_upload_mb,
    )
    server = create_app(config, live=live)
    versions = ", ".join(f"{v.measure} {v.version}" for v in live.current())
    if not _loopback(host) and not token:
        render.line((t("serve.open_without_token", language, host=host), "warn"), stderr=True)
    if check_only:
        render.line((t("serve.ready", language, versions=versions, url=_url(host, port)), "ok"))
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    gc.collect()
    gc.freeze()  # the code, the rules and the code list: never garbage, never scanned again
    render.line(
        t("serve.listening", language, url=_url(host, port), versions=versions), stderr=True
    )
    uvicorn.run(
        server,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=True,
    )
