"""Who and where: districts, schools, classrooms, people and the roles they hold."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MIN_GROUP_SIZE_FLOOR = 5
# A class, a band or a lecture hall: more students than this is a typing mistake.
MAX_STUDENTS_PER_CLASS = 300


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A staff member or partner. Students never have accounts."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("staff admin", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class District(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    min_group_size = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(MIN_GROUP_SIZE_FLOOR), MaxValueValidator(100)],
        help_text=_("No number is shown from fewer responses than this (at least 5)."),
    )
    school_year_start_month = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    share_with_partners = models.BooleanField(
        default=False, help_text=_("Partners see district and school aggregates.")
    )
    retention_school_years = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "Students' raw answers are deleted after this many school years (the current one counts); "
            "summaries and trends stay."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=MIN_GROUP_SIZE_FLOOR),
                name="district_min_group_size_floor",
            )
        ]

    def __str__(self):
        return self.name

    def school_year_of(self, day) -> int:
        """The school year a date falls in, named by its starting calendar year (2026 = 2026–27)."""
        return day.year if day.month >= self.school_year_start_month else day.year - 1

    def current_school_year(self) -> int:
        return self.school_year_of(timezone.localdate())


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="schools")
    name = models.CharField(max_length=200)
    external_id = models.CharField(max_length=100, blank=True, help_text=_("ID in the roster system."))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="school_unique_name_in_district"),
        ]

    def __str__(self):
        return self.name


class Classroom(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classrooms")
    teacher = models.ForeignKey(User, on_delete=models.PROTECT, related_name="classrooms")
    name = models.CharField(max_length=200)
    grade = models.CharField(max_length=20, blank=True)
    course = models.CharField(max_length=100, blank=True)
    period = models.CharField(max_length=20, blank=True)
    school_year = models.PositiveSmallIntegerField(help_text=_("Starting year: 2026 means 2026–27."))
    # Who besides the teacher sees this classroom's own results (measures' "Who sees my results"
    # page): one control per audience. Everyone else sees it only inside school and district
    # figures, where the publication layer hides it among at least three teachers.
    share_with_coach = models.BooleanField(
        _("my coach"), default=True, help_text=_("Your assigned coach uses them to plan with you.")
    )
    share_with_principal = models.BooleanField(_("my principal"), default=False)
    share_with_leaders = models.BooleanField(_("district leaders"), default=False)
    external_id = models.CharField(max_length=100, blank=True, help_text=_("ID in the roster system."))
    # Only to warn the teacher when a survey gets more responses than the class has students (someone
    # answered twice, or the join code left the room). Unset, no warning.
    student_count = models.PositiveSmallIntegerField(
        _("students in this class"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_STUDENTS_PER_CLASS)],
        help_text=_("Optional: surveys warn you when more responses arrive than this."),
    )

    class Meta:
        ordering = ["school__name", "teacher__full_name", "period", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "teacher", "name", "school_year"], name="classroom_unique_per_teacher_year"
            ),
        ]

    def __str__(self):
        if not self.period:
            return self.name
        return gettext("%(name)s, period %(period)s") % {"name": self.name, "period": self.period}

    def get_absolute_url(self):
        return reverse("measures:classroom", args=[self.pk])


class Role(models.TextChoices):
    DISTRICT_LEADER = "district_leader", _("District leader")
    COACH = "coach", _("Coach")
    PRINCIPAL = "principal", _("Principal")
    TEACHER = "teacher", _("Teacher")
    PARTNER = "partner", _("Partner")


class Membership(models.Model):
    """A role a person holds in a district, optionally at one school. A person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["district", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "district", "school", "role"], name="membership_unique_role"),
            # Empty schools are distinct to the database: a district-wide role needs its own rule.
            models.UniqueConstraint(
                fields=["user", "district", "role"],
                condition=models.Q(school__isnull=True),
                name="membership_unique_district_role",
            ),
        ]
        indexes = [models.Index(fields=["district", "role"], name="membership_district_role")]

    def __str__(self):
        where = f" at {self.school}" if self.school_id else ""
        return f"{self.user} — {self.get_role_display()}{where}"


class CoachAssignment(models.Model):
    """A coach serves a teacher for a school year; it lets the coach see that teacher's classrooms."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coachees")
    teacher = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coaches")
    school_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-school_year", "coach__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "teacher", "school_year"], name="coach_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.coach} coaches {self.teacher} ({self.school_year})"
