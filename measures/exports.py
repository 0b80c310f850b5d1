"""CSV rows for exports: only what the viewer may see, suppressed like the dashboards."""

from collections.abc import Iterator

from districts.models import Classroom, District

from .models import Answer, Instrument, TrendPoint


def trend_rows(scope: str, scope_ids: list[int], district: District) -> Iterator[list]:
    """Weekly shares per instrument and item; a week under the minimum group size is blanked."""
    min_n = district.min_group_size
    names = {i.lineage: i.name for i in Instrument.objects.filter(is_current=True)}
    yield ["scope", "scope_id", "instrument", "item", "week", "responses", "answered", "productive", "share_productive"]
    points = TrendPoint.objects.filter(scope=scope, scope_id__in=scope_ids).order_by("lineage", "item_order", "week")
    for p in points.iterator():
        item = "index" if p.item_order == 0 else p.item_order
        if p.n_responses < min_n:
            yield [scope, p.scope_id, names.get(p.lineage, p.lineage), item, p.week, f"fewer than {min_n}", "", "", ""]
        else:
            share = round(p.n_productive / p.n_answered, 4) if p.n_answered else ""
            yield [
                scope,
                p.scope_id,
                names.get(p.lineage, p.lineage),
                item,
                p.week,
                p.n_responses,
                p.n_answered,
                p.n_productive,
                share,
            ]


def classroom_answers(classroom: Classroom) -> Iterator[list]:
    """A teacher's own raw answers: the day only, a response number per survey, no tokens."""
    yield ["date", "survey", "response", "item", "prompt", "answer", "productive"]
    answers = (
        Answer.objects.filter(administration__classroom=classroom)
        .select_related("administration__instrument", "item", "option", "response")
        .order_by("administration__opened_at", "response_id", "item__order")
    )
    numbers: dict[int, dict[int, int]] = {}
    for a in answers.iterator(chunk_size=2000):
        per_survey = numbers.setdefault(a.administration_id, {})
        number = per_survey.setdefault(a.response_id, len(per_survey) + 1)
        yield [
            a.response.submitted_at.date().isoformat(),
            a.administration.instrument.name,
            number,
            a.item.order,
            a.item.prompt_en,
            a.option.label_en if a.option_id else a.text,
            "yes" if a.option_id and a.option.productive else "no",
        ]
