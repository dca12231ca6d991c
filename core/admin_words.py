"""The staff admin in the clinic's words: what an English message catalogue cannot say.

Django's own texts (messages, buttons, titles, the delete action, the admin's JavaScript) are
reworded by the English catalogue in `locale/en/LC_MESSAGES/`, which comes before Django's. What
is left here needs the model's name, or a choice a catalogue cannot make. The texts are English on
purpose, not gettext: the staff pages stay English whatever language the public site is read in.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.text import capfirst

ACTION_PROMPT = "Choose what to do"


class StaffModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose action menu, list and delete titles and choosers are in our words."""

    def get_action_choices(self, request, default_choices=(("", ACTION_PROMPT),)):
        # Django's empty choice is "---------", a constant, not a translated text.
        return super().get_action_choices(request, list(default_choices))

    def changelist_view(self, request, extra_context=None):
        # Django's "Select %s to change" names the model in the singular and lower case.
        title = capfirst(self.opts.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def delete_view(self, request, object_id, extra_context=None):
        # Django's title here is "Delete", with no name a catalogue could place.
        title = f"Delete this {self.opts.verbose_name}?"
        return super().delete_view(request, object_id, {"title": title, **(extra_context or {})})

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, FilteredSelectMultiple):
            # The two-box chooser needs no key held down: only the field's own help, without the
            # hint a plain list gets (the catalogue words the hint; it cannot tell the two apart).
            field.help_text = db_field.help_text
        return field


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
