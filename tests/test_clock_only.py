"""Which dbt nodes a build with nothing new leaves out (dbt_build/clock_only.py), on a small
hand-made manifest: the clock's descendants stay, so do the published marts, the tickets'
work list and whatever a kept test reads; the rest is excluded by name."""

from time_to_smile.dbt_build.clock_only import excluded_nodes

RUN_CONTEXT, UNRECOGNISED = "source.time_to_smile.smile.run_context", "source.time_to_smile.smile.unrecognised_files"


def _node(kind, name, schema="staging", parents=()):
    return f"{kind}.time_to_smile.{name}", {"resource_type": kind, "name": name, "config": {"schema": schema},
                                            "depends_on": {"nodes": list(parents)}}


def _manifest(*nodes):
    table = dict(nodes)
    children = {}
    for uid, node in table.items():
        for parent in node["depends_on"]["nodes"]:
            children.setdefault(parent, []).append(uid)
    return {"nodes": table, "child_map": children}


def test_a_clock_only_build_keeps_the_clock_the_marts_the_work_list_and_what_kept_tests_read():
    manifest = _manifest(
        _node("model", "stg_tickets"),
        _node("model", "base_zendesk__tickets_changed"),
        _node("seed", "phases", "reference"),
        _node("seed", "channels", "reference"),
        _node("model", "int_run_context", "intermediate", [RUN_CONTEXT]),
        _node("model", "fct_journey", "marts", ["model.time_to_smile.int_run_context", "model.time_to_smile.stg_tickets"]),
        _node("model", "metric_catalog", "marts", ["seed.time_to_smile.channels"]),
        _node("model", "int_quarantined", "intermediate", [UNRECOGNISED]),
        _node("test", "relationships_fct_journey_phase", parents=["model.time_to_smile.fct_journey", "seed.time_to_smile.phases"]),
        _node("test", "not_null_stg_tickets_id", parents=["model.time_to_smile.stg_tickets"]),
        _node("test", "unique_metric_catalog_metric", parents=["model.time_to_smile.metric_catalog"]),
    )
    # stg_tickets is read by a kept mart but has no kept test of its own: left out, with its test;
    # the phases seed stays for the relationship test, the channels seed goes (only a mart reads it)
    assert excluded_nodes(manifest) == ["channels", "not_null_stg_tickets_id", "stg_tickets"]
