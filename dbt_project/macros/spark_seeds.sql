{#- Seeds on Spark's session method: dbt-spark binds each value into its INSERT without
    escaping it, so a quote in a seed ("Won't Do") breaks the statement (stack.md). This
    writes each value as a literal escaped for Spark SQL (sql_literal) instead. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
      {%- set sql -%}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for value in row -%}
                  {%- set col_name = agate_table.column_names[loop.index0] -%}
                  {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                  cast({{ 'null' if value is none else sql_literal(value | string) }} as {{ type }})
                  {%- if not loop.last %}, {% endif -%}
              {%- endfor -%})
              {%- if not loop.last %},{% endif %}
          {% endfor %}
      {%- endset -%}
      {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
      {%- if loop.index0 == 0 %}{% do statements.append(sql) %}{% endif -%}
  {%- endfor -%}
  {{ return(statements[0]) }}
{% endmacro %}
