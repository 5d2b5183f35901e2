{#
  What may leave the warehouse about people (docs/privacy.md).

  pseudonym: a stable, keyed stand-in for a person's id. The same id gives the same
  pseudonym in every mart and every run of one installation, so analysts can still
  count, group and join by person; without the key ($SMILE_HOME/pseudonym.key, never
  published) the small integer ids cannot be recovered by hashing every candidate.
#}
{% macro pseudonym(person_id) -%}
    {%- set key = env_var('SMILE_PSEUDONYM_KEY', '') -%}
    {#- building tables without the key would publish guessable pseudonyms; compiling for
        `dbt docs` or `dbt compile` writes no data, so it may show a placeholder -#}
    {%- if execute and not key and flags.WHICH in ('run', 'build', 'seed', 'snapshot') -%}
        {{ exceptions.raise_compiler_error("SMILE_PSEUDONYM_KEY is not set: run through `smile run` or the Dagster definitions, which create the key in $SMILE_HOME") }}
    {%- endif -%}
    {%- set key = key or 'no-key-at-compile-time' -%}
    {%- set keyed_id = "'" ~ key ~ ":' || cast(" ~ person_id ~ " as " ~ dbt.type_string() ~ ")" %}
    case when {{ person_id }} is not null
        then 'person-' || left({{ sha256_hex(keyed_id) }}, 16)
    end
{%- endmacro %}

{#
  redact_contact_details: a comment as the voice-of-the-customer view may show it. Card-like
  numbers (13-19 digits, spaces or dashes between), then phone numbers (international with a +,
  or ten digits grouped 3-3-4; a date such as 2026-03-02 is neither), then email addresses are replaced by a bracketed label; the order matters,
  because a card number also looks like a phone number.
#}
{% macro redact_contact_details(text) -%}
    {%- set cards = regexp_replace_all(text, '\\b\\d(?:[ -]?\\d){12,18}\\b', '[card number]') %}
    {%- set phones = regexp_replace_all(cards, '\\+\\d[\\d ().-]{7,}\\d|\\(?\\b\\d{3}\\)?[ .-]?\\d{3}[ .-]?\\d{4}\\b', '[phone]') %}
    {{ regexp_replace_all(phones, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}', '[email]') }}
{%- endmacro %}
