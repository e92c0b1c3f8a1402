"""Reading the plan (``plans.queries.plan_for``): one query per relation, each seeing the
database as it is when it runs, so the reads must agree even when someone writes in between."""

from __future__ import annotations

from typing import Any

from django.db import connection

from alongside import access
from alongside.audit.log import Actor
from alongside.organisations.models import Role
from alongside.plans import services
from alongside.plans.models import Origin
from alongside.plans.queries import plan_for
from tests.personas import Persona, World


def test_a_goal_written_while_the_plan_is_read_is_left_out_not_an_error(world: World) -> None:
    me = Actor(world.users[Persona.P1], "person")
    staff = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    own = services.add_goal(me, world.p1, text="Before", origin=Origin.PERSON)
    services.add_step(me, own, text="First step", who_helps="Kim")
    grant = access.resolve_access(world.users[Persona.P1], world.p1.pk)
    assert grant is not None
    before = [view.goal.text for view in plan_for(grant).goals]
    assert "Before" in before
    written: list[str] = []

    def write_after_the_goals_are_read(
        execute: Any, sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        # The goals have been read; before the next read, someone adds a goal with a step, a
        # tag, a stance and a link to her goal.
        if not written and '"accounts_user"' in sql:
            written.append(sql)
            meanwhile = services.add_goal(
                staff,
                world.p1,
                text="Meanwhile",
                origin=Origin.CLINICAL,
                chime_codes=["chime.h"],
            )
            services.add_step(staff, meanwhile, text="Step meanwhile", who_helps="Kim")
            services.link_goal(staff, meanwhile, [own])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(write_after_the_goals_are_read):
        plan = plan_for(grant)
    assert written, "the goals' authors were not read after the goals"
    views = {view.goal.text: view for view in plan.goals}
    assert list(views) == before
    assert [step.text for step in views["Before"].steps] == ["First step"]
    assert views["Before"].served_by == []
    # The next read has it all.
    again = {view.goal.text: view for view in plan_for(grant).goals}
    assert list(again) == [*before, "Meanwhile"]
    assert [goal.text for goal in again["Before"].served_by] == ["Meanwhile"]
    assert [step.text for step in again["Meanwhile"].steps] == ["Step meanwhile"]
    assert [tag.code for tag in again["Meanwhile"].tags] == ["chime.h"]
