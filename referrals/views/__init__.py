"""The referral pages: the Appendix A form, the referral page, the lists and the
Co-ordinator's screening (§10.4).

Thin views: access from jmappa/access.py (a referral the user may not see answers 404; one
they see but may not change or screen answers 403, or, for the referrer of a referral no
longer theirs to change, a message on the referral page), reads from selectors, writes
through services. Every page about a referral writes one audit event when read.
"""

from .base import ReferralAccessMixin, ReferrerOnlyMixin, countdown
from .decisions import AcceptView, ConfirmLevel1View, DecisionView, RejectView, RequestInfoView
from .form import (
    ReferralCreateView,
    ReferralEditView,
    ReferralFormMixin,
    ReferralSubmitView,
    send,
)
from .reading import ReferralDetailView, ReferralListView, ScreeningQueueView

__all__ = [
    "AcceptView", "ConfirmLevel1View", "DecisionView", "ReferralAccessMixin",
    "ReferralCreateView", "ReferralDetailView", "ReferralEditView", "ReferralFormMixin",
    "ReferralListView", "ReferralSubmitView", "ReferrerOnlyMixin", "RejectView",
    "RequestInfoView", "ScreeningQueueView", "countdown", "send",
]
