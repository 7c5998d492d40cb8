from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "egov.organisations"
    label = "organisations"
    verbose_name = "Cơ quan và cán bộ"
