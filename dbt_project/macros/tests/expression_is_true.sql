{#- A row-level assertion: every row must satisfy `expression` (like dbt_utils.expression_is_true,
    without a package download: dbt's hub is not reachable from our machines). -#}
{% test expression_is_true(model, expression) %}
select * from {{ model }} where not ({{ expression }})
{% endtest %}
