"""The case page's section on its referrals to level 2 and 3 (§10.4): the referrals of the
case the viewer may see, and for those who may refer, the way to make one. The case page
belongs to the register, below this app, so the referrals bring their own section."""

from django import template

from jmappa import access
from referrals import selectors

register = template.Library()


@register.inclusion_tag("referrals/case_referrals.html", takes_context=True)
def case_referrals(context, nominal):
    user = context["request"].user
    return {
        "nominal": nominal,
        "referrals": list(selectors.referrals_of_case(user, nominal)),
        "can_refer": access.can_refer(user),
    }
