"""The access rules, one module per area; import them through `districts.access`."""
