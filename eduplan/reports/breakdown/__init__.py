"""The 任务分解表 (task breakdown table) as xlsx, both ways.

For the CLI and other callers:
- ``export.write_breakdown(plan, path_or_stream, tasks=None, progress=None)`` writes it;
  ``progress(done, total)`` is called as task rows are written, ending with (total, total).
- ``importing.read_breakdown(path_or_stream, plan)`` reads an edited copy and checks it
  without writing: ``.problems`` (``CellProblem``: sheet, row, column, message; ``str()`` is
  one line), ``.changes`` (``RowChange``, with ``.details`` in words), ``.unchanged``, ``.notes``.
  It raises ``EduplanError`` (E601–E603) for a file that is not a readable breakdown table, and
  E115–E118 for an archive that inflates past the cap of ``eduplan.plan.safezip`` or is malformed.
- ``importing.apply_breakdown(reading, user=, today=)`` saves a clean reading in one transaction
  (E629 if it has problems).
"""
