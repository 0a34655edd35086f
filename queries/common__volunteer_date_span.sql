-- First and last volunteer activity date in the data.
-- params: none
select
    min(activity_date) as first_date,
    max(activity_date) as last_date
from volunteer_daily
