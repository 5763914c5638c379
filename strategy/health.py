"""The strategy health check: one pure rule per way CX strategies tend to fail.

Rules read a `HealthFacts` (plain data gathered by `selectors.health_facts()`) and
answer `(ok, details)`; `run_checks()` turns them into the API/page shape
`{"key", "title", "ok", "explanation", "fix_url", "details"}`. No ORM here, so each
rule is tested with hand-made facts as well as through the API.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# Initiatives that are meant to be moving: they need people and money.
ACTIVE_STATUSES = ("approved", "in_progress")
# Everything still on the table or done (not rejected).
LIVE_STATUSES = ("proposed", "approved", "deferred", "in_progress", "shipped")
# Metrics that measure what customers experience, not internal efficiency.
OUTCOME_METRIC_KINDS = ("nps", "csat", "churn")


@dataclass(frozen=True)
class InitiativeFact:
    id: int
    title: str
    status: str
    is_technology: bool = False
    has_owner: bool = False
    themes: int = 0
    ideas: int = 0
    funded: bool = False


@dataclass(frozen=True)
class MetricFact:
    name: str
    kind: str
    has_target: bool


@dataclass(frozen=True)
class ActionFact:
    title: str
    team: str


@dataclass(frozen=True)
class HealthFacts:
    initiatives: list[InitiativeFact] = field(default_factory=list)
    metrics: list[MetricFact] = field(default_factory=list)
    actions: list[ActionFact] = field(default_factory=list)
    advisor_ideas: int = 0
    advisor_ratings: int = 0


Result = tuple[bool, list[str]]


def strategy_by_technology(facts: HealthFacts) -> Result:
    """Tools bought for their own sake: technology initiatives with no theme."""
    bad = [
        i.title
        for i in facts.initiatives
        if i.status in LIVE_STATUSES and i.is_technology and i.themes == 0
    ]
    return not bad, bad


def no_people_or_money(facts: HealthFacts) -> Result:
    """Approved or running initiatives without an owner or without funding."""
    details = []
    for i in facts.initiatives:
        if i.status not in ACTIVE_STATUSES:
            continue
        missing = [
            word
            for word, absent in (("owner", not i.has_owner), ("funding", not i.funded))
            if absent
        ]
        if missing:
            details.append(f"{i.title}: no {' and no '.join(missing)}")
    return not details, details


def no_definition_of_success(facts: HealthFacts) -> Result:
    """At least one success metric must carry a target."""
    with_target = [m for m in facts.metrics if m.has_target]
    if with_target:
        return True, []
    if not facts.metrics:
        return False, ["No success metric is defined."]
    return False, [f"{m.name}: no target" for m in facts.metrics]


def front_line_not_involved(facts: HealthFacts) -> Result:
    """Advisors must have contributed ideas and rated the competencies."""
    details = []
    if facts.advisor_ideas == 0:
        details.append("No idea submitted by an advisor.")
    if facts.advisor_ratings == 0:
        details.append("No competency rated by an advisor.")
    return not details, details


def productivity_only_metrics(facts: HealthFacts) -> Result:
    """Metrics exist but none measures a customer outcome (NPS, CSAT, churn)."""
    if not facts.metrics:
        return True, []
    if any(m.kind in OUTCOME_METRIC_KINDS for m in facts.metrics):
        return True, []
    return False, [f"{m.name} ({m.kind})" for m in facts.metrics]


def silos(facts: HealthFacts) -> Result:
    """Two or more actions with a team, all owned by the same team."""
    teams = [a.team.strip() for a in facts.actions if a.team.strip()]
    distinct = {t.casefold() for t in teams}
    if len(teams) >= 2 and len(distinct) == 1:
        return False, [f"All {len(teams)} actions with a team belong to {teams[0]}."]
    return True, []


def evidence_free_pet_projects(facts: HealthFacts) -> Result:
    """Initiatives linked to no theme and no advisor idea: no customer evidence."""
    bad = [
        i.title
        for i in facts.initiatives
        if i.status in LIVE_STATUSES and i.themes == 0 and i.ideas == 0
    ]
    return not bad, bad


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    explanation: str
    fix: str  # a URL name; the selector resolves it (or falls back to the page)
    check: Callable[[HealthFacts], Result]


RULES: tuple[Rule, ...] = (
    Rule(
        "strategy_by_technology",
        "Strategy by technology",
        "A tool is not a strategy. Every technology initiative should answer a "
        "theme customers raised; link it to one or drop it.",
        "initiative-list",
        strategy_by_technology,
    ),
    Rule(
        "no_people_or_money",
        "No dedicated people or money",
        "Approved work without a named owner and a funding allocation does not "
        "move. Give each approved initiative both.",
        "funding-plan",
        no_people_or_money,
    ),
    Rule(
        "no_definition_of_success",
        "No definition of success",
        "Without a metric that has a target nobody can say whether the strategy "
        "worked. Set a target on at least one success metric.",
        "strategy",
        no_definition_of_success,
    ),
    Rule(
        "front_line_not_involved",
        "Front line not involved",
        "The people who talk to customers every day know what is broken. Ask "
        "advisors for ideas and for their rating of the competencies.",
        "idea-list",
        front_line_not_involved,
    ),
    Rule(
        "productivity_only_metrics",
        "Old productivity-only metrics",
        "Handle time and cost per contact reward getting customers off the phone, "
        "not helping them. Track at least one customer outcome: NPS, CSAT or churn.",
        "strategy",
        productivity_only_metrics,
    ),
    Rule(
        "silos",
        "Silos",
        "When one team owns every action, the rest of the company treats the "
        "customer as that team's problem. Spread the actions across teams.",
        "strategy",
        silos,
    ),
    Rule(
        "evidence_free_pet_projects",
        "Evidence-free pet projects",
        "Initiatives with no theme and no advisor idea behind them rest on "
        "opinion. Link each to the feedback that justifies it.",
        "initiative-list",
        evidence_free_pet_projects,
    ),
)

FIX_ANCHORS = {
    "no_definition_of_success": "#metrics",
    "productivity_only_metrics": "#metrics",
    "silos": "#actions",
}


def run_checks(
    facts: HealthFacts, *, resolve: Callable[[str], str | None]
) -> list[dict]:
    """Run every rule; `resolve(url_name)` answers a path or None when not routed."""
    fallback = resolve("strategy") or "/"
    out = []
    for rule in RULES:
        ok, details = rule.check(facts)
        url = resolve(rule.fix) or fallback
        if rule.fix == "strategy":
            url += FIX_ANCHORS.get(rule.key, "")
        out.append(
            {
                "key": rule.key,
                "title": rule.title,
                "ok": ok,
                "explanation": rule.explanation,
                "fix_url": url,
                "details": details,
            }
        )
    return out
