"""Import pages (CX leads): upload, preview and map columns, watch the progress.

Step one stores the upload where its batch will keep it and shows a field
picker per column, preselected from the mapping remembered for the source, else
from the guess over its first rows (with the guess's confidence), the constants
(score type, channel, segment, the import date or a fixed date), and its first
20 rows parsed as they will be stored, problems highlighted. "Preview again"
redraws them with the choices made; "Import" creates the batch on the stored
file and sends the task. The detail page polls the progress with htmx, then
shows one status, the counts, the errors grouped by kind and a link to all of
them as CSV.
"""

import re
import uuid

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cxplan.core.access import roles_required
from cxplan.core.roles import CX_LEAD
from feedback.forms.imports import ImportMappingForm, ImportUploadForm
from feedback.intake.errors import duplicates_count, error_summary
from feedback.intake.fields import EXTRA, IGNORE
from feedback.intake.reading import FileError
from feedback.models import ImportBatch
from feedback.selectors.coverage import batch_other_language
from feedback.selectors.feedback import import_batches_recent
from feedback.selectors.import_preview import (
    import_preview,
    mapping_propose,
    preview_read,
)
from feedback.selectors.imports import column_mapping_get
from feedback.services import imports as services

SESSION_KEY = "import_staging"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@require_GET
@roles_required(CX_LEAD)
def import_list(request):
    return render(request, "imports/list.html", {"batches": import_batches_recent()})


def _stage(request, data: bytes, *, name: str, source: str, columns: list) -> str:
    token = uuid.uuid4().hex
    path = services.import_upload_stage(data=data, name=name)
    staged = request.session.get(SESSION_KEY, {})
    staged[token] = {"name": name, "source": source, "path": path, "columns": columns}
    request.session[SESSION_KEY] = staged
    return token


def _staged(request, token: str) -> dict:
    meta = request.session.get(SESSION_KEY, {}).get(token)
    # A session staged before the file was kept in place has no path: expired.
    if not _TOKEN.match(token or "") or meta is None or "path" not in meta:
        raise Http404("That upload has expired; upload the file again.")
    if not default_storage.exists(meta["path"]):
        raise Http404("That upload has expired; upload the file again.")
    return meta


def _staged_preview(meta: dict):
    with default_storage.open(meta["path"], "rb") as fh:
        return preview_read(fh.read(), max_columns=services.columns_cap())


def _unstage(request, token: str) -> None:
    # The stored file now belongs to the batch: only the session entry goes.
    staged = request.session.get(SESSION_KEY, {})
    staged.pop(token, None)
    request.session[SESSION_KEY] = staged


def _mapping_page(request, *, token, table, meta, form=None, status=200):
    columns = list(table.frame.columns)
    proposal = mapping_propose(source=meta["source"], sample=table.frame)
    plan = column_mapping_get(
        columns=columns, mapping=proposal.mapping, constants=proposal.constants
    ).plan
    initial = dict.fromkeys(plan.extra, EXTRA)
    initial.update(dict.fromkeys(plan.ignored, IGNORE))
    initial.update({column: name for name, column in plan.columns.items()})
    if form is None:
        form = ImportMappingForm(
            columns=columns,
            initial_mapping=initial,
            initial={
                "date_format": proposal.date_format,
                "skip_empty_text": proposal.skip_empty_text,
                **ImportMappingForm.initial_constants(proposal.constants),
            },
        )
    if form.is_bound and form.is_valid():
        preview = import_preview(
            table=table,
            source=meta["source"],
            mapping=form.mapping_full(),
            constants=form.constants(),
            date_format=form.cleaned_data["date_format"],
            skip_empty_text=form.cleaned_data["skip_empty_text"],
        )
    elif form.is_bound:
        preview = None
    else:
        preview = import_preview(
            table=table,
            source=meta["source"],
            mapping=proposal.mapping,
            constants=proposal.constants,
            date_format=proposal.date_format,
            skip_empty_text=proposal.skip_empty_text,
        )
    guessed = {column: name for name, column in plan.columns.items()}
    rows = [
        {
            "field": field,
            "confidence": proposal.confidence.get(guessed.get(field.label, "")),
            "samples": [
                v for v in table.frame[field.label].head(40).tolist() if v != ""
            ][:2],
        }
        for field in form.column_fields()
    ]
    context = {
        "form": form,
        "token": token,
        "meta": meta,
        "columns": rows,
        "preview": preview,
        "encoding": table.encoding,
        "delimiter": {"\t": "tab"}.get(table.delimiter, table.delimiter),
        "remembered": proposal.remembered,
    }
    return render(request, "imports/mapping.html", context, status=status)


def _too_large(request, form, size: int):
    form.add_error("file", str(services.UploadTooLarge(size, services.upload_cap())))
    return render(request, "imports/new.html", {"form": form}, status=413)


@require_http_methods(["GET", "POST"])
@roles_required(CX_LEAD)
def import_new(request):
    """GET: the upload form. POST `step=upload`: the preview; `step=start`: go."""
    if request.method == "GET":
        return render(request, "imports/new.html", {"form": ImportUploadForm()})
    if request.POST.get("step") in ("start", "preview"):
        return _start(request)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > services.upload_cap() + 64 * 1024:
        return _too_large(request, ImportUploadForm(), length)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/new.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > services.upload_cap():
        return _too_large(request, form, upload.size)
    data = upload.read()
    try:
        table = preview_read(data, max_columns=services.columns_cap())
    except FileError as exc:
        form.add_error("file", f"This file cannot be read: {exc}.")
        return render(request, "imports/new.html", {"form": form}, status=400)
    source = form.cleaned_data["source"].strip() or upload.name.rsplit(".", 1)[0]
    token = _stage(
        request,
        data,
        name=upload.name,
        source=source[:100],
        columns=[str(c) for c in table.frame.columns],
    )
    return _mapping_page(
        request,
        token=token,
        table=table,
        meta=request.session[SESSION_KEY][token],
    )


def _start(request):
    token = request.POST.get("token", "")
    meta = _staged(request, token)
    form = ImportMappingForm(request.POST, columns=meta["columns"], initial_mapping={})
    if not form.is_valid() or request.POST.get("step") == "preview":
        # Only a refused mapping or "Preview again" reads the file again.
        table = _staged_preview(meta)
        status = 200 if form.is_valid() else 400
        return _mapping_page(
            request, token=token, table=table, meta=meta, form=form, status=status
        )
    batch = services.import_batch_create(
        stored=meta["path"],
        source=meta["source"],
        user=request.user,
        mapping=form.mapping(),
        constants=form.constants(),
        date_format=form.cleaned_data["date_format"],
        skip_invalid=form.cleaned_data["skip_invalid"],
        skip_empty_text=form.cleaned_data["skip_empty_text"],
        original_name=meta["name"],
    )
    _unstage(request, token)
    messages.success(request, f"Import of {batch.original_name} started.")
    return redirect("import-detail", pk=batch.pk)


@require_GET
@roles_required(CX_LEAD)
def import_detail(request, pk: int):
    """The batch; htmx requests get only the progress part (polled while busy)."""
    batch = services.import_progress_overlay(get_object_or_404(ImportBatch, pk=pk))
    busy = batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    # A batch stored before error_summary existed is summarised here.
    summary = batch.error_summary or error_summary(batch.errors)
    context = {
        "batch": batch,
        "busy": busy,
        "summary": summary,
        "duplicates": duplicates_count(summary),
        "other_skipped": max(0, batch.rows_skipped - duplicates_count(summary)),
        "other_language": batch_other_language(batch_id=batch.pk),
    }
    if request.headers.get("HX-Request"):
        return render(request, "imports/_progress.html", context)
    return render(request, "imports/detail.html", context)
