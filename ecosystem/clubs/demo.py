"""Demo data for the clubs domain: student clubs of the universities in the directory, their teams.

Runs after the directory's demo (the clubs belong to its universities). The students
and club leaders are demo accounts (`@demo.example`, the demo password); the clubs,
teams and ideas are invented for the demo. Safe to run again: only what is missing
is created.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ecosystem.auth.demo import DEMO_PASSWORD
from ecosystem.auth.models import Role, User
from ecosystem.auth.services import create_confirmed_user, find_user_by_email
from ecosystem.clubs import conversion as club_conversion
from ecosystem.clubs import members as club_members
from ecosystem.clubs import profiles as club_profiles
from ecosystem.clubs import services
from ecosystem.clubs import teams as club_teams
from ecosystem.clubs.models import Club, Team
from ecosystem.directory.models import Component
from ecosystem.extensions import db
from ecosystem.places.services import active_localities
from ecosystem.startups.models import Sector, Stage, Startup

DEMO_CLUB_LEADER = "clb@demo.example"  # created by auth/demo.py

# Students and the other club leaders: (e-mail, full name).
STUDENTS = [
    ("sv.tuan@demo.example", "Nguyễn Anh Tuấn"),
    ("sv.ngocanh@demo.example", "Trần Thị Ngọc Ánh"),
    ("sv.hung@demo.example", "Lê Văn Hùng"),
    ("sv.trang@demo.example", "Phạm Thu Trang"),
    ("sv.long@demo.example", "Vũ Đức Long"),
    ("sv.huong@demo.example", "Đặng Thị Hương"),
    ("sv.huy@demo.example", "Bùi Quang Huy"),
    ("sv.lananh@demo.example", "Ngô Thị Lan Anh"),
    ("sv.nam@demo.example", "Hoàng Văn Nam"),
    ("sv.duyen@demo.example", "Ma Thị Duyên"),
    ("sv.khanh@demo.example", "Lục Văn Khánh"),
    ("sv.hoa@demo.example", "Nông Thị Hoa"),
    ("sv.son@demo.example", "Triệu Văn Sơn"),
    ("sv.thao@demo.example", "Đinh Thị Thảo"),
    ("sv.duc@demo.example", "Dương Minh Đức"),
    ("sv.yen@demo.example", "Hà Thị Yến"),
    ("sv.tai@demo.example", "Chu Văn Tài"),
    ("sv.mai@demo.example", "La Thị Mai"),
]
LEADERS = [
    ("clb.supham@demo.example", "Đỗ Thanh Mai"),
    ("clb.kinhte@demo.example", "Lương Quốc Việt"),
    ("clb.ictu@demo.example", "Tạ Minh Châu"),
    ("clb.yduoc@demo.example", "Phan Thị Hồng Nhung"),
]


@dataclass(frozen=True)
class DemoTeam:
    name: str
    idea: str
    members: tuple[str, ...]  # e-mails; the first is the team lead
    mentor_wanted: bool = False
    # Set for the team that already became a startup: (startup name, sector, stage).
    became: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class DemoClub:
    name: str
    university_hint: str  # a word of the university's name in the directory
    leader: str
    description: str
    contact_email: str | None
    members: tuple[str, ...]
    teams: tuple[DemoTeam, ...] = field(default_factory=tuple)


CLUBS = [
    DemoClub(
        name="Câu lạc bộ Khởi nghiệp Nông Lâm",
        university_hint="Nông Lâm",
        leader=DEMO_CLUB_LEADER,
        description=(
            "Câu lạc bộ của sinh viên Trường Đại học Nông Lâm muốn biến kiến thức nông nghiệp thành sản "
            "phẩm thật: từ chè, nấm, rau an toàn đến phân bón hữu cơ.\n\n"
            "**Sinh hoạt:** tối thứ Năm hằng tuần tại giảng đường B, thêm một buổi thực địa mỗi tháng ở các "
            "vùng chè Tân Cương, La Bằng.\n\n"
            "Sinh viên mọi khóa đều có thể tham gia; chỉ cần một ý tưởng hoặc sẵn lòng làm cùng một nhóm."
        ),
        contact_email="clbkhoinghiep.nonglam@demo.example",
        members=("sv.tuan@demo.example", "sv.ngocanh@demo.example", "sv.hung@demo.example",
                 "sv.duyen@demo.example", "sv.khanh@demo.example", "sv.hoa@demo.example"),
        teams=(
            DemoTeam(
                name="Chè Số Tân Cương",
                idea=(
                    "Mỗi gói chè có một mã QR: người mua xem được đồi chè, ngày hái, người sao và kết quả "
                    "kiểm nghiệm.\n\nNhóm đã thử với ba hộ làm chè ở xã Tân Cương và đang làm trang bán hàng "
                    "cho hợp tác xã."
                ),
                members=("sv.duyen@demo.example", "sv.tuan@demo.example", "sv.khanh@demo.example"),
                mentor_wanted=True,
                became=("Chè Số Tân Cương", Sector.AGRITECH, Stage.PROTOTYPE),
            ),
            DemoTeam(
                name="Nấm Sạch Đồng Hỷ",
                idea=(
                    "Trồng nấm sò và nấm linh chi trong nhà màng từ rơm rạ và mùn cưa, những thứ nông dân "
                    "vẫn đốt bỏ sau vụ gặt. Nhóm cần người góp ý về cách bán cho bếp ăn trường học."
                ),
                members=("sv.hung@demo.example", "sv.hoa@demo.example"),
                mentor_wanted=True,
            ),
            DemoTeam(
                name="Phân Bón Từ Bã Chè",
                idea="Ủ bã chè và phụ phẩm chăn nuôi thành phân vi sinh, đóng bao nhỏ cho người trồng rau ban công.",
                members=("sv.ngocanh@demo.example", "sv.hoa@demo.example", "sv.tuan@demo.example"),
            ),
        ),
    ),
    DemoClub(
        name="CLB Sáng tạo Kỹ thuật Công nghiệp",
        university_hint="Kỹ thuật Công nghiệp",
        leader=DEMO_CLUB_LEADER,
        description=(
            "Nơi sinh viên cơ khí, điện và tự động hóa cùng làm mẫu thử: có xưởng nhỏ, máy in 3D và "
            "các thầy cô hướng dẫn.\n\nMục tiêu mỗi năm: ít nhất hai sản phẩm mang đi thi và một sản phẩm "
            "được doanh nghiệp đặt hàng."
        ),
        contact_email=None,
        members=("sv.long@demo.example", "sv.huy@demo.example", "sv.nam@demo.example",
                 "sv.son@demo.example", "sv.duc@demo.example"),
        teams=(
            DemoTeam(
                name="Robot Hái Chè",
                idea="Cánh tay hái chè gắn trên xe tự hành, nhận biết búp một tôm hai lá bằng camera.",
                members=("sv.long@demo.example", "sv.huy@demo.example", "sv.duc@demo.example"),
                mentor_wanted=True,
            ),
            DemoTeam(
                name="Trạm Quan trắc Không khí Mini",
                idea=(
                    "Thiết bị đo bụi mịn PM2.5 giá dưới một triệu đồng, gửi số liệu về bản đồ chung để "
                    "các trường học theo dõi chất lượng không khí."
                ),
                members=("sv.nam@demo.example", "sv.son@demo.example"),
            ),
            DemoTeam(
                name="Máy Sấy Nông sản Mặt Trời",
                idea="Máy sấy dùng năng lượng mặt trời cho măng, miến dong và dược liệu của các hộ ở vùng cao.",
                members=("sv.son@demo.example", "sv.long@demo.example"),
                mentor_wanted=True,
            ),
            DemoTeam(
                name="Xưởng In 3D Học Đường",
                idea="Dịch vụ in 3D mô hình dạy học cho các trường phổ thông trong tỉnh.",
                members=("sv.duc@demo.example", "sv.nam@demo.example"),
            ),
        ),
    ),
    DemoClub(
        name="CLB Khởi nghiệp Sư phạm",
        university_hint="Sư phạm",
        leader="clb.supham@demo.example",
        description=(
            "Câu lạc bộ dành cho sinh viên sư phạm quan tâm đến đổi mới giáo dục: học liệu số, lớp học "
            "vùng cao, kỹ năng cho học sinh.\n\nMỗi học kỳ câu lạc bộ tổ chức một buổi *Ngày hội ý tưởng* "
            "để các nhóm trình bày trước thầy cô và doanh nghiệp."
        ),
        contact_email="khoinghiep.supham@demo.example",
        members=("sv.thao@demo.example", "sv.yen@demo.example", "sv.mai@demo.example", "sv.trang@demo.example"),
        teams=(
            DemoTeam(
                name="Lớp Học Vùng Cao",
                idea=(
                    "Ứng dụng luyện đọc tiếng Việt có giọng đọc song ngữ Tày – Việt cho học sinh tiểu học "
                    "ở các xã vùng cao."
                ),
                members=("sv.mai@demo.example", "sv.thao@demo.example", "sv.yen@demo.example"),
                mentor_wanted=True,
            ),
            DemoTeam(
                name="Thư Viện Sách Nói",
                idea="Thu âm sách giáo khoa và truyện thiếu nhi để học sinh khiếm thị nghe trên điện thoại.",
                members=("sv.trang@demo.example", "sv.yen@demo.example"),
            ),
        ),
    ),
    DemoClub(
        name="CLB Doanh nhân Trẻ Kinh tế",
        university_hint="Kinh tế",
        leader="clb.kinhte@demo.example",
        description=(
            "Câu lạc bộ của sinh viên Trường Đại học Kinh tế và Quản trị Kinh doanh: lập kế hoạch kinh "
            "doanh, thử bán hàng thật và gặp gỡ các doanh nhân trong tỉnh.\n\n"
            "Các nhóm được góp ý về tài chính, marketing và thủ tục thành lập doanh nghiệp."
        ),
        contact_email=None,
        members=("sv.trang@demo.example", "sv.lananh@demo.example", "sv.huong@demo.example",
                 "sv.tai@demo.example", "sv.ngocanh@demo.example"),
        teams=(
            DemoTeam(
                name="Chợ Quê Online",
                idea=(
                    "Trang bán đặc sản OCOP của Thái Nguyên (chè, miến dong, gạo Bao Thai) giao tận nơi cho "
                    "sinh viên và người đi làm ở Hà Nội."
                ),
                members=("sv.lananh@demo.example", "sv.huong@demo.example", "sv.tai@demo.example"),
            ),
            DemoTeam(
                name="Sổ Thu Chi Hộ Kinh Doanh",
                idea="Ứng dụng ghi thu chi bằng giọng nói cho hộ kinh doanh nhỏ ở chợ, xuất báo cáo thuế khoán.",
                members=("sv.tai@demo.example", "sv.trang@demo.example"),
                mentor_wanted=True,
            ),
            DemoTeam(
                name="Tour Trải Nghiệm Làng Chè",
                idea="Tour một ngày: hái chè, sao chè cùng nghệ nhân và ăn cơm nhà dân ở vùng chè Tân Cương.",
                members=("sv.huong@demo.example", "sv.ngocanh@demo.example"),
            ),
        ),
    ),
    DemoClub(
        name="CLB Lập trình và Khởi nghiệp ICTU",
        university_hint="Công nghệ Thông tin",
        leader="clb.ictu@demo.example",
        description=(
            "Câu lạc bộ lập trình của sinh viên Trường Đại học Công nghệ Thông tin và Truyền thông.\n\n"
            "- Hackathon hai lần mỗi năm\n- Nhận dự án chuyển đổi số nhỏ từ xã, phường và hợp tác xã\n"
            "- Cùng nhau học và làm sản phẩm thật"
        ),
        contact_email="ictu.startup@demo.example",
        members=("sv.duc@demo.example", "sv.khanh@demo.example", "sv.nam@demo.example",
                 "sv.lananh@demo.example", "sv.huy@demo.example"),
        teams=(
            DemoTeam(
                name="Trợ Lý Dịch Vụ Công",
                idea=(
                    "Trợ lý trò chuyện giúp người dân tra cứu thủ tục hành chính và chuẩn bị hồ sơ "
                    "trước khi đến phường."
                ),
                members=("sv.khanh@demo.example", "sv.duc@demo.example", "sv.lananh@demo.example"),
                mentor_wanted=True,
            ),
            DemoTeam(
                name="Bản Đồ Việc Làm Sinh Viên",
                idea="Bản đồ việc làm bán thời gian quanh các trường đại học, có đánh giá của chính sinh viên.",
                members=("sv.huy@demo.example", "sv.nam@demo.example"),
            ),
        ),
    ),
    DemoClub(
        name="CLB Sáng kiến Sức khỏe Y Dược",
        university_hint="Y Dược",
        leader="clb.yduoc@demo.example",
        description=(
            "Sinh viên y, dược và điều dưỡng cùng tìm giải pháp cho chăm sóc sức khỏe ở tuyến xã: "
            "nhắc lịch uống thuốc, sơ cứu, tư vấn dinh dưỡng."
        ),
        contact_email=None,
        members=("sv.yen@demo.example", "sv.hoa@demo.example", "sv.thao@demo.example"),
        teams=(
            DemoTeam(
                name="Nhắc Uống Thuốc",
                idea="Hộp thuốc chia ngăn có đèn và tin nhắn nhắc giờ cho người cao tuổi sống một mình.",
                members=("sv.yen@demo.example", "sv.hoa@demo.example"),
                mentor_wanted=True,
            ),
            DemoTeam(
                name="Sơ Cứu Cho Mọi Nhà",
                idea="Các video sơ cứu ngắn bằng tiếng Việt và tiếng Tày, kèm bài kiểm tra cho học sinh THCS.",
                members=("sv.thao@demo.example", "sv.yen@demo.example"),
            ),
        ),
    ),
]


def _account(email: str, name: str, roles: set[Role]) -> User:
    user = find_user_by_email(email)
    if user is None:
        user = create_confirmed_user(email, DEMO_PASSWORD, name, roles)
        db.session.flush()
    return user


def _university(universities: list[Component], hint: str) -> Component | None:
    return next((university for university in universities if hint.lower() in university.name.lower()), None)


def _locality_id(university: Component) -> int | None:
    if university.locality_id:
        return university.locality_id
    localities = active_localities()
    return localities[0].id if localities else None


def seed() -> list[str]:
    """Create what is missing; return lines to print."""
    universities = club_profiles.universities()
    if not universities:
        return ["Clubs: skipped, the directory has no university yet (run the directory demo first)."]
    people = {email: _account(email, name, set()) for email, name in STUDENTS}
    people.update({email: _account(email, name, {Role.CLUB_LEADER}) for email, name in LEADERS})
    leader = find_user_by_email(DEMO_CLUB_LEADER) or _account(DEMO_CLUB_LEADER, "Hoàng Thu Hà", {Role.CLUB_LEADER})
    people[DEMO_CLUB_LEADER] = leader
    db.session.commit()

    new_clubs = new_teams = converted = 0
    lines = []
    for number, demo in enumerate(CLUBS):
        university = _university(universities, demo.university_hint) or universities[number % len(universities)]
        club = db.session.scalar(select(Club).where(Club.name == demo.name))
        if club is None:
            club = club_profiles.create_club(people[demo.leader], services.ClubData(
                name=demo.name, university_id=university.id, description=demo.description,
                contact_email=demo.contact_email,
            ))
            new_clubs += 1
        for email in demo.members:
            club_members.join_club(club, people[email])
        db.session.commit()
        for demo_team in demo.teams:
            team = db.session.scalar(select(Team).where(Team.club_id == club.id, Team.name == demo_team.name))
            if team is None:
                team = club_teams.create_team(club, services.TeamData(
                    name=demo_team.name, idea=demo_team.idea, mentor_wanted=demo_team.mentor_wanted,
                    member_ids=tuple(people[email].id for email in demo_team.members),
                    lead_id=people[demo_team.members[0]].id,
                ))
                new_teams += 1
            if demo_team.became and team.startup_id is None:
                name, sector, stage = demo_team.became
                if db.session.scalar(select(Startup.id).where(Startup.name == name)) is not None:
                    continue  # someone registered it by hand: leave the team as it is
                locality_id = _locality_id(club.university)
                if locality_id is None:
                    lines.append(f"Clubs: “{team.name}” not converted, no commune or ward is loaded.")
                    continue
                club_conversion.convert_team_to_startup(
                    team, people[demo_team.members[0]],
                    services.ConversionData(name=name, sector=sector, stage=stage, locality_id=locality_id),
                )
                converted += 1
    total = db.session.scalar(select(db.func.count()).select_from(Club))
    lines.insert(0, f"Clubs: {total} clubs ({new_clubs} new), {new_teams} new teams, {converted} converted "
                    f"to a startup; club leader {DEMO_CLUB_LEADER}, students sv.*@demo.example")
    return lines
