from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "egov.assignments"
    label = "assignments"
    verbose_name = "Nhiệm vụ, chỉ đạo điều hành"
