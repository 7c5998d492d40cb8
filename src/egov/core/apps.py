from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "egov.core"
    label = "core"
    verbose_name = "Nền tảng"

    def ready(self) -> None:
        from egov.core.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="egov_fold_sqlite")
