from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "egov.jobs"
    label = "jobs"
    verbose_name = "Tác vụ nền"

    def ready(self) -> None:
        # Register the built-in and periodic jobs in every process, so the web process and the
        # worker know the same task names.
        from egov.jobs import diagnostics, schedule  # noqa: F401
