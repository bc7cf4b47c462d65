import altcha
import pytest
from django.test import RequestFactory

from cong.core import abuse


def solve(challenge: dict) -> str:
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"], 0
    )
    payload = altcha.PayloadV1(
        challenge["algorithm"], challenge["challenge"], solution.number, challenge["salt"],
        challenge["signature"],
    )
    return payload.to_base64()


def test_pow_endpoint_gives_a_challenge_that_a_solution_passes_once(client, db):
    challenge = client.get("/-/pow/").json()
    assert challenge["algorithm"] == "SHA-256"
    payload = solve(challenge)
    assert abuse.check_pow(payload)
    assert not abuse.check_pow(payload), "a replayed solution must fail"


@pytest.mark.parametrize("payload", [None, "", "not-base64", "eyJ4IjogMX0="])
def test_garbage_pow_fails(db, payload):
    assert not abuse.check_pow(payload)


def test_a_forged_challenge_fails(db):
    forged = altcha.create_challenge_v1(algorithm="SHA-256", max_number=100, hmac_key="wrong-key")
    assert not abuse.check_pow(solve(forged.to_dict()))


def test_rate_limit_refuses_after_the_limit_and_per_client(db):
    rf = RequestFactory()
    a = rf.post("/", REMOTE_ADDR="10.0.0.1")
    b = rf.post("/", REMOTE_ADDR="10.0.0.2")
    results = [abuse.check_rate(a, "test", "3/m") for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert abuse.check_rate(b, "test", "3/m")


def test_429_page_is_vietnamese(rf, db):
    response = abuse.too_many_requests(rf.get("/"), retry_after=30)
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "Quá nhiều yêu cầu" in response.content.decode()


def test_forwarded_for_is_trusted_only_from_proxies(rf, settings):
    settings.CONG_TRUSTED_PROXIES = ("127.0.0.1",)
    assert abuse.client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "1.2.3.4"
    assert abuse.client_ip(rf.get("/", REMOTE_ADDR="5.6.7.8", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "5.6.7.8"
