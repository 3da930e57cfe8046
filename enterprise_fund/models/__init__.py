"""The enterprise fund: a pot of money, bids against it and the ledger of what moved.

Every model is imported here so that Django finds them, and because other apps and the
migrations name them `enterprise_fund.models.X`.
"""

# Imported in the order the models were first declared: the registry's order decides the
# order of each model's reverse relations, which the erasure and subject-access walks follow.
# isort: off
from enterprise_fund.models.funds import Fund
from enterprise_fund.models.applications import FundApplication
from enterprise_fund.models.ledger import LedgerEntry
from enterprise_fund.models.budget import BudgetItem
from enterprise_fund.models.attachments import Attachment
from enterprise_fund.models.assessments import CRITERIA, Assessment
from enterprise_fund.models.decisions import Decision
from enterprise_fund.models.payments import Payment
from enterprise_fund.models.follow_up import IncomeReport

# isort: on

__all__ = [
    "CRITERIA",
    "Assessment",
    "Attachment",
    "BudgetItem",
    "Decision",
    "Fund",
    "FundApplication",
    "IncomeReport",
    "LedgerEntry",
    "Payment",
]
