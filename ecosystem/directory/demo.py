"""Demo data for the directory domain: the components of the Thái Nguyên startup ecosystem.

Real public bodies (the universities of the Thái Nguyên University system, the
department, associations) are described only by their well-known role; the
incubators, the co-working spaces, the angel network, the media and the
companies are invented for the demo (their web addresses end in `.example`).
"""

from __future__ import annotations

from sqlalchemy import select

from ecosystem.auth.models import User
from ecosystem.directory.models import Component, ComponentKind
from ecosystem.directory.services import ComponentData, create_component, suggest_component
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.places.provinces import HOME_PROVINCE
from ecosystem.startups.models import Startup

K = ComponentKind

# (name, kind, ward, address, services, description, website, e-mail)
COMPONENTS: list[tuple[str, ComponentKind, str | None, str | None, list[str], str, str | None, str | None]] = [
    (
        "Đại học Thái Nguyên", K.UNIVERSITY, None, None,
        ["đào tạo", "nghiên cứu khoa học", "chuyển giao công nghệ"],
        "Đại học vùng của khu vực trung du và miền núi phía Bắc, gồm nhiều trường đại học thành viên, "
        "khoa và trung tâm trực thuộc.\n\nĐầu mối kết nối các trường thành viên với doanh nghiệp, "
        "địa phương và các chương trình khởi nghiệp dành cho sinh viên.",
        None, None,
    ),
    (
        "Trường Đại học Kỹ thuật Công nghiệp – Đại học Thái Nguyên", K.UNIVERSITY, "Phường Tích Lương", None,
        ["đào tạo", "phòng thí nghiệm", "chuyển giao công nghệ", "thử nghiệm sản phẩm"],
        "Trường đào tạo kỹ sư các ngành cơ khí, điện, điện tử, tự động hóa và công nghệ.\n\n"
        "Sinh viên và giảng viên có thể phối hợp với các nhóm khởi nghiệp để làm mẫu thử, "
        "gia công và đo kiểm sản phẩm kỹ thuật.",
        None, None,
    ),
    (
        "Trường Đại học Nông Lâm – Đại học Thái Nguyên", K.UNIVERSITY, "Phường Quyết Thắng", None,
        ["đào tạo", "nghiên cứu khoa học", "phòng thí nghiệm", "chuyển giao công nghệ"],
        "Trường đào tạo và nghiên cứu về nông nghiệp, lâm nghiệp, chăn nuôi, thú y, môi trường "
        "và công nghệ thực phẩm.\n\nNơi các dự án nông nghiệp công nghệ cao, chè và nông sản "
        "địa phương tìm chuyên gia và mô hình thử nghiệm.",
        None, None,
    ),
    (
        "Trường Đại học Sư phạm – Đại học Thái Nguyên", K.UNIVERSITY, "Phường Phan Đình Phùng", None,
        ["đào tạo", "nghiên cứu khoa học"],
        "Trường đào tạo giáo viên và cán bộ quản lý giáo dục cho các tỉnh miền núi phía Bắc.\n\n"
        "Phù hợp với các nhóm làm sản phẩm giáo dục (edtech) cần thử nghiệm với giáo viên và học sinh.",
        None, None,
    ),
    (
        "Trường Đại học Y Dược – Đại học Thái Nguyên", K.UNIVERSITY, "Phường Phan Đình Phùng", None,
        ["đào tạo", "nghiên cứu khoa học", "tư vấn chuyên môn"],
        "Trường đào tạo bác sĩ, dược sĩ, điều dưỡng và cán bộ y tế cho khu vực miền núi phía Bắc.\n\n"
        "Các nhóm khởi nghiệp trong lĩnh vực y tế có thể tìm tư vấn chuyên môn và đối tác nghiên cứu.",
        None, None,
    ),
    (
        "Trường Đại học Kinh tế và Quản trị Kinh doanh – Đại học Thái Nguyên", K.UNIVERSITY,
        "Phường Tích Lương", None,
        ["đào tạo", "đào tạo khởi nghiệp", "tư vấn tài chính", "lập kế hoạch kinh doanh"],
        "Trường đào tạo về kinh tế, quản trị, kế toán, tài chính và marketing.\n\n"
        "Giảng viên và sinh viên thường tham gia góp ý mô hình kinh doanh, kế hoạch tài chính "
        "cho các dự án khởi nghiệp.",
        None, None,
    ),
    (
        "Trường Đại học Công nghệ Thông tin và Truyền thông – Đại học Thái Nguyên", K.UNIVERSITY,
        "Phường Quyết Thắng", None,
        ["đào tạo", "chuyển đổi số", "phát triển phần mềm", "phòng thí nghiệm"],
        "Trường đào tạo công nghệ thông tin, điện tử viễn thông, truyền thông đa phương tiện và "
        "các ngành công nghệ số.\n\nNguồn nhân lực và cố vấn kỹ thuật cho các dự án phần mềm, "
        "ứng dụng di động và chuyển đổi số.",
        None, None,
    ),
    (
        "Trường Đại học Khoa học – Đại học Thái Nguyên", K.UNIVERSITY, "Phường Quyết Thắng", None,
        ["đào tạo", "nghiên cứu khoa học", "phòng thí nghiệm"],
        "Trường đào tạo các ngành khoa học tự nhiên, khoa học xã hội, du lịch và công nghệ sinh học.\n\n"
        "Có thể hỗ trợ phân tích, kiểm nghiệm và nghiên cứu cho các sản phẩm mới.",
        None, None,
    ),
    (
        "Trường Cao đẳng Thương mại và Du lịch", K.UNIVERSITY, None, None,
        ["đào tạo", "đào tạo nghề", "du lịch"],
        "Trường cao đẳng đào tạo nghề thương mại, kế toán, nhà hàng – khách sạn và du lịch.\n\n"
        "Phù hợp với các dự án du lịch cộng đồng và dịch vụ cần nhân lực thực hành.",
        None, None,
    ),
    (
        "Trường Cao đẳng Công nghiệp Thái Nguyên", K.UNIVERSITY, None, None,
        ["đào tạo", "đào tạo nghề", "thử nghiệm sản phẩm"],
        "Trường cao đẳng đào tạo nghề kỹ thuật cho các khu công nghiệp của tỉnh: cơ khí, điện, "
        "điện tử và công nghệ ô tô.",
        None, None,
    ),
    (
        "Sở Khoa học và Công nghệ tỉnh Thái Nguyên", K.GOVERNMENT_AGENCY, "Phường Phan Đình Phùng", None,
        ["chính sách hỗ trợ", "sở hữu trí tuệ", "tài trợ đề tài", "kết nối hệ sinh thái"],
        "Cơ quan chuyên môn của Ủy ban nhân dân tỉnh về khoa học, công nghệ và đổi mới sáng tạo; "
        "đơn vị vận hành nền tảng này.\n\n"
        "- Hướng dẫn các chính sách hỗ trợ khởi nghiệp đổi mới sáng tạo của tỉnh\n"
        "- Hỗ trợ đăng ký sở hữu trí tuệ, tiêu chuẩn và chất lượng\n"
        "- Tổ chức đoàn doanh nghiệp khởi nghiệp tham dự các kỳ Techfest",
        None, None,
    ),
    (
        "Trung tâm Phục vụ hành chính công tỉnh Thái Nguyên", K.GOVERNMENT_AGENCY, None, None,
        ["thủ tục hành chính", "dịch vụ công trực tuyến"],
        "Nơi tiếp nhận và trả kết quả thủ tục hành chính của tỉnh.\n\nCác nhà sáng lập có thể "
        "tìm hiểu thủ tục đăng ký doanh nghiệp, hộ kinh doanh và nộp hồ sơ trực tuyến.",
        None, None,
    ),
    (
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Thái Nguyên", K.RESEARCH_INSTITUTE, None, None,
        ["chuyển giao công nghệ", "phòng thí nghiệm", "thử nghiệm sản phẩm"],
        "Đơn vị ứng dụng và chuyển giao kết quả nghiên cứu vào sản xuất, đặc biệt trong nông nghiệp "
        "và chế biến nông sản.",
        None, None,
    ),
    (
        "Phòng thí nghiệm Chè và Nông sản bản địa", K.RESEARCH_INSTITUTE, "Xã Tân Cương",
        "Vùng chè Tân Cương",
        ["phòng thí nghiệm", "kiểm nghiệm chất lượng", "nghiên cứu khoa học"],
        "Nhóm nghiên cứu về giống chè, quy trình chế biến và bảo quản nông sản đặc sản.\n\n"
        "Nhận mẫu để thử nghiệm quy trình mới cho các hợp tác xã và nhóm khởi nghiệp OCOP.",
        "https://chevanongsan.example", "lienhe@chevanongsan.example",
    ),
    (
        "Vườn ươm Khởi nghiệp Đổi mới sáng tạo Thái Nguyên", K.INCUBATOR, "Phường Phan Đình Phùng", None,
        ["ươm tạo", "cố vấn", "đào tạo khởi nghiệp", "kết nối đầu tư"],
        "Chương trình ươm tạo sáu tháng cho các nhóm có ý tưởng hoặc sản phẩm mẫu.\n\n"
        "Mỗi nhóm có cố vấn đồng hành, các buổi đào tạo về mô hình kinh doanh, gọi vốn và "
        "cơ hội trình bày trước nhà đầu tư vào cuối khóa.",
        "https://vuonuom-thainguyen.example", "uomtao@vuonuom-thainguyen.example",
    ),
    (
        "Vườn ươm Nông nghiệp công nghệ cao Đại Từ", K.INCUBATOR, "Xã Đại Từ", None,
        ["ươm tạo", "nông nghiệp công nghệ cao", "kết nối thị trường"],
        "Vườn ươm dành cho các dự án nông nghiệp: nhà màng thử nghiệm, tư vấn quy trình canh tác "
        "và hỗ trợ xây dựng sản phẩm OCOP.",
        "https://uomnongnghiep.example", "lienhe@uomnongnghiep.example",
    ),
    (
        "Chương trình Tăng tốc Nông sản Xanh", K.ACCELERATOR, None, None,
        ["tăng tốc", "kết nối thị trường", "xúc tiến thương mại", "cố vấn"],
        "Chương trình tăng tốc ba tháng cho các doanh nghiệp nông sản đã có doanh thu, "
        "tập trung vào mở rộng kênh bán hàng, thương mại điện tử và xuất khẩu.",
        "https://nongsanxanh.example", "tangtoc@nongsanxanh.example",
    ),
    (
        "Chương trình Tăng tốc Chuyển đổi số Doanh nghiệp nhỏ", K.ACCELERATOR, "Phường Gia Sàng", None,
        ["tăng tốc", "chuyển đổi số", "cố vấn"],
        "Đồng hành cùng các doanh nghiệp nhỏ và hộ kinh doanh đưa bán hàng, kế toán và thanh toán "
        "không dùng tiền mặt lên môi trường số.",
        "https://tangtocso.example", "hotro@tangtocso.example",
    ),
    (
        "Mạng lưới Nhà đầu tư thiên thần Thái Nguyên", K.INVESTOR, None, None,
        ["đầu tư thiên thần", "kết nối đầu tư", "cố vấn"],
        "Nhóm doanh nhân và chuyên gia trong tỉnh cùng xem xét, đầu tư và cố vấn cho các dự án "
        "khởi nghiệp giai đoạn sớm.\n\nCác buổi gặp gỡ nhà đầu tư được tổ chức định kỳ.",
        "https://thienthan-tn.example", "ketnoi@thienthan-tn.example",
    ),
    (
        "Quỹ Phát triển khoa học và công nghệ tỉnh Thái Nguyên", K.INVESTOR, None, None,
        ["tài trợ đề tài", "cho vay ưu đãi", "chính sách hỗ trợ"],
        "Quỹ của tỉnh tài trợ và hỗ trợ các nhiệm vụ khoa học, công nghệ và đổi mới sáng tạo "
        "theo quy định.",
        None, None,
    ),
    (
        "Gia Sàng Hub – Không gian làm việc chung", K.COWORKING, "Phường Gia Sàng", None,
        ["không gian làm việc", "phòng họp", "sự kiện cộng đồng"],
        "Không gian làm việc chung mở cửa cả tuần, có chỗ ngồi linh hoạt, phòng họp nhỏ và khu "
        "tổ chức sự kiện.\n\nThứ Sáu hằng tuần có buổi cà phê khởi nghiệp cho cộng đồng.",
        "https://giasanghub.example", "xinchao@giasanghub.example",
    ),
    (
        "Trạm Sáng tạo Sông Công", K.COWORKING, "Phường Sông Công", None,
        ["không gian làm việc", "xưởng chế tạo", "thử nghiệm sản phẩm"],
        "Không gian làm việc kết hợp xưởng chế tạo nhỏ với máy in 3D và máy cắt laser, "
        "dành cho các nhóm làm sản phẩm phần cứng.",
        "https://tramsangtao.example", "lienhe@tramsangtao.example",
    ),
    (
        "Hiệp hội Doanh nghiệp tỉnh Thái Nguyên", K.SUPPORT_ORGANISATION, None, None,
        ["kết nối doanh nghiệp", "xúc tiến thương mại", "chính sách hỗ trợ"],
        "Tổ chức của cộng đồng doanh nghiệp trong tỉnh: kết nối hội viên, phản ánh kiến nghị "
        "và giới thiệu đối tác cho doanh nghiệp mới thành lập.",
        None, None,
    ),
    (
        "Tỉnh Đoàn Thái Nguyên – Hỗ trợ thanh niên khởi nghiệp", K.SUPPORT_ORGANISATION, None, None,
        ["đào tạo khởi nghiệp", "cuộc thi khởi nghiệp", "kết nối hệ sinh thái"],
        "Các hoạt động của Đoàn Thanh niên hỗ trợ thanh niên khởi nghiệp: tập huấn, cuộc thi "
        "ý tưởng và kết nối với doanh nhân trẻ.",
        None, None,
    ),
    (
        "Hội Liên hiệp Phụ nữ tỉnh Thái Nguyên – Phụ nữ khởi nghiệp", K.SUPPORT_ORGANISATION, None, None,
        ["đào tạo khởi nghiệp", "kết nối thị trường", "hợp tác xã"],
        "Hỗ trợ phụ nữ khởi nghiệp và phát triển kinh tế: tập huấn, tư vấn thành lập hợp tác xã "
        "và giới thiệu sản phẩm tới thị trường.",
        None, None,
    ),
    (
        "Tạp chí số Khởi nghiệp Xứ Trà", K.MEDIA, None, None,
        ["truyền thông", "giới thiệu sản phẩm"],
        "Trang tin điện tử kể chuyện các nhà sáng lập, sản phẩm mới và sự kiện khởi nghiệp "
        "trong tỉnh. Nhận bài giới thiệu từ cộng đồng.",
        "https://khoinghiepxutra.example", "toasoan@khoinghiepxutra.example",
    ),
    (
        "Podcast Người trẻ làm nông", K.MEDIA, None, None,
        ["truyền thông", "podcast"],
        "Chương trình âm thanh hằng tuần trò chuyện với những người trẻ về quê làm nông nghiệp, "
        "chè, dược liệu và du lịch cộng đồng.",
        "https://nguoitrelamnong.example", "podcast@nguoitrelamnong.example",
    ),
    (
        "Công ty Cổ phần Trà Đồi Xanh", K.ENTERPRISE_PARTNER, "Xã Tân Cương", None,
        ["kết nối thị trường", "bao tiêu sản phẩm", "cố vấn"],
        "Doanh nghiệp chè sẵn sàng làm đối tác cho các dự án về bao bì, truy xuất nguồn gốc và "
        "du lịch trải nghiệm vùng chè.",
        "https://tradoixanh.example", "hoptac@tradoixanh.example",
    ),
    (
        "Công ty TNHH Giải pháp Phần mềm Thái Nguyên", K.ENTERPRISE_PARTNER, "Phường Quyết Thắng", None,
        ["phát triển phần mềm", "chuyển đổi số", "cố vấn"],
        "Doanh nghiệp phần mềm nhận sinh viên thực tập, cố vấn kỹ thuật và cùng phát triển sản phẩm "
        "với các nhóm khởi nghiệp công nghệ.",
        "https://phanmemtn.example", "hoptac@phanmemtn.example",
    ),
    (
        "Hợp tác xã Nông sản sạch Phú Bình", K.ENTERPRISE_PARTNER, "Xã Phú Bình", None,
        ["bao tiêu sản phẩm", "vùng nguyên liệu", "kết nối thị trường"],
        "Hợp tác xã liên kết nông dân trồng rau và lúa theo hướng hữu cơ; đối tác vùng nguyên liệu "
        "cho các dự án chế biến và bán hàng trực tuyến.",
        None, None,
    ),
]

# A member's suggestion waiting in the review queue.
PENDING_SUGGESTION = (
    "Cà phê Sách Góc Khởi nghiệp", K.COWORKING, "Phường Quan Triều", None,
    ["không gian làm việc", "sự kiện cộng đồng"],
    "Quán cà phê sách có góc làm việc yên tĩnh và tổ chức buổi chia sẻ khởi nghiệp vào tối thứ Bảy.",
    None, None,
)

# Startups (by slug, from the startups demo) that the invented components support. Real
# organisations get no links: the demo does not claim who they support. Sectors are a
# fallback so the demo still shows links if those slugs change.
STARTUP_LINKS = {
    "Vườn ươm Khởi nghiệp Đổi mới sáng tạo Thái Nguyên": (
        ["tem-truy-xuat-atk", "hoc-cung-tnu", "kham-tu-xa-vung-cao", "bao-bi-xanh-pho-yen"], ["software", "edtech"]),
    "Vườn ươm Nông nghiệp công nghệ cao Đại Từ": (["nong-san-dai-tu", "ao-thong-minh", "bay-xanh-dong-hy"],
                                                 ["agritech"]),
    "Chương trình Tăng tốc Nông sản Xanh": (["che-tan-cuong-xanh", "mat-ong-hoa-rung-la-hien", "cho-que-online"],
                                            ["food-ocop", "e-commerce"]),
    "Mạng lưới Nhà đầu tư thiên thần Thái Nguyên": (["vi-hop-tac-xa", "kho-lanh-ket-noi"], ["fintech"]),
    "Trạm Sáng tạo Sông Công": (["in-3d-linh-son", "dien-tu-trung-thanh"], ["manufacturing"]),
    "Gia Sàng Hub – Không gian làm việc chung": (["so-thue-ho-kinh-doanh", "homestay-ho-nui-coc"], ["tourism"]),
    "Phòng thí nghiệm Chè và Nông sản bản địa": (["hong-tra-phu-luong", "tra-chieu-tan-cuong"], ["food-ocop"]),
    "Công ty TNHH Giải pháp Phần mềm Thái Nguyên": (["phan-mem-song-cong", "viec-lam-khu-cong-nghiep"],
                                                     ["software"]),
}
LINKS_PER_COMPONENT = 3
DEMO_COORDINATOR = "dieuphoi@demo.example"
DEMO_MEMBER = "thanhvien@demo.example"


def _data(entry, localities: dict[str, int]) -> ComponentData:
    name, kind, ward, address, services, description, website, email = entry
    return ComponentData(
        name=name, kind=kind.value, description=description, services=services, address=address,
        province=HOME_PROVINCE, locality_id=localities.get(ward) if ward else None,
        website=website, contact_email=email,
    )


def _startups_for(slugs: list[str], sectors: list[str]) -> list[Startup]:
    """The public startups named by `slugs`; if none exists, a few public ones of `sectors`."""
    public = select(Startup).where(Startup.is_public.is_(True)).order_by(Startup.search_name)
    found = list(db.session.scalars(public.where(Startup.slug.in_(slugs))))
    if not found:
        found = list(db.session.scalars(public.where(Startup.sector.in_(sectors)).limit(LINKS_PER_COMPONENT)))
    return found


def seed() -> list[str]:
    """Create what is missing; return lines to print."""
    existing = set(db.session.scalars(select(Component.name)))
    localities = {
        name: locality_id
        for name, locality_id in db.session.execute(
            select(Locality.name, Locality.id).where(Locality.province == HOME_PROVINCE, Locality.is_active.is_(True))
        )
    }
    coordinator = db.session.scalar(select(User).where(User.email == DEMO_COORDINATOR))
    created = 0
    for entry in COMPONENTS:
        if entry[0] not in existing:
            create_component(_data(entry, localities), coordinator)
            created += 1
    member = db.session.scalar(select(User).where(User.email == DEMO_MEMBER))
    if member is not None and PENDING_SUGGESTION[0] not in existing:
        suggest_component(_data(PENDING_SUGGESTION, localities), member)
        created += 1
    linked = 0
    for name, (slugs, sectors) in STARTUP_LINKS.items():
        component = db.session.scalar(select(Component).where(Component.name == name))
        if component is None or component.startups:
            continue
        startups = _startups_for(slugs, sectors)
        component.startups.extend(startups)
        linked += len(startups)
    db.session.commit()
    total = db.session.scalar(select(db.func.count()).select_from(Component))
    return [f"Directory: {total} components ({created} new), {linked} new links to startups"]
