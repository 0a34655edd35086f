-- Tiers some rating uses (a tier cannot be removed from the settings while one does).
-- params: none
select distinct tier
from tier_ratings
order by tier
