"""The options of a radio or checkbox group on a screening step, written in Python.

A step can have over a hundred options; each written by the template language cost a loop of tag
lookups, filters and escapes, most of a step's rendering time. This writes the same markup.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from intake.questionnaire import Question

register = template.Library()


@register.filter
def choice_options(field: BoundField, question: Question) -> SafeString:
    """Each option of `field`: its <input> (every widget attribute) and its <label>."""
    exclusive = set(question.exclusive_codes)
    rows = []
    for option in field:
        data = option.data
        value = str(data["value"])
        attrs = "".join(
            f" {name}" if value_ is True else f' {name}="{conditional_escape(str(value_))}"'
            for name, value_ in data["attrs"].items()
            if value_ is not False
        )
        rows.append(
            format_html(
                '<div class="form-check"><input type="{}" name="{}" value="{}"{}{}>'
                '<label class="form-check-label" for="{}">{}</label></div>',
                data["type"],
                data["name"],
                value,
                mark_safe(attrs),  # noqa: S308 - each value escaped above
                mark_safe(" data-exclusive") if value in exclusive else "",
                option.id_for_label,
                option.choice_label,
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - each row built by format_html
