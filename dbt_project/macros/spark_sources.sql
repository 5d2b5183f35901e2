{#- The Spark build's sources (docs/scale-out.md): at its start, each table the pipeline handed
    over as Parquet (orchestration/time_to_smile/spark/handover.py) is registered in Spark's
    catalog under its DuckDB name, e.g. raw.zendesk_tickets, over the folder holding it. The
    pipeline passes the tables and the folder as the variables `handed_over_tables` and
    `handover_dir`; a build without them (a cluster whose raw tables are landed there) registers
    nothing. DuckDB's sources are its own tables: nothing to do there. -#}
{% macro register_handed_over_sources() -%}
    {{ return(adapter.dispatch('register_handed_over_sources', 'time_to_smile')()) }}
{%- endmacro %}
{% macro default__register_handed_over_sources() -%}
{%- endmacro %}
{% macro spark__register_handed_over_sources() -%}
    {%- set folder = var('handover_dir', '') -%}
    {%- for table in var('handed_over_tables', []) if folder -%}
        {%- do run_query('create database if not exists ' ~ table.split('.')[0]) -%}
        {%- do run_query('drop table if exists ' ~ table) -%}
        {%- do run_query('create table ' ~ table ~ ' using parquet location ' ~ sql_literal(folder ~ '/' ~ table)) -%}
    {%- endfor -%}
{%- endmacro %}
