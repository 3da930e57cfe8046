"""Fund pages, one module an entity. Applications are fetched through get_application_for
(another worker's bid is 404) and cases through get_case_for; every write goes through
enterprise_fund.services."""
