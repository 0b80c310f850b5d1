"""The one place that decides what a user may see or change.

Rules (DESIGN.md, "Privacy and trust"):
- A user sees nothing outside the districts they hold a membership in: such objects are 404.
- A classroom's own survey results are seen by its teacher, and by each audience the teacher shares
  that classroom with (one control each: their current coach, their principal, district leaders).
- School aggregates: district leaders (all schools), principals and coaches (their schools),
  partners (when the district shares with partners). District aggregates: district leaders,
  principals, coaches, and partners when shared.
- People, rosters and instruments are managed by district leaders.
- PD series: district leaders and the series' facilitators run them and edit every session of
  them, the math-leader PD included; their audience (a coach too) sees the agenda; session
  feedback goes to facilitators and leaders only; the facilitation review to the reviewed leaders
  and the district's leaders (and the partnership's researchers who record it).

Views call these functions; they never re-implement a rule. An object is fetched with
`get_in_districts` (404 outside the user's districts; `library=True` also finds published library
entries), lists are narrowed with `in_districts_q` / `library_q`, and a page's district comes from
`current_district`; then the object's own rule (check_… / may_…) answers 403. Memberships are
read once per request and cached on the user object.

The rules live in districts/access_rules/, one module per area (core: who a user is; places:
districts, schools and classrooms; people; library; plans; coaching; recommendations; pd); this
module is the one import path: `from districts import access`.
"""

from .access_rules.coaching import (  # noqa: F401
    COACHING_NOTES,
    COACHING_SUMMARY,
    check_coaching_record,
    coaching_activity_schools,
    coaching_level,
    coaching_records_q,
    get_coaching_activity_school,
    group_session_schools,
    may_change_coaching_record,
    may_coach,
    may_see_coaching_activity,
    may_see_private_note,
)
from .access_rules.core import (  # noqa: F401
    coachee_ids,
    district_ids,
    districts,
    forget,
    is_coach,
    is_district_leader,
    is_teacher,
    roles,
)
from .access_rules.library import (  # noqa: F401
    check_library_entry,
    check_rubric,
    may_change_library_entry,
)
from .access_rules.pd import (  # noqa: F401
    check_facilitation_review,
    check_pd_series,
    check_pd_session,
    facilitation_evidence_q,
    may_change_pd_series,
    may_change_pd_session,
    may_delete_pd_series,
    may_delete_pd_session,
    may_review_facilitation,
    may_see_facilitation_review,
    may_see_pd_feedback,
    may_see_pd_series,
    may_start_pd_series,
    pd_series_visibility,
)
from .access_rules.people import (  # noqa: F401
    get_person,
    led_districts,
    managed_memberships,
    may_edit_account,
    people,
)
from .access_rules.places import (  # noqa: F401
    classrooms,
    classrooms_to_run,
    classrooms_with_results,
    current_district,
    get_classroom,
    get_district,
    get_in_districts,
    get_school,
    in_districts_q,
    library_q,
    may_change_sharing,
    may_run_surveys,
    may_see_classroom_results,
    may_see_district_aggregates,
    may_see_school_aggregates,
    principal_schools,
    require_district_leader,
    schools,
    schools_with_aggregates,
)
from .access_rules.plans import (  # noqa: F401
    check_cycle,
    check_plan,
    cycle_scopes,
    cycle_visibility,
    may_change_cycle,
    may_change_plan,
    may_see_cycle,
    may_see_plan,
    may_start_cycle,
    plan_schools,
)
from .access_rules.recommendations import (  # noqa: F401
    check_recommendations,
    may_change_recommendations,
    may_see_recommendations,
)

__all__ = [
    "check_facilitation_review",
    "may_delete_pd_series",
    "may_delete_pd_session",
    "forget",
    "roles",
    "district_ids",
    "districts",
    "is_district_leader",
    "is_coach",
    "is_teacher",
    "coachee_ids",
    "get_district",
    "require_district_leader",
    "schools",
    "schools_with_aggregates",
    "may_see_school_aggregates",
    "principal_schools",
    "get_school",
    "may_see_district_aggregates",
    "classrooms",
    "classrooms_with_results",
    "classrooms_to_run",
    "may_see_classroom_results",
    "may_run_surveys",
    "may_change_sharing",
    "get_classroom",
    "current_district",
    "get_in_districts",
    "in_districts_q",
    "library_q",
    "people",
    "get_person",
    "led_districts",
    "managed_memberships",
    "may_edit_account",
    "may_change_library_entry",
    "check_library_entry",
    "check_rubric",
    "may_see_plan",
    "may_change_plan",
    "check_plan",
    "plan_schools",
    "may_see_cycle",
    "may_change_cycle",
    "check_cycle",
    "may_start_cycle",
    "cycle_scopes",
    "cycle_visibility",
    "COACHING_NOTES",
    "COACHING_SUMMARY",
    "coaching_level",
    "check_coaching_record",
    "may_see_private_note",
    "coaching_records_q",
    "may_coach",
    "may_change_coaching_record",
    "coaching_activity_schools",
    "may_see_coaching_activity",
    "get_coaching_activity_school",
    "group_session_schools",
    "may_see_recommendations",
    "may_change_recommendations",
    "check_recommendations",
    "may_start_pd_series",
    "may_change_pd_series",
    "may_see_pd_series",
    "may_see_pd_feedback",
    "may_review_facilitation",
    "facilitation_evidence_q",
    "check_pd_series",
    "check_pd_session",
    "may_change_pd_session",
    "may_see_facilitation_review",
    "pd_series_visibility",
]
