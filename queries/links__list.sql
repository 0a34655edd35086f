-- Every unit link with its use, newest first: for the 分享管理 page and `link list`.
-- params: none
with opened as (
    select
        link_id,
        count(*) as times_opened,
        max(happened_at) as last_opened
    from share_link_events
    where event = 'opened'
    group by link_id
)

select
    l.link_id,
    l.label,
    l.units,
    l.start_page,
    l.created_at,
    l.created_by,
    l.expires_at,
    l.revoked_at,
    coalesce(o.times_opened, 0) as times_opened,
    o.last_opened
from share_links as l
left join opened as o on o.link_id = l.link_id
order by l.created_at desc, l.link_id asc
