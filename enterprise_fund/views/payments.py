"""Recording a payment out of an award."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core import once
from core.audit import log_access
from core.money import format_pounds
from core.utils import add_service_errors
from enterprise_fund.forms.payments import PaymentForm
from enterprise_fund.models import FundApplication
from enterprise_fund.selectors import get_application_for
from enterprise_fund.services import payments
from enterprise_fund.views.common import back_to_application, user_of


@require_http_methods(["GET", "POST"])
@once.create_view
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    if application.status != FundApplication.Status.APPROVED:
        return back_to_application(
            request, application, "Only an approved application can be paid."
        )
    log_access(request, "case", [application.case_id])
    form = PaymentForm(
        request.POST or None,
        request.FILES or None,
        application=application,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            payment = payments.fund_payment_record(
                application=application, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Payment of {format_pounds(payment.amount_pence)} to {payment.payee_name} "
                "recorded.",
            )
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return render(
        request, "enterprise_fund/payment_form.html", {"application": application, "form": form}
    )
