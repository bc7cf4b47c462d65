import datetime as dt

from django.urls import reverse

from cong.reporting.selectors import target_progress
from cong.reporting.services import target_set
from cong.units.choices import BoardRole


def test_progress_against_the_target_and_pace(network, publish_item):
    unit = network.units["a"]
    target_set(unit=unit, year=2024, items=3000)
    tz = dt.timezone(dt.timedelta(hours=7))
    for i in range(5):
        publish_item(network.portals["a"], title=f"Tin {i}", slug=f"t-{i}",
                     when=dt.datetime(2024, 2, 1 + i, 9, tzinfo=tz))
    publish_item(network.portals["a"], title="Năm trước", slug="nam-truoc",
                 when=dt.datetime(2023, 12, 31, 9, tzinfo=tz))
    p = target_progress(unit=unit, today=dt.date(2024, 3, 31))
    assert p.target == 3000 and p.published == 5
    assert round(p.share_of_year, 4) == round(91 / 366, 4)
    assert p.needed_per_day == 10.9  # ceil((3000 - 5) / 275 remaining days, to 0.1)
    assert p.on_pace is False


def test_leaders_see_the_target_panel_on_their_dashboard(client, network):
    target_set(unit=network.units["a"], year=dt.date.today().year, items=3000)
    client.force_login(network.user("a", BoardRole.CHIEF))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Kế hoạch thông tin năm" in html
    assert "/3.000 thông tin" in html
    client.force_login(network.user("a", BoardRole.EDITOR))
    assert "Kế hoạch thông tin năm" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_target_service_refuses_nonsense(network):
    import pytest

    from cong.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        target_set(unit=network.units["a"], year=2024, items=-1)
    with pytest.raises(ApplicationError):
        target_set(unit=network.units["a"], year=1990, items=10)
