"""Forms of the instrument editor: the instrument's fields, one form per item with its answers, and
the editor that joins them and checks the rules in `measures.instruments`.

Works without JavaScript: every item form has a fixed number of answer rows, and the editor always
offers a few blank items; blank rows are ignored.
"""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import get_language_info, gettext, gettext_lazy, pgettext_lazy

from districts.models import District

from .instruments import (
    AGREEMENT,
    AGREEMENT_PRODUCTIVE,
    YES_NO,
    InstrumentSpec,
    ItemSpec,
    OptionSpec,
    item_problems,
    language_problems,
    shape_problems,
    spec_of,
)
from .models import Audience, Instrument, InstrumentKind, ItemKind

OPTION_SLOTS = 6  # answer rows per item
MAX_ITEM_ROWS = 20  # item forms one page may carry
BLANK_ITEMS_NEW = 4  # blank item forms on a new instrument
BLANK_ITEMS_EDIT = 2  # blank item forms added below an existing instrument's items


def _mark_invalid(form: forms.Form) -> None:
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class DistrictChoiceMixin:
    """A district field only for leaders of several districts; otherwise their one district is used."""

    def setup_district(self, districts: list[District] | None) -> None:
        self.districts = districts or []
        if len(self.districts) > 1:
            self.fields["district"].queryset = District.objects.filter(pk__in=[d.pk for d in self.districts])
        else:
            del self.fields["district"]

    def chosen_district(self) -> District:
        return self.cleaned_data.get("district") or self.districts[0]


class InstrumentForm(DistrictChoiceMixin, forms.Form):
    district = forms.ModelChoiceField(queryset=District.objects.none(), label=gettext_lazy("For district"))
    name = forms.CharField(max_length=200, label=gettext_lazy("Name"))
    name_es = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Name in Spanish"),
        help_text=gettext_lazy("Shown to people answering in Spanish."),
    )
    kind = forms.ChoiceField(
        choices=InstrumentKind.choices,
        initial=InstrumentKind.CUSTOM,
        label=pgettext_lazy("what an instrument measures", "Measures"),
    )
    audience = forms.ChoiceField(
        choices=Audience.choices,
        label=gettext_lazy("Audience"),
        help_text=gettext_lazy(
            "Students answer anonymously by choosing answers; short-text items are for adults only."
        ),
    )
    description = forms.CharField(
        required=False, label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3})
    )
    why = forms.CharField(
        label=gettext_lazy("Why?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept in the adaptation log with what changed, so others know the reason later."),
    )

    def __init__(self, *args, districts: list[District] | None = None, why_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_district(districts)
        self.fields["why"].required = why_required
        if why_required:
            self.fields["why"].label = gettext_lazy("Why this change?")


class ItemForm(forms.Form):
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    prompt_en = forms.CharField(
        max_length=500, label=gettext_lazy("Prompt (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    prompt_es = forms.CharField(
        max_length=500, label=gettext_lazy("Prompt (Spanish)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(choices=ItemKind.choices, initial=ItemKind.SINGLE, label=gettext_lazy("Kind"))
    required = forms.BooleanField(required=False, initial=True, label=gettext_lazy("Answer required"))

    def __init__(self, *args, audience: str = Audience.STUDENTS, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience = audience
        for name in ("prompt_en", "prompt_es"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["required"].widget.attrs["class"] = "form-check-input"
        for n in range(1, OPTION_SLOTS + 1):
            self.fields[f"opt{n}_en"] = forms.CharField(
                max_length=300,
                required=False,
                label=gettext("Answer %(n)s in English") % {"n": n},
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"opt{n}_es"] = forms.CharField(
                max_length=300,
                required=False,
                label=gettext("Answer %(n)s in Spanish") % {"n": n},
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"opt{n}_productive"] = forms.BooleanField(
                required=False,
                label=gettext("Answer %(n)s is productive") % {"n": n},
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def option_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"opt{n}_en"], self[f"opt{n}_es"], self[f"opt{n}_productive"]) for n in self._slots()]

    def _slots(self) -> range:
        return range(1, OPTION_SLOTS + 1)

    def full_clean(self):
        super().full_clean()
        _mark_invalid(self)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        rows = [
            (n, data.get(f"opt{n}_en", "").strip(), data.get(f"opt{n}_es", "").strip(), data.get(f"opt{n}_productive"))
            for n in self._slots()
        ]
        options = []
        for n, en, es, productive in rows:
            if en and not es:
                self.add_error(f"opt{n}_es", gettext("Give this answer in Spanish too."))
            elif es and not en:
                self.add_error(f"opt{n}_en", gettext("Give this answer in English too."))
            elif en:
                options.append(OptionSpec(en, es, bool(productive)))
        ticks = [bool(productive) for _, _, _, productive in rows]
        if kind == ItemKind.TEXT:
            options = []  # a short-text item has no answers to choose from
        elif not any(en or es for _, en, es, _ in rows) and kind in (ItemKind.YES_NO, ItemKind.AGREEMENT):
            # Blank answers on a yes/no or agreement item: use the standard ones, keeping the ticks.
            labels = YES_NO if kind == ItemKind.YES_NO else AGREEMENT
            if kind == ItemKind.AGREEMENT and not any(ticks):
                ticks = list(AGREEMENT_PRODUCTIVE)
            options = [OptionSpec(en, es, ticks[n]) for n, (en, es) in enumerate(labels)]
        else:
            for n, en, es, productive in rows:
                if productive and not (en or es):
                    self.add_error(f"opt{n}_productive", gettext("Mark as productive only a row with an answer."))
        data["options"] = options
        spec = ItemSpec(prompt_en="", prompt_es="", kind=kind, options=options)
        for problem in item_problems(spec, audience=self.audience):
            self.add_error("kind" if kind == ItemKind.TEXT else None, problem)
        return data

    def spec(self) -> ItemSpec:
        d = self.cleaned_data
        return ItemSpec(
            prompt_en=d["prompt_en"].strip(),
            prompt_es=d["prompt_es"].strip(),
            kind=d["kind"],
            required=d["required"],
            options=d["options"],
            item_id=d.get("item_id"),
        )


class BaseItemFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = gettext("Position")
            form.fields["ORDER"].widget.attrs.update({"class": "form-control form-control-sm", "min": 1})
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext("Remove this item")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


def _item_initial(item: ItemSpec) -> dict:
    initial = {
        "item_id": item.item_id,
        "prompt_en": item.prompt_en,
        "prompt_es": item.prompt_es,
        "kind": item.kind,
        "required": item.required,
    }
    for n, option in enumerate(item.options, start=1):
        initial |= {
            f"opt{n}_en": option.label_en,
            f"opt{n}_es": option.label_es,
            f"opt{n}_productive": option.productive,
        }
    return initial


def _keep_more_languages(spec: InstrumentSpec, current: InstrumentSpec) -> None:
    """This form edits English and Spanish: the wording in further languages stays as it was,
    item by item (by id) and answer by position; the languages page edits it."""
    spec.languages, spec.more_names = list(current.languages), dict(current.more_names)
    before = {item.item_id: item for item in current.items}
    for item in spec.items:
        was = before.get(item.item_id)
        if was is None:
            continue
        item.more = dict(was.more)
        for option, old in zip(item.options, was.options, strict=False):
            option.more = dict(old.more)


class InstrumentEditor:
    """The instrument form and its item forms, validated together (the item rules need the audience)."""

    prefix = "items"

    def __init__(
        self,
        data=None,
        *,
        instrument: Instrument | None = None,
        districts: list[District] | None = None,
        why_required: bool = False,
    ):
        initial, items_initial = None, []
        self.current = spec_of(instrument) if instrument is not None else None
        if instrument is not None:
            spec = spec_of(instrument)
            initial = {f: getattr(spec, f) for f in ("name", "name_es", "kind", "audience", "description")}
            items_initial = [_item_initial(item) for item in spec.items]
        self.form = InstrumentForm(data, initial=initial, districts=districts, why_required=why_required)
        # The item rules depend on the audience chosen in the same POST; a bad value fails the form anyway.
        audience = (data or {}).get("audience") or (instrument.audience if instrument else Audience.STUDENTS)
        formset_class = forms.formset_factory(
            ItemForm,
            formset=BaseItemFormSet,
            extra=BLANK_ITEMS_EDIT if items_initial else BLANK_ITEMS_NEW,
            can_order=True,
            can_delete=True,
            can_delete_extra=False,
            max_num=MAX_ITEM_ROWS,
            absolute_max=MAX_ITEM_ROWS,
        )
        self.items = formset_class(
            data, initial=items_initial or None, prefix=self.prefix, form_kwargs={"audience": audience}
        )
        self.shape_errors: list[str] = []

    def is_valid(self) -> bool:
        form_ok = self.form.is_valid()
        items_ok = self.items.is_valid()
        if not (form_ok and items_ok):
            return False
        spec = self.spec()
        self.shape_errors = shape_problems(spec) + language_problems(spec)
        return not self.shape_errors

    def _kept_forms(self) -> list[ItemForm]:
        kept = [
            (index, form)
            for index, form in enumerate(self.items.forms)
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda pair: (pair[1].cleaned_data.get("ORDER") or 10_000, pair[0]))
        return [form for _, form in kept]

    def spec(self) -> InstrumentSpec:
        d = self.form.cleaned_data
        spec = InstrumentSpec(
            name=d["name"].strip(),
            name_es=d["name_es"].strip(),
            description=d["description"].strip(),
            kind=d["kind"],
            audience=d["audience"],
            items=[form.spec() for form in self._kept_forms()],
        )
        if self.current is not None:
            _keep_more_languages(spec, self.current)
        return spec

    @property
    def why(self) -> str:
        return self.form.cleaned_data.get("why", "").strip()


class AdaptForm(DistrictChoiceMixin, forms.Form):
    district = forms.ModelChoiceField(queryset=District.objects.none(), label=gettext_lazy("Adapt for district"))
    why = forms.CharField(
        label=gettext_lazy("Why adapt it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept in the adaptation log."),
    )

    def __init__(self, *args, districts: list[District] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_district(districts)


class LanguageForm(forms.Form):
    """The instrument's wording in one further language (Vietnamese, Arabic, Chinese…): a name, every
    prompt and every answer. English and Spanish are edited in the instrument form itself."""

    code = forms.CharField(
        max_length=10,
        label=gettext_lazy("Language code"),
        help_text=gettext_lazy("As browsers name it: vi (Vietnamese), ar (Arabic), zh-hans (Chinese), so (Somali)…"),
    )
    name = forms.CharField(max_length=200, required=False, label=gettext_lazy("Name of the survey in this language"))
    remove = forms.BooleanField(required=False, label=gettext_lazy("Stop offering this language"))
    why = forms.CharField(max_length=500, label=gettext_lazy("Why (kept in the instrument's log)"))

    def __init__(self, data=None, *, spec: InstrumentSpec, code: str = ""):
        initial = {"code": code, "name": spec.more_names.get(code, "")}
        super().__init__(data, initial=initial)
        self.spec = spec
        for n, item in enumerate(spec.items, start=1):
            field = f"item{n}"
            self.fields[field] = forms.CharField(
                max_length=500, required=False, label=f"{n}. {item.prompt_en}", initial=item.more.get(code, "")
            )
            if item.kind != ItemKind.TEXT:
                for m, option in enumerate(item.options, start=1):
                    option_field = f"item{n}_opt{m}"
                    self.fields[option_field] = forms.CharField(
                        max_length=300,
                        required=False,
                        label=gettext("Answer: %(answer)s") % {"answer": option.label_en},
                        initial=option.more.get(code, ""),
                    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        if code in ("en", "es"):
            raise forms.ValidationError(gettext("English and Spanish are edited in the instrument form."))
        try:
            get_language_info(code)
        except KeyError:
            raise forms.ValidationError(
                gettext("Not a language code this site knows (try vi, ar, zh-hans, so, ht…).")
            ) from None
        return code

    def clean(self):
        data = super().clean()
        if data.get("remove"):
            return data
        for name in self.fields:
            if name.startswith("item") and not (data.get(name) or "").strip():
                self.add_error(name, gettext("Give the wording in this language: students who choose it read only it."))
        if not (data.get("name") or "").strip():
            self.add_error("name", gettext("Give the survey's name in this language."))

        return data

    def changed_spec(self) -> InstrumentSpec:
        """The instrument's spec with this language's wording set (or removed)."""
        d = self.cleaned_data
        code, spec = d["code"], copy.deepcopy(self.spec)
        if d["remove"]:
            spec.languages = [c for c in spec.languages if c != code]
            spec.more_names.pop(code, None)
            for item in spec.items:
                item.more.pop(code, None)
                for option in item.options:
                    option.more.pop(code, None)
            return spec
        if code not in spec.languages:
            spec.languages = [*spec.languages, code]
        spec.more_names[code] = d["name"].strip()
        for n, item in enumerate(spec.items, start=1):
            item.more[code] = d[f"item{n}"].strip()
            if item.kind != ItemKind.TEXT:
                for m, option in enumerate(item.options, start=1):
                    option.more[code] = d[f"item{n}_opt{m}"].strip()
        return spec

    @property
    def reason(self) -> str:
        return self.cleaned_data["why"].strip()
