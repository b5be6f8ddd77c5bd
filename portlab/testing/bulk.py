"""Bulk actions of the worklists: each ticked test is checked on its own; those that pass are
done (a batch of decisions under one signature), the others come back with their reason."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.accounts.signatures import Credential
from portlab.core.errors import ApplicationError
from portlab.testing import selectors, services
from portlab.testing.models import Review, Test


@dataclass(frozen=True)
class Refusal:
    """A ticked test that was not done: how the page names it, and why."""

    test: str
    reason: str


def test_label(test: Test) -> str:
    """How a list names a test to people: its sample and test item."""
    return f"{test.sample.number} · {test.test_item.name}"


def ticked_tests(user: User, ticked: Iterable[tuple[int, int]]
                 ) -> tuple[list[services.Seen], list[Refusal]]:
    """The ticked (test id, version seen) among the tests the user may see; one that is not
    (another lab's, or gone) is refused as not found, without saying whose it is."""
    seen, refused = [], []
    for test_id, version in ticked:
        try:
            seen.append(services.Seen(selectors.test_get(user, test_id), version))
        except ApplicationError:
            refused.append(Refusal(_("Test %s") % test_id, _("Not found.")))
    return seen, refused


def tests_assign_bulk(*, actor: User, seen: list[services.Seen], analyst: User | None
                      ) -> tuple[list[Test], list[Refusal]]:
    """Give each ticked test to `analyst`, each on its own: a refused one leaves the others."""
    if analyst is None:
        raise ApplicationError(_("Choose the analyst to assign the tests to."), field="analyst")
    done, refused = [], []
    for item in seen:
        try:
            done.append(services.test_assign(actor=actor, test=item.test, analyst=analyst,
                                              expected_version=item.version))
        except ApplicationError as error:
            refused.append(Refusal(test_label(item.test), error.message))
    return done, refused


def tests_decide_bulk(*, actor: User, seen: list[services.Seen], stage: str, decision: str,
                      comment: str = "", credential: Credential | None = None
                      ) -> tuple[list[Test], list[Refusal]]:
    """Review or approve the ticked tests: each is checked first (guard, QC gate, version
    seen); those that pass are decided together under one signature, the others refused."""
    passing, refused = [], []
    for item in seen:
        try:
            services.guard_test_decision(actor=actor, item=item, stage=stage, decision=decision)
        except ApplicationError as error:
            refused.append(Refusal(test_label(item.test), error.message))
        else:
            passing.append(item)
    if not passing:
        return [], refused
    decide = services.tests_review if stage == Review.Stage.REVIEW else services.tests_approve
    done = decide(actor=actor, seen=passing, decision=decision, comment=comment,
                  credential=credential)
    return done, refused
