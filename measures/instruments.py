"""The instrument library: selectors, the rules an instrument must meet, and the services that write it.

Starter instruments (district=None, from migration 0002) are read-only; a district adapts one into
its own copy. Editing an instrument students have already answered makes a new version in the same
lineage, so every old response stays tied to the exact items it answered; trends follow the lineage
and the item position. Every change to a district's instrument is written to its adaptation log:
what changed, when, by whom and why.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from districts import access
from districts.models import District, User

from .aggregation import lineages_with_data
from .models import (
    AdaptationLog,
    Administration,
    Audience,
    Instrument,
    InstrumentKind,
    Item,
    ItemKind,
    Option,
    Response,
    Scope,
    default_languages,
    validate_language_codes,
)

MAX_STUDENT_ITEMS = 8  # a student answers in under 3 minutes

# Standard answers, filled in when an editor leaves a yes/no or agreement item's answers blank.
YES_NO = [("Yes", "Sí"), ("No", "No")]
AGREEMENT = [
    ("Strongly disagree", "Totalmente en desacuerdo"),
    ("Disagree", "En desacuerdo"),
    ("Agree", "De acuerdo"),
    ("Strongly agree", "Totalmente de acuerdo"),
]
AGREEMENT_PRODUCTIVE = (False, False, True, True)


class InstrumentReadOnly(ValueError):
    """Starter instruments and superseded versions are never edited."""


# --- plain data the editor and the services share ------------------------------------------------


# The editor's two columns are English (the reference wording) and Spanish; `more` carries the
# wording in any further language of the instrument ({"vi": "..."}), written on the languages page.


@dataclass
class OptionSpec:
    label_en: str
    label_es: str
    productive: bool = False
    more: dict[str, str] = field(default_factory=dict)


@dataclass
class ItemSpec:
    prompt_en: str
    prompt_es: str
    kind: str = ItemKind.SINGLE
    required: bool = True
    options: list[OptionSpec] = field(default_factory=list)
    more: dict[str, str] = field(default_factory=dict)
    # The existing item this row edits (None for a new item): lets the change log say "moved" or
    # "removed" instead of reporting every later item as changed.
    item_id: int | None = None


@dataclass
class InstrumentSpec:
    name: str
    kind: str
    audience: str
    items: list[ItemSpec]
    name_es: str = ""
    description: str = ""
    languages: list[str] = field(default_factory=default_languages)
    more_names: dict[str, str] = field(default_factory=dict)


@dataclass
class EditResult:
    instrument: Instrument  # the edited instrument, or its new version
    changes: list[str]  # empty when nothing changed (then nothing was written)
    new_version: bool


# --- selectors ----------------------------------------------------------------------------------


def starter_instruments() -> QuerySet[Instrument]:
    return Instrument.objects.filter(district__isnull=True, is_current=True)


def instruments_for(district: District | int) -> QuerySet[Instrument]:
    """The current version of every instrument a district may use: the starters and its own."""
    return Instrument.objects.filter(Q(district__isnull=True) | Q(district=district), is_current=True).order_by(
        F("district").asc(nulls_first=True), "name"
    )


def student_instruments_for(district: District | int) -> QuerySet[Instrument]:
    """The current student surveys a district's classrooms may run (starters and its own)."""
    return instruments_for(district).filter(audience=Audience.STUDENTS)


def instrument_labels(instruments, language: str = "en") -> dict[int, str]:
    """Names as a menu shows them, in `language` where the instrument has a name in it. A district's
    adapted copy keeps its starter's name, and both stay on offer (classes with weeks on the starter
    keep their series): where two share a name, each says whose it is."""
    instruments = list(instruments)
    shown = {i.pk: i.display_name(language) for i in instruments}
    names = Counter(shown.values())
    return {
        i.pk: shown[i.pk]
        if names[shown[i.pk]] == 1
        else f"{shown[i.pk]} ({_('starter version') if i.district_id is None else _('your district’s version')})"
        for i in instruments
    }


def current_instrument_for(classroom) -> Instrument | None:
    """The classroom's current instrument: the current version of the lineage its latest survey used,
    so a survey opened with the defaults continues the class's run chart."""
    lineage = (
        Administration.objects.filter(classroom=classroom, instrument__audience=Audience.STUDENTS)
        .order_by("-opened_at")
        .values_list("instrument__lineage", flat=True)
        .first()
    )
    if lineage is None:
        return None
    return Instrument.objects.filter(lineage=lineage, is_current=True).first()


def default_student_instrument(classroom) -> Instrument | None:
    """What "Start a survey" pre-selects: the classroom's current instrument; for a class with no
    survey yet, the district's instrument with the most weeks of data (never the alphabetical first)."""
    offered = student_instruments_for(classroom.school.district_id)
    current = current_instrument_for(classroom)
    if current is not None and offered.filter(pk=current.pk).exists():
        return current
    by_data = lineages_with_data(scope=Scope.DISTRICT, scope_ids=[classroom.school.district_id])
    return next((i for i in by_data if offered.filter(pk=i.pk).exists()), None)


def library_for(user: User) -> tuple[QuerySet[Instrument], dict[District, list[Instrument]]]:
    """Starters, and the current instruments of each district the user belongs to (for the library page)."""
    starters = starter_instruments().annotate(n_items=Count("items")).order_by("name")
    own: dict[District, list[Instrument]] = {d: [] for d in access.districts(user)}
    rows = (
        Instrument.objects.filter(district__in=list(own), is_current=True)
        .select_related("district", "adapted_from")
        .annotate(n_items=Count("items"))
        .order_by("district__name", "name")
    )
    for instrument in rows:
        own[instrument.district].append(instrument)
    return starters, own


def get_instrument(user: User, instrument_id: int, *, need: str = "view") -> Instrument:
    """Fetch an instrument for `need` ("view", "change", "adapt"); access.py decides who may."""
    instrument = Instrument.objects.select_related("district", "adapted_from").filter(pk=instrument_id).first()
    if instrument is None:
        raise Http404("No such instrument")
    access.check_library_entry(user, instrument.district_id, need=need)
    return instrument


def items_of(instrument: Instrument) -> list[Item]:
    return list(instrument.items.prefetch_related("options"))


def instrument_has_responses(instrument: Instrument) -> bool:
    return Response.objects.filter(administration__instrument=instrument).exists()


def current_version(instrument: Instrument) -> Instrument:
    if instrument.is_current:
        return instrument
    return Instrument.objects.filter(lineage=instrument.lineage, is_current=True).first() or instrument


def instrument_versions(instrument: Instrument) -> QuerySet[Instrument]:
    """Every version in the instrument's lineage, newest first, with how much each was used."""
    return (
        Instrument.objects.filter(lineage=instrument.lineage)
        .annotate(
            n_items=Count("items", distinct=True),
            n_administrations=Count("administrations", distinct=True),
            n_responses=Count("administrations__responses", distinct=True),
        )
        .order_by("-version")
    )


def instrument_log(instrument: Instrument) -> QuerySet[AdaptationLog]:
    """The adaptation log of the whole lineage (every version), newest first."""
    return (
        AdaptationLog.objects.filter(instrument__lineage=instrument.lineage)
        .select_related("instrument", "changed_by")
        .order_by("-changed_at", "-pk")
    )


def _more(texts: dict[str, str]) -> dict[str, str]:
    return {code: text for code, text in texts.items() if code != "es"}


def _texts(spanish: str, more: dict[str, str]) -> dict[str, str]:
    """The JSON wording of a row: the Spanish column plus the further languages, empty ones left out."""
    return {code: text for code, text in {**more, "es": spanish}.items() if text}


def spec_of(instrument: Instrument) -> InstrumentSpec:
    return InstrumentSpec(
        name=instrument.name,
        name_es=instrument.name_es,
        description=instrument.description,
        languages=list(instrument.languages),
        more_names=_more(instrument.names),
        kind=instrument.kind,
        audience=instrument.audience,
        items=[
            ItemSpec(
                prompt_en=item.prompt_en,
                prompt_es=item.prompt_es,
                kind=item.kind,
                required=item.required,
                options=[OptionSpec(o.label_en, o.label_es, o.productive, _more(o.texts)) for o in item.options.all()],
                more=_more(item.texts),
                item_id=item.pk,
            )
            for item in items_of(instrument)
        ],
    )


# --- rules --------------------------------------------------------------------------------------


def item_problems(item: ItemSpec, *, audience: str) -> list[str]:
    """What is wrong with one item (the editor shows these next to the item)."""
    if item.kind == ItemKind.TEXT:
        if audience != Audience.ADULTS:
            return [_("Short-text items are for adult instruments only: students answer by choosing.")]
        return []
    problems = []
    n = len(item.options)
    if n < 2:
        problems.append(_("Give at least two answers to choose from."))
    elif item.kind == ItemKind.YES_NO and n != 2:
        problems.append(_("A yes / no item has exactly two answers."))
    elif item.kind == ItemKind.AGREEMENT and n != 4:
        problems.append(_("A 4-point agreement item has exactly four answers, from least to most agreement."))
    productive = sum(o.productive for o in item.options)
    if n and not productive:
        problems.append(_("Mark at least one answer as productive (the answer the improvement aims for)."))
    elif n >= 2 and productive == n:
        problems.append(_("Leave at least one answer not productive, or the item cannot show change."))
    return problems


def shape_problems(spec: InstrumentSpec) -> list[str]:
    """What is wrong with the instrument's list of items as a whole."""
    problems = []
    if not spec.items:
        problems.append(_("Add at least one item."))
    if spec.audience == Audience.STUDENTS and len(spec.items) > MAX_STUDENT_ITEMS:
        problems.append(
            _("A student instrument has at most %(max)s items, so it can be answered in under 3 minutes.")
            % {"max": MAX_STUDENT_ITEMS}
        )
    return problems


def instrument_problems(spec: InstrumentSpec) -> list[str]:
    """Every problem with an instrument; item problems are prefixed with the item's number."""
    problems = shape_problems(spec)
    for n, item in enumerate(spec.items, start=1):
        problems += [
            _("Item %(n)s: %(problem)s") % {"n": n, "problem": p} for p in item_problems(item, audience=spec.audience)
        ]
    return problems + language_problems(spec)


def language_problems(spec: InstrumentSpec) -> list[str]:
    """A student who picks a language must read every prompt and answer in it."""
    try:
        validate_language_codes(spec.languages)
    except ValidationError as exc:
        return list(exc.messages)
    problems = []
    for code in spec.languages[1:]:
        if code == "es":
            continue  # the editor's Spanish column is checked with the item
        for n, item in enumerate(spec.items, start=1):
            options = item.options if item.kind != ItemKind.TEXT else []
            if not item.more.get(code, "").strip() or any(not o.more.get(code, "").strip() for o in options):
                problems.append(_("Item %(n)s: the wording in %(language)s is missing.") % {"n": n, "language": code})
    return problems


def _validate(spec: InstrumentSpec) -> None:
    problems = instrument_problems(spec)
    if problems:
        raise ValidationError(problems)


# --- the change log -----------------------------------------------------------------------------


def _q(text: str) -> str:
    return f"“{text}”"


def _labels(options: list[OptionSpec]) -> str:
    return ", ".join(_q(o.label_en) for o in options) or "none"


def describe_changes(old: InstrumentSpec, new: InstrumentSpec) -> list[str]:
    """A readable list of what changed between two versions of an instrument, one line per change.

    The adaptation log is a record: it is written in English whatever language the editor reads."""
    with translation.override("en"):
        return _describe_changes(old, new)


def _describe_changes(old: InstrumentSpec, new: InstrumentSpec) -> list[str]:
    lines = []
    for attr, label in (("name", "Name"), ("name_es", "Spanish name")):
        if getattr(old, attr) != getattr(new, attr):
            lines.append(f"{label}: {_q(getattr(old, attr))} → {_q(getattr(new, attr))}")
    if old.description != new.description:
        lines.append("Description changed.")
    if old.languages != new.languages:
        lines.append(f"Languages: {', '.join(old.languages)} → {', '.join(new.languages)}")
    lines += _more_changes("Name", old.more_names, new.more_names)
    if old.kind != new.kind:
        lines.append(f"Kind: {InstrumentKind(old.kind).label} → {InstrumentKind(new.kind).label}")
    if old.audience != new.audience:
        lines.append(f"Audience: {Audience(old.audience).label} → {Audience(new.audience).label}")

    old_items = {item.item_id: (n, item) for n, item in enumerate(old.items, start=1)}
    kept = set()
    for n, item in enumerate(new.items, start=1):
        found = old_items.get(item.item_id) if item.item_id is not None else None
        if found is None:
            lines.append(f"Item {n} added: {_q(item.prompt_en)}")
            continue
        old_n, was = found
        kept.add(item.item_id)
        if old_n != n:
            lines.append(f"Item {old_n} moved to position {n}: {_q(item.prompt_en)}")
        lines += _item_changes(f"Item {n}", was, item)
    for old_n, was in sorted(old_items.values(), key=lambda pair: pair[0]):
        if was.item_id not in kept:
            lines.append(f"Item {old_n} removed: {_q(was.prompt_en)}")
    return lines


def _item_changes(label: str, was: ItemSpec, item: ItemSpec) -> list[str]:
    lines = []
    if was.prompt_en != item.prompt_en:
        lines.append(f"{label} prompt: {_q(was.prompt_en)} → {_q(item.prompt_en)}")
    if was.prompt_es != item.prompt_es:
        lines.append(f"{label} Spanish prompt: {_q(was.prompt_es)} → {_q(item.prompt_es)}")
    lines += _more_changes(f"{label} prompt", was.more, item.more)
    if was.kind != item.kind:
        lines.append(f"{label} kind: {ItemKind(was.kind).label} → {ItemKind(item.kind).label}")
    if was.required != item.required:
        lines.append(f"{label} is now {'required' if item.required else 'optional'}")
    for n in range(max(len(was.options), len(item.options))):
        if n >= len(was.options):
            o = item.options[n]
            lines.append(f"{label} answer added: {_q(o.label_en)} / {_q(o.label_es)}")
        elif n >= len(item.options):
            lines.append(f"{label} answer removed: {_q(was.options[n].label_en)}")
        else:
            a, b = was.options[n], item.options[n]
            if a.label_en != b.label_en:
                lines.append(f"{label} answer {n + 1}: {_q(a.label_en)} → {_q(b.label_en)}")
            if a.label_es != b.label_es:
                lines.append(f"{label} answer {n + 1} (Spanish): {_q(a.label_es)} → {_q(b.label_es)}")
            lines += _more_changes(f"{label} answer {n + 1}", a.more, b.more)
    old_productive = [o for o in was.options if o.productive]
    new_productive = [o for o in item.options if o.productive]
    if [o.label_en for o in old_productive] != [o.label_en for o in new_productive]:
        lines.append(f"{label} productive answers: {_labels(old_productive)} → {_labels(new_productive)}")
    return lines


# --- services -----------------------------------------------------------------------------------


def _create_items(instrument: Instrument, items: list[ItemSpec]) -> None:
    for order, spec in enumerate(items, start=1):
        item = Item(
            instrument=instrument,
            order=order,
            prompt_en=spec.prompt_en,
            texts=_texts(spec.prompt_es, spec.more),
            kind=spec.kind,
            required=spec.required,
        )
        item.full_clean(exclude=["instrument"], validate_unique=False, validate_constraints=False)
        item.save()
        _write_options(item, spec)


def _write_options(item: Item, spec: ItemSpec) -> None:
    """Set an item's options to the spec's, updating by position so option ids survive a relabel."""
    wanted = [] if spec.kind == ItemKind.TEXT else spec.options
    existing = list(item.options.all()) if item.pk else []
    for n, o in enumerate(wanted, start=1):
        option = existing[n - 1] if n <= len(existing) else Option(item=item, order=n)
        option.label_en, option.texts, option.productive, option.value = (
            o.label_en,
            _texts(o.label_es, o.more),
            o.productive,
            n,
        )
        option.full_clean(exclude=["item"], validate_unique=False, validate_constraints=False)
        option.save()
    Option.objects.filter(item=item, order__gt=len(wanted)).delete()


def _set_fields(instrument: Instrument, spec: InstrumentSpec) -> None:
    instrument.name = spec.name
    instrument.names = _texts(spec.name_es, spec.more_names)
    instrument.languages = list(spec.languages)
    instrument.description = spec.description
    instrument.kind = spec.kind
    instrument.audience = spec.audience
    instrument.full_clean(exclude=["district", "adapted_from"], validate_constraints=False)


def _more_changes(label: str, old: dict[str, str], new: dict[str, str]) -> list[str]:
    return [
        f"{label} ({code}): {_q(old.get(code, ''))} → {_q(new.get(code, ''))}"
        for code in sorted(set(old) | set(new))
        if old.get(code, "") != new.get(code, "")
    ]


@transaction.atomic
def instrument_create(*, district: District, data: InstrumentSpec, user: User | None, why: str = "") -> Instrument:
    """A new instrument of the district's own, version 1 of a new lineage."""
    _validate(data)
    instrument = Instrument(district=district, lineage=uuid.uuid4(), version=1)
    _set_fields(instrument, data)
    instrument.save()
    _create_items(instrument, data.items)
    AdaptationLog.objects.create(
        instrument=instrument, changed_by=user, what=f"Created with {len(data.items)} items.", why=why
    )
    return instrument


@transaction.atomic
def instrument_adapt(*, starter: Instrument, district: District, user: User | None, why: str = "") -> Instrument:
    """Copy a starter instrument into the district's own (a new lineage that remembers its origin)."""
    if starter.district_id is not None:
        raise InstrumentReadOnly(_("Only starter instruments are adapted; edit your district's own instead."))
    spec = spec_of(starter)
    copy = Instrument(district=district, lineage=uuid.uuid4(), version=1, adapted_from=starter)
    _set_fields(copy, spec)
    copy.save()
    _create_items(copy, spec.items)
    AdaptationLog.objects.create(
        instrument=copy,
        changed_by=user,
        what=f"Adapted from the starter instrument {_q(starter.name)} (version {starter.version}).",
        why=why,
    )
    return copy


@transaction.atomic
def instrument_save_edit(*, instrument: Instrument, data: InstrumentSpec, user: User | None, why: str) -> EditResult:
    """Save an edit of a district's instrument and log it.

    If students have answered this version (any administration with a response), the edit becomes
    version N+1 of the lineage and this version stops being current; otherwise it is edited in place.
    Nothing is written when nothing changed.
    """
    # Lock the lineage's current row: two leaders saving at once must not both make version N+1.
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.district_id is None:
        raise InstrumentReadOnly(_("Starter instruments are read-only: adapt one for your district."))
    if not instrument.is_current:
        raise InstrumentReadOnly(_("This version has been superseded: edit the current version."))

    _validate(data)
    current = spec_of(instrument)
    data = _match_items(data, current)
    changes = describe_changes(current, data)
    if not changes:
        return EditResult(instrument, [], new_version=False)

    if instrument_has_responses(instrument):
        latest = Instrument.objects.filter(lineage=instrument.lineage).aggregate(v=Max("version"))["v"]
        target = Instrument(
            district_id=instrument.district_id,
            lineage=instrument.lineage,
            version=latest + 1,
            adapted_from=instrument.adapted_from,
        )
        _set_fields(target, data)
        Instrument.objects.filter(lineage=instrument.lineage).update(is_current=False)
        target.save()
        _create_items(target, data.items)
        what = [f"Version {target.version} made: students had already answered version {instrument.version}."]
    else:
        target = instrument
        _set_fields(target, data)
        target.save()
        _edit_items_in_place(target, data.items)
        what = []
    AdaptationLog.objects.create(instrument=target, changed_by=user, what="\n".join(what + changes), why=why)
    return EditResult(target, changes, new_version=target.pk != instrument.pk)


def _match_items(data: InstrumentSpec, current: InstrumentSpec) -> InstrumentSpec:
    """Keep only item ids that name one of the instrument's items, each once (the rest are new items)."""
    known = {item.item_id for item in current.items}
    seen: set[int] = set()
    items = []
    for item in data.items:
        if item.item_id in known and item.item_id not in seen:
            seen.add(item.item_id)
            items.append(item)
        else:
            items.append(replace(item, item_id=None))
    return replace(data, items=items)


def _edit_items_in_place(instrument: Instrument, items: list[ItemSpec]) -> None:
    """Update kept items (their ids survive, so an open survey page still submits), drop and add the rest."""
    existing = {item.pk: item for item in instrument.items.all()}
    keep = {spec.item_id for spec in items if spec.item_id is not None}
    Item.objects.filter(instrument=instrument).exclude(pk__in=keep).delete()
    # Move kept items out of the way first: (instrument, order) is unique and orders may swap.
    Item.objects.filter(instrument=instrument).update(order=F("order") + 1000)
    for order, spec in enumerate(items, start=1):
        item = existing[spec.item_id] if spec.item_id in keep else Item(instrument=instrument)
        item.order, item.prompt_en, item.texts = order, spec.prompt_en, _texts(spec.prompt_es, spec.more)
        item.kind, item.required = spec.kind, spec.required
        item.full_clean(exclude=["instrument"], validate_unique=False, validate_constraints=False)
        item.save()
        _write_options(item, spec)


def adult_instruments_for(district: District | int) -> QuerySet[Instrument]:
    """The current adult instruments (PD-session feedback) a district may run: its own first."""
    return (
        instruments_for(district).filter(audience=Audience.ADULTS).order_by(F("district").asc(nulls_last=True), "name")
    )
