{#- Time arithmetic from epoch seconds (portable: no boundary-counting datediff). -#}

{#- Vendor timestamps ("...Z", "...000+0000", dates) to a UTC TIMESTAMP; null when unparseable. -#}
{% macro to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'time_to_smile')(expression)) }}
{%- endmacro %}
{#- ISO 8601 with any offset (or none: UTC), or epoch seconds as some exports send them. -#}
{% macro default__to_utc_timestamp(expression) -%}
    coalesce(
        cast(try_cast({{ expression }} as timestamptz) as timestamp),
        cast(to_timestamp(try_cast(regexp_extract({{ expression }}, '^[0-9]{9,11}$') as bigint)) as timestamp)
    )
{%- endmacro %}
{#- Spark's cast reads ISO 8601 with 'Z', '+hh:mm' or '+hhmm' offsets (the session is UTC); it
    also reads a bare year or year-month ('2026' as 2026-01-01), which DuckDB's does not, so a
    full date must lead, as DuckDB requires. -#}
{% macro spark__to_utc_timestamp(expression) -%}
    coalesce(
        case when {{ expression }} rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then try_cast({{ expression }} as timestamp) end,
        timestamp_seconds(try_cast(regexp_extract({{ expression }}, '^[0-9]{9,11}$', 0) as bigint))
    )
{%- endmacro %}

{% macro epoch_seconds(timestamp) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'time_to_smile')(timestamp)) }}
{%- endmacro %}
{% macro default__epoch_seconds(timestamp) -%}
    epoch({{ timestamp }})
{%- endmacro %}
{% macro spark__epoch_seconds(timestamp) -%}
    (cast(unix_micros(cast({{ timestamp }} as timestamp)) as double) / 1e6)
{%- endmacro %}

{% macro hours_between(start_ts, end_ts) -%}
    (cast({{ epoch_seconds(end_ts) }} as double) - cast({{ epoch_seconds(start_ts) }} as double)) / 3600.0
{%- endmacro %}

{#- A local wall-clock timestamp in an IANA zone, as UTC. -#}
{% macro local_to_utc(local_ts, iana_zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'time_to_smile')(local_ts, iana_zone)) }}
{%- endmacro %}
{% macro default__local_to_utc(local_ts, iana_zone) -%}
    cast(timezone({{ iana_zone }}, {{ local_ts }}) as timestamp)
{%- endmacro %}
{% macro spark__local_to_utc(local_ts, iana_zone) -%}
    to_utc_timestamp({{ local_ts }}, {{ iana_zone }})
{%- endmacro %}

{#- The run's as-of instant: a scalar subquery on int_run_context (written by each run). -#}
{% macro as_of_timestamp() -%}
    (select as_of from {{ ref('int_run_context') }})
{%- endmacro %}

{#- Consecutive weekly dates from start_date to end_date (inclusive). -#}
{% macro week_series(start_date, end_date) -%}
    {{ return(adapter.dispatch('week_series', 'time_to_smile')(start_date, end_date)) }}
{%- endmacro %}
{% macro default__week_series(start_date, end_date) -%}
    select cast(unnest(generate_series(
        cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval 7 day
    )) as date) as week_start
{%- endmacro %}
{% macro spark__week_series(start_date, end_date) -%}
    select explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 7 day)) as week_start
{%- endmacro %}

{#- True when `instant` falls in the half-open validity interval [from_ts, to_ts); a null to_ts is open-ended. -#}
{% macro valid_at(from_ts, to_ts, instant) -%}
    {{ from_ts }} <= {{ instant }} and ({{ to_ts }} is null or {{ to_ts }} > {{ instant }})
{%- endmacro %}
