"""Named people for every role, in two districts, used across the whole suite.

District "Riverside" (the home district): school A and school B.
- leader: district leader of Riverside
- coach: coach at school A, assigned to `teacher` this school year
- principal: principal of school A
- teacher: teacher at school A with `classroom`
- other_teacher: teacher at school A with `other_classroom` (no coach)
- principal_b: principal of school B
- teacher_b: teacher at school B with `classroom_b`
- partner: partner of Riverside (the district does not share with partners)
District "Hillcrest": outsider_leader and outsider_teacher with `outsider_classroom`.
"""

from dataclasses import dataclass

from districts.models import Classroom, District, Role, School, User

from .factories import (
    ClassroomFactory,
    CoachAssignmentFactory,
    DistrictFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
)


@dataclass
class Personas:
    district: District
    school: School
    school_b: School
    leader: User
    coach: User
    principal: User
    teacher: User
    other_teacher: User
    principal_b: User
    teacher_b: User
    partner: User
    classroom: Classroom
    other_classroom: Classroom
    classroom_b: Classroom
    outsider_district: District
    outsider_leader: User
    outsider_teacher: User
    outsider_classroom: Classroom


def make_personas() -> Personas:
    district = DistrictFactory(name="Riverside", slug="riverside")
    school = SchoolFactory(district=district, name="Adams Middle")
    school_b = SchoolFactory(district=district, name="Banneker Middle")

    def person(name, role, school=None, in_district=district):
        user = UserFactory(email=f"{name}@example.org", full_name=name.replace("_", " ").title())
        MembershipFactory(user=user, district=in_district, school=school, role=role)
        return user

    leader = person("leader", Role.DISTRICT_LEADER)
    coach = person("coach", Role.COACH, school)
    principal = person("principal", Role.PRINCIPAL, school)
    teacher = person("teacher", Role.TEACHER, school)
    other_teacher = person("other_teacher", Role.TEACHER, school)
    principal_b = person("principal_b", Role.PRINCIPAL, school_b)
    teacher_b = person("teacher_b", Role.TEACHER, school_b)
    partner = person("partner", Role.PARTNER)
    CoachAssignmentFactory(district=district, coach=coach, teacher=teacher)

    outsider_district = DistrictFactory(name="Hillcrest", slug="hillcrest")
    outsider_school = SchoolFactory(district=outsider_district, name="Hillcrest Middle")
    outsider_leader = person("outsider_leader", Role.DISTRICT_LEADER, in_district=outsider_district)
    outsider_teacher = person("outsider_teacher", Role.TEACHER, outsider_school, in_district=outsider_district)
    return Personas(
        district=district,
        school=school,
        school_b=school_b,
        leader=leader,
        coach=coach,
        principal=principal,
        teacher=teacher,
        other_teacher=other_teacher,
        principal_b=principal_b,
        teacher_b=teacher_b,
        partner=partner,
        classroom=ClassroomFactory(school=school, teacher=teacher, name="Math 7A"),
        other_classroom=ClassroomFactory(school=school, teacher=other_teacher, name="Math 7B"),
        classroom_b=ClassroomFactory(school=school_b, teacher=teacher_b, name="Math 8A"),
        outsider_district=outsider_district,
        outsider_leader=outsider_leader,
        outsider_teacher=outsider_teacher,
        outsider_classroom=ClassroomFactory(school=outsider_school, teacher=outsider_teacher, name="Math 6"),
    )
