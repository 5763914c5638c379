"""Import pages (CX leads): upload, preview and map columns, watch the progress.

Step one stores the upload where its batch will keep it and shows its first
rows with a field picker per column (preselected from the mapping remembered for
the source). Step two creates the batch on that stored file and sends the task;
the detail page polls its progress with htmx until the batch is done, then lists
the bad rows. The file is read once per step: the preview at the upload, none
at the start (its columns wait in the session), all of it in the task.
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
from feedback.intake.fields import EXTRA, IGNORE
from feedback.intake.reading import FileError, read_table
from feedback.models import ImportBatch
from feedback.selectors.feedback import import_batches_recent
from feedback.selectors.imports import column_mapping_get
from feedback.services import imports as services

PREVIEW_ROWS = 5
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
        return read_table(fh.read(), nrows=PREVIEW_ROWS)


def _unstage(request, token: str) -> None:
    # The stored file now belongs to the batch: only the session entry goes.
    staged = request.session.get(SESSION_KEY, {})
    staged.pop(token, None)
    request.session[SESSION_KEY] = staged


def _mapping_page(request, *, token, table, meta, form=None, status=200):
    columns = list(table.frame.columns)
    filled = column_mapping_get(source=meta["source"], columns=columns)
    plan = filled.plan
    initial = dict.fromkeys(plan.extra, EXTRA)
    initial.update(dict.fromkeys(plan.ignored, IGNORE))
    initial.update({column: name for name, column in plan.columns.items()})
    if form is None:
        form = ImportMappingForm(
            columns=columns,
            initial_mapping=initial,
            initial={"date_format": filled.date_format},
        )
    context = {
        "form": form,
        "token": token,
        "meta": meta,
        "columns": columns,
        "preview": table.frame.head(PREVIEW_ROWS).values.tolist(),
        "encoding": table.encoding,
        "delimiter": {"\t": "tab"}.get(table.delimiter, table.delimiter),
        "remembered": filled.remembered,
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
    if request.POST.get("step") == "start":
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
        table = read_table(data, nrows=PREVIEW_ROWS, max_columns=services.columns_cap())
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
    if not form.is_valid():
        # Only a refused mapping reads the file again, for the preview.
        table = _staged_preview(meta)
        return _mapping_page(
            request, token=token, table=table, meta=meta, form=form, status=400
        )
    batch = services.import_batch_create(
        stored=meta["path"],
        source=meta["source"],
        user=request.user,
        mapping=form.mapping(),
        date_format=form.cleaned_data["date_format"],
        skip_invalid=form.cleaned_data["skip_invalid"],
        original_name=meta["name"],
    )
    _unstage(request, token)
    messages.success(request, f"Import of {batch.original_name} started.")
    return redirect("import-detail", pk=batch.pk)


@require_GET
@roles_required(CX_LEAD)
def import_detail(request, pk: int):
    """The batch; htmx requests get only the progress part (polled while busy)."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    busy = batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    context = {"batch": batch, "busy": busy}
    if request.headers.get("HX-Request"):
        return render(request, "imports/_progress.html", context)
    return render(request, "imports/detail.html", context)
