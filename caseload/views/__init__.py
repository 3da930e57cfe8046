"""Case pages, one module per entity. Every case is fetched through get_case_for, so
another worker's case is 404."""
