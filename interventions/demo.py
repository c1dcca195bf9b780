"""Demo intervention packages (seed_demo): a catalogue of interventions from the providers of
the provider catalogue, internal and external; case 20's package, opened three months ago
with its engagement record: a relationships programme and an alcohol group under way, victim
awareness work to follow the programme, supported accommodation weighed and not chosen; a
missed session and the warning given, the person's and a provider's feedback, a change in
his circumstances; a review held, one overdue (the probation officer's alert is open) and one
to come. Run after the coordinated services plans' demo (its providers). Safe to run
again."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from cases.demo.people import DEMOS
from cases.models import Nominal
from coordination.models import Provider
from jmappa.accounts.models import User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from jmappa.core.mail import bulk_loading

from . import services
from .models import EntryKind, Intervention, ProgrammeType, Stage

REF = 20
# (name, provider, programme type, what it involves, who is eligible, places)
CATALOGUE = [
    ("Building Better Relationships", "Probation Service: violence programme",
     ProgrammeType.ACCREDITED,
     "An accredited group programme for men who have been violent to a partner: 24 weekly "
     "sessions and one-to-one work alongside.",
     "Men convicted of violence to a partner, on a community order or licence.", 10),
    ("Victim awareness", "Probation Service: violence programme", ProgrammeType.ONE_TO_ONE,
     "Eight one-to-one sessions on the harm done and its effects on those harmed.",
     "Anyone under supervision who has completed the programme their sentence requires.",
     None),
    ("Relapse prevention group", "Alcohol and drugs service", ProgrammeType.SUBSTANCE,
     "A weekly group for people whose drinking or drug use is linked to their offending.",
     "Adults assessed by the service; not while drinking daily without support.", 12),
    ("Supported accommodation", "Housing: supported accommodation",
     ProgrammeType.ACCOMMODATION, "A room with staff on site, and help to keep a tenancy.",
     "Adults under supervision without a settled address.", 6),
    ("Mental health assessment", "Community Mental Health Team", ProgrammeType.TREATMENT,
     "A psychiatric assessment, and treatment where it is needed.",
     "Adults referred by their case manager or GP.", None),
]


def seed_interventions(*, today: date, stdout=None) -> int:
    pnc = next(demo.pnc for demo in DEMOS if demo.ref == REF)
    nominal = Nominal.objects.filter(pnc_number=pnc).first()
    providers = {p.name: p for p in Provider.objects.all()}
    if nominal is None or Intervention.objects.exists() or not all(
            row[1] in providers for row in CATALOGUE):
        return 0
    coordinator = User.objects.get(username="coordinator")
    officer = User.objects.get(username="probation.officer")
    engaged = today - timedelta(days=90)
    with bulk_loading(), audit_context(Channel.CLI), transaction.atomic():
        catalogue = {name: services.intervention_save(
            actor=coordinator, name=name, provider=providers[provider], programme_type=kind,
            description=what, eligibility=who, capacity=places, is_active=True)
            for name, provider, kind, what, who, places in CATALOGUE}
        package = services.package_start(
            nominal=nominal, actor=officer, engaged_on=engaged, rights_explained=True,
            confidentiality_explained=True,
            court_required="The community order requires him to complete an accredited "
                           "programme for domestic abuse.",
            needs="Says he drinks when he is stressed and that the arguments started when he "
                  "lost his job; wants to keep seeing his son.",
            preferences="Prefers evening sessions (works days on a building site); does not "
                        "want to speak in a group about his childhood.",
            communication="Reads well; prefers to talk face to face rather than by phone.",
            wants_involved="His brother, who he lives with; not his former partner.")

        def step(name, *, step_no, risk, protective, pros, cons, after=None):
            item = services.option_add(
                package=package, actor=officer, intervention=catalogue[name],
                risk_factors=risk, protective_factors=protective, advantages=pros,
                disadvantages=cons, step=step_no, after=after)
            return services.option_update(item=item, actor=officer, version=item.version,
                                          decision=Stage.CHOSEN,
                                          why="Weighed with him at the planning meeting.")

        def deliver(item, *, referred, contribution, started):
            item = services.referral_record(
                item=item, actor=officer, version=item.version, referred_on=referred,
                referral_discussed="Its part in the package, what he may gain, and that what "
                                   "he says there stays with the service unless someone is "
                                   "at risk.",
                information_given="His offence, his drinking, the order's requirements.")
            item = services.provider_answer(
                item=item, actor=officer, version=item.version, answered_on=referred + timedelta(
                    days=3), willing=True, able=True, resources="A place in the evening group.",
                contribution=contribution)
            item = services.person_agreement(item=item, actor=officer, version=item.version,
                                             agrees=True, on=referred + timedelta(days=5))
            services.entry_record(package=package, actor=officer, kind=EntryKind.PROGRESS,
                                  on=started, note="First session attended.",
                                  intervention=item, stage_after=Stage.UNDER_WAY)
            return item

        programme = step("Building Better Relationships", step_no=1,
                         risk="Controlling behaviour and violence towards a partner.",
                         protective="Skills to manage conflict; his wish to be a good father.",
                         pros="Required by the order; evening group available.",
                         cons="Group work he finds hard; 24 weeks long.")
        group = step("Relapse prevention group", step_no=1,
                     risk="Drinking before the assaults.",
                     protective="A sober routine; support outside the family.",
                     pros="Weekly, near his work; he chose it over one-to-one counselling.",
                     cons="Another evening commitment beside the programme.")
        step("Victim awareness", step_no=2, after=programme,
             risk="Minimising the harm he caused.", protective="Empathy; taking responsibility.",
             pros="Builds on the programme.", cons="Only once the programme is completed.")
        housing = services.option_add(
            package=package, actor=officer, intervention=catalogue["Supported accommodation"],
            risk_factors="Unstable accommodation.", advantages="Staff support on site.",
            disadvantages="Far from his work and his son; he has a room at his brother's.",
            step=1)
        services.option_update(item=housing, actor=officer, version=housing.version,
                               decision=Stage.NOT_CHOSEN,
                               why="He stays with his brother, which he prefers.")
        programme = deliver(programme, referred=engaged + timedelta(days=5),
                            contribution="The weekly evening group and three one-to-one "
                                         "sessions; a progress report each month.",
                            started=engaged + timedelta(days=20))
        deliver(group, referred=engaged + timedelta(days=6),
                contribution="The weekly group and a key worker; tells the probation "
                             "officer of any missed session within a day.",
                started=engaged + timedelta(days=21))
        services.entry_record(
            package=package, actor=officer, kind=EntryKind.NON_COMPLIANCE,
            on=today - timedelta(days=30), intervention=programme,
            note="Missed two sessions running without a reason.",
            action_taken="A formal warning, in writing, under the order's conditions; the "
                         "sessions will be made up.")
        services.entry_record(
            package=package, actor=officer, kind=EntryKind.PROVIDER_FEEDBACK,
            on=today - timedelta(days=25), intervention=programme,
            note="Attends again and joins in more; still quick to blame his former partner.",
            action_taken="")
        services.entry_record(
            package=package, actor=officer, kind=EntryKind.PERSON_FEEDBACK,
            on=today - timedelta(days=20),
            note="Finds the alcohol group the most useful part; the programme's evening "
                 "clashes with overtime some weeks.")
        services.entry_record(
            package=package, actor=officer, kind=EntryKind.NEED_CHANGE,
            on=today - timedelta(days=10),
            note="Has found steady work with a new employer, days only.",
            action_taken="No change to the sequence; the sessions stay in the evening.")
        held = services.review_point_add(
            package=package, actor=officer, review_by=engaged + timedelta(days=45),
            purpose="Whether he has settled into both groups.",
            agreed_with="Him, the programme's tutor, the alcohol service's key worker.",
            responsible=officer)
        services.review_point_held(
            point=held, actor=officer, version=held.version,
            held_on=engaged + timedelta(days=46),
            outcome="Attending both; the programme continues, victim awareness to follow.")
        services.review_point_add(
            package=package, actor=officer, review_by=today - timedelta(days=5),
            purpose="Three-monthly review: progress of each intervention after the missed "
                    "sessions.",
            agreed_with="Him and both providers.", responsible=officer)
        services.review_point_add(
            package=package, actor=officer, review_by=today + timedelta(days=60),
            purpose="Whether the programme will be completed in time for victim awareness.",
            agreed_with="Him and the programme's tutor.", responsible=officer)
    if stdout:
        stdout.write(f"Intervention packages: case {nominal.reference}, {len(catalogue)} "
                     "interventions in the catalogue.")
    return 1
