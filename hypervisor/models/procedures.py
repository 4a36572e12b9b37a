"""Operator procedures (checklists with branches) attached to alarm kinds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _localised(fr: str, en: str) -> str:
    return en if (get_language() or "fr").startswith("en") and en else fr


class Procedure(models.Model):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    alarm_kind = models.SlugField(_("alarm kind"), max_length=80, unique=True)
    title_fr = models.CharField(_("French title"), max_length=160)
    title_en = models.CharField(_("English title"), max_length=160, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _localised(self.title_fr, self.title_en)


class ProcedureStep(models.Model):
    """A step: a check to tick, a yes/no question that branches, or an action to run."""

    class Kind(models.TextChoices):
        CHECK = "check", _("Check")
        QUESTION = "question", _("Question (yes/no)")
        ACTION = "action", _("Action")
        END = "end", _("End")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text_fr = models.CharField(_("French text"), max_length=300)
    text_en = models.CharField(_("English text"), max_length=300, blank=True)
    action = models.CharField(
        _("action"), max_length=60, blank=True, help_text=_("For action steps: what runs.")
    )
    answer_from_payload = models.CharField(
        _("answered by the alarm"),
        max_length=60,
        blank=True,
        help_text=_("For questions: a key of the alarm's data that answers it by itself."),
    )
    next_step = models.SlugField(_("next step"), max_length=60, blank=True)
    next_if_yes = models.SlugField(_("next if yes"), max_length=60, blank=True)
    next_if_no = models.SlugField(_("next if no"), max_length=60, blank=True)

    class Meta:
        ordering = ["procedure", "order"]
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "code"], name="procedure_step_code")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code}/{self.code}"

    @property
    def text(self) -> str:
        return _localised(self.text_fr, self.text_en)


class ProcedureRun(models.Model):
    """One alarm being handled through one procedure; each answered step is recorded."""

    alarm = models.OneToOneField("hypervisor.Alarm", on_delete=models.CASCADE, related_name="run")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    current_step = models.SlugField(max_length=60, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("procedure run")
        verbose_name_plural = _("procedure runs")

    def __str__(self) -> str:
        return f"{self.procedure.code} for alarm {self.alarm_id}"


class StepRecord(models.Model):
    run = models.ForeignKey(ProcedureRun, on_delete=models.CASCADE, related_name="records")
    step = models.ForeignKey(ProcedureStep, on_delete=models.PROTECT)
    answer = models.CharField(max_length=10, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("step record")
        verbose_name_plural = _("step records")

    def __str__(self) -> str:
        return f"{self.step} → {self.answer or 'done'}"
