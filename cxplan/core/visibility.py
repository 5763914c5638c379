"""Hidden fields: which roles see which figure (the README's "Hidden fields" table).

Every page, API serializer and export that shows one of these fields asks here
instead of testing roles itself. A field a role may not see keeps its key with
the value `None` (null in JSON), so a client reads one shape for every role.
"""

from cxplan.core.roles import CX_LEAD, EXECUTIVE, roles_of

MANAGERS = (CX_LEAD, EXECUTIVE)

# field -> the roles that see it. A field not listed here is not hidden.
HIDDEN_FIELDS: dict[str, tuple[str, ...]] = {
    # A ranked theme's summed annual revenue of the unhappy customers.
    "revenue_at_risk": MANAGERS,
    # A churn driver's revenue of its customers times their excess churn.
    "measured_revenue_at_risk": MANAGERS,
    # Its normalised share of the largest theme's (a component of the score).
    "components.revenue_at_risk": MANAGERS,
    # The weighted sum of the components: with the weights and the other four
    # components public it gives the revenue share back, so it goes with it.
    "score": MANAGERS,
    # A churn-avoided driver: its benefit is customers x churn points x revenue
    # per customer x margin, and the business case (NPV, cash flows) is public,
    # so all three inputs are withheld together; otherwise one division by the
    # other two gives the revenue per customer back.
    "inputs.revenue_per_customer": MANAGERS,
    "inputs.customers_affected": MANAGERS,
    "inputs.churn_reduction_pp": MANAGERS,
    # An idea's ticket, account or call reference: customer identity.
    "evidence_customer_ref": MANAGERS,
    # An idea's summed annual revenue of the customers behind it.
    "customer_revenue": MANAGERS,
    # A feedback item's customer: name, external id and annual revenue.
    "customer": MANAGERS,
}

# Fields the user who wrote the row also sees (an advisor's own reference).
AUTHOR_SEES = frozenset({"evidence_customer_ref"})


def may_see(user, field: str, *, author=None) -> bool:
    """True when `user` may see `field` (of a row written by `author`)."""
    roles = HIDDEN_FIELDS.get(field)
    if roles is None:
        return True
    if set(roles) & roles_of(user):
        return True
    owner_id = getattr(author, "pk", author)
    return (
        field in AUTHOR_SEES
        and owner_id is not None
        and getattr(user, "pk", None) == owner_id
    )


def hidden_for(user, *, author=None) -> frozenset[str]:
    """The fields of HIDDEN_FIELDS `user` may not see; `None` for no user
    (a command run by an operator sees everything)."""
    if user is None:
        return frozenset()
    return frozenset(f for f in HIDDEN_FIELDS if not may_see(user, f, author=author))


def withhold(row: dict, hidden: frozenset[str], *, drop: bool = False) -> dict:
    """A copy of `row` with each hidden field set to None (left out with
    `drop`, for the APIs whose contract always omitted them). A dotted name
    (`components.revenue_at_risk`) reaches one level into a nested dict; the
    nested dict is copied, never changed in place."""
    out = dict(row)
    for field in hidden:
        outer, _, inner = field.partition(".")
        target, key = (out, outer) if not inner else (out.get(outer), inner)
        if not isinstance(target, dict) or key not in target:
            continue
        if inner:
            target = out[outer] = dict(target)
        if drop:
            del target[key]
        else:
            target[key] = None
    return out
