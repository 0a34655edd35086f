"""Access rules: hashing, constant-time checks, rate limiting, configuration."""

from branchboard import auth


def test_hash_and_check_password():
    stored = auth.hash_password("s3cret-口令")
    assert stored.startswith("pbkdf2_sha256$")
    assert "s3cret" not in stored
    assert auth.check_password("s3cret-口令", stored)
    assert not auth.check_password("s3cret", stored)
    assert not auth.check_password("x", "pbkdf2_sha256$broken")


def test_plain_viewer_code_is_compared_too():
    assert auth.check_password("2468", "2468") and not auth.check_password("2469", "2468")


def test_rate_limiter_locks_after_repeated_failures():
    limiter = auth.RateLimiter(max_failures=3, lockout=60)
    stored = auth.hash_password("right", iterations=1000)
    for _ in range(3):
        assert auth.attempt("admin", "wrong", stored, "10.0.0.1", limiter)[0] is False
    ok, wait = auth.attempt("admin", "right", stored, "10.0.0.1", limiter)
    assert not ok and wait > 0  # even the right password is refused while locked
    assert auth.attempt("admin", "right", stored, "10.0.0.2", limiter) == (True, 0.0)  # other clients unaffected


def test_lock_expires():
    limiter = auth.RateLimiter(max_failures=2, lockout=10)
    limiter.failed("c", now=0)
    limiter.failed("c", now=1)
    assert limiter.locked_for("c", now=5) > 0
    assert limiter.locked_for("c", now=12) == 0


def test_config_from_secrets_and_environment():
    assert auth.load_config({}, {}).open
    cfg = auth.load_config({"access": {"viewer_code": "1234", "admin_emails": ["A@x.cn"]}}, {})
    assert not cfg.open and cfg.viewers_need_login and cfg.admin_emails == ("a@x.cn",)
    cfg = auth.load_config(
        {}, {"BRANCHBOARD_ADMIN_PASSWORD_HASH": "pbkdf2_sha256$1$a$b", "BRANCHBOARD_ADMIN_EMAILS": "x@y.cn, z@y.cn"}
    )
    assert not cfg.open and not cfg.viewers_need_login and cfg.admin_emails == ("x@y.cn", "z@y.cn")
    assert auth.load_config({"auth": {"client_id": "c"}}, {}).oidc
