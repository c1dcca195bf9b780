"""Custody and joined-up planning's pages: the case's Custody section, and the forms of its
sentences, custody events, orders and conditions, breaches and recall decisions, the
joined-up team, their meetings and actions log, My Plan and the Pathway Plan reviews.
Whoever reads the case reads them (404 outside it); those who keep the case's plan change
them (jmappa/access.py)."""

from __future__ import annotations

from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from cases.views.base import CaseRecordFormView, CaseSectionMixin, CaseWorkFormView
from jmappa import access
from jmappa.audit.services import audit_list
from jmappa.core import dates
from jmappa.core.uploads import private_file_response
from meetings.kinds import KINDS

from . import rules, selectors, services
from .forms import (
    ActionForm,
    ActionUpdateForm,
    ArrangeForm,
    BreachForm,
    CancelForm,
    ConditionForm,
    EventForm,
    JointVisitForm,
    MemberForm,
    MyPlanForm,
    PathwayReviewForm,
    RecallForm,
    RecordForm,
    SentenceForm,
)
from .models import (
    BreachAction,
    Condition,
    JoinedUpMember,
    JoinedUpPlanning,
    PlanningMeetingStatus,
    TeamAction,
)


class CaseCustodyView(CaseSectionMixin, access.NominalAccessMixin, TemplateView):
    template_name = "custody/case_custody.html"
    section = "custody"

    def get_context_data(self, **kwargs):
        user, nominal = self.request.user, self.nominal
        found = selectors.case_custody(user, nominal)
        today = dates.today()
        # The team's names and contacts, and who a condition names: their read is audited.
        for model, records in ((JoinedUpMember, found["members"]),
                               (Condition, found["conditions"]),
                               (TeamAction, found["actions"])):
            if records:
                audit_list(actor=user, model=model, ids=[r.pk for r in records],
                           detail=self.request.get_full_path())
        sentence = found["sentences"][0] if found["sentences"] else None
        return super().get_context_data(
            title="Custody and release", today=today, sentence=sentence,
            disclosure_to_consider=[c for c in found["conditions"]
                                    if c.calls_for_disclosure_consideration
                                    and c.in_force(today)],
            can_keep=access.can_keep_custody(user, nominal),
            sees_victims=access.can_view_victims(user, nominal),
            due=sorted(rules.due_for_case(nominal.pk, today), key=lambda item: item[1]),
            **found, **kwargs)


class CaseFormView(CaseWorkFormView):
    """A form of a case's custody and joined-up planning, for those who keep it."""

    access_check = access.can_keep_custody
    section_url = "custody:case"
    takes_nominal = False  # the form's choices are the case's own (its team, its meetings)

    def call(self, service, form, **extra):
        return service(nominal=self.nominal, actor=self.request.user,
                       **{**form.cleaned_data, **extra})

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.takes_nominal:
            kwargs["nominal"] = self.nominal
        return kwargs


class RecordFormView(CaseRecordFormView):
    """A form about one record of a case's custody and joined-up planning."""

    access_check = access.can_keep_custody_record
    section_url = "custody:case"


class SentenceAddView(CaseFormView):
    form_class = SentenceForm
    title = "Record a sentence, remand or recall"
    intro = ("The time left is counted to the earliest release date: with more than 10 months "
             "left the Prison Offender Manager leads the joined-up team, with 10 months or less "
             "(or on recall) the Probation Practitioner, on remand the Care Experience "
             "Specialist. The case's dates and whereabouts follow.")
    submit_label = "Record the sentence"

    def save(self, form) -> str:
        sentence = self.call(services.sentence_record, form)
        planning = JoinedUpPlanning.objects.filter(nominal=sentence.nominal).first()
        if planning is None:
            return f"{sentence} is recorded."
        return (f"{sentence} is recorded. The joined-up team is led by the "
                f"{planning.get_lead_display()} ({planning.lead_reason}).")


class EventAddView(CaseFormView):
    form_class = EventForm
    title = "Record a custody event"
    intro = ("A remand, a move to another prison or to hospital, an admission to or discharge "
             "from hospital, a release or a recall: the register then says where the person "
             "is. On a transfer the receiving establishment is told the person is "
             "JMAPPA-eligible (§3.1, §12).")
    submit_label = "Record the event"

    def save(self, form) -> str:
        event = self.call(services.event_record, form)
        return f"{event} is recorded."


class ConditionAddView(CaseFormView):
    form_class = ConditionForm
    title = "Record an order or condition"
    intro = ("Notification requirements, licence conditions, a Sexual Offences Prevention "
             "Order's prohibitions, a Restraining Order, a curfew or an exclusion zone. A "
             "Restraining Order excluding the person from a place or from contact with named "
             "people is a reason to consider disclosure (§5.2).")
    submit_label = "Record it"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "sees_victims": access.can_view_victims(self.request.user, self.nominal)}

    def save(self, form) -> str:
        condition = self.call(services.condition_add, form)
        return f"{condition} is recorded."


class JointVisitAddView(CaseFormView):
    form_class = JointVisitForm
    title = "Record a pre-release joint visit"
    intro = ("Before release the Police and the Probation Service visit the prisoner together "
             "(§14.7), so that the Risk Management Plan's conditions and restrictions are "
             "ready, and the person knows them, on the day of release.")
    submit_label = "Record the visit"

    def get_initial(self):
        return {"visited_on": dates.today()}

    def save(self, form) -> str:
        self.call(services.joint_visit_record, form)
        return "The joint visit is recorded."


class BreachAddView(CaseFormView):
    form_class = BreachForm
    takes_nominal = True
    title = "Record a breach or non-compliance"
    submit_label = "Record the breach"

    def save(self, form) -> str:
        breach = self.call(services.breach_record, form)
        if breach.action == BreachAction.RECALL_REQUESTED:
            return "The breach is recorded. Record the recall decision as soon as it is made."
        return "The breach is recorded."


class RecallDecideView(RecordFormView):
    selector = selectors.breaches_visible
    object_name = "breach"
    form_class = RecallForm
    title = "Record the recall decision"
    intro = ("On a recall the person is back in custody, the Probation Practitioner leads the "
             "joined-up team, and the team asks what led to it, what broke down and what "
             "helped, to plan the release.")
    submit_label = "Record the decision"

    def blocked(self) -> str:
        if self.breach.action != BreachAction.RECALL_REQUESTED:
            return "Recall was not requested for this breach."
        if hasattr(self.breach, "recall"):
            return "The recall has already been decided."
        return ""

    def get_initial(self):
        return {"decided_on": dates.today()}

    def save(self, form) -> str:
        recall = services.recall_decide(breach=self.breach, actor=self.request.user,
                                        **form.cleaned_data)
        if recall.recalled:
            return "The recall is recorded: the Probation Practitioner leads the joined-up team."
        return "The decision not to recall is recorded."


class MemberAddView(CaseFormView):
    form_class = MemberForm
    title = "Add a member of the joined-up team"
    submit_label = "Add to the team"

    def get_initial(self):
        return {"joined_on": dates.today()}

    def save(self, form) -> str:
        member = self.call(services.member_add, form)
        return f"The {member.get_role_display()} is in the joined-up team."


class MemberEditView(RecordFormView):
    selector = selectors.members_visible
    object_name = "member"
    form_class = MemberForm
    title = "A member of the joined-up team"
    submit_label = "Save"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.member}

    def get_initial(self):
        return {}

    def save(self, form) -> str:
        services.member_update(member=self.member, actor=self.request.user,
                               **form.cleaned_data)
        return "Saved."


class MeetingArrangeView(CaseFormView):
    form_class = ArrangeForm
    title = "Arrange a meeting of the joined-up team"
    intro = ("Planning Meeting 1 brings the team together, within 10 weeks of sentencing, to "
             "share what they know and plan how to meet the person; Planning Meeting 2 "
             "completes My Plan with the person, as soon as possible after; Review Meetings "
             "follow, and a Final Review Meeting towards the end of the sentence.")
    submit_label = "Arrange the meeting"

    def get_initial(self):
        planning = getattr(self.nominal, "joined_up_planning", None)
        return {"chair": planning.lead if planning else ""}

    def save(self, form) -> str:
        meeting = self.call(services.meeting_arrange, form)
        self.saved = meeting
        return f"{meeting} is arranged."


class MeetingView(access.ObjectAccessMixin, TemplateView):
    selector = selectors.planning_meetings_visible
    object_name = "meeting"
    template_name = "custody/meeting.html"

    def audit_case_id(self, obj):
        return obj.nominal_id

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        kind = KINDS[meeting.kind]
        keeps = access.can_keep_custody(self.request.user, meeting.nominal)
        return super().get_context_data(
            meeting=meeting, nominal=meeting.nominal, kind=kind,
            sections=[{"label": s.label, "text": getattr(meeting, s.name)}
                      for s in kind.sections],
            present=list(meeting.present.select_related("user")),
            actions=list(meeting.actions_agreed.select_related("owner", "owner__user")),
            can_record=keeps and meeting.status == PlanningMeetingStatus.ARRANGED, **kwargs)


class MeetingRecordView(RecordFormView):
    selector = selectors.planning_meetings_visible
    object_name = "meeting"
    form_class = RecordForm
    submit_label = "Save the record"
    stale_message = ("Someone else saved this record while you were writing: nothing was "
                     "saved. Open it again to see their change.")

    def get_title(self) -> str:
        return f"Record the {KINDS[self.meeting.kind].label}"

    def blocked(self) -> str:
        if self.meeting.status != PlanningMeetingStatus.ARRANGED:
            return "The meeting's record is final."
        return ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def get_initial(self):
        return {}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        held = data.pop("held")
        services.meeting_record(meeting=self.meeting, actor=self.request.user,
                                version=data.pop("version", None), held=held, **data)
        return "The meeting is recorded as held." if held else "The record is saved."


class MeetingCancelView(RecordFormView):
    selector = selectors.planning_meetings_visible
    object_name = "meeting"
    form_class = CancelForm
    title = "Cancel the meeting"
    submit_label = "Cancel the meeting"

    def blocked(self) -> str:
        if self.meeting.status != PlanningMeetingStatus.ARRANGED:
            return "Only an arranged meeting can be cancelled."
        return ""

    def get_initial(self):
        return {}

    def save(self, form) -> str:
        services.meeting_cancel(meeting=self.meeting, actor=self.request.user)
        return f"{self.meeting} is cancelled."


class ActionAddView(CaseFormView):
    form_class = ActionForm
    takes_nominal = True
    title = "Add to the team actions log"
    intro = ("Each action has who will complete it (a member of the team, or the person "
             "themselves) and when by. The log is reviewed and updated at each meeting.")
    submit_label = "Add the action"

    def save(self, form) -> str:
        self.call(services.action_add, form)
        return "The action is in the team actions log."


class ActionUpdateView(RecordFormView):
    selector = selectors.actions_visible
    object_name = "action"
    form_class = ActionUpdateForm
    title = "Update an action of the team actions log"
    submit_label = "Save the update"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "nominal": self.action.nominal}

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=f"“{self.action.action}”, to be completed by "
                                              f"{self.action.due_on:%-d %B %Y}.", **kwargs)

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.action_update(action=self.action, actor=self.request.user,
                               version=data.pop("version", None), **data)
        return "The action is updated."


class MyPlanAddView(CaseFormView):
    form_class = MyPlanForm
    title = "Attach My Plan"
    intro = ("My Plan is the person's own plan: what matters to them, their goals and the "
             "support that will help them, developed with them. Each upload is a new version; "
             "the earlier ones are kept.")
    submit_label = "Attach it"

    def save(self, form) -> str:
        plan = services.my_plan_upload(nominal=self.nominal, actor=self.request.user,
                                       upload=form.cleaned_data["upload"],
                                       note=form.cleaned_data["note"])
        return f"{plan} is attached."


class MyPlanFileView(access.ObjectAccessMixin, View):
    selector = selectors.my_plans_visible
    object_name = "plan"

    def audit_case_id(self, obj):
        return obj.nominal_id

    def get(self, request, *args, **kwargs):
        try:
            handle = self.plan.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return private_file_response(handle, filename=self.plan.file_name,
                                     content_type=self.plan.file_content_type)


class PathwayReviewAddView(CaseFormView):
    form_class = PathwayReviewForm
    takes_nominal = True
    title = "Record a Pathway Plan review"
    intro = ("The Personal Advisor reviews the Pathway Plan every six months; the joined-up "
             "team may take part, or be told afterwards.")
    submit_label = "Record the review"

    def get_initial(self):
        return {"reviewed_on": dates.today()}

    def save(self, form) -> str:
        self.call(services.pathway_review_record, form)
        return "The Pathway Plan review is recorded."
