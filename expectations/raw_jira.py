"""Engineering's issues as this run loaded them (sources.md, Jira Cloud)."""

from .core import TEXT, TIMESTAMP, Suite, json_kind, one_of, raw_frame, required, text, unique

SUITES = (
    Suite(
        name="raw_jira_issues",
        table="raw.jira_issues",
        frame=raw_frame(
            "jira_issues",
            {
                "id_type": json_kind("$.id"), "issue_key": text("$.key"), "project_key": text("$.fields.project.key"),
                "created_type": json_kind("$.fields.created"),
                "status_category": text("$.fields.status.statusCategory.key"),
                "histories_type": json_kind("$.changelog.histories"),
            },
        ),
        expectations=lambda previous_rows=None: [
            unique("record_id"), unique("issue_key"),
            *required("id_type", "issue_key", "project_key", "created_type", "status_category"),
            one_of("id_type", TEXT), one_of("created_type", TIMESTAMP),
            one_of("status_category", ["new", "indeterminate", "done"]), one_of("histories_type", ["ARRAY"]),
        ],
        blocking=False,
    ),
)
