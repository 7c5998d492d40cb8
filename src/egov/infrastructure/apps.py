from django.apps import AppConfig


class InfrastructureConfig(AppConfig):
    name = "egov.infrastructure"
    label = "infrastructure"
    verbose_name = "Hạ tầng CNTT"
