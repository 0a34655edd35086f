-- The key that signs viewers' passes, made once: a second session making one at the same moment keeps the first.
-- params: $secret
insert into settings (key, value) values ('session_secret', $secret) on conflict do nothing
