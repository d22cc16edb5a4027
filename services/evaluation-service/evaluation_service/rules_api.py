"""The rules the console explains, served from domain.py so the browser never holds a copy (issue 19).

- ``GET /api/v1/evaluations/rules/rating-matrix``: results rating × behaviour rating → the employee's
  predicate (PermenPANRB 6/2022), ``domain.MATRIX`` through ``domain.predicate_for``;
- ``GET /api/v1/evaluations/rules/distribution?predicate=&size=``: the SE MenPANRB 03/2023 rules of an
  organisational predicate (every one without ``predicate``) and, for a unit of ``size`` people, each
  rule's bound in people under the deployment's rounding policy (EVALUATION_DISTRIBUTION_ROUNDING),
  computed by ``domain.check_distribution`` itself.

Everyone signed in reads them. The answers change only with a release or the rounding setting, so
they carry an ``ETag`` (``If-None-Match`` → 304) and ``Cache-Control: private, max-age``. The texts
people read stay in the browser, in Bahasa Indonesia; these answers hold codes and numbers.
"""

from __future__ import annotations

import hashlib
import json

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from kinerja_shared.errors import PreconditionFailed
from kinerja_shared.web.app_factory import runtime
from kinerja_shared.web.docs import errors as _errors

from . import domain

MAX_AGE_SECONDS = 3600
MAX_UNIT_SIZE = 5000

rules_blp = Blueprint(
    "rules",
    __name__,
    url_prefix="/api/v1/evaluations/rules",
    description="The rating matrix and the distribution rules, as the service applies them.",
)


class RatingMatrixOut(Schema):
    ratings = fields.List(fields.String(), metadata={"description": "The ratings, best first: above, meets, below"})
    predicates = fields.List(fields.String(), metadata={"description": "The employee predicates, best first"})
    matrix = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.String()),
        metadata={"description": "results rating -> behaviour rating -> employee predicate"},
    )


class DistributionQuery(Schema):
    predicate = fields.String(
        validate=validate.OneOf(domain.ORG_PREDICATES),
        metadata={"description": "An organisational predicate; every one when omitted"},
    )
    size = fields.Integer(
        validate=validate.Range(min=1, max=MAX_UNIT_SIZE),
        metadata={"description": "People with a predicate in the unit; without it no bounds in people"},
    )


class RuleBoundOut(Schema):
    code = fields.String()
    predicates = fields.List(fields.String(), metadata={"description": "The employee predicates the rule counts"})
    kind = fields.String(metadata={"description": "at_most, at_least (percent), at_least_count (people) or none"})
    value = fields.Integer(metadata={"description": "The percent (at_most, at_least) or the people (at_least_count)"})
    rule = fields.String(metadata={"description": "The rule in words (English)"})
    exact = fields.Float(allow_none=True, metadata={"description": "value % of size before rounding (percent rules)"})
    bound = fields.Integer(
        allow_none=True,
        metadata={
            "description": "People allowed at most (at_most, none) or required at least (at_least, at_least_count) "
            "in a unit of size, under the rounding policy; null without size"
        },
    )


class OrgPredicateRulesOut(Schema):
    organisational_predicate = fields.String()
    rules = fields.List(fields.Nested(RuleBoundOut))


class DistributionRulesOut(Schema):
    rounding_policy = fields.String(metadata={"description": "EVALUATION_DISTRIBUTION_ROUNDING: literal or nearest"})
    size = fields.Integer(allow_none=True)
    organisational_predicates = fields.List(fields.Nested(OrgPredicateRulesOut))


def rating_matrix_view() -> dict:
    """The matrix as the service applies it (domain.predicate_for on every pair of ratings)."""
    return {
        "ratings": list(domain.RATINGS),
        "predicates": list(domain.PREDICATES),
        "matrix": {r: {b: domain.predicate_for(r, b) for b in domain.RATINGS} for r in domain.RATINGS},
    }


def distribution_view(predicate: str | None, size: int | None, rounding: str) -> dict:
    """Each rule of the organisational predicate(s) with its bound in a unit of ``size`` people: the limits
    domain.check_distribution computes (they depend on the unit's size only, not on who holds what)."""
    answer = []
    for org in [predicate] if predicate else domain.ORG_PREDICATES:
        checks = domain.check_distribution(org, [domain.SANGAT_BAIK] * size, rounding).checks if size else ()
        by_code = {check.rule.code: check for check in checks}
        rules = []
        for rule in domain.DISTRIBUTION_RULES[org]:
            check = by_code.get(rule.code)
            rules.append(
                {
                    "code": rule.code,
                    "predicates": list(rule.predicates),
                    "kind": rule.kind,
                    "value": rule.value,
                    "rule": rule.describe(),
                    "exact": check.exact if check else None,
                    "bound": check.limit if check else None,
                }
            )
        answer.append({"organisational_predicate": org, "rules": rules})
    return {"rounding_policy": rounding, "size": size, "organisational_predicates": answer}


def cacheable(schema: Schema, data: dict):
    """The answer with a strong ETag of its content and Cache-Control; 304 when If-None-Match holds it.

    Only the validators a client of these read-only rules sends are honoured (If-None-Match, and If-Match: a
    412 problem when it does not hold the ETag); no ranges, so every other answer is the whole document."""
    body = json.dumps(schema.dump(data), ensure_ascii=False, sort_keys=True)
    tag = hashlib.sha256(body.encode()).hexdigest()[:32]
    if request.if_match and not request.if_match.contains(tag):
        raise PreconditionFailed("If-Match does not hold the current ETag of these rules; read them again.")
    not_modified = request.if_none_match.contains(tag)
    response = current_app.response_class(
        None if not_modified else body, status=304 if not_modified else 200, mimetype="application/json"
    )
    response.set_etag(tag)
    response.headers["Cache-Control"] = f"private, max-age={MAX_AGE_SECONDS}"
    return response


@rules_blp.route("/rating-matrix")
@rules_blp.response(200, RatingMatrixOut, headers={"ETag": {"schema": {"type": "string"}}})
@rules_blp.alt_response(304, description="Not modified: If-None-Match holds the current ETag")
@_errors(rules_blp)
def rating_matrix():
    """The rating matrix (PermenPANRB 6/2022): results rating × behaviour rating → the employee's
    predicate, for everyone's help screens and the rater's form. Cacheable (ETag, Cache-Control)."""
    return cacheable(RatingMatrixOut(), rating_matrix_view())


@rules_blp.route("/distribution")
@rules_blp.arguments(DistributionQuery, location="query")
@rules_blp.response(200, DistributionRulesOut, headers={"ETag": {"schema": {"type": "string"}}})
@rules_blp.alt_response(304, description="Not modified: If-None-Match holds the current ETag")
@_errors(rules_blp, (422, "Bad predicate or size"))
def distribution_rules(args):
    """The SE MenPANRB 03/2023 distribution rules of an organisational predicate (every one without
    ``predicate``) and, for a unit of ``size`` people, each rule's bound in people under the deployment's
    rounding policy (EVALUATION_DISTRIBUTION_ROUNDING), as calibration checks them. Cacheable."""
    rounding = runtime().config.distribution_rounding
    return cacheable(DistributionRulesOut(), distribution_view(args.get("predicate"), args.get("size"), rounding))
