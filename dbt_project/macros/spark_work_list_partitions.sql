{#-
  The work-list models on Spark (docs/scale-out.md, "Incremental models").

  On DuckDB a work-list model deletes the rows of the tickets or cases its work list names and
  inserts them again (macros/incremental.sql). Plain Parquet has no DELETE; what it has is
  INSERT OVERWRITE of whole partitions. So on Spark such a model keeps its rows in a table
  partitioned by a range of its ticket or case id, `<model>__by_range` with the column
  `_work_range` (ids cut into ranges of var('spark_work_range_size') ids, dbt_project.yml),
  and its name is a view
  over that table without the column, so what reads it sees the same columns as on DuckDB.
  Zendesk ticket ids grow with time, so a day's changes fall in few ranges: the newest ones,
  and those of older cases still open.

  A build then:
  1. computes the model's select, which keeps to the work list as on DuckDB (on_work_list);
  2. overwrites every range holding a case on the work list with those rows plus the rows it
     already held for cases not on the list (dynamic partition overwrite: the other ranges
     are not touched; Spark writes to a staging folder first, so reading the table it
     overwrites is allowed);
  3. drops a range all of whose cases lost their rows (a dynamic overwrite leaves a range it
     writes no row to as it was).
  The first build, a full refresh, or a missing table builds every range.
-#}

{#- Whether this build's select keeps to the work list: the model's table exists, cut into ranges
    of the size this build uses, and this is not a full refresh. -#}
{% macro spark__building_work_list_only() -%}
    {%- if not execute or model.config.materialized != 'work_list_partitions' or should_full_refresh() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set store = load_relation(work_list_store(this)) -%}
    {%- if store is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set held = run_query("show tblproperties " ~ store ~ " ('time_to_smile.work_range_size')") -%}
    {{ return(held.columns[-1].values() | list == [work_range_size() | string]) }}
{%- endmacro %}

{#- How many ids a range holds (dbt_project.yml's var; a table cut otherwise is rebuilt). -#}
{% macro work_range_size() -%}
    {{ return(var('spark_work_range_size') | int) }}
{%- endmacro %}

{#- The partitioned table behind a work-list model's view. -#}
{% macro work_list_store(relation) -%}
    {{ return(relation.incorporate(path={"identifier": relation.identifier ~ '__by_range'}, type='table')) }}
{%- endmacro %}

{#- An id's range: the partition its rows live in. -#}
{% macro work_range(id_column) -%}
    cast(floor({{ id_column }} / {{ work_range_size() }}) as bigint)
{%- endmacro %}

{% materialization work_list_partitions, adapter='spark' %}
    {%- set key = config.require('work_list_key') -%}
    {%- set work_list = ref(config.require('work_list')) -%}
    {%- set work_list_column = config.require('work_list_column') -%}
    {%- set store = work_list_store(this) -%}
    {%- set view = this.incorporate(type='view') -%}
    {%- set existing = load_relation(this) -%}
    {%- set existing_store = load_relation(store) -%}
    {%- set rows = this.incorporate(path={"identifier": this.identifier ~ '__work_rows'}).include(database=false, schema=false) -%}
    {%- set incremental = building_work_list_only() -%}

    {{ run_hooks(pre_hooks) }}

    {%- if config.get('contract').enforced -%}
        {%- do get_assert_columns_equivalent(compiled_code) -%}
    {%- endif -%}

    {%- call statement('work_rows') -%}
        create or replace temporary view {{ rows }} as
        {{ compiled_code }}
    {%- endcall -%}

    {%- if not incremental -%}
        {%- if existing_store is not none -%}
            {%- do adapter.drop_relation(existing_store) -%}
        {%- endif -%}
        {%- call statement('main') -%}
            create table {{ store }}
            using parquet
            partitioned by (_work_range)
            tblproperties ('time_to_smile.work_range_size' = '{{ work_range_size() }}')
            as select work_rows.*, {{ work_range('work_rows.' ~ key) }} as _work_range
            from {{ rows }} as work_rows
        {%- endcall -%}
    {%- else -%}
        {%- set columns = adapter.get_columns_in_relation(store) | map(attribute='name') | reject('equalto', '_work_range') | list -%}
        {%- set ranges -%}
            select distinct {{ work_range(work_list_column) }} from {{ work_list }}
        {%- endset -%}
        {%- call statement('main') -%}
            insert overwrite table {{ store }} partition (_work_range)
            select {{ columns | join(', ') }}, {{ work_range(key) }} as _work_range
            from {{ rows }}
            union all
            select {% for column in columns %}kept.{{ column }}, {% endfor %}kept._work_range
            from {{ store }} as kept
            left anti join {{ work_list }} as listed on listed.{{ work_list_column }} = kept.{{ key }}
            where kept._work_range in ({{ ranges }})
        {%- endcall -%}
        {#- A row of a listed case that the select no longer gives is left only in a range the
            overwrite wrote nothing to: every row of that range is stale. -#}
        {%- set stale -%}
            select distinct stale._work_range
            from {{ store }} as stale
            left semi join {{ work_list }} as listed on listed.{{ work_list_column }} = stale.{{ key }}
            left anti join {{ rows }} as fresh on fresh.{{ key }} = stale.{{ key }}
            where stale._work_range in ({{ ranges }})
        {%- endset -%}
        {%- for stale_range in run_query(stale).columns[0].values() -%}
            {%- call statement('drop_stale_range_' ~ stale_range) -%}
                alter table {{ store }} drop if exists partition (_work_range = {{ stale_range }})
            {%- endcall -%}
        {%- endfor -%}
    {%- endif -%}

    {%- if existing is not none and not existing.is_view -%}
        {%- do adapter.drop_relation(existing) -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(store) | map(attribute='name') | reject('equalto', '_work_range') | list -%}
    {%- call statement('view') -%}
        create or replace view {{ view }} as
        select {{ columns | join(', ') }} from {{ store }}
    {%- endcall -%}

    {{ run_hooks(post_hooks) }}

    {{ return({'relations': [view]}) }}
{% endmaterialization %}
