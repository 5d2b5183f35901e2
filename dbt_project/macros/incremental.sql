{#-
  Per-ticket incremental models (docs/incremental.md).

  Before each dbt build the pipeline writes raw._build_state: changes_since is the newest
  raw _loaded_at the last complete build had seen (null when there was none). A record
  loaded after it is new to the warehouse; the tickets it touches are listed in
  base_zendesk__tickets_changed, and each per-ticket incremental model deletes those
  tickets' rows and inserts them afresh, so a ticket is always computed from all of its
  history at once and rerunning a build changes nothing. When a change can touch every
  ticket (a new model version, a new ticket field or group) the pipeline builds with
  --full-refresh instead.

  A model using these macros must name its dependency for dbt's parser, which never sees
  the incremental branch: the header macros incremental_per_ticket() / incremental_per_case()
  (at the end of this file) do, with the config and the pre-hook.

  Per-case models downstream of the case's clock work the same way on a wider list,
  int_cases_recomputed: the changed tickets, every open case (its clock runs to the as-of
  instant) and the cases that new Jira, link or user records reach. They use
  changed_cases_only / delete_changed_cases and depend on int_cases_recomputed. Both work
  lists live in models/work_lists/.
-#}

{#- Records loaded after the last complete build (all of them when there was none). -#}
{% macro loaded_since_last_build(column='_loaded_at') -%}
    {{ column }} > coalesce((select changes_since from {{ source('smile', 'build_state') }}), {{ earliest_timestamp() }})
{%- endmacro %}

{#- In an incremental build: only the rows whose `column` is on a work list (the `key`
    column of model `work_list`). In a full build: every row. -#}
{% macro on_work_list(column, work_list, key) -%}
    {%- if building_work_list_only() -%}
        {{ column }} in (select {{ key }} from {{ ref(work_list) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook of an incremental model: drop the old rows of what the work list names
    (including those that no longer have any rows to insert). -#}
{% macro delete_work_list_rows(on_list) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ on_list }}
    {%- endif -%}
{%- endmacro %}

{#- Per ticket: the tickets base_zendesk__tickets_changed lists. -#}
{% macro changed_tickets_only(column='ticket_id') -%}
    {{ on_work_list(column, 'base_zendesk__tickets_changed', 'ticket_id') }}
{%- endmacro %}

{% macro delete_changed_tickets(column='ticket_id') -%}
    {{ delete_work_list_rows(changed_tickets_only(column)) }}
{%- endmacro %}

{#- Per case: the cases int_cases_recomputed lists. -#}
{% macro changed_cases_only(column='case_id') -%}
    {{ on_work_list(column, 'int_cases_recomputed', 'case_id') }}
{%- endmacro %}

{% macro delete_changed_cases(column='case_id') -%}
    {{ delete_work_list_rows(changed_cases_only(column)) }}
{%- endmacro %}

{#- The one header of every work-list incremental model (docs/incremental.md): call it at the
    top of the model, `{{ incremental_per_ticket() }}` or `{{ incremental_per_case() }}`.

    - materialized incremental, strategy append: the pre-hook deletes the work list's rows
      (the changed tickets', or the recomputed cases', including those that no longer have
      any rows to insert) and the model's select inserts them again from their whole history;
    - a dependency on the work list for dbt's parser, which never sees the incremental branch;
    - `column` is the model's column holding the ticket or case id (a case is a ticket).

    The published marts among them keep their contracts with `on_schema_change: fail`, set
    on the marts folder in dbt_project.yml. The model's select still limits itself to the
    work list with changed_tickets_only() / changed_cases_only(). -#}
{% macro incremental_per_ticket(column='ticket_id') -%}
    -- depends_on: {{ ref('base_zendesk__tickets_changed') }}
    {{- work_list_config('base_zendesk__tickets_changed', 'ticket_id', column, "{{ delete_changed_tickets('" ~ column ~ "') }}") -}}
{%- endmacro %}

{% macro incremental_per_case(column='case_id') -%}
    -- depends_on: {{ ref('int_cases_recomputed') }}
    {{- work_list_config('int_cases_recomputed', 'case_id', column, "{{ delete_changed_cases('" ~ column ~ "') }}") -}}
{%- endmacro %}

{#- The configuration of a work-list model, whose rows of `column` the model `work_list` lists
    by its `key` are recomputed: on DuckDB, incremental (append after the pre-hook's delete);
    on Spark, whose Parquet tables have no DELETE (stack.md), the partition overwrite of
    macros/spark_work_list_partitions.sql. -#}
{% macro work_list_config(work_list, key, column, delete_hook) -%}
    {{ return(adapter.dispatch('work_list_config', 'time_to_smile')(work_list, key, column, delete_hook)) }}
{%- endmacro %}
{% macro default__work_list_config(work_list, key, column, delete_hook) -%}
    {{ config(materialized='incremental', incremental_strategy='append', pre_hook=delete_hook) }}
{%- endmacro %}
{% macro spark__work_list_config(work_list, key, column, delete_hook) -%}
    {{ config(materialized='work_list_partitions', work_list=work_list, work_list_column=key, work_list_key=column) }}
{%- endmacro %}

{#- Whether this build's select keeps to the work list (an incremental build) or computes every
    row (the first build, a full refresh). -#}
{% macro building_work_list_only() -%}
    {{ return(adapter.dispatch('building_work_list_only', 'time_to_smile')()) }}
{%- endmacro %}
{% macro default__building_work_list_only() -%}
    {{ return(is_incremental()) }}
{%- endmacro %}

{#- The header of a model keyed by raw record id, incremental over the records loaded since
    the last complete build (a newer version replaces the row): DuckDB's delete+insert. On
    Spark a table rebuilt in full: the pipeline hands the raw tables over whole on every run
    (spark/handover.py), and a record's id is not a range of ticket ids to partition by
    (docs/scale-out.md, "Incremental models"). -#}
{% macro incremental_per_record() -%}
    {{ return(adapter.dispatch('incremental_per_record', 'time_to_smile')()) }}
{%- endmacro %}
{% macro default__incremental_per_record() -%}
    {{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='record_id') }}
{%- endmacro %}
{% macro spark__incremental_per_record() -%}
    {{ config(materialized='table') }}
{%- endmacro %}
