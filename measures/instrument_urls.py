"""Instrument library and editor URLs (district leaders)."""

app_name = "instruments"

urlpatterns = []
