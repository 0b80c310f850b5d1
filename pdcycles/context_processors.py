"""What every page may need whatever the app: the words plotly.js draws itself in a chart."""

from django.utils import dates
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from measures.charts import d3_date

# plotly.js's own words on the buttons and notices of a chart (static/js/charts.js shows only
# these buttons), by the English text plotly.js looks them up with.
PLOTLY_WORDS = {
    "Download plot as a PNG": lambda: _("Download the chart as a PNG image"),
    "Download plot": lambda: _("Download the chart"),
    "Zoom in": lambda: _("Zoom in"),
    "Zoom out": lambda: _("Zoom out"),
    "Reset axes": lambda: _("Reset the axes"),
    "Autoscale": lambda: _("Autoscale"),
    "Double-click to zoom back out": lambda: _("Double-click to zoom back out"),
    "Double-click on legend to isolate one trace": lambda: _("Double-click a legend entry to show only that line"),
    "Preparing image - this may take a few seconds": lambda: _("Preparing the image; this may take a few seconds"),
    "Image download succeeded": lambda: _("The image is downloaded"),
    "Sorry, there was a problem downloading your image!": lambda: _("The image could not be downloaded."),
}


def _chart_locale() -> dict:
    """A plotly.js locale for the reader's language: month and weekday names as Django writes them,
    dates in the language's order, the chart buttons' words. plotly.js counts weekdays from Sunday."""
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "name": get_language(),
        "dictionary": {english: word() for english, word in PLOTLY_WORDS.items()},
        "format": {
            "days": [str(dates.WEEKDAYS[n]) for n in sunday_first],
            "shortDays": [str(dates.WEEKDAYS_ABBR[n]) for n in sunday_first],
            "months": [str(dates.MONTHS[n]) for n in range(1, 13)],
            "shortMonths": [str(dates.MONTHS_3[n]).title() for n in range(1, 13)],
            "date": d3_date(_("m/d/Y")),
            "month": d3_date(_("M Y")),
            "dayMonth": d3_date(_("M j")),
            "dayMonthYear": d3_date(_("M j, Y")),
        },
    }


def chart_locale(request):
    """`chart_locale`, built only if a page (a non-English one, see base.html) shows it."""
    return {"chart_locale": _chart_locale}
