"""Rules of normalizer 1.16 (the audit of held-back sets v17 and v18 and the readings their headers list): exam,
boarding-school, defence-day, traffic-police and broadcasting acronyms with their siblings, insurance paid as a common
noun, "Sở VHTT" as culture and sports, degrees before names in lower case, ordinals before a full stop, "Covid – 19",
"camera" kept. Sentences are new (none is copied from a set); negatives keep older readings
where the context differs.
Sentences of earlier sets given up by these conventions are listed in given_up_1_16.tsv."""

from __future__ import annotations

import pytest

from audio_library.text import normalize
from audio_library.text.normalizer import NORMALIZER_VERSION


def test_version() -> None:
    # 1.17: the exact version is asserted in test_text_rules_1_17.py
    assert NORMALIZER_VERSION.startswith("vi-admin-1.")


@pytest.mark.parametrize(("text", "expected"), [
    ('Học viên phải mang giấy báo ĐKDT khi đến điểm thi.',
     'Học viên phải mang giấy báo đăng ký dự thi khi đến điểm thi.'),
    ('Em Lò Thị Mai học tại Trường PTDTNT huyện Mường Tè.',
     'Em Lò Thị Mai học tại Trường Phổ thông dân tộc nội trú huyện Mường Tè.'),
    ('Học sinh DTNT được cấp học bổng hằng tháng.',
     'Học sinh dân tộc nội trú được cấp học bổng hằng tháng.'),
    ('Xã tổ chức Ngày hội QPTD cho thanh niên.',
     'Xã tổ chức Ngày hội Quốc phòng toàn dân cho thanh niên.'),
    ('Tổ CSGT-TT phân luồng tại nút giao.',
     'Tổ Cảnh sát giao thông - trật tự phân luồng tại nút giao.'),
    ('Lực lượng CSGT - TT túc trực trước cổng trường.',
     'Lực lượng Cảnh sát giao thông - trật tự túc trực trước cổng trường.'),
    ('Sở GDDT tỉnh vừa ban hành hướng dẫn.',
     'Sở Giáo dục và Đào tạo tỉnh vừa ban hành hướng dẫn.'),
    ('Cô là giảng viên ĐH Sư phạm từ năm 2010.',
     'Cô là giảng viên Đại học Sư phạm từ năm hai nghìn không trăm mười.'),
    ('Anh ấy là giảng viên ĐH ở Huế.',
     'Anh ấy là giảng viên đại học ở Huế.'),
    ('Bài viết đăng trên Tạp chí QLTT số mới.',
     'Bài viết đăng trên Tạp chí Quản lý thị trường số mới.'),
    ('Lực lượng QLTT kiểm tra cửa hàng.',
     'Lực lượng quản lý thị trường kiểm tra cửa hàng.'),
    ('Ông đã đóng BHXH được 12 năm.',
     'Ông đã đóng bảo hiểm xã hội được mười hai năm.'),
    ('Cán bộ BHXH huyện đến tận nhà.',
     'Cán bộ Bảo hiểm xã hội huyện đến tận nhà.'),
    ('Người lao động đã đóng BHTN đủ 12 tháng.',
     'Người lao động đã đóng bảo hiểm thất nghiệp đủ mười hai tháng.'),
    ('Phòng VHTT huyện tổ chức hội thi.',
     'Phòng Văn hóa và Thông tin huyện tổ chức hội thi.'),
    ('Sở VHTT Hà Nội cấp phép lễ hội.',
     'Sở Văn hóa và Thể thao Hà Nội cấp phép lễ hội.'),
    ('Bài giảng của TS. Trần Văn Nam được đánh giá cao.',
     'Bài giảng của tiến sĩ Trần Văn Nam được đánh giá cao.'),
    ('Đây là lần thứ 4.',
     'Đây là lần thứ tư.'),
    ('Bạn đứng thứ 3, anh đứng thứ 4, tôi đứng thứ 5.',
     'Bạn đứng thứ ba, anh đứng thứ tư, tôi đứng thứ năm.'),
    ('Chỉ số tăng gấp thứ 2,5 lần.',
     'Chỉ số tăng gấp thứ hai phẩy năm lần.'),
    ('Dịch Covid – 19 đã qua.',
     'Dịch Cô vít mười chín đã qua.'),
    ('Khu phố lắp thêm 5 camera an ninh.',
     'Khu phố lắp thêm năm camera an ninh.'),
    ('Trung tâm VH-TT và TT-TH huyện phát sóng trực tiếp.',
     'Trung tâm Văn hóa - Thể thao và Truyền thanh - Truyền hình huyện phát sóng trực tiếp.'),
    ('Trung tâm VH-TT xã mới xây.',
     'Trung tâm Văn hóa - Thông tin xã mới xây.'),
    # 1.16
    ('Bếp ăn được cấp 120% mức lương cơ sở/tháng/25 học sinh.',
     'Bếp ăn được cấp một trăm hai mươi phần trăm mức lương cơ sở mỗi tháng trên hai mươi lăm học sinh.'),
    # 1.16
    ('Giá vé 20.000 đồng/người/lượt.',
     'Giá vé hai mươi nghìn đồng mỗi người mỗi lượt.'),
    # 1.16
    ('Kế hoạch năm học 2024-2024 được ban hành sớm.',
     'Kế hoạch năm học hai nghìn không trăm hai mươi bốn đến hai nghìn không trăm hai mươi bốn được ban hành sớm.'),
    # 1.16
    ('Dân số năm 2024-2024 không đổi.',
     'Dân số năm hai nghìn không trăm hai mươi bốn - hai nghìn không trăm hai mươi bốn không đổi.'),
    # 1.16
    ('Hội nghị quán triệt Nghị quyết 02 của Tỉnh ủy.',
     'Hội nghị quán triệt Nghị quyết không hai của Tỉnh ủy.'),
    # 1.16
    ('Xã có 03 kế hoạch và 2 đề án.',
     'Xã có ba kế hoạch và hai đề án.'),
    # 1.16
    ('Ngày 20 -11 trường tổ chức mít tinh.',
     'Ngày hai mươi tháng mười một trường tổ chức mít tinh.'),
    # 1.16
    ('Trong các ngày (3,5,7/9/2019) huyện tổ chức lễ đón bằng.',
     'Trong các ngày, ba, năm, bảy tháng chín năm hai nghìn không trăm mười chín, huyện tổ chức lễ đón bằng.'),
    # 1.16
    ('Đoàn dừng chân tại nhà ông Lê Văn Ba (12 - 14-9-1946), nay là nhà văn hóa.',
     'Đoàn dừng chân tại nhà ông Lê Văn Ba, mười hai đến mười bốn tháng chín năm một nghìn chín trăm bốn mươi sáu, '
     'nay là nhà văn hóa.'),
    # 1.16
    ('Bác về thăm Trường Sĩ quan (Sơn Tây, 3-2-1959), ở lại một ngày.',
     'Bác về thăm Trường Sĩ quan, Sơn Tây, ba tháng hai năm một nghìn chín trăm năm mươi chín, ở lại một ngày.'),
    # 1.16
    ('Kỳ thi diễn ra ngày 5&6.7 tại hai điểm.',
     'Kỳ thi diễn ra ngày năm và sáu tháng bảy tại hai điểm.'),
    # 1.16
    ('Kỷ niệm 20 năm Ngày hội Thể thao toàn dân 19/4 tại xã.',
     'Kỷ niệm hai mươi năm Ngày hội Thể thao toàn dân mười chín tháng tư tại xã.'),
    # 1.16
    ('Em học tại Trường THCS Kim Đồng.',
     'Em học tại Trường trung học cơ sở Kim Đồng.'),
    # 1.16
    ('Học sinh Trường PTDTNT huyện dự lễ.',
     'Học sinh Trường Phổ thông dân tộc nội trú huyện dự lễ.'),
])
def test_rules_1_16(text: str, expected: str) -> None:
    assert normalize(text) == expected
