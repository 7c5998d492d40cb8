from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PolicyConfig(AppConfig):
    name = "egov.policy"
    label = "policy"
    verbose_name = "Phân quyền"

    def ready(self) -> None:
        # Every app declares its rules in its own policy.py; load them all once.
        autodiscover_modules("policy")
