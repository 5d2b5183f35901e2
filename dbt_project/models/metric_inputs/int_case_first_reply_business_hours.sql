-- Business hours (default schedule) from ticket creation to the first public agent reply,
-- or, while there is none, to the solve or the as-of time.
-- Incremental per case (docs/incremental.md).
{{ incremental_per_case() }}

with clocks as (
    select
        journeys.case_id,
        journeys.created_at as clock_start,
        coalesce(journeys.first_reply_at, journeys.solved_at, {{ as_of_timestamp() }}) as clock_end
    from {{ ref('fct_case_journey') }} as journeys
    where {{ changed_cases_only('journeys.case_id') }}
),

windows as (
    select * from {{ ref('int_business_hours_windows') }}
)

select
    clocks.case_id,
    -- a case with no open window in its interval has 0 business hours (not its calendar hours)
    coalesce(sum(case when windows.window_start is not null then {{ hours_between(
        'case when windows.window_start > clocks.clock_start then windows.window_start else clocks.clock_start end',
        'case when windows.window_end < clocks.clock_end then windows.window_end else clocks.clock_end end'
    ) }} end), 0) as first_reply_business_hours
from clocks
left join windows
    on windows.window_start < clocks.clock_end
    and windows.window_end > clocks.clock_start
group by clocks.case_id
