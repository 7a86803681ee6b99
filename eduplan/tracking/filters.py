"""Task filters shared by the task list page and the API."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Measure, Task


def search_tasks(tasks: QuerySet[Task], word: str) -> QuerySet[Task]:
    """Tasks whose title, number or one of whose current measures contains ``word``."""
    word = word.strip()
    if not word:
        return tasks
    in_measures = Measure.objects.filter(task=OuterRef("pk"), removed_in_version__isnull=True, text__icontains=word)
    return tasks.filter(Q(title__icontains=word) | Q(number__icontains=word) | Q(Exists(in_measures)))
