"""The fund's pages (managers): its overview and ledger, setting it up, changing its total."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core import once
from core.money import format_pounds, pounds_for_input
from core.utils import add_service_errors
from enterprise_fund.forms.funds import FundAdjustForm, FundCreateForm
from enterprise_fund.selectors import applications_awaiting, current_fund, fund_overview, ledger
from enterprise_fund.services import funds
from enterprise_fund.views.common import PAGE_SIZE, threshold, user_of

#: Applications waiting for a decision listed on the fund's page, oldest first.
AWAITING_SHOWN = 10


def fund_page(request: HttpRequest) -> HttpResponse:
    fund = current_fund()
    if fund is None:
        return render(request, "enterprise_fund/fund_overview.html", {"fund": None})
    page = Paginator(ledger(fund), PAGE_SIZE).get_page(request.GET.get("page"))
    awaiting = applications_awaiting(user_of(request))
    return render(
        request,
        "enterprise_fund/fund_overview.html",
        {
            "fund": fund,
            "overview": fund_overview(fund),
            "ledger_page": page,
            # The oldest few: the applications list has them all.
            "awaiting": awaiting[:AWAITING_SHOWN],
            "awaiting_count": awaiting.count(),
            "threshold": threshold(),
        },
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def fund_create(request: HttpRequest) -> HttpResponse:
    if current_fund() is not None:
        messages.info(request, "The fund is already set up. Change its total here.")
        return redirect("enterprise_fund:fund-adjust")
    form = FundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = funds.fund_create(
                name=data["name"], total_pence=data["total"], by=user_of(request)
            )
            funds.fund_set_details(
                fund=fund,
                name=data["name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                by=user_of(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{fund.name} set up with {format_pounds(fund.total_pence)}.")
            return redirect("enterprise_fund:fund")
    return render(request, "enterprise_fund/fund_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def fund_adjust(request: HttpRequest) -> HttpResponse:
    fund = current_fund()
    if fund is None:
        messages.info(request, "Set up the fund first.")
        return redirect("enterprise_fund:fund-create")
    form = FundAdjustForm(
        request.POST or None, initial={"total": pounds_for_input(fund.total_pence)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            fund = funds.fund_set_total(
                fund=fund,
                total_pence=form.cleaned_data["total"],
                reason=form.cleaned_data["reason"],
                by=user_of(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The fund's total is now {format_pounds(fund.total_pence)}, with "
                f"{format_pounds(fund.remaining_pence)} left to award.",
            )
            return redirect("enterprise_fund:fund")
    return render(request, "enterprise_fund/fund_adjust.html", {"form": form, "fund": fund})
