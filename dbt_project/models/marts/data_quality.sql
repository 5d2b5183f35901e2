-- What the latest run held back, by kind: the publishable face of
-- int_quarantined_records (no record ids or raw text, which may hold personal data).
-- The app shows it as the data-quality badge; operators drill into the warehouse.
select
    stage,
    collection,
    -- "unknown ticket: 99999" -> "unknown ticket": one row per kind, not per record
    split_part(reason, ':', 1) as reason,
    count(*) as records,
    count(distinct file_path) as files
from {{ ref('int_quarantined_records') }}
group by all
