"""Councils and the police force areas that cover them: parents know their town, not their force."""

from django.db import models

from stats.models.reference import Geography


class LocalAuthority(models.Model):
    code = models.CharField("ONS/GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    police_force_area = models.ForeignKey(
        Geography,
        on_delete=models.PROTECT,
        related_name="local_authorities",
        limit_choices_to={"level": Geography.Level.POLICE_FORCE_AREA},
    )
    other_names = models.CharField(
        max_length=300,
        blank=True,
        help_text="Older district or community safety partnership names people still use, separated by semicolons.",
    )

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
