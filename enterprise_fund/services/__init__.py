"""Writes to the fund, one module an entity: the fund and its ledger (funds), drafts and
submission (applications), attachments, assessments, decisions (separation of duties and the
second approval), payments, and the follow-up of a funded business (follow_up).

The specialist drafts a bid with the client; submission locks its content; managers who are
neither its submitter nor the case's specialist assess and decide it; an award takes the fund
row lock (funds.fund_award), and an award above the threshold needs two managers. What only
the legacy importer may write is apart, in enterprise_fund.legacy.
"""
