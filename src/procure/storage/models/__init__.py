"""Every table of procure; importing this package registers them all on SQLModel.metadata.

`base` comes first: it sets the constraint naming convention before any table exists.
"""

from procure.storage.models.base import NAMING_CONVENTION, UTCDateTime, new_id, table_of, utcnow
from procure.storage.models.organisations import (
    Organisation,
    OrganisationCreate,
    OrganisationPublic,
    OrganisationUpdate,
)
from procure.storage.models.users import (
    ApiToken,
    ApiTokenPublic,
    SignInFailures,
    User,
    UserCreate,
    UserPublic,
    UserUpdate,
    WebSession,
)
from procure.storage.models.contracts import (
    APPOINTMENT_ROLES,
    APPOINTMENT_STATUSES,
    Appointment,
    AppointmentCreate,
    AppointmentPublic,
    Clause,
    ClauseCreate,
    ClausePublic,
    ClauseUpdate,
    Contract,
    ContractCreate,
    ContractPublic,
    ContractUpdate,
    Waiver,
    WaiverCreate,
    WaiverPublic,
)
from procure.storage.models.participants import (
    Participant,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantUpdate,
)
from procure.storage.models.placements import (
    Placement,
    PlacementCreate,
    PlacementPublic,
    PlacementUpdate,
)
from procure.storage.models.reporting import (
    PERIOD_REPORT_STATES,
    REPORT_LANGUAGES,
    IssuedReport,
    IssuedReportPublic,
    LabourHours,
    LabourHoursCreate,
    LabourHoursPublic,
    PeriodReport,
    PeriodReportCreate,
    PeriodReportPublic,
    PeriodReportUpdate,
)
from procure.storage.models.evidence import EvidenceFile, EvidenceFilePublic
from procure.storage.models.audit import (
    INSTALLATION_CHAIN,
    AuditChain,
    AuditLogEntry,
    AuditLogEntryPublic,
    RecordedHead,
)
from procure.storage.models.throttles import ImportFailure
from procure.storage.models.render_leases import RenderLease

__all__ = [name for name in dir() if not name.startswith("_")]

# Registers the session listeners that bump a contract's data version with every change
# to what the rules engine reads of it; last, as it needs the tables above.
from procure.storage import data_version as _data_version
