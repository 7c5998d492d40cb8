from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "egov.portal"
    label = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from egov.organisations.models import Agency
        from egov.portal.selectors import forget_city_committee

        post_save.connect(forget_city_committee, sender=Agency, dispatch_uid="portal-committee")
        post_delete.connect(forget_city_committee, sender=Agency, dispatch_uid="portal-committee")
