"""The instrument library and editor: every member browses it; district leaders create, adapt and edit.

Who may do what is decided in `districts.access` (through `instruments.get_instrument`); the writes
are the services in `measures.instruments`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from districts import access

from . import instruments as lib
from .instrument_forms import AdaptForm, InstrumentEditor, LanguageForm
from .survey_languages import is_rtl, language_links, pick_language
from .survey_views import survey_questions


def _led_districts(request) -> list:
    """The districts the user leads; 403 for members who lead none (404 for people in no district)."""
    led = list(access.led_districts(request.user))
    if not led:
        access.check_library_entry(request.user, None)  # 404 outside every district
        raise PermissionDenied(_("Only district leaders create and adapt instruments."))
    return led


@login_required
def instrument_list(request):
    access.check_library_entry(request.user, None)
    starters, own = lib.library_for(request.user)
    led = {d.pk for d in access.led_districts(request.user)}
    context = {
        "starters": starters,
        "districts": [{"district": d, "instruments": rows, "may_change": d.pk in led} for d, rows in own.items()],
        "may_create": bool(led),
    }
    return render(request, "measures/instrument_list.html", context)


@login_required
def instrument_detail(request, pk: int):
    instrument = lib.get_instrument(request.user, pk)
    items = lib.items_of(instrument)
    lang = pick_language(request, instrument.languages) if "lang" in request.GET else "en"
    context = {
        "instrument": instrument,
        "items": items,
        "lang": lang,
        "rtl": is_rtl(lang),
        "preview_languages": language_links(instrument.languages, current=""),
        "preview_name": instrument.display_name(lang),
        "preview_questions": survey_questions(items, lang),
        "current": lib.current_version(instrument),
        "may_change": access.may_change_library_entry(request.user, instrument.district_id),
        "may_adapt": instrument.district_id is None and access.is_district_leader(request.user),
    }
    return render(request, "measures/instrument_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_create(request):
    led = _led_districts(request)
    editor = InstrumentEditor(request.POST or None, districts=led)
    if request.method == "POST" and editor.is_valid():
        district = editor.form.chosen_district()
        access.require_district_leader(request.user, district)
        instrument = lib.instrument_create(district=district, data=editor.spec(), user=request.user, why=editor.why)
        messages.success(request, _("“%(name)s” was created.") % {"name": instrument.name})
        return redirect("instruments:detail", instrument.pk)
    return render(request, "measures/instrument_form.html", {"editor": editor, "instrument": None})


@login_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request, pk: int):
    instrument = lib.get_instrument(request.user, pk, need="change")
    if not instrument.is_current:
        current = lib.current_version(instrument)
        messages.info(
            request,
            _("Version %(version)s was superseded; this is the current version.") % {"version": instrument.version},
        )
        return redirect("instruments:edit", current.pk)
    editor = InstrumentEditor(request.POST or None, instrument=instrument, why_required=True)
    if request.method == "POST" and editor.is_valid():
        try:
            result = lib.instrument_save_edit(
                instrument=instrument, data=editor.spec(), user=request.user, why=editor.why
            )
        except lib.InstrumentReadOnly as error:
            # Another leader's save made a new version while this form was open.
            messages.warning(request, str(error))
            return redirect("instruments:edit", lib.current_version(instrument).pk)
        except ValidationError as error:  # the editor checks the same rules; kept for safety
            editor.shape_errors = error.messages
        else:
            if not result.changes:
                messages.info(request, _("Nothing changed."))
            elif result.new_version:
                messages.success(
                    request,
                    _("Saved as version %(new)s. Answers already given stay with version %(old)s.")
                    % {"new": result.instrument.version, "old": instrument.version},
                )
            else:
                messages.success(request, _("Changes saved."))
            return redirect("instruments:detail", result.instrument.pk)
    context = {
        "editor": editor,
        "instrument": instrument,
        "has_responses": lib.instrument_has_responses(instrument),
    }
    return render(request, "measures/instrument_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_language(request, pk: int):
    """Add or change the instrument's wording in one further language (?code=vi), or stop offering it.

    Saved like any edit: a version students have answered stays as it was, and the wording goes
    into a new version."""
    instrument = lib.get_instrument(request.user, pk, need="change")
    if not instrument.is_current:
        return redirect("instruments:language", lib.current_version(instrument).pk)
    code = request.POST.get("code") or request.GET.get("code", "")
    form = LanguageForm(request.POST or None, spec=lib.spec_of(instrument), code=code)
    if request.method == "POST" and form.is_valid():
        try:
            result = lib.instrument_save_edit(
                instrument=instrument, data=form.changed_spec(), user=request.user, why=form.reason
            )
        except lib.InstrumentReadOnly as error:
            messages.warning(request, str(error))
            return redirect("instruments:detail", lib.current_version(instrument).pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved.") if result.changes else _("Nothing changed."))
            return redirect(
                f"{reverse('instruments:detail', args=[result.instrument.pk])}?lang={form.cleaned_data['code']}"
            )
    context = {"instrument": instrument, "form": form, "rtl": is_rtl(code), "code": code}
    return render(request, "measures/instrument_language.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_adapt(request, pk: int):
    starter = lib.get_instrument(request.user, pk, need="adapt")
    if starter.district_id is not None:
        raise Http404("Only starter instruments are adapted.")
    led = _led_districts(request)
    form = AdaptForm(request.POST or None, districts=led)
    if request.method == "POST" and form.is_valid():
        district = form.chosen_district()
        access.require_district_leader(request.user, district)
        copy = lib.instrument_adapt(
            starter=starter, district=district, user=request.user, why=form.cleaned_data["why"].strip()
        )
        messages.success(
            request,
            _("“%(name)s” is now %(district)s's own. Change what you need below.")
            % {"name": copy.name, "district": district},
        )

        return redirect(reverse("instruments:edit", args=[copy.pk]))
    return render(request, "measures/instrument_adapt.html", {"starter": starter, "form": form})


@login_required
def instrument_history(request, pk: int):
    instrument = lib.get_instrument(request.user, pk)
    context = {
        "instrument": instrument,
        "versions": lib.instrument_versions(instrument),
        "log": lib.instrument_log(instrument),
        "current": lib.current_version(instrument),
    }
    return render(request, "measures/instrument_history.html", context)
