-- The run's as-of instant, so every model and the publication agree on what "now" means.
select
    cast(as_of as {{ dbt.type_timestamp() }}) as as_of
from {{ source('smile', 'run_context') }}
