"""What an idea is worth: the distinct customers behind it and their revenue.

The customers behind an idea are those attached to it (`Idea.customers`) and
the customers of the feedback items attached to it (`Idea.items`), each counted
once. Both figures are annotations (one correlated subquery each), so a list of
ideas costs no extra query per row and can be ordered by them in SQL.
"""

from django.db.models import DecimalField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from feedback.models import Customer, FeedbackItem, Idea

# The API's `ordering` values and the columns they sort on (newest breaks ties).
ORDERINGS = {
    "votes": ("vote_count", "-created_at", "-id"),
    "-votes": ("-vote_count", "-created_at", "-id"),
    "customer_revenue": ("customer_revenue", "-created_at", "-id"),
    "-customer_revenue": ("-customer_revenue", "-created_at", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}
# Orderings that reveal revenue: only for those who may see `customer_revenue`.
REVENUE_ORDERINGS = frozenset({"customer_revenue", "-customer_revenue"})


def _behind_sql() -> str:
    """SQL of the ids of the distinct customers behind the outer idea row."""
    idea = Idea._meta.db_table
    named = Idea.customers.through._meta.db_table
    via = Idea.items.through._meta.db_table
    item = FeedbackItem._meta.db_table
    # Only the models' own table names go in: no value from a request (bandit
    # B608/B611 reviewed).
    return (
        f"SELECT n.customer_id FROM {named} n WHERE n.idea_id = {idea}.id "  # nosec B608
        f"UNION SELECT i.customer_id FROM {via} v "
        f"JOIN {item} i ON i.id = v.feedbackitem_id "
        f"WHERE v.idea_id = {idea}.id AND i.customer_id IS NOT NULL"
    )


def ideas_value_annotate(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """`qs` with `customer_count` (distinct customers behind each idea) and
    `customer_revenue` (the sum of their annual revenue; unknown counts 0)."""
    customer = Customer._meta.db_table
    behind = _behind_sql()
    return qs.annotate(
        customer_count=RawSQL(  # nosec B611
            f"SELECT COUNT(*) FROM {customer} c WHERE c.id IN ({behind})",  # nosec B608
            (),
            output_field=IntegerField(),
        ),
        customer_revenue=RawSQL(  # nosec B611
            f"SELECT COALESCE(SUM(c.annual_revenue), 0) FROM {customer} c "  # nosec B608
            f"WHERE c.id IN ({behind})",
            (),
            output_field=DecimalField(max_digits=18, decimal_places=2),
        ),
    )
