from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "egov.printing"
    label = "printing"
    verbose_name = "In biểu mẫu"
