"""The "Before going live" list on the staff home page, for those who may change the profile."""

from __future__ import annotations

from typing import Any

from django import template

from pages.clinic import clinic_profile_problems, clinic_profile_suggestions

register = template.Library()


@register.inclusion_tag("admin/pages/_before_going_live.html", takes_context=True)
def before_going_live(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not user.has_perm("pages.change_clinicprofile"):
        return {"visible": False}
    return {
        "visible": True,
        "problems": clinic_profile_problems(),
        "suggestions": clinic_profile_suggestions(),
    }
