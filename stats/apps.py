from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_delete, post_save

        from stats import checks  # noqa: F401 - registers the deployment checks
        from stats.models import Release
        from stats.versions import forget_version

        # The two things the data's version is made of (stats/versions.py).
        for model in (Release, LogEntry):
            post_save.connect(forget_version, sender=model, dispatch_uid=f"forget-version-{model.__name__}")
            post_delete.connect(forget_version, sender=model, dispatch_uid=f"forget-version-{model.__name__}-deleted")
