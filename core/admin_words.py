"""The staff admin in the clinic's words rather than Django's.

Django's admin speaks of objects, actions and "Select X to change"; staff should read what the
clinic would say. The templates under `templates/admin/` reword the pages; this module rewords
what they cannot reach: page titles, the action menu and the delete action, the messages after a
save or an action, the filters' titles and choices, and the words the admin's JavaScript writes.

The texts are English on purpose, not gettext: the staff pages stay English whatever language the
public site is read in.
"""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.views.i18n import JavaScriptCatalog

ACTION_PROMPT = "Choose what to do"

# What the admin's JavaScript writes (django.contrib.admin's catalogue), in our words.
JAVASCRIPT_WORDS: dict[str, str | list[str]] = {
    "%(sel)s of %(cnt)s selected": ["%(sel)s of %(cnt)s checked", "%(sel)s of %(cnt)s checked"],
    "You have unsaved changes on individual editable fields. If you run an action, your "
    "unsaved changes will be lost.": (
        "You have changed rows in the list without saving them. Doing this now loses those changes."
    ),
    "You have selected an action, but you haven\u2019t saved your changes to individual fields "
    "yet. Please click OK to save. You\u2019ll need to re-run the action.": (
        "You chose something to do, but the changes in the list are not saved yet. Choose OK "
        "to save them, then choose what to do again."
    ),
    "You have selected an action, and you haven\u2019t made any changes on individual fields. "
    "You\u2019re probably looking for the Go button rather than the Save button.": (
        "Nothing in the list was changed. To do what you chose, use the Apply button, not Save."
    ),
}

# Django's own help text on a many-to-many field, as its catalog words it (kept out of ours).
_STOCK_HOLD_DOWN = "Hold down “Control”, or “Command” on a Mac, to select more than one."


class StaffJavaScriptCatalog(JavaScriptCatalog):
    """The admin's JavaScript catalogue with our words in place of Django's."""

    def get_catalog(self):
        return {**super().get_catalog(), **JAVASCRIPT_WORDS}


# --- Messages after a save or an action ------------------------------------------------------


PLACEHOLDER = re.compile(r"\{(\w+)\}|%\((\w+)\)[sd]")


def _stock_pattern(stock: str) -> re.Pattern[str]:
    """A regular expression matching a stock message with its placeholders filled in."""
    pattern, last, seen = "", 0, set()
    for match in PLACEHOLDER.finditer(stock):
        name = match.group(1) or match.group(2)
        group = f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
        pattern += re.escape(stock[last : match.start()]) + group
        last, seen = match.end(), seen | {name}
    return re.compile(pattern + re.escape(stock[last:]) + r"\Z")


# Django's messages (as Django words them) and ours; the same {placeholders} in each.
STOCK_MESSAGES = [
    (
        "The {name} “{obj}” was added successfully. You may edit it again below.",
        "Saved the new {name} “{obj}”. You can go on editing it here.",
    ),
    (
        "The {name} “{obj}” was added successfully. You may add another {name} below.",
        "Saved the new {name} “{obj}”. You can add another one here.",
    ),
    ("The {name} “{obj}” was added successfully.", "Saved the new {name} “{obj}”."),
    (
        "The {name} “{obj}” was changed successfully. You may edit it again below.",
        "Saved your changes to the {name} “{obj}”. You can go on editing it here.",
    ),
    (
        "The {name} “{obj}” was changed successfully. You may add another {name} below.",
        "Saved your changes to the {name} “{obj}”. You can add a new one here.",
    ),
    ("The {name} “{obj}” was changed successfully.", "Saved your changes to the {name} “{obj}”."),
    ("The %(name)s “%(obj)s” was deleted successfully.", "Deleted the %(name)s “%(obj)s”."),
    ("No action selected.", "Nothing was done: choose what to do from the list first."),
    (
        "Items must be selected in order to perform actions on them. No items have been changed.",
        "Nothing was done: check the rows to apply it to first.",
    ),
    ("%(count)s %(name)s was changed successfully.", "Saved the changes to %(count)s %(name)s."),
    ("%(count)s %(name)s were changed successfully.", "Saved the changes to %(count)s %(name)s."),
]


def staff_message(message) -> str:
    """Django's wording of an admin message replaced by ours; any other message as it is."""
    text = str(message)
    for stock, ours in STOCK_MESSAGES:
        # gettext: matched as the admin words it in the active language.
        match = _stock_pattern(gettext(stock)).match(text)
        if match:
            for name, value in match.groupdict().items():
                ours = ours.replace(f"{{{name}}}", value).replace(f"%({name})s", value)
            return mark_safe(ours) if isinstance(message, SafeString) else ours  # noqa: S308
    return message


# --- The delete action -----------------------------------------------------------------------


@admin.action(permissions=["delete"], description="Delete the checked %(verbose_name_plural)s")
def delete_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    """Django's "delete selected" (same name, same confirmation step), in the clinic's words."""
    opts = modeladmin.model._meta
    deletable, model_count, perms_needed, protected = modeladmin.get_deleted_objects(
        queryset, request
    )
    if request.POST.get("post") and not protected:
        if perms_needed:
            raise PermissionDenied
        count = len(queryset)
        if count:
            modeladmin.log_deletions(request, queryset)
            modeladmin.delete_queryset(request, queryset)
            name = opts.verbose_name if count == 1 else opts.verbose_name_plural
            modeladmin.message_user(request, f"Deleted {count} {name}.", messages.SUCCESS)
        return None
    title = (
        f"These {opts.verbose_name_plural} cannot be deleted"
        if perms_needed or protected
        else f"Delete the checked {opts.verbose_name_plural}?"
    )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "objects_name": str(opts.verbose_name_plural),
        "deletable_objects": [deletable],
        "model_count": dict(model_count).items(),
        "queryset": queryset,
        "perms_lacking": perms_needed,
        "protected": protected,
        "opts": opts,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        modeladmin.delete_selected_confirmation_template
        or [
            f"admin/{opts.app_label}/{opts.model_name}/delete_selected_confirmation.html",
            f"admin/{opts.app_label}/delete_selected_confirmation.html",
            "admin/delete_selected_confirmation.html",
        ],
        context,
    )


# --- Every model's admin ---------------------------------------------------------------------


class StaffModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose titles, action menu, row checkboxes and messages are in our words."""

    def get_action_choices(self, request, default_choices=(("", ACTION_PROMPT),)):
        return super().get_action_choices(request, list(default_choices))

    @admin.display(description="")
    def action_checkbox(self, obj) -> str:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Check {} {}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            self.opts.verbose_name,
            str(obj),
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        stock = gettext(_STOCK_HOLD_DOWN)
        if field is not None and stock in str(field.help_text):
            # The two-box chooser (filter_horizontal) needs no key held down; a plain list does.
            two_boxes = db_field.name in (*self.filter_horizontal, *self.filter_vertical)
            ours = "" if two_boxes else "Hold down Ctrl (Command on a Mac) to choose more than one."
            field.help_text = str(field.help_text).replace(stock, ours).strip()
        return field

    def message_user(self, request, message, level=messages.INFO, extra_tags="", **kwargs):
        super().message_user(request, staff_message(message), level, extra_tags, **kwargs)

    def changelist_view(self, request, extra_context=None):
        title = capfirst(self.opts.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        name = self.opts.verbose_name
        if object_id is None:
            title = f"New {name}"
        elif self.has_change_permission(request):
            title = f"Edit {name}"
        else:
            title = capfirst(name)
        return super().changeform_view(
            request, object_id, form_url, {"title": title, **(extra_context or {})}
        )

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        title = f"Changes to {obj}" if obj is not None else "Changes"
        return super().history_view(request, object_id, {"title": title, **(extra_context or {})})

    def delete_view(self, request, object_id, extra_context=None):
        title = f"Delete this {self.opts.verbose_name}?"
        return super().delete_view(request, object_id, {"title": title, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Django's "Please correct the error below." sits outside any template block: the
        # templates show ours from `form_errors` instead.
        context["form_errors"] = context.get("errors")
        context["errors"] = None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        # Stored as words (not Django's JSON, worded when read) so the history reads as ours.
        if add:
            return "Created."
        changed = [str(form.fields[name].label or name) for name in form.changed_data]
        return f"Changed: {', '.join(changed)}." if changed else "Saved with no change."


def titled(title: str, base: type[admin.ListFilter], *, all_label: str = ""):
    """A field's list filter with our title (and our word for "all") instead of the field's name."""

    class TitledFilter(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title
            if all_label:
                self.all_label = all_label

    TitledFilter.__name__ = f"Titled{base.__name__}"
    return TitledFilter


class StaffDateFilter(admin.DateFieldListFilter):
    """A date filter with the clinic's words for its ranges."""

    LABELS = ("Any day", "Today", "The past 7 days", "This month", "This year", "No date", "Dated")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.links = tuple(
            (label, params) for label, (_, params) in zip(self.LABELS, self.links, strict=False)
        )
