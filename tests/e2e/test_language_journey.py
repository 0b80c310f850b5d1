"""Languages in a real browser: a Spanish-speaking teacher runs a survey in Spanish, and a language
added to the instrument in the database (Arabic, right to left) reaches the student's phone."""

import pytest
from playwright.sync_api import expect

from measures.models import Item, Option
from tests.factories import make_instrument

from .conftest import assert_accessible, watch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _add_arabic(instrument) -> None:
    instrument.languages = [*instrument.languages, "ar"]
    instrument.names = {**instrument.names, "ar": "نقاش الصف"}
    instrument.save()
    for item in Item.objects.filter(instrument=instrument):
        item.texts = {**item.texts, "ar": f"السؤال {item.order}؟"}
        item.save()
    for option in Option.objects.filter(item__instrument=instrument):
        option.texts = {**option.texts, "ar": f"الجواب {option.order}"}
        option.save()


def test_a_spanish_teacher_and_an_arabic_reading_student(browser, live_server, personas, shoot):
    instrument = make_instrument(name="Discussion check")
    _add_arabic(instrument)
    base = live_server.url

    context = browser.new_context(locale="es-MX")
    page = context.new_page()
    errors = []
    watch(page, errors)
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("h1")).to_have_text("Inicia sesión en PD Cycles")
    shoot(page, "lang-00-login-es")
    assert_accessible(page)
    page.get_by_label("Correo electrónico").fill("teacher@example.org")
    page.get_by_label("Contraseña").fill("pass-word-123")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/measures/classrooms/{personas.classroom.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("link", name="Iniciar una encuesta").first.click()
    page.get_by_label("Instrumento").select_option(label="Discussion check (es)")
    page.get_by_role("button", name="Abrir la encuesta").click()
    expect(page.get_by_role("button", name="Cerrar la encuesta")).to_be_visible()
    expect(page.get_by_text("Entra a")).to_be_visible()
    shoot(page, "lang-01-projector-es")
    assert_accessible(page)
    code = page.locator(".join-code").inner_text().strip()

    student = browser.new_context(**PHONE, locale="en-US")
    phone = student.new_page()
    phone.goto(f"{base}/s/{code}")
    phone.get_by_role("link", name="العربيّة").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("h1")).to_have_text("نقاش الصف")
    expect(phone.get_by_text("السؤال 1؟")).to_be_visible()
    shoot(phone, "lang-02-student-ar-rtl")
    assert_accessible(phone)
    for fieldset in phone.locator("fieldset").all():
        fieldset.locator("label.opt").first.click()
    phone.locator("button.send").click()
    expect(phone.locator("h1")).to_be_visible()
    student.close()

    page.reload()
    expect(page.locator("#count")).to_have_text("1", timeout=10_000)
    page.get_by_role("button", name="Cerrar la encuesta").click()
    expect(page.get_by_text("está cerrada")).to_be_visible()
    shoot(page, "lang-03-results-es")
    assert_accessible(page)
    context.close()
    assert not errors, errors
