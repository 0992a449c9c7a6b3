"""Organisations: buyers (housing companies), contractors and subcontractors, auditors."""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from procure.domain.vocabulary import ORGANISATION_KINDS
from procure.storage.models.base import UTCDateTime, new_id, one_of, utcnow


class OrganisationBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    # Normalised "NNNNNN-NNNN" (procure.domain.identity.normalise_org_number).
    org_number: str = Field(max_length=11, unique=True, index=True)
    kind: str = Field(max_length=20)


class OrganisationCreate(OrganisationBase):
    pass


class OrganisationUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: str | None = Field(default=None, max_length=20)


class Organisation(OrganisationBase, table=True):
    __tablename__ = "organisations"
    __table_args__ = (one_of("kind", ORGANISATION_KINDS),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OrganisationPublic(OrganisationBase):
    id: uuid.UUID
