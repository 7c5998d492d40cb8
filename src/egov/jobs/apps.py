from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "egov.jobs"
    label = "jobs"
    verbose_name = "Tác vụ nền"
