"""Demo agencies and personas. Idempotent: running it again changes nothing.

Later parts of the system add their own demo records here, with dates relative
to today, so that something is always due and something overdue.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.demo import seed_cases
from cases.demo.chronology import seed_chronology
from coordination.demo import seed_coordination
from custody.demo import seed_custody
from disclosure.demo import record_deferral, seed_disclosures
from documents.demo import seed_documents
from interventions.demo import seed_interventions
from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User
from jmappa.accounts.second_factor import hex_key_of
from kpi.demo import seed_smb
from plans.demo import seed_meetings
from referrals.demo import seed_referrals
from support.demo import seed_support

AGENCIES = [
    ("States of Jersey Police", AgencyKind.POLICE, "Police Headquarters, Route du Fort, St Helier"),
    ("Jersey Probation and After-Care Service", AgencyKind.PROBATION, "Royal Court, St Helier"),
    ("HM Prison La Moye", AgencyKind.PRISON, "La Moye, St Brelade"),
    ("Health and Social Services", AgencyKind.HEALTH_SOCIAL_SERVICES,
     "Peter Crill House, St Helier"),
    ("Children's Services", AgencyKind.CHILDRENS_SERVICES, "Maison Le Marquand, St Helier"),
    ("Mental Health Services", AgencyKind.MENTAL_HEALTH, "Orchard House, St Saviour"),
    ("Housing", AgencyKind.HOUSING, "Le Bas Centre, St Helier"),
    ("Education", AgencyKind.EDUCATION, "PO Box 142, Highlands Campus, St Saviour"),
    ("Customs and Immigration", AgencyKind.CUSTOMS_IMMIGRATION, "Maritime House, St Helier"),
]

# (username, first, last, agency kind, job title, grade, roles, SPOC of own agency). Nobody
# is staff: the Django admin is for superusers only, and the Co-ordinator and the
# Administrator keep people, agencies, tokens and lock-outs in the application.
PERSONAS = [
    ("coordinator", "Jane", "Renouf", AgencyKind.POLICE, "JMAPPA Co-ordinator",
     Grade.MIDDLE_MANAGER, [Role.COORDINATOR, Role.CHAIR], False),
    ("admin.officer", "Paul", "Le Brocq", AgencyKind.POLICE, "JMAPPA Administrator",
     Grade.PRACTITIONER, [Role.ADMINISTRATOR], False),
    ("police.inspector", "Marie", "Vibert", AgencyKind.POLICE, "Inspector",
     Grade.FIRST_LINE_MANAGER, [Role.PRACTITIONER, Role.SPOC, Role.CHAIR], True),
    ("probation.officer", "Tom", "Gallichan", AgencyKind.PROBATION, "Probation Officer",
     Grade.PRACTITIONER, [Role.PRACTITIONER], False),
    ("housing.officer", "Sarah", "Le Cornu", AgencyKind.HOUSING, "Housing Manager",
     Grade.FIRST_LINE_MANAGER, [Role.PRACTITIONER, Role.SPOC], True),
    ("smb.member", "David", "Querée", AgencyKind.PROBATION, "Assistant Chief Probation Officer",
     Grade.SENIOR_MANAGER, [Role.SMB_MEMBER], False),
]

# Every demo persona's authenticator secret (README "Demo personas"): add it to any
# authenticator app, or compute the code, to pass the second factor. Known to all, so given
# only with DEBUG on: a system seeded with --force has its personas set up their own.
DEMO_TOTP_SECRET = "JMAPPADEMOSECRETJMAPPADEMOSECRET"
DEMO_DEVICE_NAME = "Demo authenticator (known secret)"


class Command(BaseCommand):
    help = "Load the demo agencies and personas (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Run even though DEBUG is off.")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo loads demo personas with a known password; it refuses to run "
                "with DEBUG off. Use --force if this really is a demonstration system."
            )
        with transaction.atomic():
            agencies = self.seed_agencies()
            self.seed_personas(agencies)
            if settings.DEBUG:
                self.seed_demo_second_factor()
            elif options["verbosity"] > 0:
                self.stdout.write("DEBUG is off: no demo second factor; each persona sets up "
                                  "their own at first sign-in.")
            seed_cases(today=timezone.localdate(), stdout=options["verbosity"] and self.stdout)
            seed_referrals(today=timezone.localdate(),
                           stdout=options["verbosity"] and self.stdout)
            seed_meetings(today=timezone.localdate(),
                          stdout=options["verbosity"] and self.stdout,
                          before_finalise=record_deferral)
            seed_chronology(today=timezone.localdate(),
                            stdout=options["verbosity"] and self.stdout)
            seed_documents(today=timezone.localdate(),
                           stdout=options["verbosity"] and self.stdout)
            seed_disclosures(today=timezone.localdate(),
                             stdout=options["verbosity"] and self.stdout)
            seed_support(today=timezone.localdate(),
                         stdout=options["verbosity"] and self.stdout)
            seed_smb(today=timezone.localdate(), stdout=options["verbosity"] and self.stdout)
            seed_coordination(today=timezone.localdate(),
                              stdout=options["verbosity"] and self.stdout)
            seed_custody(today=timezone.localdate(), stdout=options["verbosity"] and self.stdout)
            seed_interventions(today=timezone.localdate(),
                               stdout=options["verbosity"] and self.stdout)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(
                f"Demo data ready: {len(AGENCIES)} agencies, {len(PERSONAS)} personas "
                f"(password from JMAPPA_DEMO_PASSWORD)."
            ))

    def seed_agencies(self) -> dict[str, Agency]:
        agencies = {}
        for name, kind, address in AGENCIES:
            agency, _ = Agency.objects.get_or_create(
                name=name,
                defaults={"kind": kind, "duty_to_cooperate": True, "address": address,
                          "phone": "01534 000000",
                          "secure_email": f"jmappa.{kind.replace('_', '-')}@example.je"},
            )
            agencies[kind] = agency
        return agencies

    def seed_personas(self, agencies: dict[str, Agency]) -> None:
        for (username, first, last, kind, title, grade, roles, spoc) in PERSONAS:
            agency = agencies[kind]
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "agency": agency,
                          "job_title": title, "grade": grade, "roles": list(roles),
                          "email": f"{username}@example.je"},
            )
            if created:
                # Only on creation: a demo user who changed their password keeps it.
                user.set_password(settings.JMAPPA_DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if spoc and agency.spoc_id is None:
                agency.spoc = user
                agency.save(update_fields=["spoc"])
        # A demo seeded before the admin site was for superusers only: no staff left.
        demo = User.objects.filter(username__in=[persona[0] for persona in PERSONAS])
        demo.filter(is_staff=True).update(is_staff=False)
        User.user_permissions.through.objects.filter(user__in=demo).delete()

    def seed_demo_second_factor(self) -> None:
        """The demo secret for each persona without an authenticator app of their own."""
        for username, *_ in PERSONAS:
            user = User.objects.get(username=username)
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True,
                                          key=hex_key_of(DEMO_TOTP_SECRET))
