"""The brand page: company name, logo and two colours for every deck built
from now on. CX leads only."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cxplan.core.access import roles_required
from cxplan.core.roles import CX_LEAD
from deck.brand import LOGO_MAX_BYTES, brand_get, brand_set


class BrandForm(forms.Form):
    company_name = forms.CharField(max_length=120, required=False)
    primary_colour = forms.RegexField(
        regex=r"^#[0-9A-Fa-f]{6}$",
        error_messages={"invalid": "A colour as #RRGGBB, e.g. #0072B2."},
        help_text="Titles",
    )
    accent_colour = forms.RegexField(
        regex=r"^#[0-9A-Fa-f]{6}$",
        error_messages={"invalid": "A colour as #RRGGBB, e.g. #E69F00."},
        help_text="The bar on every slide",
    )
    logo = forms.FileField(required=False, help_text="PNG or JPEG, at most 512 KB")
    remove_logo = forms.BooleanField(required=False)


@roles_required(CX_LEAD)
def brand_edit(request):
    brand = brand_get()
    status = 200
    if request.method == "POST":
        form = BrandForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["logo"]
            logo = None
            if upload is not None:
                logo = upload.read(LOGO_MAX_BYTES + 1)
            try:
                brand_set(
                    actor=request.user,
                    company_name=form.cleaned_data["company_name"],
                    primary_colour=form.cleaned_data["primary_colour"],
                    accent_colour=form.cleaned_data["accent_colour"],
                    logo=logo,
                    remove_logo=form.cleaned_data["remove_logo"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Brand saved: the next deck carries it.")
                return redirect("deck-brand")
        status = 400
    else:
        form = BrandForm(
            initial={
                "company_name": brand.company_name,
                "primary_colour": brand.primary_colour,
                "accent_colour": brand.accent_colour,
            }
        )
    return render(
        request,
        "deck/brand.html",
        {"form": form, "brand": brand, "has_logo": bool(brand.logo)},
        status=status,
    )
