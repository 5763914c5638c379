"""The strategy API under /api/v1/strategy/: thin callers of services and selectors.

Members (advisor, CX lead, executive) read everything; CX leads edit the strategy,
steps, actions and metrics; only executives sign off CEO buy-in; every role rates
competencies. Versioned records answer an ETag and honour If-Match / `version`.
"""
