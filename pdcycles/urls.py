from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from districts import views as district_views
from districts.forms import LoginForm

from .health import healthz

urlpatterns = [
    # First: the student survey is the busiest route, and URLs are matched in order.
    path("s/", include("measures.survey_urls")),
    path("", district_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    # The footer's language selector: a cookie, for signed-in people and visitors alike.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("people/", include("districts.urls")),
    path("measures/instruments/", include("measures.instrument_urls")),
    path("measures/", include("measures.urls")),
    path("cycles/", include("cycles.urls")),
    path("pd/", include("pd.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("coaching/", include("coaching.urls")),
]
