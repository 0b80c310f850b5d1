"""Every page of the demo reads in Spanish for a reader whose browser asks for Spanish.

The per-app tests (tests/*/test_spanish_pages.py) check chosen phrases of chosen pages; this one
crawls every GET route of the URL inventory, on the demo district, as each demo role the inventory
lets in, and flags English left anywhere a reader meets words: the text between tags, the labels
screen readers and tooltips read out (aria-label, title, placeholder), the words the page's scripts
show (data- attributes), the charts' titles, axis titles, legends and hover text, the words and
date orders plotly.js draws (the chart locale), the JSON of the live counters, the error pages and
messages a refusal shows, and the password reset email. A date in the English order ("Dic 10,
2026") counts as English.

English is found by words that never occur in Spanish text ("the", "and", "your", "Save"...),
matched as whole words. The demo's own content is data, not interface: names of people, schools
and classrooms, instrument wording, practice and report titles, what demo users typed. Every text
value the database holds is removed from the page before the check, so the allowlist follows the
data and never hides an interface string.
"""

import bisect
import html
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from districts.models import District, Role, User
from measures.models import Administration

from .test_refusal_matrix import _objects, _url
from .url_inventory import ANON, ROUTES, STAFF, project_routes

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}

# Whole words that never occur in Spanish text: function words (any case) and the usual interface
# words, months and weekdays (as written: "Plan" and "Total" are Spanish too, "Back" is not).
FUNCTION_WORDS = (
    "the", "and", "of", "your", "with", "this", "that", "for", "you", "are", "not", "will", "from",
    "have", "yet", "is", "was", "were", "to", "be", "it", "its", "an", "or", "by", "on", "at", "in",
    "all", "who", "what", "when", "which", "there", "their", "they", "about", "after", "before",
    "than", "each", "been", "can", "must", "should", "would", "could", "none", "here",
    "these", "those", "into", "out", "only", "any", "per", "our", "we", "he", "she", "his", "her",
    "how", "why", "e.g.", "i.e.",
)  # fmt: skip
INTERFACE_WORDS = (
    "Save", "Cancel", "Edit", "Delete", "Back", "Add", "New", "View", "Open", "Close", "Closed",
    "Search", "Filter", "Next", "Previous", "Download", "Print", "Show", "Hide", "Name", "Date",
    "Title", "Notes", "Status", "Week", "Teacher", "Teachers", "School", "Schools",
    "Classroom", "Survey", "Surveys", "Cycle", "Cycles", "Session", "Sessions", "Sign in", "Log in",
    "Log out", "Home", "Help", "No data", "Yes", "Students", "Results", "Start", "Remove", "Language",
    "Page", "Other", "Done", "Attendance", "Feedback", "People", "Priority", "Priorities",
    "Report", "Reports", "Finding", "Findings", "Recommendation", "Recommendations", "Rubric",
    "Practice", "Practices", "Goal", "Goals", "Observation", "Outcome", "Outcomes", "Activities",
    "Inputs", "Timeline", "Study", "Act", "Do", "Check in", "Checked in", "Export", "Import",
    "Upload", "Submit", "Continue", "Change", "Update", "Create", "Confirm", "Answers", "Responses",
    "District", "Role", "Email", "Password", "Person", "Owner", "Aim", "Change idea", "Prediction",
    "Benchmark", "Window", "Overall", "Average", "Percent", "Count", "Untitled", "Unknown", "Draft",
    "Published", "Active", "Inactive", "Reviewed", "Pending", "Today", "Yesterday", "Tomorrow",
    "Everyone", "Nobody", "Anyone", "Favorable", "Latest", "Last", "First", "More", "Less",
    "January", "February", "April", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Apr", "Aug", "Dec", "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
    "hour", "hours", "minute", "minutes", "week", "weeks", "day", "days", "ago",
)  # fmt: skip
ENGLISH = re.compile(
    r"(?<![\w.])(?:(?i:{})|{})(?![\w])".format(
        "|".join(re.escape(w) for w in FUNCTION_WORDS), "|".join(re.escape(w) for w in INTERFACE_WORDS)
    )
)
# A date written in the English order: month before day ("Dic 10, 2026" for "10 Dic 2026"), on the
# page or in a chart's date format (d3: "%b %d" where Spanish writes "%-d %b").
ENGLISH_DATE = re.compile(
    r"(?<!\w)(?<!\d )(?:Ene|Feb|Mar|Abr|May|Jun|Jul|Ago|Sep|Oct|Nov|Dic|[A-Z][a-z]+ber|January|April|June|July"
    r"|August)\.? \d{1,2}(?![\d:])|%[bB] %-?[de]"
)
# Names of sources, written as their publishers write them in any language.
PROPER_NAMES = ("What Works Clearinghouse", "Principles to Actions")
# Not words at all: addresses, emails, code-like tokens.
NOT_WORDS = re.compile(r"PD Cycles|https?://\S+|/[\w/.\-?=&%]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[A-Z0-9]{6}\b")

LABELS = {"aria-label", "title", "placeholder", "alt"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
JSON_SCRIPT = re.compile(r'<script id="[^"]*" type="application/json">(.*?)</script>', re.S)
HOVER_FIELDS = re.compile(r"%\{[^}]*\}|<[^>]+>")
# data- attributes that carry addresses, keys or flags rather than words.
DATA_NOT_WORDS = {"data-url", "data-figure", "data-bs-toggle", "data-bs-target", "data-answered-survey",
                  "data-answered-notice", "data-drawn"}  # fmt: skip


def _figure_words(figure) -> list[str]:
    """What a plotly figure shows as words: titles, axis titles, annotations, legend names, hover
    templates, tick labels given as text, and any text shown on the marks."""
    found = []

    def title(obj):
        if isinstance(obj, dict):
            t = obj.get("title")
            if isinstance(t, dict):
                t = t.get("text")
            if isinstance(t, str):
                found.append(t)

    layout = figure.get("layout", {})
    title(layout)
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            title(value)
            found.append(str(value.get("tickformat", "")))
            found.append(str(value.get("hoverformat", "")))
            found.extend(str(t) for t in value.get("ticktext", []) or [])
    for a in layout.get("annotations", []) or []:
        found.extend(str(a.get(key, "")) for key in ("text", "hovertext"))
    for shape in layout.get("shapes", []) or []:
        found.append(str(shape.get("name", "")))
    for trace in figure.get("data", []) or []:
        for key in ("name", "hovertemplate", "texttemplate"):
            if isinstance(trace.get(key), str):
                found.append(trace[key])
        for key in ("text", "hovertext"):
            value = trace.get(key)
            found.extend([value] if isinstance(value, str) else [str(v) for v in value or [] if isinstance(v, str)])
        found.extend(w for row in trace.get("customdata") or [] for w in _json_words(row))  # hover values
        for axis in ("x", "y"):  # category labels are words (dates and numbers are not)
            values = trace.get(axis) or []
            found.extend(v for v in values if isinstance(v, str) and not re.match(r"^[\d\-: .T]+$", v))
    return [HOVER_FIELDS.sub(lambda m: " " + m.group(0).partition("|")[2].rstrip("}") + " ", w) for w in found]


def _json_words(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [w for v in value.values() for w in _json_words(v)]
    if isinstance(value, list):
        return [w for v in value for w in _json_words(v)]
    return []


class _Reader(HTMLParser):
    """The text and labels of a page, except what an element declares to be in another language
    (lang="en": the preview of an English survey, a language's own name in the language menu)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = [("html", True)]  # (tag, in the page's language)
        self.words = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        spanish = self.stack[-1][1] if lang is None else lang.startswith("es")
        if spanish:
            for name, value in attrs.items():
                if value and (name in LABELS or name.startswith("data-")) and name not in DATA_NOT_WORDS:
                    self.words.append(value)
        if tag not in VOID:
            self.stack.append((tag, spanish and tag not in ("script", "style")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag("br", attrs)  # a self-closing element (SVG): its labels, nothing to close

    def handle_endtag(self, tag):
        if any(t == tag for t, _ in self.stack[1:]):
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self.stack[-1][1]:
            self.words.append(data)


def reader_text(reply) -> str:
    """Every word of the reply a reader may meet, on the page or through its scripts and charts."""
    body = reply.content.decode()
    if reply["Content-Type"].startswith("application/json"):
        return " ".join(_json_words(json.loads(body)))
    words = []
    for script in JSON_SCRIPT.findall(body):
        figure = json.loads(html.unescape(script))
        if isinstance(figure, dict) and ("data" in figure or "layout" in figure):
            words.extend(_figure_words(figure))
        else:  # the chart locale (plotly's own words), or another script's words
            words.extend(_json_words(figure))
    reader = _Reader()
    reader.feed(body)
    words.append(" ".join(reader.words))
    return " · ".join(words)  # no phrase across two labels


class Data:
    """The database's text values: longest first (to blank out), and sorted (to find the start of
    one that a template cut short)."""

    def __init__(self, values: set[str]):
        self.longest_first = sorted(values, key=len, reverse=True)
        self.prefixes = sorted(v for v in values if len(v) >= 12)


def _data_strings() -> Data:
    """Every text value in the database (the demo's names, titles, wording, what users typed),
    with each line of a multi-line value on its own (templates break lines)."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"districts", "measures", "cycles", "pd", "recommendations", "coaching"}:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        json_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if not fields and not json_fields:
            continue
        for row in model.objects.values_list(*fields, *json_fields):
            for value in row[: len(fields)]:
                values.update(_pieces(value))
            for value in row[len(fields) :]:
                for text in _json_words(value):
                    values.update(_pieces(text))
    return Data(values)


def _pieces(value) -> set[str]:
    if not isinstance(value, str):
        return set()
    pieces = {value.strip()} | {line.strip() for line in value.splitlines()}
    return {p for p in pieces if len(p) >= 3}


def _without(text: str, value: str) -> str:
    """The text with every whole-word occurrence of the value blanked out."""
    start = text.find(value)
    while start != -1:
        end = start + len(value)
        if (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            text = text[:start] + " · " + text[end:]
            end = start + 3
        start = text.find(value, end)
    return text


def _without_truncated(text: str, data: Data) -> str:
    """The text without data cut short by a template ("Did you have trouble understanding…")."""
    prefixes = data.prefixes
    out, last = [], 0
    for cut in re.finditer("…", text):
        before = text[max(last, cut.start() - 200) : cut.start()]
        for k in range(len(before)):
            head = before[k:].strip()
            if len(head) < 8 or (k and before[k - 1].isalnum()):
                continue
            i = bisect.bisect_left(prefixes, head)
            if i < len(prefixes) and prefixes[i].startswith(head):
                out.append(text[last : cut.start() - len(before) + k])
                out.append(" · ")
                last = cut.end()
                break
    out.append(text[last:])
    return "".join(out)


def english_left(text: str, data: Data) -> list[str]:
    """The English words of the text once its data and non-words are gone, each with a little of
    its context, for the failure message."""
    text = _without_truncated(re.sub(r"\s+", " ", text), data)
    for value in data.longest_first:
        if value in text:
            text = _without(text, value)
    for name in PROPER_NAMES:
        text = text.replace(name, " · ")
    text = NOT_WORDS.sub(" ", text)
    hits = [*ENGLISH.finditer(text), *ENGLISH_DATE.finditer(text)]
    return [text[max(0, m.start() - 40) : m.end() + 40].strip() for m in hits]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", "--weeks", "4", "--password", "pass-word-123", verbosity=0)
    settings.DEBUG = False  # the pages as a reader sees them, error pages included
    district = District.objects.get(slug="lakeside")
    return district, _objects(district)


NOT_PAGES = {"set_language", "logout", "healthz"}  # a POST, a POST, a probe's plain "ok"
NO_DEMO_OBJECT = {"coaching:rubric_edit", "instruments:edit", "instruments:language"}


def _extra_urls(objects):
    """Pages the refusal matrix's objects leave out: every step of a cycle, and the library's
    practices, rubrics and instruments (the demo district owns none of its own)."""
    from coaching.models import Rubric
    from cycles.models import Practice, StepKind
    from measures.models import Instrument

    urls = [
        ("cycles:step", reverse("cycles:step", kwargs={"pk": objects["cycle"], "kind": kind}))
        for kind in StepKind.values
    ]
    library = {
        "cycles:practice": ("pk", Practice.objects.filter(district=None)),
        "coaching:rubric": ("rubric_id", Rubric.objects.filter(district=None)),
        "coaching:rubric_adapt": ("rubric_id", Rubric.objects.filter(district=None)),
        "instruments:detail": ("pk", Instrument.objects.filter(district=None)),
        "instruments:history": ("pk", Instrument.objects.filter(district=None)),
        "instruments:adapt": ("pk", Instrument.objects.filter(district=None)),
    }
    for name, (arg, objects_) in library.items():
        first = objects_.order_by("pk").first()
        if first is not None:
            urls.append((name, reverse(name, kwargs={arg: first.pk})))
    urls.append(("404", "/no-such-page/"))
    return urls


def _people(district):
    """One demo person per role, holding that role only."""
    return {
        role: User.objects.filter(memberships__district=district, memberships__role=role)
        .exclude(memberships__district=district, memberships__role__in=[r for r in Role.values if r != role])
        .order_by("pk")
        .first()
        for role in Role.values
    }


def test_every_page_a_demo_role_opens_reads_in_spanish(client, demo, mailoutbox):
    district, objects = demo
    people = _people(district)
    data = _data_strings()
    routes = project_routes()
    pages = []  # (route name, url, role)
    for name, who in sorted(ROUTES.items()):
        if name in NOT_PAGES:
            continue
        url = _url(name, routes[name], objects)
        if url is None:
            continue
        roles = [ANON] if who == ANON else Role.values if who == STAFF else sorted(who)
        pages.extend((name, url, role) for role in roles)
    pages.extend((name, url, Role.DISTRICT_LEADER) for name, url in _extra_urls(objects))
    pages.append(("404", "/no-such-page/", ANON))
    survey = Administration.objects.filter(district=district, closed_at=None).order_by("pk").first()
    if survey is not None:  # a student's survey, as her phone asks for it
        pages.append(("survey:survey", reverse("survey:survey", kwargs={"code": survey.code}), ANON))

    findings, read, statuses = {}, set(), {}
    for name, url, role in pages:
        client.logout()
        if role != ANON:
            client.force_login(people[role])
        # A redirect is followed: the page it lands on says why (a message), in Spanish too.
        reply = client.get(url, follow=True, **SPANISH)
        statuses.setdefault(name, set()).add(reply.status_code)
        if reply.status_code == 405:
            continue
        if not reply["Content-Type"].startswith(("text/html", "application/json", "image/svg+xml")):
            statuses[name].add("download")
            continue
        if reply["Content-Type"].startswith("text/html"):
            assert '<html lang="es"' in reply.content.decode(), (name, role)
        read.add(name)
        for hit in english_left(reader_text(reply), data):
            findings.setdefault(hit, []).append(f"{name} ({role}, {reply.status_code})")

    report = [
        f"…{hit}…  on {', '.join(where[:3])}{' and more' if len(where) > 3 else ''}" for hit, where in findings.items()
    ]
    assert findings == {}, f"{len(findings)} English words on Spanish pages:\n" + "\n".join(report)
    # Left unread only: the routes that take a POST only (405 to a GET), the downloads (CSV,
    # calendar), and the routes that change a library entry (the demo district has none of its
    # own). A new page that the crawl cannot open fails here until it is read.
    passed = {n for n, s in statuses.items() if "download" in s or s <= {405}}
    unread = {n for n in ROUTES if n not in read and n not in passed}
    assert unread <= NOT_PAGES | NO_DEMO_OBJECT, sorted(unread - NOT_PAGES - NO_DEMO_OBJECT)
    assert len(read) >= 110, len(read)

    # The one email the site sends (on the crawled demo, so the demo is seeded once).
    client.logout()
    reply = client.post(reverse("password_reset"), {"email": people[Role.TEACHER].email}, **SPANISH)
    assert reply.status_code == 302 and len(mailoutbox) == 1
    assert english_left(f"{mailoutbox[0].subject} {mailoutbox[0].body}", data) == [], mailoutbox[0].body
