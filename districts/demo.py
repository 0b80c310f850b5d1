"""The demo district: Lakeside Unified, its schools, people, classrooms and coaching assignments.

`seed_district` builds the people and places; the `seed(demo, rng)` functions in other apps'
`demo` modules (run by `manage.py seed_demo`) add their data on top of the `DemoDistrict` it returns.
Everything here is fictional. One password for every demo login, hashed once: hashing it
forty times would cost more than seeding the whole district.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .deletion import districts_delete
from .models import Classroom, CoachAssignment, District, Membership, Role, School, User

DEMO_NAME = "Lakeside Unified School District"
DEMO_SLUG = "lakeside"
DEMO_DOMAIN = "lakeside.example"

SCHOOL_NAMES = (
    "Bayside Middle School",
    "Cedar Ridge Middle School",
    "Heron Point Middle School",
    "Juniper Hills Middle School",
    "Lakeview Middle School",
    "Willow Creek Middle School",
)
TEACHERS_PER_SCHOOL = 5
COACHEES_PER_COACH = 6
SHARE_RESULTS_RATE = 0.4  # teachers who let leaders see their classrooms' own results

# Course offered per grade, with how often a section is the accelerated one.
COURSES = {
    "6": (("Math 6", 0.8), ("Accelerated Math 6", 0.2)),
    "7": (("Math 7", 0.7), ("Accelerated Math 7", 0.3)),
    "8": (("Math 8", 0.7), ("Algebra 1", 0.3)),
}

FIRST_NAMES = (
    "Aaliyah", "Aarav", "Adriana", "Aisha", "Alejandro", "Amara", "Andrés", "Anh", "Beatriz", "Camila",
    "Carlos", "Chen", "Daniela", "Darius", "DeShawn", "Diego", "Elena", "Emeka", "Esperanza", "Fatima",
    "Gabriel", "Grace", "Hana", "Hassan", "Imani", "Isabel", "Jamal", "Jasmine", "Javier", "Jin",
    "Kwame", "Laila", "Leticia", "Luis", "Malik", "Maria", "Mateo", "Maya", "Mei", "Miguel",
    "Nadia", "Naomi", "Nia", "Omar", "Priya", "Rafael", "Rosa", "Samir", "Sofía", "Tariq",
    "Tomás", "Valeria", "Wei", "Xavier", "Yesenia", "Yusuf", "Zainab", "Ethan", "Hannah", "Megan",
    "Ryan", "Sarah", "Kevin", "Rachel", "Tyler", "Lauren", "Marcus", "Keisha", "Tomasz", "Ingrid",
)  # fmt: skip
LAST_NAMES = (
    "Abara", "Alvarez", "Bennett", "Castillo", "Chavez", "Chowdhury", "Delgado", "Diallo", "Dubois", "Estrada",
    "Fernández", "Flores", "Gallagher", "García", "Gutierrez", "Haddad", "Hernández", "Hoang", "Ibarra", "Jackson",
    "Jensen", "Kaur", "Kim", "Kowalski", "Lee", "Lopez", "Martinez", "Mendoza", "Morales", "Nakamura",
    "Nguyen", "Novak", "Okafor", "Okonkwo", "Ortiz", "Patel", "Pham", "Quintero", "Ramírez", "Reyes",
    "Robinson", "Rossi", "Sanchez", "Santos", "Shah", "Silva", "Tanaka", "Thompson", "Torres", "Tran",
    "Vargas", "Washington", "Williams", "Yamamoto", "Zhang", "Brooks", "Coleman", "Murphy", "Olsen", "Rivera",
)  # fmt: skip


@dataclass
class DemoLogin:
    email: str
    role: str
    school: str = ""


@dataclass
class DemoDistrict:
    """What later seeders need: the district, its places and its people, by role."""

    district: District
    today: date
    school_year: int
    password: str
    schools: list[School]
    director: User
    specialist: User
    partner: User
    principals: list[User]
    coaches: list[User]
    teachers: list[User]
    classrooms: list[Classroom]
    coach_assignments: list[CoachAssignment]
    school_of_teacher: dict[int, School]  # teacher user id → school
    logins: list[DemoLogin]
    weeks: int = 18  # how many school weeks of history the seeders write (at most)
    notes: list[str] = field(default_factory=list)  # lines the command prints at the end
    warnings: list[str] = field(default_factory=list)

    def classrooms_of(self, teacher: User) -> list[Classroom]:
        return [c for c in self.classrooms if c.teacher_id == teacher.pk]

    def coachees_of(self, coach: User) -> list[User]:
        ids = {a.teacher_id for a in self.coach_assignments if a.coach_id == coach.pk}
        return [t for t in self.teachers if t.pk in ids]


def delete_demo_district(slug: str = DEMO_SLUG) -> bool:
    """Delete the demo district, all its data, and its people who belong to no other district.

    Superusers are kept: a developer may have given their own account a demo role.
    """
    district = District.objects.filter(slug=slug).first()
    if district is None:
        return False
    user_ids = set(Membership.objects.filter(district=district).values_list("user_id", flat=True))
    user_ids |= set(Classroom.objects.filter(school__district=district).values_list("teacher_id", flat=True))
    _delete_district(district)
    User.objects.filter(pk__in=user_ids, memberships__isnull=True, classrooms__isnull=True).exclude(
        is_superuser=True
    ).delete()
    return True


def _delete_district(district: District) -> None:
    districts_delete(districts=[district])


def seed_district(*, rng: random.Random, password: str, today: date | None = None) -> DemoDistrict:
    """Create Lakeside Unified for the school year of `today` (default: the current one)."""
    district = District.objects.create(name=DEMO_NAME, slug=DEMO_SLUG, share_with_partners=True)
    school_year = district.current_school_year() if today is None else district.school_year_of(today)
    today = today or timezone.localdate()
    schools = School.objects.bulk_create(
        [School(district=district, name=name, external_id=f"LUSD-MS{n:02}") for n, name in enumerate(SCHOOL_NAMES, 1)]
    )
    people = _People(rng, password)

    director = people.make(f"director@{DEMO_DOMAIN}")
    specialist = people.make(f"specialist@{DEMO_DOMAIN}")
    partner = people.make(f"partner@{DEMO_DOMAIN}")
    coaches = [people.make(f"coach{n}@{DEMO_DOMAIN}") for n in (1, 2, 3)]
    principals = [people.make(f"principal{n}@{DEMO_DOMAIN}") for n in (1, 2)]
    teachers_by_school = {school.pk: [people.make() for _ in range(TEACHERS_PER_SCHOOL)] for school in schools}
    people.save()

    memberships = [
        Membership(user=director, district=district, role=Role.DISTRICT_LEADER),
        Membership(user=specialist, district=district, role=Role.DISTRICT_LEADER),
        Membership(user=partner, district=district, role=Role.PARTNER),
    ]
    logins = [
        DemoLogin(director.email, "District leader (math director)"),
        DemoLogin(specialist.email, "District leader (math specialist)"),
    ]
    # Coach n serves schools 2n-1 and 2n; the principals lead the first schools of coach 1 and coach 2.
    coach_schools = {coach.pk: schools[2 * n : 2 * n + 2] for n, coach in enumerate(coaches)}
    for coach in coaches:
        memberships += [
            Membership(user=coach, district=district, school=s, role=Role.COACH) for s in coach_schools[coach.pk]
        ]
        logins.append(DemoLogin(coach.email, "Coach", ", ".join(s.name for s in coach_schools[coach.pk])))
    for principal, school in zip(principals, (schools[0], schools[2]), strict=True):
        memberships.append(Membership(user=principal, district=district, school=school, role=Role.PRINCIPAL))
        logins.append(DemoLogin(principal.email, "Principal", school.name))

    school_of_teacher: dict[int, School] = {}
    classrooms: list[Classroom] = []
    teachers: list[User] = []
    sections: dict[tuple[int, str], int] = {}  # (school, course) → sections so far, for "Math 7A", "Math 7B"
    for school in schools:
        grades = ["6", "7", "8", rng.choice("678"), rng.choice("678")]
        rng.shuffle(grades)
        for teacher, grade in zip(teachers_by_school[school.pk], grades, strict=True):
            teachers.append(teacher)
            school_of_teacher[teacher.pk] = school
            memberships.append(Membership(user=teacher, district=district, school=school, role=Role.TEACHER))
            logins.append(DemoLogin(teacher.email, "Teacher", school.name))
            # Every teacher of the third school shares (its principal sees named classrooms); elsewhere
            # about 40 %. The draw happens either way, so the rest of the demo stays as it was.
            shares = rng.random() < SHARE_RESULTS_RATE or school == schools[2]
            n_classes = rng.choices((1, 2, 3), weights=(2, 4, 4))[0]
            for period in sorted(rng.sample(range(1, 8), n_classes)):
                names, weights = zip(*COURSES[grade], strict=True)
                course = rng.choices(names, weights=weights)[0]
                section = sections[school.pk, course] = sections.get((school.pk, course), 0) + 1
                classrooms.append(
                    Classroom(
                        school=school,
                        teacher=teacher,
                        name=f"{course}{chr(ord('A') + section - 1)}",
                        grade=grade,
                        course=course,
                        period=str(period),
                        school_year=school_year,
                        share_with_principal=shares,
                        share_with_leaders=shares,
                        external_id=f"LUSD-{school.external_id[-4:]}-{course.replace(' ', '')}-{section}",
                    )
                )
    logins.append(DemoLogin(partner.email, "Partner (researcher)"))
    Membership.objects.bulk_create(memberships)
    classrooms = Classroom.objects.bulk_create(classrooms)

    assignments = []
    for coach in coaches:
        pool = [t for s in coach_schools[coach.pk] for t in teachers_by_school[s.pk]]
        for teacher in rng.sample(pool, COACHEES_PER_COACH):
            assignments.append(
                CoachAssignment(district=district, coach=coach, teacher=teacher, school_year=school_year)
            )
    assignments = CoachAssignment.objects.bulk_create(assignments)

    return DemoDistrict(
        district=district,
        today=today,
        school_year=school_year,
        password=password,
        schools=schools,
        director=director,
        specialist=specialist,
        partner=partner,
        principals=principals,
        coaches=coaches,
        teachers=teachers,
        classrooms=classrooms,
        coach_assignments=assignments,
        school_of_teacher=school_of_teacher,
        logins=logins,
    )


class _People:
    """Makes users with distinct fictional names; reuses an account that already has the email."""

    def __init__(self, rng: random.Random, password: str):
        self.rng = rng
        self.hashed = make_password(password)
        self.used_firsts: set[str] = set()
        self.used_lasts: set[str] = set()
        self.pending: list[User] = []

    def make(self, email: str | None = None) -> User:
        # Distinct names, so "Anh's class" or "Ms. Okafor" in a coaching note names one person.
        first = self.rng.choice([n for n in FIRST_NAMES if n not in self.used_firsts])
        last = self.rng.choice([n for n in LAST_NAMES if n not in self.used_lasts])
        self.used_firsts.add(first)
        self.used_lasts.add(last)
        email = email or f"{_ascii(first)}.{_ascii(last)}@{DEMO_DOMAIN}"
        user = User(email=email, full_name=f"{first} {last}", password=self.hashed)
        self.pending.append(user)
        return user

    def save(self) -> None:
        """Insert the new users. An account that already exists (it belongs to another district, or is
        a superuser) is reused as it is; one that belongs to nobody gets the demo password."""
        existing = {u.email: u for u in User.objects.filter(email__in=[u.email for u in self.pending])}
        for user in self.pending:
            kept = existing.get(user.email)
            if kept is None:
                continue
            if not kept.memberships.exists() and not kept.is_superuser:
                kept.password = self.hashed
                kept.save(update_fields=["password"])
            user.pk, user.full_name, user.password = kept.pk, kept.full_name, kept.password
            user._state.adding, user._state.db = False, kept._state.db
        User.objects.bulk_create([u for u in self.pending if u._state.adding])


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace(" ", "")
