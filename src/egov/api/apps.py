from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "egov.api"
    label = "api"
    verbose_name = "API"
