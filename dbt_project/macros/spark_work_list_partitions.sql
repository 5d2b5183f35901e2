{#-
  The work-list models on Spark (docs/scale-out.md, "Incremental models").

  On DuckDB a work-list model deletes the rows of the tickets or cases its work list names and
  inserts them again (macros/incremental.sql). Plain Parquet has no DELETE; what it has is
  INSERT OVERWRITE of whole partitions. So on Spark such a model keeps its rows in a table
  partitioned by `work_range_id`, `<model>__by_range`, and its name is a view over that table
  without the column, so what reads it sees the same columns as on DuckDB. (The column's name
  must not start with "_": Hive's metastore then fails every filter on it.) A row's range is:
  - -1, "recomputed", for the cases the last build recomputed (on its work list). Every open
    case is on every work list (its clock runs to the as-of), so open cases live there;
  - otherwise its ticket or case id divided by var('spark_work_range_size') (dbt_project.yml).
    Zendesk ticket ids grow with time, so a closed case's range is a slice of history.

  An incremental build then:
  1. computes the model's select, which keeps to the work list as on DuckDB (on_work_list),
     once (cached: step 4 reads it again);
  2. finds the ranges to rewrite: those holding rows of a listed case outside range -1, and
     those the cases leaving range -1 (recomputed last time, not now) go back to;
  3. overwrites range -1 with the select's rows, and each range found with the rows it held
     for cases not on the list plus the rows coming back from range -1 (dynamic partition
     overwrite: no other range is touched; Spark writes to a staging folder first, so reading
     the table it overwrites is allowed);
  4. drops a range the overwrite wrote no row to but should have emptied (a dynamic overwrite
     leaves such a range as it was): a range found in step 2 still holding a listed case's
     rows, or range -1 holding a case the select did not give.
  So a day rewrites the open cases and the ranges of the closed cases it touches. The first
  build, a full refresh, a missing table or one cut with another range size puts every row in
  its id's range; the first incremental build after it moves the work list's cases to -1.
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
    {%- set listed -%}select {{ config.require('work_list_column') }} from {{ work_list }}{%- endset -%}
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

    {%- if not incremental -%}
        {%- call statement('work_rows') -%}
            create or replace temporary view {{ rows }} as
            {{ compiled_code }}
        {%- endcall -%}
        {%- if existing_store is not none -%}
            {%- do adapter.drop_relation(existing_store) -%}
        {%- endif -%}
        {%- call statement('main') -%}
            create table {{ store }}
            using parquet
            partitioned by (work_range_id)
            tblproperties ('time_to_smile.work_range_size' = '{{ work_range_size() }}')
            as select work_rows.*, {{ work_range('work_rows.' ~ key) }} as work_range_id
            from {{ rows }} as work_rows
        {%- endcall -%}
    {%- else -%}
        {%- call statement('work_rows') -%}
            cache table {{ rows }} as
            {{ compiled_code }}
        {%- endcall -%}
        {%- set columns = adapter.get_columns_in_relation(store) | map(attribute='name') | reject('equalto', 'work_range_id') | list -%}
        {%- set ranges_to_rewrite -%}
            select distinct work_range_id from {{ store }}
            where work_range_id <> -1 and {{ key }} in ({{ listed }})
            union
            select distinct {{ work_range(key) }} from {{ store }}
            where work_range_id = -1 and {{ key }} not in ({{ listed }})
        {%- endset -%}
        {%- set ranges = run_query(ranges_to_rewrite).columns[0].values() | list -%}
        {%- call statement('main') -%}
            insert overwrite table {{ store }} partition (work_range_id)
            select {{ columns | join(', ') }}, -1 as work_range_id
            from {{ rows }}
            union all
            select {{ columns | join(', ') }}, {{ work_range(key) }}
            from {{ store }}
            where work_range_id = -1 and {{ key }} not in ({{ listed }})
            {%- if ranges %}
            union all
            select {{ columns | join(', ') }}, work_range_id
            from {{ store }}
            where work_range_id in ({{ ranges | join(', ') }}) and {{ key }} not in ({{ listed }})
            {%- endif %}
        {%- endcall -%}
        {%- set stale -%}
            {%- if ranges -%}
            select distinct work_range_id from {{ store }}
            where work_range_id in ({{ ranges | join(', ') }}) and {{ key }} in ({{ listed }})
            union
            {% endif -%}
            select distinct work_range_id from {{ store }}
            where work_range_id = -1 and {{ key }} not in (select {{ key }} from {{ rows }})
        {%- endset -%}
        {%- for stale_range in run_query(stale).columns[0].values() -%}
            {%- call statement('drop_stale_range_' ~ loop.index) -%}
                alter table {{ store }} drop if exists partition (work_range_id = {{ stale_range }})
            {%- endcall -%}
        {%- endfor -%}
        {%- call statement('uncache') -%}
            uncache table if exists {{ rows }}
        {%- endcall -%}
    {%- endif -%}

    {%- if existing is not none and not existing.is_view -%}
        {%- do adapter.drop_relation(existing) -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(store) | map(attribute='name') | reject('equalto', 'work_range_id') | list -%}
    {%- call statement('view') -%}
        create or replace view {{ view }} as
        select {{ columns | join(', ') }} from {{ store }}
    {%- endcall -%}

    {{ run_hooks(post_hooks) }}

    {{ return({'relations': [view]}) }}
{% endmaterialization %}
