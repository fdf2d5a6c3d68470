"""All services for one database, built once by a composition root and handed down."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.services.backups import BackupService
from frontdesk.services.clinic import ClinicService
from frontdesk.services.context import ServiceContext
from frontdesk.services.exports import ExportService
from frontdesk.services.lookup import LookupService
from frontdesk.services.patient_import import ImportService
from frontdesk.services.report_rows import ReportRows
from frontdesk.services.reports import ReportService
from frontdesk.services.staff import StaffService
from frontdesk.services.status import StatusService


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    clinic: ClinicService
    staff: StaffService
    lookup: LookupService
    status: StatusService
    imports: ImportService
    exports: ExportService
    reports: ReportService
    report_rows: ReportRows
    backups: BackupService

    @property
    def database_kind(self) -> str:
        return "SQLite" if self.ctx.db.is_sqlite else "PostgreSQL"


def build_services(ctx: ServiceContext, *, sms_configured: bool = False) -> Services:
    return Services(
        ctx=ctx,
        clinic=ClinicService(ctx),
        staff=StaffService(ctx),
        lookup=LookupService(ctx),
        status=StatusService(ctx, sms_configured=sms_configured),
        imports=ImportService(ctx),
        exports=ExportService(ctx),
        reports=ReportService(ctx),
        report_rows=ReportRows(ctx),
        backups=BackupService(ctx),
    )
