from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "egov.operations"
    label = "operations"
    verbose_name = "Vận hành"
