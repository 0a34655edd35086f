-- Write one setting (inside the transaction of branchboard.settings.save).
-- params: $key, $value
insert or replace into settings (key, value) values ($key, $value)
