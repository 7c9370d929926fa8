"""A coordinator opens a Techfest call, a founder applies, a reviewer scores, the coordinator accepts,
and the roster (page and CSV) lists the founder's team.

The pages are used in Vietnamese (the users' language, the default); only the users and the startup
are made in the database, everything else goes through the forms.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.startups.members import add_member
from ecosystem.startups.models import Startup
from tests.e2e.actions import sign_in, sign_out
from tests.factories import make_startup, make_user

pytestmark = [pytest.mark.browser, pytest.mark.committing]

CALL = "Techfest Việt Nam 2026"
SLUG = "techfest-viet-nam-2026"
POOL = "Chỉ tiêu chung Thái Nguyên"
STARTUP = "Nông sản Đại Từ Xanh"
PRODUCT = "Máy sấy chè năng lượng mặt trời"
OWNER_LEGAL_NAME = "TRẦN VĂN MINH"
MEMBER_LEGAL_NAME = "LÊ THỊ HOA"
# The smallest file the deck check accepts as a PDF: "%PDF-" header, an object, "%%EOF".
PITCH_DECK = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"




def local_input(moment: datetime) -> str:
    """The value a datetime-local input takes, in Vietnam time (the forms' zone)."""
    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m-%dT%H:%M")


def test_call_apply_score_accept_and_the_roster_shows_the_team(app, page: Page, live_server):
    coordinator = make_user(app, roles=(Role.COORDINATOR,), full_name="Nguyễn Thị Lan")
    reviewer = make_user(app, roles=(Role.MENTOR,), full_name="Phạm Quốc Bảo")
    founder = make_user(app, roles=(Role.FOUNDER,), full_name="Trần Văn Minh")
    cofounder = make_user(app, full_name="Lê Thị Hoa")
    startup = make_startup(app, owner=founder, name=STARTUP)
    with app.app_context():
        add_member(db.session.get(Startup, startup.id), db.session.get(User, cofounder.id), title="Kỹ sư")
        db.session.commit()
    now = datetime.now(tz=ZoneInfo("UTC"))

    # 1. The coordinator opens the call, splits the quota, sets the rubric and invites the reviewer.
    sign_in(page, coordinator.email, coordinator.password)
    page.goto("/techfest/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mở đợt tuyển chọn Techfest")
    page.get_by_label("Tên đợt tuyển chọn").fill(CALL)
    page.get_by_label("Địa phương đăng cai").fill("Hà Nội")
    page.get_by_label("Thời gian bắt đầu sự kiện (giờ Việt Nam)").fill(local_input(now + timedelta(days=40)))
    page.get_by_label("Thời gian kết thúc sự kiện (giờ Việt Nam)").fill(local_input(now + timedelta(days=42)))
    page.get_by_label("Thời gian bắt đầu nhận hồ sơ (giờ Việt Nam)").fill(local_input(now - timedelta(hours=1)))
    page.get_by_label("Thời hạn nhận hồ sơ (giờ Việt Nam)").fill(local_input(now + timedelta(days=14)))
    page.get_by_label("Tổng số gian hàng").fill("5")
    page.get_by_label("Tổng số suất tham gia").fill("12")
    page.get_by_label("Trạng thái").select_option(label="Đang nhận hồ sơ")
    page.get_by_role("button", name="Lưu đợt tuyển chọn").click()

    expect(page).to_have_url(f"{live_server}/techfest/{SLUG}/allocations")
    expect(page.locator("main .flash-success")).to_have_text(
        "Đã lưu đợt tuyển chọn. Tiếp theo, vui lòng phân bổ chỉ tiêu.")
    first_row = page.locator("fieldset.delegation-allocation").filter(has_text="Phân bổ chỉ tiêu 1")
    first_row.get_by_label("Tên phân bổ chỉ tiêu").fill(POOL)
    first_row.get_by_label("Chỉ tiêu chung (xét tuyển mở)").check()
    first_row.get_by_label("Gian hàng", exact=True).fill("3")
    first_row.get_by_label("Suất tham gia", exact=True).fill("8")
    page.get_by_role("button", name="Lưu phân bổ chỉ tiêu").click()

    expect(page).to_have_url(f"{live_server}/techfest/{SLUG}")
    expect(page.locator("main .flash-success")).to_have_text("Đã lưu phân bổ chỉ tiêu.")
    quota = page.locator("main table tbody tr").filter(has_text=POOL)
    expect(quota.locator("th")).to_have_text(re.compile(rf"^{POOL}\s*Dành cho mọi đơn vị đăng ký$"))
    expect(quota.locator("td")).to_have_text(["3", "8", "0", "0", "8"])

    page.goto(f"/techfest/{SLUG}/rubric")
    for row, (criterion, weight) in enumerate((("Đổi mới sáng tạo", "2"), ("Tiềm năng thị trường", "1"))):
        fieldset = page.locator("fieldset.rubric-row").nth(row)
        fieldset.get_by_label("Tiêu chí", exact=True).fill(criterion)
        fieldset.get_by_label("Trọng số", exact=True).fill(weight)
    page.locator("#reviewers").fill(reviewer.email)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(f"{live_server}/techfest/{SLUG}")
    expect(page.locator("main .flash-success")).to_have_text(
        "Đã lưu bộ tiêu chí đánh giá và thành viên hội đồng đánh giá.")
    expect(page.locator("main .facts")).to_contain_text("Đang nhận hồ sơ")
    sign_out(page)

    # 2. The founder applies for the startup, with both members travelling, and submits.
    sign_in(page, founder.email, founder.password)
    page.goto(f"/techfest/{SLUG}/apply")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đăng ký tham gia {CALL}")
    expect(page.locator("main")).to_contain_text(f"Đăng ký cho startup {STARTUP}")
    page.get_by_label("Tên sản phẩm").fill(PRODUCT)
    page.get_by_label("Mô tả sản phẩm").fill("Sấy chè Tân Cương bằng năng lượng mặt trời, giữ nguyên hương vị.")
    page.get_by_label("Hình thức tham gia").select_option(label="Gian hàng")
    page.get_by_label("Phân bổ chỉ tiêu").select_option(label=POOL)
    for number, (user, legal_name, phone, role) in enumerate([
        (founder, OWNER_LEGAL_NAME, "0912 345 678", "Trưởng nhóm"),
        (cofounder, MEMBER_LEGAL_NAME, "0987 654 321", "Kỹ sư"),
    ], start=1):
        traveller = page.locator("fieldset").filter(has_text=f"Thành viên đi đoàn {number}")
        traveller.get_by_label("Thành viên", exact=True).select_option(str(user.id))
        traveller.get_by_label("Họ và tên theo CCCD hoặc hộ chiếu").fill(legal_name)
        traveller.get_by_label("Vai trò trong đoàn").fill(role)
        traveller.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Hồ sơ thuyết trình – pitch deck (PDF, tối đa 10 MB)").set_input_files(
        {"name": "pitch-deck.pdf", "mimeType": "application/pdf", "buffer": PITCH_DECK})
    page.get_by_role("button", name="Nộp hồ sơ đăng ký").click()

    expect(page).to_have_url(f"{live_server}/techfest/applications/" + page.url.rsplit("/", 1)[-1])
    expect(page.locator("main .flash-success")).to_have_text("Đã nộp hồ sơ đăng ký của bạn.")
    expect(page.get_by_role("heading", level=1)).to_have_text(PRODUCT)
    expect(page.locator("main .facts")).to_contain_text("Đã nộp")
    expect(page.locator("main table tbody th")).to_have_text([OWNER_LEGAL_NAME, MEMBER_LEGAL_NAME])
    sign_out(page)

    # 3. The invited reviewer scores the application on both criteria.
    sign_in(page, reviewer.email, reviewer.password)
    page.goto(f"/techfest/{SLUG}/review")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đánh giá hồ sơ {CALL}")
    item = page.locator("article.review-item").filter(has_text=STARTUP)
    expect(item.get_by_role("heading", level=3)).to_have_text(f"{STARTUP} · {PRODUCT}")
    item.get_by_label("Đổi mới sáng tạo").fill("4")
    item.get_by_label("Tiềm năng thị trường").fill("5")
    item.get_by_role("button", name=f"Lưu điểm {STARTUP}").click()
    expect(page.locator("main .flash-success")).to_have_text(f"Đã lưu điểm của bạn cho {STARTUP}.")
    expect(item.get_by_label("Đổi mới sáng tạo")).to_have_value("4")
    expect(item.get_by_label("Tiềm năng thị trường")).to_have_value("5")
    sign_out(page)

    # 4. The coordinator sees the weighted mean (4×2 + 5×1) / 3, accepts, and reads the roster.
    sign_in(page, coordinator.email, coordinator.password)
    page.goto(f"/techfest/{SLUG}/review")
    ranked = page.locator("main table tbody tr").filter(has_text=STARTUP)
    expect(ranked.locator("td.number")).to_have_text(["4,33", "0,00", "1"])  # mean, spread, reviewers
    item = page.locator("article.review-item").filter(has_text=STARTUP)
    item.get_by_label("Quyết định").select_option(label="Chấp thuận")
    item.get_by_label("Thông báo gửi đơn vị đăng ký").fill("Chúc mừng, hẹn gặp tại Hà Nội.")
    item.get_by_role("button", name=f"Ghi nhận quyết định {STARTUP}").click()
    expect(page.locator("main .flash-success")).to_have_text(f"Đã chấp thuận {STARTUP}.")

    page.goto(f"/techfest/{SLUG}")
    expect(page.locator("main table tbody tr").filter(has_text=POOL).locator("td")).to_have_text(
        ["3", "8", "1", "2", "6"])  # one booth and two places taken

    page.goto(f"/techfest/{SLUG}/roster")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Danh sách đoàn: {CALL}")
    roster = page.get_by_role("table", name="2 người")
    expect(roster.locator("tbody th")).to_have_text([OWNER_LEGAL_NAME, MEMBER_LEGAL_NAME])
    # Phones are stored cleaned of their spaces (core.validation.clean_phone).
    for legal_name, phone in ((OWNER_LEGAL_NAME, "0912345678"), (MEMBER_LEGAL_NAME, "0987654321")):
        row = roster.locator("tbody tr").filter(has_text=legal_name)
        expect(row).to_contain_text(POOL)
        expect(row).to_contain_text(STARTUP)
        expect(row).to_contain_text(PRODUCT)
        expect(row).to_contain_text(phone)

    response = page.request.get(f"/techfest/{SLUG}/roster.csv")
    assert response.ok, response.status
    assert response.headers["content-type"].startswith("text/csv")
    header, *rows = csv.reader(io.StringIO(response.body().decode("utf-8-sig")))
    assert header[:6] == ["Đoàn", "Phân bổ", "Startup/Nhóm", "Sản phẩm", "Hạng mục", "Họ và tên (theo CCCD/hộ chiếu)"]
    assert [row[:7] for row in rows] == [
        [CALL, POOL, STARTUP, PRODUCT, "Gian hàng", OWNER_LEGAL_NAME, "Trưởng nhóm"],
        [CALL, POOL, STARTUP, PRODUCT, "Gian hàng", MEMBER_LEGAL_NAME, "Kỹ sư"],
    ]

    # 5. The coordinator enters the trip's costs; the settlement report totals them.
    page.goto(f"/techfest/{SLUG}")
    page.get_by_role("link", name="Hậu cần và chi phí").click()
    page.get_by_role("link", name=f"Sửa {STARTUP}").click()
    page.get_by_label("Phương án đi lại và lưu trú").fill("Xe của Sở, khách sạn 2 đêm")
    page.get_by_label("Chi phí đi lại (đồng)").fill("1.200.000")
    page.get_by_label("Chi phí lưu trú (đồng)").fill("800000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main .flash-success")).to_have_text(f"Đã lưu phương án hậu cần của {STARTUP}.")
    expect(page.locator("main tfoot")).to_contain_text("2.000.000 ₫")
