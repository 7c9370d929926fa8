"""Demo data for the startups domain: startups of Thái Nguyên, written for this project.

The companies, people, addresses and tax codes are invented; the communes and wards are
real (the 2025 list). Web sites use the reserved `.example` domain.
"""

from __future__ import annotations

from ecosystem.auth.demo import DEMO_PASSWORD, DEMO_USERS
from ecosystem.auth.models import Role, User
from ecosystem.auth.services import create_confirmed_user, find_user_by_email
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.places.provinces import HOME_PROVINCE
from ecosystem.startups.members import add_member
from ecosystem.startups.models import Startup
from ecosystem.startups.profiles import create_startup
from ecosystem.startups.services import StartupData, StartupError
from ecosystem.startups.verification import verify_startup

DEMO_FOUNDER = "sangly@demo.example"
COORDINATOR = "dieuphoi@demo.example"

# Owners created for the demo (password: the demo password of ecosystem/auth/demo.py).
FOUNDERS = {
    "nguyen.thu.trang@demo.example": "Nguyễn Thu Trang",
    "hoang.van.duc@demo.example": "Hoàng Văn Đức",
    "le.minh.chau@demo.example": "Lê Minh Châu",
    "dang.quoc.viet@demo.example": "Đặng Quốc Việt",
    "ma.thi.hoa@demo.example": "Ma Thị Hoa",
    "tran.hai.nam@demo.example": "Trần Hải Nam",
    "vu.thanh.huong@demo.example": "Vũ Thanh Hương",
    "bui.tuan.anh@demo.example": "Bùi Tuấn Anh",
    "luong.van.hieu@demo.example": "Lương Văn Hiếu",
    "ngo.bich.ngoc@demo.example": "Ngô Bích Ngọc",
}

STARTUPS: list[dict] = [
    {
        "name": "Chè Tân Cương Xanh",
        "tagline": "Chè búp sạch đạt OCOP 4 sao, truy xuất nguồn gốc bằng mã QR",
        "description": (
            "Chúng tôi là hợp tác xã của 42 hộ trồng chè ở vùng chè đặc sản Tân Cương. "
            "Từ năm 2019, cả vùng nguyên liệu chuyển sang canh tác theo VietGAP, không dùng thuốc diệt cỏ.\n\n"
            "## Sản phẩm\n\n"
            "- Chè nõn tôm và chè đinh, sao bằng chảo gang theo cách truyền thống\n"
            "- Trà túi lọc cho văn phòng và khách sạn\n"
            "- Hộp quà Tết in mã QR: quét để xem lô chè được hái ở đồi nào, ngày nào\n\n"
            "Chúng tôi đang tìm nhà phân phối tại Hà Nội và đối tác xuất khẩu sang Hàn Quốc."
        ),
        "sector": "food-ocop", "stage": "early-revenue", "founded_year": 2019, "locality": "Xã Tân Cương",
        "website": "https://chetancuongxanh.example", "contact_email": "lienhe@chetancuongxanh.example",
        "tax_code": "4600999101", "contact_phone": "0208399101", "verified": True, "owner": DEMO_FOUNDER,
    },
    {
        "name": "Nông sản Đại Từ",
        "tagline": "Rau VietGAP của 120 nông hộ đến thẳng bếp ăn trường học",
        "description": (
            "Nông sản Đại Từ thu mua rau, củ và trứng của các nông hộ trong xã, sơ chế trong xưởng đạt chuẩn "
            "và giao mỗi sáng cho 35 bếp ăn trường học, bệnh viện trong tỉnh.\n\n"
            "Nông dân xem đơn đặt hàng của tuần sau trên điện thoại nên chủ động gieo trồng, không còn cảnh "
            "được mùa mất giá. Năm 2024 chúng tôi đạt doanh thu 9,8 tỷ đồng."
        ),
        "sector": "agritech", "stage": "growth", "founded_year": 2018, "locality": "Xã Đại Từ",
        "website": "https://nongsandaitu.example", "contact_email": "donhang@nongsandaitu.example",
        "tax_code": "4600999102", "contact_phone": "0208399102", "verified": True, "owner": DEMO_FOUNDER,
        "team": [("le.minh.chau@demo.example", "Giám đốc vận hành")],
    },
    {
        "name": "Hồng Trà Phú Lương",
        "tagline": "Hồng trà lên men từ giống chè trung du trên 30 năm tuổi",
        "description": (
            "Chè trung du lá nhỏ của Phú Lương vốn chỉ làm chè xanh. Chúng tôi thử lên men theo quy trình "
            "hồng trà và được vị mật ong, hậu ngọt, hợp với giới trẻ và khách nước ngoài.\n\n"
            "Sản phẩm đang bán thử tại các quán cà phê ở phường Phan Đình Phùng và trên sàn thương mại điện tử."
        ),
        "sector": "food-ocop", "stage": "mvp", "founded_year": 2022, "locality": "Xã Phú Lương",
        "owner": DEMO_FOUNDER,
    },
    {
        "name": "Nấm Sạch Định Hóa",
        "tagline": "Nấm sò, nấm linh chi trồng trong nhà màng có cảm biến độ ẩm",
        "description": (
            "Trang trại nấm ở vùng ATK Định Hóa tận dụng mùn cưa và rơm rạ của bà con làm giá thể. "
            "Cảm biến nhiệt độ, độ ẩm tự bật phun sương, nên một người trông được 12 nhà nấm.\n\n"
            "Chúng tôi hướng dẫn miễn phí cho hộ nghèo muốn trồng nấm và bao tiêu sản phẩm."
        ),
        "sector": "agritech", "stage": "early-revenue", "founded_year": 2020, "locality": "Xã Định Hóa",
        "verified": True, "tax_code": "4600999103", "contact_phone": "0208399103", "owner": "ma.thi.hoa@demo.example",
    },
    {
        "name": "Tem Truy Xuất ATK",
        "tagline": "Tem QR truy xuất nguồn gốc giá rẻ cho hợp tác xã và sản phẩm OCOP",
        "description": (
            "Mỗi tem chỉ vài trăm đồng. Hợp tác xã nhập nhật ký canh tác trên điện thoại, khách hàng quét mã "
            "để xem vùng trồng, ngày thu hoạch và chứng nhận.\n\n"
            "Đã có 18 hợp tác xã ở Định Hóa, Phú Lương và Võ Nhai dùng thử."
        ),
        "sector": "software", "stage": "mvp", "founded_year": 2023, "locality": "Xã Trung Hội",
        "owner": "ma.thi.hoa@demo.example",
    },
    {
        "name": "Học Cùng TNU",
        "tagline": "Ôn thi và chia sẻ đề cương cho sinh viên các trường thuộc Đại học Thái Nguyên",
        "description": (
            "Nhóm sinh viên Trường Đại học Công nghệ Thông tin và Truyền thông xây dựng ứng dụng ôn thi "
            "theo từng học phần: ngân hàng câu hỏi do giảng viên duyệt, nhóm học và lịch thi.\n\n"
            "Sau một học kỳ chạy thử, 6.500 sinh viên đã dùng ứng dụng. Chúng tôi đang tìm cố vấn về mô hình "
            "doanh thu."
        ),
        "sector": "edtech", "stage": "mvp", "founded_year": 2022, "locality": "Phường Quyết Thắng",
        "website": "https://hoccungtnu.example", "owner": DEMO_FOUNDER,
        "team": [("thanhvien@demo.example", "CTO")],
    },
    {
        "name": "Lab Robot Nhí",
        "tagline": "Lớp STEM và lập trình robot cho học sinh tiểu học, trung học cơ sở",
        "description": (
            "Lab Robot Nhí mở lớp cuối tuần và câu lạc bộ sau giờ học tại 14 trường trong tỉnh. "
            "Bộ kit robot do chúng tôi tự thiết kế, rẻ hơn một nửa so với hàng nhập khẩu.\n\n"
            "Đội học sinh của Lab đã giành giải Nhì cuộc thi sáng tạo thanh thiếu niên nhi đồng toàn quốc."
        ),
        "sector": "edtech", "stage": "early-revenue", "founded_year": 2021, "locality": "Phường Phan Đình Phùng",
        "verified": True, "tax_code": "4600999104", "owner": "vu.thanh.huong@demo.example",
        "contact_phone": "0208399104",
    },
    {
        "name": "Tiếng Anh Vùng Cao",
        "tagline": "Học tiếng Anh trên điện thoại cho học sinh người Tày, Nùng, Dao",
        "description": (
            "Bài học ngắn, chạy được khi mạng yếu, có giải thích bằng tiếng Việt và tiếng Tày. "
            "Giáo viên ở điểm trường xem được tiến độ của từng em.\n\n"
            "Chúng tôi đang thử nghiệm với ba trường ở Ba Bể và Ngân Sơn."
        ),
        "sector": "edtech", "stage": "prototype", "founded_year": 2024, "locality": "Xã Ba Bể",
        "owner": "vu.thanh.huong@demo.example",
    },
    {
        "name": "Homestay Hồ Núi Cốc",
        "tagline": "Đặt homestay, thuyền và tour đồi chè quanh hồ Núi Cốc",
        "description": (
            "Nền tảng đặt phòng của 27 homestay và nhà vườn ven hồ Núi Cốc. Khách đặt trọn gói: phòng, "
            "thuyền ra đảo, buổi hái chè và sao chè cùng người dân.\n\n"
            "Chủ nhà nhận tiền qua mã QR, không phải trả hoa hồng cao như các nền tảng lớn."
        ),
        "sector": "tourism", "stage": "early-revenue", "founded_year": 2019, "locality": "Xã Đại Phúc",
        "website": "https://homestaynuicoc.example", "verified": True, "tax_code": "4600999105",
        "contact_phone": "0208399105",
        "owner": "tran.hai.nam@demo.example",
    },
    {
        "name": "Ba Bể Xanh",
        "tagline": "Du lịch cộng đồng bền vững cùng người Tày quanh hồ Ba Bể",
        "description": (
            "Chúng tôi đào tạo thanh niên trong bản làm hướng dẫn viên, chèo thuyền độc mộc và giới thiệu "
            "ẩm thực địa phương. Mỗi tour đóng góp 5% cho quỹ bảo vệ rừng của thôn."
        ),
        "sector": "tourism", "stage": "mvp", "founded_year": 2023, "locality": "Xã Ba Bể",
        "owner": "tran.hai.nam@demo.example",
    },
    {
        "name": "Cơ Khí Chính Xác Yên Bình",
        "tagline": "Đồ gá và khuôn mẫu cho nhà cung cấp linh kiện điện tử",
        "description": (
            "Xưởng CNC 5 trục phục vụ các doanh nghiệp cấp 2, cấp 3 trong chuỗi cung ứng của khu công nghiệp "
            "Yên Bình. Chúng tôi nhận đơn nhỏ, giao trong 72 giờ.\n\n"
            "Đã đạt ISO 9001:2015; đang chuẩn bị đánh giá để trở thành nhà cung cấp trực tiếp cho doanh nghiệp "
            "FDI."
        ),
        "sector": "manufacturing", "stage": "growth", "founded_year": 2016, "locality": "Phường Vạn Xuân",
        "website": "https://cokhiyenbinh.example", "contact_email": "baogia@cokhiyenbinh.example",
        "verified": True, "tax_code": "4600999106", "owner": "hoang.van.duc@demo.example",
        "contact_phone": "0208399106",
    },
    {
        "name": "Bao Bì Xanh Phổ Yên",
        "tagline": "Khay và hộp đóng gói từ bã mía thay cho nhựa xốp",
        "description": (
            "Bao bì ép từ bã mía và tre, tự phân hủy sau 90 ngày. Khách hàng là các nhà máy điện tử cần khay "
            "lót linh kiện và các quán ăn quanh khu công nghiệp."
        ),
        "sector": "cleantech", "stage": "early-revenue", "founded_year": 2020, "locality": "Phường Phổ Yên",
        "owner": "hoang.van.duc@demo.example",
    },
    {
        "name": "Điện Tử Trung Thành",
        "tagline": "Kiểm tra bo mạch tự động bằng camera và trí tuệ nhân tạo",
        "description": (
            "Máy kiểm tra quang học giá vừa phải cho xưởng lắp ráp vừa và nhỏ: phát hiện thiếu linh kiện, "
            "hàn lệch, cầu thiếc. Phần mềm do đội kỹ sư người Thái Nguyên phát triển."
        ),
        "sector": "manufacturing", "stage": "mvp", "founded_year": 2022, "locality": "Phường Trung Thành",
        "owner": "dang.quoc.viet@demo.example",
    },
    {
        "name": "Phần Mềm Sông Công",
        "tagline": "Quản lý kho và chấm công cho doanh nghiệp công nghiệp hỗ trợ",
        "description": (
            "Phần mềm chạy trên trình duyệt và máy quét mã vạch, kết nối với máy chấm công khuôn mặt. "
            "Hơn 40 doanh nghiệp ở Sông Công, Phổ Yên và Bắc Ninh đang dùng."
        ),
        "sector": "software", "stage": "early-revenue", "founded_year": 2019, "locality": "Phường Sông Công",
        "website": "https://phanmemsongcong.example", "verified": True, "tax_code": "4600999107",
        "contact_phone": "0208399107",
        "owner": "dang.quoc.viet@demo.example",
    },
    {
        "name": "Chợ Quê Online",
        "tagline": "Sàn bán đặc sản và sản phẩm OCOP Thái Nguyên, giao trong ngày nội tỉnh",
        "description": (
            "Hơn 300 sản phẩm từ 90 cơ sở: chè, gạo bao thai, miến dong, mật ong, măng khô. Người bán được "
            "hỗ trợ chụp ảnh, viết mô tả và livestream.\n\n"
            "Khách trong tỉnh nhận hàng trong ngày, khách ngoài tỉnh trong 2–3 ngày."
        ),
        "sector": "e-commerce", "stage": "early-revenue", "founded_year": 2021, "locality": "Phường Gia Sàng",
        "website": "https://choqueonline.example", "owner": "nguyen.thu.trang@demo.example",
    },
    {
        "name": "Ví Hợp Tác Xã",
        "tagline": "Sổ thu chi điện tử và thanh toán QR cho hợp tác xã nông nghiệp",
        "description": (
            "Kế toán hợp tác xã ghi thu chi trên điện thoại, xã viên nhận tiền bán hàng qua mã QR và xem "
            "được phần của mình. Báo cáo tài chính cuối năm được tạo tự động."
        ),
        "sector": "fintech", "stage": "prototype", "founded_year": 2024, "locality": "Phường Quan Triều",
        "owner": "nguyen.thu.trang@demo.example",
    },
    {
        "name": "Khám Từ Xa Vùng Cao",
        "tagline": "Nối trạm y tế xã với bác sĩ tuyến tỉnh qua video",
        "description": (
            "Trạm y tế được trang bị máy đo điện tim, huyết áp và camera soi da kết nối mạng. Bác sĩ tuyến "
            "tỉnh hội chẩn từ xa, giúp người dân vùng cao không phải đi hàng chục cây số."
        ),
        "sector": "healthtech", "stage": "mvp", "founded_year": 2023, "locality": "Xã Võ Nhai",
        "owner": "bui.tuan.anh@demo.example",
    },
    {
        "name": "Dược Liệu Thần Sa",
        "tagline": "Trồng và chế biến cà gai leo, giảo cổ lam theo hướng GACP",
        "description": (
            "Vùng trồng 25 ha dưới tán rừng ở Thần Sa. Sản phẩm sấy lạnh, đóng túi lọc, "
            "đang làm hồ sơ OCOP 3 sao."
        ),
        "sector": "healthtech", "stage": "prototype", "founded_year": 2023, "locality": "Xã Thần Sa",
        "owner": "bui.tuan.anh@demo.example",
    },
    {
        "name": "Mật Ong Hoa Rừng La Hiên",
        "tagline": "Mật ong hoa rừng khai thác bền vững, đạt OCOP 3 sao",
        "description": (
            "Sáu mươi hộ nuôi ong dưới tán rừng tự nhiên. Mỗi lô mật được kiểm nghiệm độ ẩm và dư lượng "
            "kháng sinh trước khi đóng chai."
        ),
        "sector": "food-ocop", "stage": "early-revenue", "founded_year": 2020, "locality": "Xã La Hiên",
        "verified": True, "tax_code": "4600999108", "owner": "luong.van.hieu@demo.example",
        "contact_phone": "0208399108",
    },
    {
        "name": "Gạo Bao Thai Định Hóa",
        "tagline": "Gạo bao thai hồng Định Hóa, xay mới mỗi tuần, đóng túi hút chân không",
        "description": (
            "Giống lúa bao thai được bà con ATK trồng từ lâu đời, cơm dẻo vừa, để nguội không cứng. "
            "Chúng tôi liên kết 200 hộ, bao tiêu với giá cao hơn thị trường 10%."
        ),
        "sector": "food-ocop", "stage": "growth", "founded_year": 2017, "locality": "Xã Kim Phượng",
        "verified": True, "tax_code": "4600999109", "contact_phone": "0208399109", "owner": "ma.thi.hoa@demo.example",
    },
    {
        "name": "Miến Dong Na Rì",
        "tagline": "Miến dong thủ công làm từ củ dong riềng vùng cao Bắc Kạn",
        "description": (
            "Miến làm hoàn toàn từ tinh bột dong riềng, phơi nắng tự nhiên, không chất tẩy trắng. "
            "Chúng tôi đang đầu tư dây chuyền sấy để làm quanh năm."
        ),
        "sector": "food-ocop", "stage": "early-revenue", "founded_year": 2019, "locality": "Xã Na Rì",
        "owner": "luong.van.hieu@demo.example",
    },
    {
        "name": "Phân Bón Vi Sinh Phú Bình",
        "tagline": "Biến chất thải trang trại gà thành phân bón vi sinh, giảm mùi cho cả xóm",
        "description": (
            "Công nghệ ủ men vi sinh do các nhà khoa học Trường Đại học Nông Lâm chuyển giao. "
            "Một trang trại 10.000 con gà cho ra 40 tấn phân mỗi tháng, bán lại cho vùng chè và cây ăn quả."
        ),
        "sector": "cleantech", "stage": "mvp", "founded_year": 2022, "locality": "Xã Phú Bình",
        "owner": "luong.van.hieu@demo.example",
    },
    {
        "name": "Nắng Xanh Tích Lương",
        "tagline": "Điện mặt trời mái nhà cho nhà xưởng, giám sát sản lượng từ xa",
        "description": (
            "Khảo sát miễn phí, thiết kế, lắp đặt và bảo trì. Chủ xưởng xem sản lượng và tiền điện tiết kiệm "
            "theo từng giờ trên điện thoại."
        ),
        "sector": "cleantech", "stage": "early-revenue", "founded_year": 2021, "locality": "Phường Tích Lương",
        "owner": "dang.quoc.viet@demo.example",
    },
    {
        "name": "Ao Thông Minh",
        "tagline": "Cảm biến oxy và nhiệt độ nước báo động qua Zalo cho người nuôi cá",
        "description": (
            "Phao cảm biến chạy pin mặt trời đo oxy hòa tan, nhiệt độ và độ pH. Khi oxy xuống thấp, "
            "máy sục khí tự bật và chủ ao nhận tin nhắn."
        ),
        "sector": "agritech", "stage": "prototype", "founded_year": 2024, "locality": "Xã Phú Xuyên",
        "owner": "tran.hai.nam@demo.example",
    },
    {
        "name": "Bay Xanh Đồng Hỷ",
        "tagline": "Phun thuốc và bón phân bằng thiết bị bay cho vùng chè và lúa",
        "description": (
            "Đội bay được cấp phép, phục vụ theo mùa vụ. Lượng thuốc giảm 30% nhờ phun đúng liều, "
            "người phun không còn phải tiếp xúc với hóa chất."
        ),
        "sector": "agritech", "stage": "mvp", "founded_year": 2023, "locality": "Xã Đồng Hỷ",
        "owner": "hoang.van.duc@demo.example",
    },
    {
        "name": "Gỗ Rừng Trồng Chợ Mới",
        "tagline": "Nội thất lắp ráp từ gỗ keo rừng trồng có chứng chỉ FSC",
        "description": (
            "Bàn ghế, kệ sách gọn nhẹ, đóng hộp phẳng để giao hàng toàn quốc. Nguyên liệu mua của các hộ "
            "trồng rừng trong xã theo hợp đồng dài hạn."
        ),
        "sector": "manufacturing", "stage": "early-revenue", "founded_year": 2020, "locality": "Xã Chợ Mới",
        "owner": "ngo.bich.ngoc@demo.example",
    },
    {
        "name": "Việc Làm Khu Công Nghiệp",
        "tagline": "Tuyển công nhân cho các khu công nghiệp Yên Bình, Điềm Thụy, Sông Công",
        "description": (
            "Người lao động tìm việc theo ca, theo tuyến xe đưa đón và xem phản hồi thật về nơi làm việc. "
            "Doanh nghiệp đăng tin miễn phí, chỉ trả phí khi tuyển được người."
        ),
        "sector": "software", "stage": "early-revenue", "founded_year": 2021, "locality": "Xã Điềm Thụy",
        "owner": "ngo.bich.ngoc@demo.example",
    },
    {
        "name": "Sổ Thuế Hộ Kinh Doanh",
        "tagline": "Hóa đơn điện tử và sổ sách đơn giản cho hộ kinh doanh",
        "description": (
            "Từ năm 2026 hộ kinh doanh chuyển sang tự kê khai thuế. Ứng dụng giúp ghi doanh thu bằng giọng "
            "nói, xuất hóa đơn điện tử và nộp tờ khai đúng hạn."
        ),
        "sector": "fintech", "stage": "mvp", "founded_year": 2023, "locality": "Phường Phan Đình Phùng",
        "owner": "nguyen.thu.trang@demo.example",
    },
    {
        "name": "Sữa Hạt Bách Quang",
        "tagline": "Sữa hạt đóng chai từ đậu tương, lạc và ngô nếp của nông dân Thái Nguyên",
        "description": (
            "Không đường tinh luyện, không chất bảo quản, hạn dùng 5 ngày trong tủ mát. "
            "Đang cung cấp cho 20 trường mầm non."
        ),
        "sector": "food-ocop", "stage": "prototype", "founded_year": 2024, "locality": "Phường Bách Quang",
        "owner": "vu.thanh.huong@demo.example",
    },
    {
        "name": "In 3D Linh Sơn",
        "tagline": "In 3D mẫu thử và chi tiết thay thế cho xưởng cơ khí",
        "description": (
            "Nhận bản vẽ qua mạng, in bằng nhựa kỹ thuật hoặc kim loại, giao trong 48 giờ. "
            "Phù hợp để làm mẫu trước khi đặt khuôn."
        ),
        "sector": "manufacturing", "stage": "idea", "founded_year": 2025, "locality": "Phường Linh Sơn",
        "owner": "bui.tuan.anh@demo.example",
    },
    {
        "name": "Thư Viện Số Vùng Cao",
        "tagline": "Sách nói và truyện tranh song ngữ cho điểm trường vùng cao",
        "description": (
            "Máy đọc sách giá rẻ nạp sẵn sách nói, truyện tranh song ngữ Việt – Tày và Việt – Dao, "
            "cập nhật nội dung khi có mạng."
        ),
        "sector": "edtech", "stage": "idea", "founded_year": 2025, "locality": "Xã Ngân Sơn",
        "owner": "le.minh.chau@demo.example",
    },
    {
        "name": "Kho Lạnh Kết Nối",
        "tagline": "Vận chuyển lạnh nông sản Thái Nguyên sang các khu công nghiệp Bắc Ninh",
        "description": (
            "Đội xe lạnh và kho trung chuyển, theo dõi nhiệt độ từng chuyến. Khách hàng là các bếp ăn công nghiệp "
            "và chuỗi siêu thị."
        ),
        "sector": "e-commerce", "stage": "growth", "founded_year": 2018, "province": "Bắc Ninh",
        "locality_text": "Phường Kinh Bắc", "owner": "le.minh.chau@demo.example",
    },
    {
        "name": "Trà Chiều Tân Cương",
        "tagline": "Trải nghiệm pha trà và trà chiều giữa đồi chè (đang chuẩn bị)",
        "description": "Dự án còn ở giai đoạn ý tưởng; hồ sơ chưa công khai.",
        "sector": "tourism", "stage": "idea", "founded_year": 2025, "locality": "Xã Tân Cương",
        "is_public": False, "owner": DEMO_FOUNDER,
    },
    {
        "name": "Nông Trại Số Phú Đình",
        "tagline": "Nhật ký canh tác bằng giọng nói (bản nháp)",
        "description": "Nhóm đang phỏng vấn nông dân để kiểm chứng ý tưởng.",
        "sector": "software", "stage": "idea", "locality": "Xã Phú Đình",
        "is_public": False, "owner": "ma.thi.hoa@demo.example",
    },
]

STARTUP_FIELDS = ("name", "tagline", "description", "sector", "stage", "founded_year", "province", "locality_text",
                  "website", "contact_email", "contact_phone", "tax_code", "is_public")


def _demo_user(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        name = FOUNDERS.get(email) or next((name for address, name, _roles in DEMO_USERS if address == email), email)
        user = create_confirmed_user(email, DEMO_PASSWORD, name, {Role.FOUNDER})
        db.session.flush()
    return user


def seed() -> list[str]:
    """Create the demo startups that are missing (by name); return lines to print."""
    existing = set(db.session.scalars(db.select(Startup.name)))
    localities = dict(db.session.execute(
        db.select(Locality.name, Locality.id).where(Locality.province == HOME_PROVINCE)
    ).all())
    coordinator = find_user_by_email(COORDINATOR)
    created, skipped = 0, []
    for entry in STARTUPS:
        if entry["name"] in existing:
            continue
        values = {field: entry[field] for field in STARTUP_FIELDS if field in entry}
        if "locality" in entry:
            values["locality_id"] = localities.get(entry["locality"])
        try:
            startup = create_startup(_demo_user(entry["owner"]), StartupData(**values))
        except StartupError as error:
            skipped.append(f"  {entry['name']}: {error.message}")
            continue
        for email, title in entry.get("team", ()):
            add_member(startup, _demo_user(email), title=title)
        db.session.commit()
        if entry.get("verified") and coordinator is not None:
            verify_startup(startup, coordinator, note="Dữ liệu mẫu: đã đối chiếu giấy đăng ký kinh doanh.")
        created += 1
    lines = [f"Startups: {created} created, {len(existing) + created} in total"]
    if skipped:
        lines.append("Demo startups skipped (is the list of communes loaded?):")
        lines.extend(skipped)
    return lines
