"""`{% meeting_documents meeting %}`: the meeting page's list of its documents, in two
queries whatever their number (the meeting app does not import this one)."""

from django import template

from jmappa import access

from .. import selectors

register = template.Library()


def may_mark(user, documents) -> set[int]:
    return {document.pk for document in documents
            if access.can_mark_for_destruction(user, document)}


@register.inclusion_tag("documents/_meeting_documents.html", takes_context=True)
def meeting_documents(context, meeting):
    user = context["request"].user
    documents = list(selectors.documents_of_meeting(meeting))
    return {"meeting": meeting, "documents": documents, "may_mark": may_mark(user, documents),
            "can_add": access.can_add_document(user, meeting.nominal)}
