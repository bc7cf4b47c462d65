"""The admin dashboard: per portal for its board, network-wide for the
province board; CSV export; no board sees another portal's figures."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.test import Client

from cong.analytics.models import ImportedDay, PageDay, PortalDay, ReferrerDay

DAY = dt.date(2026, 2, 10)


def figures(network):
    for key, visits, path in (("a", 4321, "/trang-cua-so-a/"), ("b", 8765, "/trang-cua-so-b/")):
        portal = network.portals[key]
        PortalDay.objects.create(portal=portal, date=DAY, visits=visits, pageviews=visits * 2,
                                 visit_seconds=visits * 300, visitors=visits)
        PageDay.objects.create(portal=portal, date=DAY, path=path, pageviews=visits * 2, entries=visits,
                               engaged_seconds=visits * 300)
        ReferrerDay.objects.create(portal=portal, date=DAY, host=f"ref-{key}.example", visits=visits)
    ImportedDay.objects.create(unit=network.units["a"], date=DAY - dt.timedelta(days=1), visits=1111,
                               pageviews=2222, visit_seconds=1111 * 60)


def admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


URL = "/admin/thong-ke/?tu=2026-02-01&den=2026-02-28"


def test_board_member_sees_own_portal_only(network):
    figures(network)
    client = admin(network.user("a", "bien_tap_vien"))
    html = client.get(URL).content.decode()
    assert "4.321" in html and "/trang-cua-so-a/" in html and "ref-a.example" in html
    assert "5.432" in html  # 4.321 tracked + 1.111 imported
    assert "<svg" in html and "<rect" in html
    assert "8.765" not in html and "/trang-cua-so-b/" not in html and "ref-b.example" not in html
    # asking for the other portal falls back to one's own
    other = client.get(URL + f"&cong={network.portals['b'].pk}").content.decode()
    assert "8.765" not in other and "/trang-cua-so-b/" not in other
    network_view = client.get(URL + "&cong=all").content.decode()
    assert "8.765" not in network_view and "Toàn mạng lưới cổng" not in network_view


def test_province_board_sees_the_network(network):
    figures(network)
    client = admin(network.user("province", "truong_ban"))
    html = client.get(URL + "&cong=all").content.decode()
    assert "14.197" in html  # 4.321 + 8.765 + 1.111
    assert "/trang-cua-so-a/" in html and "/trang-cua-so-b/" in html
    table = html.split("Theo cổng")[1].split("</table>")[0]
    assert table.index("Sở Y tế") < table.index("Sở Thông tin và Truyền thông") < table.index("Tỉnh Bình An")
    assert "5.432" in table and "8.765" in table
    single = client.get(URL + f"&cong={network.portals['b'].pk}").content.decode()
    assert "8.765" in single and "4.321" not in single


def test_csv_export_by_day_and_by_page(network):
    figures(network)
    client = admin(network.user("a", "truong_ban"))
    response = client.get(URL + "&xuat=ngay")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Ngày" and len(rows) == 1 + 28
    by_date = {r[0]: r for r in rows[1:]}
    assert by_date["2026-02-10"][1:4] == ["4321", "8642", str(4321 * 300)]
    assert by_date["2026-02-09"][1] == "1111" and by_date["2026-02-09"][5] == "nhập từ cổng cũ"
    pages = list(csv.reader(io.StringIO(client.get(URL + "&xuat=trang").content.decode("utf-8-sig"))))
    assert [r[1] for r in pages[1:]] == ["/trang-cua-so-a/"]


def test_people_outside_every_board_are_refused(network):
    from cong.accounts.models import User

    user = User.objects.create_user("ngoai", password="matkhau-thu-nghiem")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = admin(user).get(URL)
    assert response.status_code in (302, 403)
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302


def test_menu_item_and_periodic_jobs_are_registered(network):
    from cong.core.scheduler import periodic_jobs

    names = {job.name for job in periodic_jobs()}
    assert {"analytics_rollup", "analytics_prune"} <= names
    html = admin(network.user("a", "bien_tap_vien")).get("/admin/").content.decode()
    assert "/admin/thong-ke/" in html


def test_the_scheduler_rolls_up_through_the_task(network, browser):
    from freezegun import freeze_time

    from cong.core.scheduler import run_due

    with freeze_time("2026-03-02 02:00:00+00:00"):
        browser("a").load("/")
        ran = run_due({}, 0.0, force=True)
    assert "analytics_rollup" in ran
    assert PortalDay.objects.get(portal=network.portals["a"], date=dt.date(2026, 3, 2)).visits == 1
