"""Fixtures of the report tests: the sample plan in a temporary database, a local SMTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from planner.services.context import Context
from tests.reports.support import AS_OF, SEED, Recorder, SmtpServer


@pytest.fixture
def sample(make_context: Callable[..., Context]) -> Context:
    """A context on a fresh database holding the sample 2022 plan, today pinned to 09/05/2022."""
    from planner.io.seedfile import load_seed_file
    from planner.services.plan_load import load_seed

    ctx = make_context(AS_OF)
    load_seed(ctx.db, load_seed_file(SEED), actor="coordinator")
    return ctx


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1, on a port the system picks; accepts LOGIN/PLAIN
    authentication without TLS (user "cchc", password "s3cret")."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    logins: list[tuple[str, str]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            user, password = data.login.decode(), data.password.decode()
            logins.append((user, password))
            # handled=False: aiosmtpd then answers 535 itself (its default leaves it to us).
            return AuthResult(success=(user, password) == ("cchc", "s3cret"), handled=False)
        return AuthResult(success=False, handled=False)

    class _Controller(Controller):
        def _trigger_server(self) -> None:
            # Bound to port 0: learn the real port before the controller connects to it.
            assert self.server is not None
            self.port = self.server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
            super()._trigger_server()

    handler = Recorder()
    controller = _Controller(handler, hostname="127.0.0.1", port=0, authenticator=authenticator,
                             auth_require_tls=False)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", controller.port, handler, logins)
    finally:
        controller.stop()
