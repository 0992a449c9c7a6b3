"""The invitations page: an organisation's invitations to contracts, to accept or decline
(procure.services.appointments; the forms carry the CSRF token like every page form)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from procure.dependencies import DbSession, RequestPrincipal
from procure.services import appointments as service
from procure.web.i18n import Translator
from procure.web.pages import flash, page, see_other
from procure.web.sessions import language_of


class InvitationController(Controller):
    path = "/appointments"

    @get("/", sync_to_thread=True)
    def list(self, request: Request, db: DbSession, principal: RequestPrincipal) -> Template:
        return page(request, "appointments/list.html", invitations=service.invitations(db, principal))

    @post("/{appointment_id:uuid}/accept", sync_to_thread=True)
    def accept(self, request: Request, db: DbSession, principal: RequestPrincipal, appointment_id: FromPath[uuid.UUID]) -> Any:
        service.accept(db, principal, appointment_id)
        flash(request, Translator(language_of(request))("invitation_answered"))
        return see_other("/appointments")

    @post("/{appointment_id:uuid}/decline", sync_to_thread=True)
    def decline(self, request: Request, db: DbSession, principal: RequestPrincipal, appointment_id: FromPath[uuid.UUID]) -> Any:
        service.decline(db, principal, appointment_id)
        flash(request, Translator(language_of(request))("invitation_answered"))
        return see_other("/appointments")
